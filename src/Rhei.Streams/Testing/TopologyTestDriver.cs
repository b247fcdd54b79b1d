using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Streams.Runtime;
using Rhei.Streams.State;

namespace Rhei.Streams.Testing;

/// <summary>
/// Runs a topology deterministically without a broker: records piped into input topics are processed at
/// once, in one thread; output, repartition, changelog and processing-log records land in in-memory
/// <see cref="Topics"/>, and records written to a topic the topology reads (repartition topics) are
/// processed before the pipe call returns. One task per sub-topology and partition, restored from the
/// changelogs in <see cref="Topics"/> when the driver starts. Wall-clock time moves only with
/// <see cref="AdvanceWallClockTime"/>.
/// </summary>
public sealed class TopologyTestDriver : IDisposable
{
    private readonly Topology _topology;
    private readonly StreamsOptions _options;
    private readonly Dictionary<TaskId, StreamTask> _tasks = [];
    private readonly Dictionary<string, List<StreamTask>> _tasksByTopic = new(StringComparer.Ordinal);
    private readonly DriverCollector _collector;
    private readonly Queue<(StreamTask Task, TopicPartition Partition, RawRecord Record)> _pending = new();
    private readonly List<ProcessingLogEntry> _processingLog = [];
    private readonly ManualTimeProvider? _clock;
    private long _lastCommitWallClock;
    private bool _processing;
    private bool _disposed;

    /// <param name="topology">The topology to run.</param>
    /// <param name="options">Streams options; the driver uses a <see cref="ManualTimeProvider"/> unless one is given.</param>
    /// <param name="topics">Shared topics (to restart on existing data), or null for fresh ones.</param>
    /// <param name="commitEveryRecord">Commit (flush record caches) after each piped record, as Kafka Streams' driver does; off lets the cache de-duplicate until <see cref="Commit"/>.</param>
    public TopologyTestDriver(Topology topology, StreamsOptions options, TestTopics? topics = null, bool commitEveryRecord = true)
    {
        _topology = topology;
        CommitEveryRecord = commitEveryRecord;
        if (options.TimeProvider is ManualTimeProvider manual)
        {
            _clock = manual;
        }
        else if (options.TimeProvider == TimeProvider.System)
        {
            _clock = new ManualTimeProvider(0);
        }

        var sink = options.ProcessingLog;
        _options = options with
        {
            TimeProvider = _clock ?? options.TimeProvider,
            ProcessingLog = e =>
            {
                _processingLog.Add(e);
                sink?.Invoke(e);
            },
        };
        Topics = topics ?? new TestTopics();
        _collector = new DriverCollector(this);
        _lastCommitWallClock = WallClockMs;

        foreach (var t in topology.SourceTopics)
        {
            if (!Topics.Exists(t)) { Topics.CreateTopic(t, 1); }
        }

        var (topicCounts, subCounts) = topology.ResolvePartitions(_options.ApplicationId, Topics.PartitionCount);
        foreach (var t in topology.InternalTopics(_options.ApplicationId, topicCounts, subCounts, _options))
        {
            Topics.CreateTopic(t.Name, t.Partitions);
        }

        foreach (var (name, count) in topicCounts)
        {
            if (!Topics.Exists(name)) { Topics.CreateTopic(name, count); }
        }

        var logger = _options.LoggerFactory.CreateLogger("Rhei.Streams.TopologyTestDriver");
        var cache = _options.CacheMaxBytesBuffering > 0 ? new CacheBudget(_options.CacheMaxBytesBuffering) : null;
        var env = new TaskEnvironment(_options, _collector, cache, new ProcessingLogger(_options, logger), logger);
        foreach (var sub in topology.SubTopologies)
        {
            for (var p = 0; p < subCounts[sub.Id]; p++)
            {
                var task = new StreamTask(new TaskId(sub.Id, p), topology, env);
                _tasks[task.Id] = task;
                foreach (var tp in task.InputPartitions)
                {
                    if (!_tasksByTopic.TryGetValue(tp.Topic, out var list)) { _tasksByTopic[tp.Topic] = list = []; }
                    list.Add(task);
                }

                Restore(task);
                task.Initialize();
            }
        }
    }

    /// <summary>The in-memory topics (inputs, outputs, internal topics, changelogs).</summary>
    public TestTopics Topics { get; }

    public bool CommitEveryRecord { get; set; }

    /// <summary>Every processing-log entry so far.</summary>
    public IReadOnlyList<ProcessingLogEntry> ProcessingLog => _processingLog;

    /// <summary>Records dropped by operators (late, expired windows, null keys) and skipped bad records, over all tasks.</summary>
    public long DroppedRecords => _tasks.Values.Sum(t => t.DroppedRecords);

    /// <summary>The tasks (sub-topology, partition) the driver runs.</summary>
    public IReadOnlyList<TaskId> Tasks => [.. _tasks.Keys.OrderBy(t => t.SubTopology).ThenBy(t => t.Partition)];

    public long WallClockMs => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The stream time of a task (-1 before its first record).</summary>
    public long StreamTime(TaskId task) => _tasks[task].StreamTime;

    public TestInputTopic<K, V> CreateInputTopic<K, V>(string topic, Serde<K> keySerde, Serde<V> valueSerde) => new(this, topic, keySerde, valueSerde);

    public TestOutputTopic<K, V> CreateOutputTopic<K, V>(string topic, Serde<K> keySerde, Serde<V> valueSerde) => new(Topics, topic, keySerde, valueSerde);

    /// <summary>The store of a task by name (the task of the store's sub-topology for <paramref name="partition"/>).</summary>
    public IStateStore GetStateStore(string name, int partition = 0)
    {
        var sub = _topology.SubTopologyOfStore(name);
        return _tasks.TryGetValue(new TaskId(sub, partition), out var task)
            ? task.State.Get(name)
            : throw new ArgumentOutOfRangeException(nameof(partition), $"There is no task {sub}_{partition} holding store {name}.");
    }

    public IKeyValueStore<K, V> GetKeyValueStore<K, V>(string name, int partition = 0) => Cast<IKeyValueStore<K, V>>(name, partition);

    /// <summary>A table's or aggregation's store: values with the timestamp of their last update.</summary>
    public IKeyValueStore<K, ValueAndTimestamp<V>> GetTimestampedKeyValueStore<K, V>(string name, int partition = 0) => Cast<IKeyValueStore<K, ValueAndTimestamp<V>>>(name, partition);

    public IWindowStore<K, V> GetWindowStore<K, V>(string name, int partition = 0) => Cast<IWindowStore<K, V>>(name, partition);

    public IWindowStore<K, ValueAndTimestamp<V>> GetTimestampedWindowStore<K, V>(string name, int partition = 0) => Cast<IWindowStore<K, ValueAndTimestamp<V>>>(name, partition);

    public ISessionStore<K, V> GetSessionStore<K, V>(string name, int partition = 0) => Cast<ISessionStore<K, V>>(name, partition);

    private T Cast<T>(string name, int partition)
        where T : class
    {
        var store = GetStateStore(name, partition);
        return store as T ?? throw new InvalidOperationException($"Store {name} is a {store.GetType().Name}, not a {typeof(T).Name}.");
    }

    /// <summary>Moves the wall clock, fires due wall-clock punctuations, and commits when commit.interval.ms has passed.</summary>
    public void AdvanceWallClockTime(TimeSpan by)
    {
        var clock = _clock ?? throw new InvalidOperationException("The driver's options carry their own TimeProvider; advance that one.");
        clock.Advance(by);
        var now = WallClockMs;
        foreach (var task in _tasks.Values)
        {
            task.MaybePunctuateWallClock(now);
        }

        Drain();
        if (now - _lastCommitWallClock >= _options.CommitIntervalMs) { Commit(enforceCheckpoint: false); }
    }

    /// <summary>Commits every task: flushes record caches (forwarding their updates), then stores, and writes checkpoints.</summary>
    public void Commit() => Commit(enforceCheckpoint: true);

    private void Commit(bool enforceCheckpoint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var task in _tasks.Values) { task.PrepareCommit(enforceCheckpoint); }
        Drain();
        foreach (var task in _tasks.Values) { task.PostCommit(task.CommittableOffsets()); }
        _lastCommitWallClock = WallClockMs;
    }

    internal void PipeRaw(string topic, int partition, byte[]? key, byte[]? value, long timestamp, IReadOnlyList<RecordHeader>? headers)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (p, offset) = Topics.Append(topic, partition, key, value, timestamp, headers);
        Route(topic, p, offset, key, value, timestamp, headers);
        Drain();
        if (CommitEveryRecord) { Commit(enforceCheckpoint: false); }
    }

    private void Route(string topic, int partition, long offset, byte[]? key, byte[]? value, long timestamp, IReadOnlyList<RecordHeader>? headers)
    {
        if (!_tasksByTopic.TryGetValue(topic, out var tasks)) { return; }
        foreach (var task in tasks)
        {
            if (task.Id.Partition != partition) { continue; }
            _pending.Enqueue((task, new TopicPartition(topic, partition), RawRecord.Wrap(key, value, timestamp, offset, headers)));
        }
    }

    /// <summary>Processes everything queued, including what processing writes to topics the topology reads.</summary>
    private void Drain()
    {
        if (_processing) { return; }
        _processing = true;
        try
        {
            while (_pending.TryDequeue(out var item))
            {
                item.Task.AddRecord(item.Partition, item.Record);
                while (item.Task.Process())
                {
                    item.Task.MaybePunctuateStreamTime();
                }
            }
        }
        finally
        {
            _processing = false;
        }
    }

    private void Restore(StreamTask task)
    {
        foreach (var (changelog, from) in task.State.PendingRestores())
        {
            foreach (var r in Topics.Read(changelog.Topic, changelog.Partition, from))
            {
                task.State.Restore(changelog, r.Offset, r.Key ?? [], r.Value, r.Timestamp);
            }

            task.State.CompleteRestore(changelog, Topics.EndOffset(changelog.Topic, changelog.Partition));
        }
    }

    /// <summary>Commits, then closes every task (stores are closed; persistent ones keep their files and checkpoints).</summary>
    public void Dispose()
    {
        if (_disposed) { return; }
        Commit();
        _disposed = true;
        foreach (var task in _tasks.Values) { task.Close(); }
    }

    private sealed class DriverCollector(TopologyTestDriver driver) : RecordCollector
    {
        private readonly Dictionary<TopicPartition, long> _offsets = [];

        public override void Send(string topic, int partition, byte[]? key, byte[]? value, long timestamp, IReadOnlyList<RecordHeader>? headers)
        {
            var (p, offset) = driver.Topics.Append(topic, partition, key, value, timestamp, headers);
            _offsets[new TopicPartition(topic, p)] = offset;
            driver.Route(topic, p, offset, key, value, timestamp, headers);
        }

        public override int PartitionCount(string topic) => driver.Topics.PartitionCount(topic);

        public override IReadOnlyDictionary<TopicPartition, long> Offsets => _offsets;

        public override ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
