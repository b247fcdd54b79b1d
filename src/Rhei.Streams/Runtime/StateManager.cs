using Rhei.Client;
using Rhei.Streams.State;

namespace Rhei.Streams.Runtime;

/// <summary>
/// The stores of one task: builds them, restores them from their changelogs (persistent stores from their
/// checkpointed offset, in-memory ones from the beginning), turns on changelog writing once restored,
/// flushes them and writes the checkpoint file.
/// <para>
/// The checkpoint file is read and deleted when the task opens, and written again only when the task closes
/// cleanly (after its final commit). So a crash always leaves the task without a checkpoint, and a persistent
/// store without a checkpoint is wiped and restored from its changelog: its files may hold writes whose changelog
/// records were never sent (RocksDB writes skip the WAL, but memtables reach disk on their own), which no
/// restore could take back.
/// </para>
/// </summary>
internal sealed class StateManager
{
    internal sealed class Registered(StoreSpec spec, IStateStore store, TopicPartition? changelog)
    {
        public StoreSpec Spec { get; } = spec;
        public IStateStore Store { get; } = store;
        public IManagedStore? Managed { get; } = store as IManagedStore;
        public TopicPartition? Changelog { get; } = changelog;

        /// <summary>The next changelog offset the store has seen (restored or written).</summary>
        public long NextOffset { get; set; }

        public bool Restored { get; set; }
    }

    private readonly List<Registered> _stores = [];
    private readonly Dictionary<string, Registered> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, Registered> _byChangelog = [];
    private readonly TaskId _id;
    private readonly string _applicationId;
    private readonly StreamsOptions _options;
    private readonly RecordCollector _collector;
    private readonly Func<long> _currentTimestamp;
    private readonly CacheBudget? _cache;
    private readonly Dictionary<TopicPartition, long> _checkpoint;

    public StateManager(TaskId id, string applicationId, string taskDirectory, StreamsOptions options, RecordCollector collector, Func<long> currentTimestamp, CacheBudget? cache)
    {
        _id = id;
        _applicationId = applicationId;
        TaskDirectory = taskDirectory;
        _options = options;
        _collector = collector;
        _currentTimestamp = currentTimestamp;
        _cache = cache;
        _checkpoint = Checkpoint.Read(taskDirectory);
        Checkpoint.Delete(taskDirectory);
    }

    public string TaskDirectory { get; }

    public IReadOnlyList<Registered> Stores => _stores;

    public IStateStore GetOrCreate(StoreSpec spec)
    {
        if (_byName.TryGetValue(spec.Name, out var existing)) { return existing.Store; }
        var topic = StoreSpec.ChangelogTopic(_applicationId, spec.Name);
        TopicPartition? changelog = _options.ChangelogEnabled && spec.LoggingEnabled ? new TopicPartition(topic, _id.Partition) : null;
        if (changelog is { } logged && spec.Type == StoreType.RocksDb && !_checkpoint.ContainsKey(logged))
        {
            var files = Path.Combine(TaskDirectory, "rocksdb", spec.Name);
            if (Directory.Exists(files)) { Directory.Delete(files, recursive: true); }
        }

        var store = spec.Build(new StoreContext(_id, TaskDirectory, topic, _currentTimestamp, _cache));
        var reg = new Registered(spec, store, changelog);
        if (changelog is { } tp)
        {
            reg.NextOffset = store.Persistent && _checkpoint.TryGetValue(tp, out var offset) ? offset : 0;
            _byChangelog[tp] = reg;
        }
        else
        {
            reg.Restored = true;
        }

        _stores.Add(reg);
        _byName[spec.Name] = reg;
        return store;
    }

    public IStateStore Get(string name) =>
        _byName.TryGetValue(name, out var reg) ? reg.Store : throw new InvalidOperationException($"State store {name} is not connected to task {_id}; name it in the processor's stores.");

    public bool TryGet(string name, out IStateStore store)
    {
        if (_byName.TryGetValue(name, out var reg))
        {
            store = reg.Store;
            return true;
        }

        store = null!;
        return false;
    }

    /// <summary>True when at least one store writes a changelog (the task then writes commit points).</summary>
    public bool HasChangelogs => _byChangelog.Count > 0;

    /// <summary>
    /// The end offset of each changelog partition as far as this task knows: what it restored, or one past the last
    /// record of it the collector saw acknowledged.
    /// </summary>
    public Dictionary<TopicPartition, long> ChangelogEnds(IReadOnlyDictionary<TopicPartition, long> written)
    {
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var (tp, reg) in _byChangelog)
        {
            if (written.TryGetValue(tp, out var last)) { reg.NextOffset = Math.Max(reg.NextOffset, last + 1); }
            ends[tp] = reg.NextOffset;
        }

        return ends;
    }

    /// <summary>Changelog partitions still to restore, with the offset to start from.</summary>
    public IReadOnlyList<(TopicPartition Changelog, long From)> PendingRestores() =>
        [.. _stores.Where(s => !s.Restored && s.Changelog is not null).Select(s => (s.Changelog!.Value, s.NextOffset))];

    public void Restore(TopicPartition changelog, long offset, byte[] key, byte[]? value, long timestamp)
    {
        var reg = _byChangelog[changelog];
        reg.Managed!.Restore(key, value, timestamp);
        reg.NextOffset = offset + 1;
    }

    /// <summary>Marks a changelog restored up to <paramref name="endOffset"/> and starts logging the store's writes.</summary>
    public void CompleteRestore(TopicPartition changelog, long endOffset)
    {
        var reg = _byChangelog[changelog];
        reg.Managed!.FinishRestore();
        reg.NextOffset = Math.Max(reg.NextOffset, endOffset);
        reg.Restored = true;
        var topic = changelog.Topic;
        var partition = changelog.Partition;
        reg.Managed!.ChangelogWriter = (k, v, ts) => _collector.Send(topic, partition, k, v, ts, null);
    }

    public void FlushCaches()
    {
        foreach (var s in _stores)
        {
            if (s.Store is ICachedStore cached) { cached.FlushCache(); }
        }
    }

    public void Flush()
    {
        foreach (var s in _stores) { s.Store.Flush(); }
    }

    /// <summary>Writes the checkpoint of persistent stores from the collector's acknowledged changelog offsets.</summary>
    public void WriteCheckpoint(IReadOnlyDictionary<TopicPartition, long> written)
    {
        var offsets = new Dictionary<TopicPartition, long>();
        foreach (var s in _stores)
        {
            if (s.Changelog is not { } tp || !s.Store.Persistent || !s.Restored) { continue; }
            if (written.TryGetValue(tp, out var last)) { s.NextOffset = Math.Max(s.NextOffset, last + 1); }
            offsets[tp] = s.NextOffset;
        }

        if (offsets.Count > 0) { Checkpoint.Write(TaskDirectory, offsets); }
    }

    public void Close()
    {
        foreach (var s in _stores)
        {
            try { s.Store.Close(); }
            catch (ObjectDisposedException) { }
        }
    }
}
