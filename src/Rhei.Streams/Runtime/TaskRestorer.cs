using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Streams.State;

namespace Rhei.Streams.Runtime;

/// <summary>
/// Brings a new task's stores to its last commit point. Each changelog partition is read from the store's
/// checkpoint (or its start) up to the end offset the commit point recorded for it. Records past that offset
/// (the "tail": written for input processed after the commit, before a crash) are not applied; instead, for each
/// key of the tail, a compensation record with the key's value at the commit point (a tombstone when it had none)
/// is appended to the changelog, so that any later restore that reads the whole changelog ends in the same state.
/// The task's input then restarts at the commit point's offsets and processes those records again.
/// </summary>
internal sealed partial class TaskRestorer(IClientFactory clients, StreamsOptions options, RecordCollector collector, string clientId, ILogger logger)
{
    /// <summary>The changelog partitions of a task's logged stores.</summary>
    public static IReadOnlyList<TopicPartition> ChangelogPartitions(Topology topology, StreamsOptions options, TaskId id)
    {
        if (!options.ChangelogEnabled) { return []; }
        var list = new List<TopicPartition>();
        foreach (var name in topology.SubTopologies[id.SubTopology].StoreNames)
        {
            if (topology.Stores.TryGetValue(name, out var spec) && spec.LoggingEnabled)
            {
                list.Add(new TopicPartition(StoreSpec.ChangelogTopic(options.ApplicationId, name), id.Partition));
            }
        }

        return list;
    }

    /// <summary>
    /// How far a changelog partition may be restored: the commit point's end offset for it; 0 when the task never
    /// committed (everything in the changelog then comes from uncommitted input); never past the end.
    /// </summary>
    public static long Target(CommitPoint? commitPoint, TopicPartition changelog, long end) =>
        commitPoint is not null && commitPoint.Changelogs.TryGetValue(changelog, out var committed) ? Math.Min(committed, end) : 0;

    /// <summary>Restores the task's pending changelogs up to their targets and queues the compensation records; returns the records applied.</summary>
    public async Task<long> RestoreAsync(StreamTask task, CommitPoint? commitPoint, IReadOnlyDictionary<TopicPartition, long> ends, CancellationToken cancellationToken)
    {
        var pending = task.State.PendingRestores();
        if (pending.Count == 0) { return 0; }

        var ranges = new Dictionary<TopicPartition, (long From, long Target, long End)>();
        foreach (var (changelog, from) in pending)
        {
            var end = ends.GetValueOrDefault(changelog);
            if (commitPoint is not null && commitPoint.Changelogs.TryGetValue(changelog, out var committed) && committed > end)
            {
                LogChangelogShorter(logger, task.Id, changelog, committed, end);
            }

            ranges[changelog] = (from, Target(commitPoint, changelog, end), end);
        }

        await using var consumer = clients.CreateConsumer(new ConsumerOptions
        {
            ClientId = clientId,
            ReadCommitted = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            Extra = options.ClientProperties,
        });

        // The tails: which keys were written after the commit point (with the timestamp of their last write).
        var tails = new Dictionary<TopicPartition, Dictionary<byte[], long>>();
        var tailRanges = ranges.Where(r => r.Value.Target < r.Value.End).ToDictionary(r => r.Key, r => (r.Value.Target, r.Value.End));
        if (tailRanges.Count > 0)
        {
            foreach (var tp in tailRanges.Keys) { tails[tp] = new Dictionary<byte[], long>(ByteArrayComparer.Instance); }
            await ReadAsync(consumer, tailRanges, (tp, r) => tails[tp][r.Key?.ToArray() ?? []] = r.Timestamp, cancellationToken);
        }

        // The restore proper, remembering the last value before the target of every tail key.
        var captured = tails.ToDictionary(t => t.Key, _ => new Dictionary<byte[], (byte[]? Value, long Timestamp)>(ByteArrayComparer.Instance));
        long restored = 0;
        var restoreRanges = ranges.Where(r => r.Value.From < r.Value.Target).ToDictionary(r => r.Key, r => (r.Value.From, r.Value.Target));
        if (restoreRanges.Count > 0)
        {
            // Progress of a long restore: a line when it starts, every few seconds while it runs, and when it ends.
            var total = restoreRanges.Sum(r => r.Value.Target - r.Value.From);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var nextReport = started + (long)(ProgressInterval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            var reported = total >= ReportFrom;
            if (reported) { LogRestoreStarting(logger, task.Id, total, restoreRanges.Count); }
            await ReadAsync(
                consumer,
                restoreRanges,
                (tp, r) =>
                {
                    var key = r.Key?.ToArray() ?? [];
                    var value = r.Value?.ToArray();
                    task.State.Restore(tp, r.Offset, key, value, r.Timestamp);
                    restored++;
                    if (tails.TryGetValue(tp, out var tail) && tail.ContainsKey(key)) { captured[tp][key] = (value, r.Timestamp); }
                    if ((restored & 0x3FFF) == 0 && System.Diagnostics.Stopwatch.GetTimestamp() >= nextReport)
                    {
                        LogRestoreProgress(logger, task.Id, restored, total);
                        nextReport = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(ProgressInterval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
                    }
                },
                cancellationToken);
            if (reported)
            {
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogRestoreDone(logger, task.Id, restored, elapsed);
            }
        }

        foreach (var (tp, range) in ranges) { task.State.CompleteRestore(tp, range.Target); }

        foreach (var (tp, tail) in tails)
        {
            var values = captured[tp];
            foreach (var (key, timestamp) in tail)
            {
                if (values.TryGetValue(key, out var v)) { collector.Send(tp.Topic, tp.Partition, key, v.Value, v.Timestamp, null); }
                else { collector.Send(tp.Topic, tp.Partition, key, null, timestamp, null); }
            }

            LogCompensated(logger, task.Id, tp, ranges[tp].Target, ranges[tp].End, tail.Count);
        }

        return restored;
    }

    /// <summary>Reads each partition from its start to (excluding) its end offset, handing every record to <paramref name="onRecord"/>.</summary>
    private async Task ReadAsync(IConsumer consumer, Dictionary<TopicPartition, (long From, long To)> ranges, Action<TopicPartition, ConsumedRecord> onRecord, CancellationToken cancellationToken)
    {
        consumer.Assign(ranges.Select(r => new TopicPartitionOffset(r.Key.Topic, r.Key.Partition, r.Value.From)));
        var todo = new Dictionary<TopicPartition, long>(ranges.Select(r => KeyValuePair.Create(r.Key, r.Value.To)));
        while (todo.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var r in await consumer.PollAsync(TimeSpan.FromMilliseconds(options.PollMs), cancellationToken))
            {
                var tp = r.TopicPartition;
                if (todo.TryGetValue(tp, out var to) && r.Offset < to) { onRecord(tp, r); }
            }

            foreach (var (tp, to) in todo.ToList())
            {
                if (consumer.Position(tp) >= to) { todo.Remove(tp); }
            }
        }
    }

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    /// <summary>Restores shorter than this many records are not reported (they take well under a second).</summary>
    private const long ReportFrom = 10_000;

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Task {TaskId}: restoring state from {Records} changelog records in {Partitions} partition(s)")]
    private static partial void LogRestoreStarting(ILogger logger, TaskId taskId, long records, int partitions);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Task {TaskId}: restoring state: {Restored} of {Records} changelog records")]
    private static partial void LogRestoreProgress(ILogger logger, TaskId taskId, long restored, long records);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Task {TaskId}: state restored from {Restored} changelog records in {Milliseconds:0} ms")]
    private static partial void LogRestoreDone(ILogger logger, TaskId taskId, long restored, double milliseconds);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Task {TaskId}: changelog {Changelog} ends at {End}, before its committed end {Committed}; restoring what is there")]
    private static partial void LogChangelogShorter(ILogger logger, TaskId taskId, TopicPartition changelog, long committed, long end);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Task {TaskId}: changelog {Changelog} restored to its commit point {Target}; the {Keys} keys written after it (up to {End}) were reset to their committed values")]
    private static partial void LogCompensated(ILogger logger, TaskId taskId, TopicPartition changelog, long target, long end, int keys);
}
