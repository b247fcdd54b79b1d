using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Rhei.Client;

namespace Rhei.Connect.Runtime;

/// <summary>
/// Source offsets in a compacted topic (Kafka Connect's <c>offset.storage.topic</c>): read whole once, then kept in
/// memory and written through. A source task reads the offset of each of its partitions at start, so a restarted
/// task resumes where the last written offset says.
/// </summary>
internal sealed class OffsetStore : IAsyncDisposable
{
    private readonly IClientFactory _clients;
    private readonly ConnectorRuntimeOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, object?>> _offsets = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private IProducer? _producer;
    private bool _loaded;

    public OffsetStore(IClientFactory clients, ConnectorRuntimeOptions options, ILogger logger)
    {
        _clients = clients;
        _options = options;
        _logger = logger;
    }

    public string Topic => _options.OffsetStorageTopic;

    /// <summary>Creates the topic when missing and reads it to its end (once).</summary>
    public async ValueTask EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        await _loadLock.WaitAsync(cancellationToken);
        try
        {
            if (_loaded)
            {
                return;
            }

            await using var admin = _clients.CreateAdmin();
            int partitions;
            try
            {
                var described = await admin.DescribeTopicsAsync([Topic], cancellationToken);
                partitions = described[0].Partitions;
            }
            catch (AdminException e) when (e.ErrorName == "UNKNOWN_TOPIC_OR_PARTITION")
            {
                try
                {
                    await admin.CreateTopicsAsync(
                        [new TopicSpec(Topic, _options.OffsetStoragePartitions) { Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" } }],
                        cancellationToken);
                }
                catch (AdminException c) when (c.ErrorName == "TOPIC_ALREADY_EXISTS")
                {
                }

                partitions = _options.OffsetStoragePartitions;
            }

            var ends = await admin.ListOffsetsAsync(
                Enumerable.Range(0, partitions).Select(p => (new TopicPartition(Topic, p), OffsetSpec.Latest)), cancellationToken);
            var pending = ends.Where(e => e.Offset > 0).ToDictionary(e => e.TopicPartition, e => e.Offset);
            if (pending.Count > 0)
            {
                await using var consumer = _clients.CreateConsumer(new ConsumerOptions { ClientId = "connect-offsets-reader", ReadCommitted = false });
                consumer.Assign(pending.Keys.Select(tp => new TopicPartitionOffset(tp.Topic, tp.Partition, Offsets.Beginning)));
                while (pending.Count > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var records = await consumer.PollAsync(TimeSpan.FromMilliseconds(200), cancellationToken);
                    foreach (var r in records)
                    {
                        Apply(r);
                    }

                    foreach (var tp in pending.Keys.ToList())
                    {
                        if (consumer.Position(tp) >= pending[tp])
                        {
                            pending.Remove(tp);
                        }
                    }
                }
            }

            _loaded = true;
            ConnectLog.OffsetsLoaded(_logger, _offsets.Count, Topic);
        }
        finally
        {
            _loadLock.Release();
        }
    }

    public IReadOnlyDictionary<string, object?>? Get(string connector, IReadOnlyDictionary<string, object?> partition) =>
        _offsets.TryGetValue(Encoding.UTF8.GetString(OffsetJson.Key(connector, partition)), out var offset) ? offset : null;

    /// <summary>Writes the offsets and waits until they are acknowledged.</summary>
    public async ValueTask WriteAsync(string connector, IEnumerable<(IReadOnlyDictionary<string, object?> Partition, IReadOnlyDictionary<string, object?> Offset)> offsets, CancellationToken cancellationToken)
    {
        var producer = _producer ??= _clients.CreateProducer(new ProducerOptions { ClientId = "connect-offsets-writer", LingerMs = 0 });
        var written = new List<(string, IReadOnlyDictionary<string, object?>)>();
        foreach (var (partition, offset) in offsets)
        {
            var key = OffsetJson.Key(connector, partition);
            producer.Produce(new ProduceRecord(Topic, key, OffsetJson.Map(offset)));
            written.Add((Encoding.UTF8.GetString(key), offset));
        }

        await producer.FlushAsync(cancellationToken);
        foreach (var (key, offset) in written)
        {
            _offsets[key] = offset;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_producer is not null)
        {
            await _producer.DisposeAsync();
        }

        _loadLock.Dispose();
    }

    private void Apply(ConsumedRecord record)
    {
        if (record.Key is not { } key)
        {
            return;
        }

        var keyText = Encoding.UTF8.GetString(key.Span);
        if (record.Value is not { } value)
        {
            _offsets.TryRemove(keyText, out _);
            return;
        }

        if (OffsetJson.TryReadMap(value.Span) is { } map)
        {
            _offsets[keyText] = map;
        }
    }
}
