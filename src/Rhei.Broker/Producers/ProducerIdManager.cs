using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rhei.Broker.Producers;

/// <summary>
/// Hands out producer ids (InitProducerId) that never repeat, also across restarts: ids are taken from
/// blocks of <see cref="BlockSize"/> whose reservation is written and fsynced to <c>producer-ids.json</c> in
/// the first log dir before the first id of the block is used (a crash skips the rest of a block, as
/// Kafka's controller does). Transactional ids map to their producer id and epoch, persisted in the same file;
/// each InitProducerId for a transactional id bumps its epoch. Thread-safe.
/// </summary>
internal sealed class ProducerIdManager
{
    public const int BlockSize = 1000;
    public const string FileName = "producer-ids.json";

    private readonly object _lock = new();
    private readonly string _path;
    private readonly Dictionary<string, TransactionalProducer> _transactional;
    private long _nextBlockStart;
    private long _next;
    private long _blockEnd;

    private ProducerIdManager(string path, State state)
    {
        _path = path;
        _nextBlockStart = state.NextBlockStart;
        _transactional = state.TransactionalIds ?? new Dictionary<string, TransactionalProducer>(StringComparer.Ordinal);
        _next = _blockEnd = _nextBlockStart;
    }

    public static ProducerIdManager Load(string logDir)
    {
        var path = Path.Combine(logDir, FileName);
        var state = new State();
        if (File.Exists(path))
        {
            try
            {
                state = JsonSerializer.Deserialize(File.ReadAllBytes(path), ProducerIdJsonContext.Default.State) ?? new State();
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path} is damaged ({e.Message}); producer ids cannot be handed out safely. Restore it, or delete it only if no idempotent producer wrote to this node.", e);
            }
        }

        return new ProducerIdManager(path, state);
    }

    /// <summary>A new producer id for an idempotent producer (epoch 0).</summary>
    public long NextProducerId()
    {
        lock (_lock)
        {
            return AllocateUnderLock();
        }
    }

    /// <summary>
    /// The producer id and the next epoch of a transactional id: a new id at epoch 0 the first time, the same id
    /// with the epoch bumped afterwards (a new id when the epoch would overflow).
    /// </summary>
    public (long ProducerId, short Epoch) InitTransactional(string transactionalId)
    {
        lock (_lock)
        {
            TransactionalProducer entry;
            if (_transactional.TryGetValue(transactionalId, out var existing) && existing.Epoch < short.MaxValue - 1)
            {
                entry = existing with { Epoch = (short)(existing.Epoch + 1) };
            }
            else
            {
                entry = new TransactionalProducer(AllocateUnderLock(), 0);
            }

            _transactional[transactionalId] = entry;
            Save();
            return (entry.ProducerId, entry.Epoch);
        }
    }

    private long AllocateUnderLock()
    {
        if (_next >= _blockEnd)
        {
            var start = _nextBlockStart;
            _nextBlockStart = start + BlockSize;
            Save();
            _next = start;
            _blockEnd = start + BlockSize;
        }

        return _next++;
    }

    private void Save()
    {
        var state = new State { NextBlockStart = _nextBlockStart, TransactionalIds = _transactional };
        var temp = _path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, state, ProducerIdJsonContext.Default.State);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
    }

    internal sealed class State
    {
        public long NextBlockStart { get; set; }

        public Dictionary<string, TransactionalProducer>? TransactionalIds { get; set; }
    }

    internal sealed record TransactionalProducer(long ProducerId, short Epoch);
}

[JsonSerializable(typeof(ProducerIdManager.State))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ProducerIdJsonContext : JsonSerializerContext;
