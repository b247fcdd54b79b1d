using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Streams.Graph;
using Rhei.Streams.State;

namespace Rhei.Streams.Runtime;

/// <summary>
/// One stream thread: a group member consuming the input topics of every sub-topology, owning the tasks of
/// the partitions assigned to it. Its loop polls, dispatches records to task buffers (pausing partitions
/// whose buffer is full), processes by timestamp, punctuates, and commits every commit.interval.ms:
/// flush caches → flush stores → flush producer → commit offsets → write checkpoints (at-least-once).
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
    private readonly Lock _assignmentSync = new();
    private readonly Lock _tasksSync = new();
    private List<TopicPartition>? _pendingAssignment;
    private IConsumer? _consumer;
    private IProducer? _producer;
    private RecordCollector? _collector;
    private TaskEnvironment? _env;
    private long _lastCommit;

    public StreamThread(int index, Topology topology, StreamsOptions options, IClientFactory clients, IAdmin admin, IReadOnlyDictionary<string, int> partitionCounts, ILogger logger)
    {
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
        _producer = _clients.CreateProducer(new ProducerOptions
        {
            ClientId = Name + "-producer",
            Acks = -1,
            EnableIdempotence = true,
            TransactionalId = _options.ProcessingGuarantee == ProcessingGuarantee.ExactlyOnceV2 ? $"{appId}-{Name}" : null,
            Extra = _options.ClientProperties,
        });
        _collector = new ProducerRecordCollector(_producer, t => _partitionCounts.GetValueOrDefault(t, -1));
        var cache = _options.CacheMaxBytesBuffering > 0 ? new CacheBudget(_options.CacheMaxBytesBuffering / Math.Max(1, _options.NumStreamThreads)) : null;
        _env = new TaskEnvironment(_options, _collector, cache, new ProcessingLogger(_options, _logger), _logger);
        var extra = new Dictionary<string, string>(_options.ClientProperties) { ["partition.assignment.strategy"] = "range" };
        _consumer = _clients.CreateConsumer(new ConsumerOptions
        {
            ClientId = Name + "-consumer",
            GroupId = appId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            OnPartitionsAssigned = OnAssigned,
            OnPartitionsRevoked = OnRevoked,
            Extra = extra,
        });
        _consumer.Subscribe(_topicToSubTopology.Keys);
        _lastCommit = Now;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var records = await _consumer.PollAsync(TimeSpan.FromMilliseconds(_options.PollMs), cancellationToken);
                await HandleAssignmentAsync(cancellationToken);
                Dispatch(records);
                ProcessBuffered();
                var now = Now;
                foreach (var task in _tasks.Values) { task.MaybePunctuateWallClock(now); }
                if (now - _lastCommit >= _options.CommitIntervalMs) { await CommitAsync(cancellationToken); }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await ShutdownAsync();
    }

    private long Now => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private void OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        lock (_assignmentSync) { (_pendingAssignment ??= []).AddRange(partitions); }
        Rebalancing = true;
        RebalanceStateChanged?.Invoke();
    }

    /// <summary>
    /// Revocation (inside the consumer's poll): the tasks of revoked partitions are flushed, their offsets
    /// committed when the producer flush and the commit complete without waiting (the callback cannot wait on
    /// the broker), their checkpoints written, and they are closed. Offsets that could not be committed here are
    /// processed again by the next owner: at-least-once.
    /// </summary>
    private void OnRevoked(IReadOnlyList<TopicPartition> partitions)
    {
        Rebalancing = true;
        RebalanceStateChanged?.Invoke();
        var revokedTasks = partitions.Select(p => _byPartition.GetValueOrDefault(p)).OfType<StreamTask>().Distinct().ToList();
        if (revokedTasks.Count == 0) { return; }
        try
        {
            foreach (var task in revokedTasks) { task.PrepareCommit(enforceCheckpoint: true); }
            var flush = _collector!.FlushAsync(CancellationToken.None);
            if (flush.IsCompletedSuccessfully)
            {
                var offsets = revokedTasks.SelectMany(t => t.CommittableOffsets()).ToList();
                var commit = offsets.Count == 0 ? ValueTask.CompletedTask : _consumer!.CommitAsync(offsets);
                if (!commit.IsCompletedSuccessfully)
                {
                    _ = commit.AsTask().ContinueWith(t => _logger.LogWarning(t.Exception, "{Thread}: committing revoked partitions failed", Name), TaskContinuationOptions.OnlyOnFaulted);
                }
            }
            else
            {
                _ = flush.AsTask().ContinueWith(t => _logger.LogWarning(t.Exception, "{Thread}: flushing on revocation failed", Name), TaskContinuationOptions.OnlyOnFaulted);
            }

            foreach (var task in revokedTasks) { task.State.WriteCheckpoint(_collector.Offsets); }
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "{Thread}: flushing tasks on revocation failed", Name);
        }

        foreach (var task in revokedTasks) { CloseTask(task); }
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

    private async Task HandleAssignmentAsync(CancellationToken cancellationToken)
    {
        List<TopicPartition>? assigned;
        lock (_assignmentSync)
        {
            assigned = _pendingAssignment;
            _pendingAssignment = null;
        }

        if (assigned is null) { return; }

        var created = new List<StreamTask>();
        foreach (var tp in assigned)
        {
            if (!_topicToSubTopology.TryGetValue(tp.Topic, out var sub)) { continue; }
            var id = new TaskId(sub, tp.Partition);
            if (!_tasks.TryGetValue(id, out var task))
            {
                task = new StreamTask(id, _topology, _env!);
                lock (_tasksSync) { _tasks[id] = task; }
                created.Add(task);
            }

            _byPartition[tp] = task;
        }

        foreach (var task in created)
        {
            await RestoreAsync(task, cancellationToken);
            task.Initialize();
            LogTaskCreated(_logger, Name, task.Id);
        }

        Rebalancing = false;
        RebalanceStateChanged?.Invoke();
    }

    /// <summary>Reads each changelog partition of the task from its start offset to its end through a restore consumer.</summary>
    private async Task RestoreAsync(StreamTask task, CancellationToken cancellationToken)
    {
        var pending = task.State.PendingRestores();
        if (pending.Count == 0) { return; }
        var ends = await _admin.ListOffsetsAsync(pending.Select(p => (p.Changelog, OffsetSpec.Latest)), cancellationToken);
        var endByPartition = ends.ToDictionary(e => e.TopicPartition, e => e.Offset);
        await using var restore = _clients.CreateConsumer(new ConsumerOptions { ClientId = Name + "-restore-consumer", ReadCommitted = true, Extra = _options.ClientProperties });
        var todo = new Dictionary<TopicPartition, long>();
        foreach (var (changelog, from) in pending)
        {
            var end = endByPartition.GetValueOrDefault(changelog);
            if (from >= end) { task.State.CompleteRestore(changelog, end); }
            else { todo[changelog] = end; }
        }

        if (todo.Count == 0) { return; }
        restore.Assign(pending.Where(p => todo.ContainsKey(p.Changelog)).Select(p => new TopicPartitionOffset(p.Changelog.Topic, p.Changelog.Partition, p.From)));
        long restored = 0;
        while (todo.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var r in await restore.PollAsync(TimeSpan.FromMilliseconds(_options.PollMs), cancellationToken))
            {
                var tp = r.TopicPartition;
                if (!todo.ContainsKey(tp)) { continue; }
                task.State.Restore(tp, r.Offset, r.Key?.ToArray() ?? [], r.Value?.ToArray(), r.Timestamp);
                restored++;
            }

            foreach (var (tp, end) in todo.ToList())
            {
                if (restore.Position(tp) >= end)
                {
                    task.State.CompleteRestore(tp, end);
                    todo.Remove(tp);
                }
            }
        }

        LogRestored(_logger, Name, task.Id, restored);
    }

    private void Dispatch(IReadOnlyList<ConsumedRecord> records)
    {
        List<TopicPartition>? toPause = null;
        foreach (var r in records)
        {
            var tp = r.TopicPartition;
            if (!_byPartition.TryGetValue(tp, out var task)) { continue; }
            task.AddRecord(tp, RawRecord.Copy(r));
            if (task.Buffered(tp) >= _options.BufferedRecordsPerPartition && _paused.Add(tp)) { (toPause ??= []).Add(tp); }
        }

        if (toPause is not null) { _consumer!.Pause(toPause); }
    }

    private void ProcessBuffered()
    {
        foreach (var task in _tasks.Values)
        {
            for (var i = 0; i < 10_000 && task.Process(); i++)
            {
                task.MaybePunctuateStreamTime();
            }
        }

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
    /// At-least-once commit: caches and stores are flushed, then the producer (so every output and changelog
    /// record is acknowledged), then the input offsets are committed, then checkpoints are written. After a
    /// crash, input is re-read from the last committed offsets: records since then are processed again and
    /// their output may appear twice; state restored from changelogs may already contain their effects.
    /// </summary>
    private async Task CommitAsync(CancellationToken cancellationToken, bool enforceCheckpoint = false)
    {
        if (_options.ProcessingGuarantee == ProcessingGuarantee.ExactlyOnceV2)
        {
            await CommitExactlyOnceAsync(cancellationToken);
            return;
        }

        var tasks = _tasks.Values.Where(t => t.CommitNeeded || enforceCheckpoint).ToList();
        _lastCommit = Now;
        if (tasks.Count == 0) { return; }
        foreach (var task in tasks) { task.PrepareCommit(enforceCheckpoint); }
        await _collector!.FlushAsync(cancellationToken);
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
                await CommitAsync(CancellationToken.None, enforceCheckpoint: true);
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Thread} created task {TaskId}")]
    private static partial void LogTaskCreated(ILogger logger, string thread, TaskId taskId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Thread} restored task {TaskId} from its changelogs ({Records} records)")]
    private static partial void LogRestored(ILogger logger, string thread, TaskId taskId, long records);
}
