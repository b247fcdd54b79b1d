using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Streams.Runtime;
using Rhei.Streams.State;

namespace Rhei.Streams.Processors;

/// <summary>
/// The task a processor runs in, and the metadata of the record being processed. One object per task,
/// reused for every record (read the values during <c>Process</c>; do not keep them).
/// </summary>
public sealed class ProcessorContext
{
    private readonly StreamTask _task;

    internal ProcessorContext(StreamTask task, string applicationId, TimeProvider time, ILogger logger)
    {
        _task = task;
        ApplicationId = applicationId;
        Time = time;
        Logger = logger;
    }

    public string ApplicationId { get; }

    public TaskId TaskId => _task.Id;

    /// <summary>The topic of the record being processed (null inside a punctuation).</summary>
    public string? Topic { get; internal set; }

    public int Partition { get; internal set; } = -1;

    public long Offset { get; internal set; } = -1;

    /// <summary>The timestamp of the record being processed (its extracted event time).</summary>
    public long Timestamp { get; internal set; }

    public IReadOnlyList<RecordHeader> Headers { get; internal set; } = [];

    /// <summary>The task's stream time: the largest timestamp it has processed (-1 before the first record).</summary>
    public long StreamTime => _task.StreamTime;

    /// <summary>The wall clock in ms since the epoch, from <see cref="StreamsOptions.TimeProvider"/>.</summary>
    public long WallClockTime => Time.GetUtcNow().ToUnixTimeMilliseconds();

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    internal StreamTask Task => _task;

    /// <summary>The task's instance of a store, by name.</summary>
    public TStore GetStateStore<TStore>(string name)
        where TStore : class, IStateStore =>
        _task.State.Get(name) as TStore
        ?? throw new InvalidOperationException($"State store {name} is not a {typeof(TStore).Name} (it is {_task.State.Get(name).GetType().Name}).");

    /// <summary>Calls <paramref name="punctuator"/> with the current time every <paramref name="interval"/>; dispose the result to cancel.</summary>
    public IDisposable Schedule(TimeSpan interval, PunctuationType type, Action<long> punctuator) =>
        _task.Punctuations.Schedule((long)interval.TotalMilliseconds, type, punctuator, type == PunctuationType.StreamTime ? 0 : WallClockTime + (long)interval.TotalMilliseconds);

    /// <summary>Counts a record an operator dropped (late, expired window, null key), as Kafka Streams' dropped-records metric.</summary>
    public void RecordDropped(string reason)
    {
        _task.DroppedRecords++;
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            Logger.LogDebug("Task {TaskId} dropped a record from {Topic}-{Partition} at offset {Offset}: {Reason}", TaskId, Topic, Partition, Offset, reason);
        }
    }
}
