using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Runtime;

/// <summary>What a task needs from the thread (or test driver) that runs it.</summary>
internal sealed record TaskEnvironment(StreamsOptions Options, RecordCollector Collector, CacheBudget? Cache, ProcessingLogger ProcessingLog, ILogger Logger);

/// <summary>
/// One sub-topology over one partition of its inputs: its processors, stores, input buffers, stream time
/// and punctuations. Single-threaded: only its thread calls it (stores may be read from other threads).
/// </summary>
internal sealed class StreamTask
{
    private readonly TaskEnvironment _env;
    private readonly PartitionGroup _group;
    private readonly List<Processor> _processors;
    private readonly ITimeKeeping[] _timeKeepers;
    private readonly Action<RecordQueue, long> _onSkipped;
    private readonly Dictionary<TopicPartition, long> _committed = [];
    private bool _initialized;
    private bool _checkpointDue;

    public StreamTask(TaskId id, Topology topology, TaskEnvironment env)
    {
        Id = id;
        _env = env;
        var options = env.Options;
        var sub = topology.SubTopologies[id.SubTopology];
        Context = new ProcessorContext(this, options.ApplicationId, options.TimeProvider, env.Logger);
        State = new StateManager(id, options.ApplicationId, Path.Combine(options.StateDir, options.ApplicationId, id.ToString()), options, env.Collector, () => Context.Timestamp, env.Cache);
        foreach (var name in sub.StoreNames) { State.GetOrCreate(topology.Stores[name]); }

        var builder = new TaskBuilder(this, Context, topology.Stores);
        foreach (var source in sub.Sources) { source.BuildSource(builder); }
        _processors = builder.Processors;
        _timeKeepers = [.. _processors.OfType<ITimeKeeping>()];
        _group = new PartitionGroup(builder.Slots.Select(s => new RecordQueue(new TopicPartition(s.Topic, id.Partition), s.Slot)));
        _onSkipped = (q, offset) => q.ConsumedOffset = offset + 1;
        SubTopology = sub;
    }

    public TaskId Id { get; }

    internal SubTopology SubTopology { get; }

    public ProcessorContext Context { get; }

    public StateManager State { get; }

    public PunctuationQueue Punctuations { get; } = new();

    /// <summary>The largest timestamp processed (-1 before the first record).</summary>
    public long StreamTime { get; private set; } = -1;

    public long DroppedRecords { get; set; }

    public long ProcessedRecords { get; private set; }

    public bool CommitNeeded { get; private set; }

    /// <summary>True once restored and initialized (its stores may serve queries).</summary>
    public bool Initialized => _initialized;

    public IReadOnlyList<TopicPartition> InputPartitions => [.. _group.Queues.Select(q => q.Partition)];

    public int BufferedCount => _group.BufferedCount;

    internal RecordCollector Collector => _env.Collector;

    internal StreamsOptions Options => _env.Options;

    /// <summary>Calls Init on every processor; do this once the stores are restored.</summary>
    public void Initialize()
    {
        if (_initialized) { return; }
        _initialized = true;
        foreach (var p in _processors) { p.Init(Context); }
    }

    public void AddRecord(TopicPartition partition, in RawRecord record)
    {
        var q = _group.Find(partition) ?? throw new InvalidOperationException($"Task {Id} does not read {partition}.");
        q.Enqueue(record);
    }

    public int Buffered(TopicPartition partition) => _group.Find(partition)?.Count ?? 0;

    /// <summary>The buffer of one input partition (null when the task does not read it).</summary>
    public RecordQueue? Queue(TopicPartition partition) => _group.Find(partition);

    /// <summary>Processes the next record by timestamp; false when every buffer is empty.</summary>
    public bool Process()
    {
        var q = _group.Next(_onSkipped);
        if (q is null) { return false; }

        ref var raw = ref q.Head;
        var ts = q.Slot.Timestamp;
        var ctx = Context;
        ctx.Topic = q.Partition.Topic;
        ctx.Partition = q.Partition.Partition;
        ctx.Offset = raw.Offset;
        ctx.Timestamp = ts;
        ctx.Headers = raw.Headers;
        if (ts > q.PartitionTime) { q.PartitionTime = ts; }
        if (ts > StreamTime) { StreamTime = ts; }

        try
        {
            q.Slot.Process();
        }
        catch (StreamsException)
        {
            throw;
        }
        catch (Exception ex)
        {
            OnProcessingError(ex, raw.KeyCopy(), raw.ValueCopy());
        }

        q.ConsumedOffset = raw.Offset + 1;
        q.Dequeue();
        ProcessedRecords++;
        CommitNeeded = true;
        return true;
    }

    public bool MaybePunctuateStreamTime() => Punctuate(PunctuationType.StreamTime, StreamTime);

    public bool MaybePunctuateWallClock(long now) => Punctuate(PunctuationType.WallClockTime, now);

    private bool Punctuate(PunctuationType type, long now)
    {
        if (!_initialized || !Punctuations.HasAny(type)) { return false; }
        var ctx = Context;
        ctx.Topic = null;
        ctx.Partition = -1;
        ctx.Offset = -1;
        ctx.Timestamp = now;
        ctx.Headers = [];
        try
        {
            var fired = Punctuations.MaybePunctuate(type, now);
            if (fired) { CommitNeeded = true; }
            return fired;
        }
        catch (StreamsException)
        {
            throw;
        }
        catch (Exception ex)
        {
            OnProcessingError(ex, null, null);
            return true;
        }
    }

    private void OnProcessingError(Exception ex, byte[]? key, byte[]? value)
    {
        var error = new ProcessingError
        {
            Type = ProcessingErrorType.RecordProcessingError,
            Exception = ex,
            TaskId = Id,
            Topic = Context.Topic,
            Partition = Context.Partition,
            Offset = Context.Offset,
            Timestamp = Context.Timestamp,
            RawKey = key,
            RawValue = value,
        };
        Report(error, _env.Options.ProcessingErrorHandler);
    }

    /// <summary>Logs an error to the processing log and asks the handler; throws when it answers Fail.</summary>
    public void Report(ProcessingError error, ErrorHandler? handler)
    {
        _env.ProcessingLog.Log(error, _env.Collector);
        DroppedRecords++;
        StreamsMetrics.AddError(_env.Options.ApplicationId);
        if (handler is not null && handler(error) == ErrorHandlerResponse.Fail)
        {
            throw new StreamsException($"Task {Id} stopped: {error.Message}", error.Exception);
        }
    }

    /// <summary>
    /// The first step of a commit: flush record caches (forwarding their updates). When the task closes
    /// (<paramref name="enforceCheckpoint"/>), stores are flushed too and the checkpoint is written after the commit.
    /// </summary>
    public void PrepareCommit(bool enforceCheckpoint = false)
    {
        State.FlushCaches();
        if (enforceCheckpoint)
        {
            State.Flush();
            _checkpointDue = true;
        }
    }

    /// <summary>The offsets to commit (next offset per input partition that progressed since the last commit).</summary>
    public IReadOnlyList<TopicPartitionOffset> CommittableOffsets()
    {
        var list = new List<TopicPartitionOffset>();
        foreach (var q in _group.Queues)
        {
            if (q.ConsumedOffset >= 0 && (!_committed.TryGetValue(q.Partition, out var c) || c != q.ConsumedOffset))
            {
                list.Add(new TopicPartitionOffset(q.Partition.Topic, q.Partition.Partition, q.ConsumedOffset));
            }
        }

        return list;
    }

    /// <summary>
    /// The task's commit point once its output is acknowledged: input positions and changelog ends (null for a task
    /// without changelogs, whose input offsets alone say where it is).
    /// </summary>
    public CommitPoint? CommitPoint(IReadOnlyDictionary<TopicPartition, long> written)
    {
        if (!State.HasChangelogs) { return null; }
        var inputs = new Dictionary<TopicPartition, InputPosition>();
        foreach (var q in _group.Queues)
        {
            if (q.ConsumedOffset >= 0) { inputs[q.Partition] = new InputPosition(q.ConsumedOffset, q.PartitionTime); }
        }

        var times = new Dictionary<int, long[]>();
        for (var i = 0; i < _timeKeepers.Length; i++) { times[i] = _timeKeepers[i].SaveTimes(); }
        return new CommitPoint(StreamTime, inputs, State.ChangelogEnds(written), times);
    }

    /// <summary>
    /// Resumes from a commit point: input positions (the caller seeks the consumer there), partition times and stream
    /// time, so that grace periods and window expiry judge re-read records as they were judged the first time.
    /// Returns the input positions to seek to.
    /// </summary>
    public IReadOnlyList<TopicPartitionOffset> Resume(CommitPoint point)
    {
        var seeks = new List<TopicPartitionOffset>();
        foreach (var q in _group.Queues)
        {
            if (!point.Inputs.TryGetValue(q.Partition, out var p)) { continue; }
            q.PartitionTime = p.PartitionTime;
            q.ConsumedOffset = p.Offset;
            seeks.Add(new TopicPartitionOffset(q.Partition.Topic, q.Partition.Partition, p.Offset));
        }

        StreamTime = point.StreamTime;
        foreach (var (index, times) in point.ProcessorTimes)
        {
            if (index < _timeKeepers.Length) { _timeKeepers[index].RestoreTimes(times); }
        }

        return seeks;
    }

    /// <summary>Marks offsets as committed (they are not committed again until the task moves past them).</summary>
    public void MarkCommitted(IEnumerable<TopicPartitionOffset> committed)
    {
        foreach (var o in committed) { _committed[o.TopicPartition] = o.Offset; }
    }

    /// <summary>The last step of a commit, once output is flushed and offsets committed: write the checkpoint when closing.</summary>
    public void PostCommit(IReadOnlyList<TopicPartitionOffset> committed)
    {
        MarkCommitted(committed);
        if (_checkpointDue)
        {
            State.WriteCheckpoint(_env.Collector.Offsets);
            _checkpointDue = false;
        }

        CommitNeeded = false;
    }

    public void Close()
    {
        foreach (var p in _processors)
        {
            try { p.Close(); }
            catch (Exception ex) { _env.Logger.LogWarning(ex, "Closing a processor of task {TaskId} failed", Id); }
        }

        foreach (var q in _group.Queues) { q.Clear(); }
        State.Close();
    }
}
