using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Streams.Graph;
using Rhei.Streams.State;

namespace Rhei.Streams.Runtime;

/// <summary>
/// One stream thread: a group member consuming the input topics of every sub-topology, owning the tasks of
/// the partitions assigned to it. Its loop polls, dispatches records to task buffers (pausing partitions
/// whose buffer is full), processes by timestamp, punctuates, and commits every commit.interval.ms:
/// flush caches → flush producer → write commit points → commit offsets (at-least-once). Tasks are created and
/// restored in the consumer's assignment callback and committed and closed in its revocation callback, both
/// awaited inside the poll, so partitions move only after their state and offsets are safe.
/// </summary>
internal sealed partial class StreamThread
{
    private readonly int _index;
    private readonly Topology _topology;
    private readonly StreamsOptions _options;
    private readonly IClientFactory _clients;
    private readonly IAdmin _admin;
    private readonly IReadOnlyDictionary<string, int> _partitionCounts;
    private readonly IReadOnlyDictionary<string, int> _topicToSubTopology;
    private readonly ILogger _logger;
    private readonly Dictionary<TaskId, StreamTask> _tasks = [];
    private readonly Dictionary<TopicPartition, StreamTask> _byPartition = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private readonly Lock _tasksSync = new();
    private readonly string? _commitPointTopic;
    private readonly IReadOnlyDictionary<string, TopicTableStore>? _materialized;
    private IConsumer? _consumer;
    private IProducer? _producer;
    private RecordCollector? _collector;
    private TaskEnvironment? _env;
    private TaskRestorer? _restorer;
    private CommitPointReader? _commitPoints;
    private CancellationToken _runToken;
    private bool _closingDirty;
    private long _lastCommit;

    public StreamThread(int index, Topology topology, StreamsOptions options, IClientFactory clients, IAdmin admin, IReadOnlyDictionary<string, int> partitionCounts, string? commitPointTopic, ILogger logger, IReadOnlyDictionary<string, TopicTableStore>? materialized = null)
    {
        _materialized = materialized;
        _commitPointTopic = commitPointTopic;
        _index = index;
        _topology = topology;
        _options = options;
        _clients = clients;
        _admin = admin;
        _partitionCounts = partitionCounts;
        _logger = logger;
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sub in topology.SubTopologies)
        {
            foreach (var t in sub.SourceTopics) { map[t.Resolve(options.ApplicationId)] = sub.Id; }
        }

        _topicToSubTopology = map;
        Name = $"{options.ApplicationId}-StreamThread-{index + 1}";
    }

    public string Name { get; }

    /// <summary>True between an assignment and the end of its restoration.</summary>
    public bool Rebalancing { get; private set; } = true;

    public event Action? RebalanceStateChanged;

    /// <summary>A snapshot of the tasks (safe to call from other threads, e.g. for pull queries).</summary>
    public IReadOnlyList<StreamTask> Tasks
    {
        get { lock (_tasksSync) { return [.. _tasks.Values]; } }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var appId = _options.ApplicationId;
        _runToken = cancellationToken;
        _producer = _clients.CreateProducer(new ProducerOptions
        {
            ClientId = Name + "-producer",
            Acks = -1,
            EnableIdempotence = true,
            TransactionalId = _options.ProcessingGuarantee == ProcessingGuarantee.ExactlyOnceV2 ? $"{appId}-{Name}" : null,
            Extra = _options.ClientProperties,
        });
        _collector = new ProducerRecordCollector(_producer, t => _partitionCounts.GetValueOrDefault(t, -1), _materialized);
        var cache = _options.CacheMaxBytesBuffering > 0 ? new CacheBudget(_options.CacheMaxBytesBuffering / Math.Max(1, _options.NumStreamThreads)) : null;
        _env = new TaskEnvironment(_options, _collector, cache, new ProcessingLogger(_options, _logger), _logger);
        _restorer = new TaskRestorer(_clients, _options, _collector, Name + "-restore-consumer", _options.LoggerFactory.CreateLogger("Rhei.Streams.Restore"));
        if (_commitPointTopic is not null)
        {
            _commitPoints = new CommitPointReader(_commitPointTopic, _clients, _admin, _options, Name + "-commit-point-consumer");
        }

        var extra = new Dictionary<string, string>(_options.ClientProperties) { ["partition.assignment.strategy"] = "range" };
        _consumer = _clients.CreateConsumer(new ConsumerOptions
        {
            ClientId = Name + "-consumer",
            GroupId = appId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            MaxPollRecords = _options.MaxPollRecords,
            OnPartitionsAssignedAsync = OnAssignedAsync,
            OnPartitionsRevokedAsync = OnRevokedAsync,
            Extra = extra,
        });
        _consumer.Subscribe(_topicToSubTopology.Keys);
        _lastCommit = Now;
        StreamsMetrics.Register(this, appId);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var records = await _consumer.PollAsync(TimeSpan.FromMilliseconds(_options.PollMs), cancellationToken);
                Dispatch(records);
                ProcessBuffered();
                var now = Now;
                foreach (var task in _tasks.Values) { task.MaybePunctuateWallClock(now); }
                if (now - _lastCommit >= _options.CommitIntervalMs) { await CommitAsync([.. _tasks.Values], closing: false, cancellationToken); }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            StreamsMetrics.Unregister(this);
            await CloseDirtyAsync();
            throw;
        }

        StreamsMetrics.Unregister(this);
        await ShutdownAsync();
    }

    private long Now => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private void SetRebalancing(bool rebalancing)
    {
        Rebalancing = rebalancing;
        RebalanceStateChanged?.Invoke();
    }

    /// <summary>
    /// Assignment (inside the consumer's poll): creates the tasks of the new partitions and brings each to its last
    /// commit point — stores restored from the changelogs up to the commit point's end offsets, changelog records
    /// written after it compensated, stream time and partition times restored — then moves the input to the commit
    /// point's offsets (committing them to the group first: a crash may have come between writing the commit
    /// point and committing the offsets).
    /// </summary>
    private async ValueTask OnAssignedAsync(IReadOnlyList<TopicPartition> partitions)
    {
        SetRebalancing(true);
        var cancellationToken = _runToken;
        var created = new Dictionary<TaskId, List<TopicPartition>>();
        foreach (var tp in partitions)
        {
            if (!_topicToSubTopology.TryGetValue(tp.Topic, out var sub)) { continue; }
            var id = new TaskId(sub, tp.Partition);
            if (_tasks.TryGetValue(id, out var existing)) { _byPartition[tp] = existing; }
            else if (created.TryGetValue(id, out var list)) { list.Add(tp); }
            else { created[id] = [tp]; }
        }

        if (created.Count > 0)
        {
            var changelogs = created.Keys.ToDictionary(id => id, id => TaskRestorer.ChangelogPartitions(_topology, _options, id));
            var all = changelogs.Values.SelectMany(c => c).ToList();
            var ends = all.Count == 0
                ? []
                : (await _admin.ListOffsetsAsync(all.Select(c => (c, OffsetSpec.Latest)), cancellationToken)).ToDictionary(e => e.TopicPartition, e => e.Offset);
            if (_commitPoints is not null && all.Count > 0) { await _commitPoints.RefreshAsync(cancellationToken); }

            var seeks = new List<TopicPartitionOffset>();
            var resumed = new List<(StreamTask Task, IReadOnlyList<TopicPartitionOffset> Seeks)>();
            foreach (var (id, tps) in created)
            {
                var point = _commitPoints?.Get(id);
                if (changelogs[id].Any(c => TaskRestorer.Target(point, c, ends[c]) < ends[c]))
                {
                    // Changelog records past the commit point: a crash. Whatever the local store has is suspect.
                    Checkpoint.Delete(Path.Combine(_options.StateDir, _options.ApplicationId, id.ToString()));
                }

                var task = new StreamTask(id, _topology, _env!);
                lock (_tasksSync) { _tasks[id] = task; }
                foreach (var tp in tps) { _byPartition[tp] = task; }
                var restored = await _restorer!.RestoreAsync(task, point, ends, cancellationToken);
                if (point is not null)
                {
                    var positions = task.Resume(point);
                    seeks.AddRange(positions);
                    resumed.Add((task, positions));
                }

                task.Initialize();
                LogTaskCreated(_logger, Name, task.Id, restored);
            }

            await _collector!.FlushAsync(cancellationToken);
            if (seeks.Count > 0)
            {
                await _consumer!.CommitAsync(seeks, cancellationToken);
                foreach (var (task, positions) in resumed) { task.MarkCommitted(positions); }
                foreach (var s in seeks)
                {
                    // The Kafka consumer may not have taken the assignment yet inside this callback; it then starts
                    // from the offsets just committed.
                    try { _consumer.Seek(s); }
                    catch (Exception ex) when (ex is InvalidOperationException or ConsumerException or ArgumentException) { LogSeekDeferred(_logger, Name, s.TopicPartition); }
                }
            }
        }

        SetRebalancing(false);
    }

    /// <summary>
    /// Revocation (inside the consumer's poll, before the partitions move): the tasks of revoked partitions commit
    /// (caches and stores flushed, output acknowledged, commit points written, offsets committed), write their
    /// checkpoints and close. If the commit fails, the next owner resumes from the previous commit point.
    /// </summary>
    private async ValueTask OnRevokedAsync(IReadOnlyList<TopicPartition> partitions)
    {
        SetRebalancing(true);
        var revoked = partitions.Select(p => _byPartition.GetValueOrDefault(p)).OfType<StreamTask>().Distinct().ToList();
        if (revoked.Count == 0) { return; }
        if (!_closingDirty)
        {
            try
            {
                await CommitAsync(revoked, closing: true, CancellationToken.None);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "{Thread}: committing the revoked tasks failed; their next owner resumes from their previous commit", Name);
            }
        }

        foreach (var task in revoked) { CloseTask(task); }
    }

    private void CloseTask(StreamTask task)
    {
        task.Close();
        lock (_tasksSync) { _tasks.Remove(task.Id); }
        foreach (var tp in task.InputPartitions)
        {
            _byPartition.Remove(tp);
            _paused.Remove(tp);
        }
    }

    /// <summary>
    /// Copies polled records into their partitions' buffers, pausing a partition whose buffer is full. Records of one
    /// partition come in runs, so the buffer is looked up once per run.
    /// </summary>
    private void Dispatch(IReadOnlyList<ConsumedRecord> records)
    {
        List<TopicPartition>? toPause = null;
        string? lastTopic = null;
        var lastPartition = -1;
        RecordQueue? queue = null;
        var limit = _options.BufferedRecordsPerPartition;
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (!ReferenceEquals(r.Topic, lastTopic) || r.Partition != lastPartition)
            {
                lastTopic = r.Topic;
                lastPartition = r.Partition;
                queue = _byPartition.TryGetValue(r.TopicPartition, out var task) ? task.Queue(r.TopicPartition) : null;
            }

            if (queue is null) { continue; }
            queue.Enqueue(r);
            if (queue.Count >= limit && _paused.Add(queue.Partition)) { (toPause ??= []).Add(queue.Partition); }
        }

        if (toPause is not null) { _consumer!.Pause(toPause); }
    }

    private void ProcessBuffered()
    {
        long processed = 0;
        foreach (var task in _tasks.Values)
        {
            for (var i = 0; i < 10_000 && task.Process(); i++)
            {
                task.MaybePunctuateStreamTime();
                processed++;
            }
        }

        StreamsMetrics.AddProcessed(_options.ApplicationId, processed);

        if (_paused.Count == 0) { return; }
        List<TopicPartition>? resume = null;
        foreach (var tp in _paused)
        {
            if (_byPartition.TryGetValue(tp, out var task) && task.Buffered(tp) < _options.BufferedRecordsPerPartition / 2) { (resume ??= []).Add(tp); }
        }

        if (resume is not null)
        {
            foreach (var tp in resume) { _paused.Remove(tp); }
            _consumer!.Resume(resume);
        }
    }

    /// <summary>
    /// At-least-once commit of these tasks: caches flushed (stores too when closing); the producer flushed, so every
    /// output and changelog record is acknowledged; then each stateful task's commit point (its input positions and
    /// changelog ends) written and acknowledged; then the input offsets committed to the group; then, when closing,
    /// the checkpoints written. After a crash, a task resumes from its last commit point: its state as of that
    /// point, its input re-read from there (see <c>docs/streams.md</c>).
    /// </summary>
    private async Task CommitAsync(IReadOnlyCollection<StreamTask> candidates, bool closing, CancellationToken cancellationToken)
    {
        if (_options.ProcessingGuarantee == ProcessingGuarantee.ExactlyOnceV2)
        {
            await CommitExactlyOnceAsync(cancellationToken);
            return;
        }

        _lastCommit = Now;
        var tasks = candidates.Where(t => t.Initialized && (t.CommitNeeded || closing)).ToList();
        if (tasks.Count == 0) { return; }
        foreach (var task in tasks) { task.PrepareCommit(closing); }
        await _collector!.FlushAsync(cancellationToken);
        if (_commitPointTopic is not null)
        {
            var written = _collector.Offsets;
            var sent = false;
            foreach (var task in tasks)
            {
                if (task.CommitPoint(written) is not { } point) { continue; }
                _collector.Send(_commitPointTopic, 0, CommitPoint.Key(task.Id), point.Serialize(), Now, null);
                sent = true;
            }

            if (sent) { await _collector.FlushAsync(cancellationToken); }
        }

        var offsets = tasks.ToDictionary(t => t.Id, t => t.CommittableOffsets());
        var all = offsets.Values.SelectMany(o => o).ToList();
        if (all.Count > 0) { await _consumer!.CommitAsync(all, cancellationToken); }
        foreach (var task in tasks) { task.PostCommit(offsets[task.Id]); }
    }

    /// <summary>
    /// The exactly-once seam: the same steps inside one producer transaction per commit (begin, send output and
    /// changelogs, send the consumer offsets to the transaction, commit), with read_committed consumers. It
    /// needs transactional methods on <see cref="IProducer"/> that Rhei.Client does not have yet.
    /// </summary>
    private static Task CommitExactlyOnceAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("processing.guarantee=exactly_once_v2 needs transactional producer methods in Rhei.Client; use at_least_once.");

    private async Task ShutdownAsync()
    {
        try
        {
            if (_collector is not null && _consumer is not null && _tasks.Count > 0)
            {
                await CommitAsync([.. _tasks.Values], closing: true, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "{Thread}: the final commit failed", Name);
        }

        foreach (var task in _tasks.Values.ToList()) { CloseTask(task); }
        if (_consumer is not null)
        {
            try { await _consumer.CloseAsync(); }
            catch (Exception ex) { _logger.LogWarning(ex, "{Thread}: closing the consumer failed", Name); }
            await _consumer.DisposeAsync();
        }

        if (_producer is not null) { await _producer.DisposeAsync(); }
    }

    /// <summary>After a failure: close the tasks without committing or writing checkpoints, then the clients.</summary>
    private async Task CloseDirtyAsync()
    {
        _closingDirty = true;
        foreach (var task in _tasks.Values.ToList())
        {
            try { CloseTask(task); }
            catch (Exception ex) { _logger.LogWarning(ex, "{Thread}: closing task {TaskId} failed", Name, task.Id); }
        }

        try
        {
            if (_consumer is not null) { await _consumer.DisposeAsync(); }
            if (_producer is not null) { await _producer.DisposeAsync(); }
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "{Thread}: closing the clients after a failure failed", Name);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Thread} created task {TaskId} ({Records} changelog records restored)")]
    private static partial void LogTaskCreated(ILogger logger, string thread, TaskId taskId, long records);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{Thread}: seeking {Partition} is left to the committed offset (the consumer has not taken the assignment yet)")]
    private static partial void LogSeekDeferred(ILogger logger, string thread, TopicPartition partition);
}
