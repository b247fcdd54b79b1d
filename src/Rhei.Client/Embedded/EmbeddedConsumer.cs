using Microsoft.Extensions.Logging;
using Rhei.Protocol.Records;
using Rhei.Storage;
using Rhei.Storage.Groups;
using Rhei.Storage.Partitions;

namespace Rhei.Client.Embedded;

/// <summary>
/// The in-process consumer. A poll reads whole stored batches from the partition logs (one copy, from the
/// page cache into a pooled buffer) and returns records whose keys and values are slices of that buffer — no
/// further copy. The buffers (and decompression buffers) of a poll stay alive until the next poll or close,
/// then go back to the pool. With nothing to return, a poll waits for an append to any fetchable partition
/// (or a group change) up to its timeout. Groups are coordinated in memory by
/// <see cref="EmbeddedGroupCoordinator"/>; rebalance callbacks run inside this consumer's own poll.
/// Not thread-safe (one loop per consumer).
/// </summary>
public sealed class EmbeddedConsumer : IConsumer
{
    private const int HeartbeatMs = 500;

    private readonly LogManager _log;
    private readonly EmbeddedGroupCoordinator _coordinator;
    private readonly ConsumerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<TopicPartition, PartitionFetch> _fetches = [];
    private readonly List<PartitionFetch> _order = [];
    private readonly List<LogReadResult> _retiredReads = [];
    private readonly List<RecordBatchReader> _retiredReaders = [];
    private readonly Stack<RecordBatchReader> _freeReaders = new();
    private int _nextIndex;
    private List<ConsumedRecord>? _collected;
    private int _budget;
    private EmbeddedGroup? _group;
    private GroupMember? _member;
    private GroupMember? _pollingMember;
    private IReadOnlyCollection<string>? _subscription;
    private int _generation = -1;
    private long _lastAutoCommitMs;
    private bool _closed;

    public EmbeddedConsumer(LogManager log, EmbeddedGroupCoordinator coordinator, ConsumerOptions options, EmbeddedClientOptions client)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxPollRecords);
        _log = log;
        _coordinator = coordinator;
        _options = options;
        _time = client.TimeProvider;
        _logger = client.LoggerFactory.CreateLogger<EmbeddedConsumer>();
        _lastAutoCommitMs = NowMs;
    }

    /// <summary>This consumer's member id in its group (null when not subscribed).</summary>
    public string? MemberId => _member?.Id;

    public IReadOnlyList<TopicPartition> Assignment => [.. _order.Select(f => f.TopicPartition)];

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private string GroupId => _options.GroupId ?? throw new InvalidOperationException("This consumer has no group.id: set ConsumerOptions.GroupId to subscribe or commit.");

    public void Subscribe(IEnumerable<string> topics)
    {
        ThrowIfClosed();
        var list = topics.Distinct(StringComparer.Ordinal).ToList();
        var groupId = GroupId;
        if (_subscription is null && _order.Count > 0)
        {
            throw new InvalidOperationException("This consumer has partitions assigned by hand: call Assign([]) before Subscribe.");
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("Subscribe needs at least one topic (use Unsubscribe to leave).", nameof(topics));
        }

        _subscription = list;
        if (_member is { Active: true } member)
        {
            _group!.UpdateSubscription(member, list);
            return;
        }

        _group = _coordinator.Get(groupId);
        _member = _group.Join(_options.ClientId, list, _options.SessionTimeoutMs);
        _logger.JoinedGroup(_member.Id, groupId, string.Join(',', list));
    }

    public void Unsubscribe()
    {
        if (_options.OnPartitionsRevokedAsync is not null)
        {
            throw new InvalidOperationException("OnPartitionsRevokedAsync is set: call UnsubscribeAsync so that it can be awaited.");
        }

        if (_member is null)
        {
            return;
        }

        var assigned = Assignment;
        try
        {
            if (assigned.Count > 0)
            {
                _options.OnPartitionsRevoked?.Invoke(assigned);
            }
        }
        finally
        {
            LeaveGroup();
        }
    }

    public async ValueTask UnsubscribeAsync(CancellationToken cancellationToken = default)
    {
        if (_member is null)
        {
            return;
        }

        try
        {
            await AutoCommitAsync(force: true, cancellationToken);
            await RevokeCallbacksAsync(Assignment);
        }
        finally
        {
            LeaveGroup();
        }
    }

    private void LeaveGroup()
    {
        if (_member is { } member)
        {
            _group!.Leave(member);
            _logger.LeftGroup(member.Id, _group.Id);
        }

        _member = null;
        _group = null;
        _subscription = null;
        _generation = -1;
        ClearAssignment();
    }

    public void Assign(IEnumerable<TopicPartitionOffset> partitions)
    {
        ThrowIfClosed();
        if (_subscription is not null)
        {
            throw new InvalidOperationException("This consumer is subscribed to a group: call Unsubscribe before Assign.");
        }

        ClearAssignment();
        foreach (var p in partitions)
        {
            AddFetch(p.TopicPartition, p.Offset);
        }
    }

    private void AddFetch(TopicPartition tp, long offset)
    {
        if (_fetches.ContainsKey(tp))
        {
            throw new ArgumentException($"Partition {tp} is listed twice.");
        }

        var fetch = new PartitionFetch(tp, offset) { Log = _log.GetPartition(tp.Topic, tp.Partition) };
        _fetches.Add(tp, fetch);
        _order.Add(fetch);
        TryResolveQuietly(fetch);
    }

    /// <summary>Resolves now when possible; an auto.offset.reset=error failure surfaces at the next poll or Position, as in Kafka.</summary>
    private void TryResolveQuietly(PartitionFetch fetch)
    {
        try
        {
            TryResolve(fetch);
        }
        catch (ConsumerException)
        {
        }
    }

    private void ClearAssignment()
    {
        foreach (var f in _order)
        {
            RetireBuffers(f);
        }

        _fetches.Clear();
        _order.Clear();
        _nextIndex = 0;
    }

    public void Seek(TopicPartitionOffset position)
    {
        var fetch = FetchOf(position.TopicPartition);
        RetireBuffers(fetch);
        fetch.Position = position.Offset;
        TryResolveQuietly(fetch);
    }

    public long Position(TopicPartition partition)
    {
        var fetch = FetchOf(partition);
        TryResolve(fetch);
        return fetch.IsResolved ? fetch.Position : -1001;
    }

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        foreach (var p in partitions)
        {
            FetchOf(p).Paused = true;
        }
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        foreach (var p in partitions)
        {
            FetchOf(p).Paused = false;
        }
    }

    private PartitionFetch FetchOf(TopicPartition partition) =>
        _fetches.TryGetValue(partition, out var fetch) ? fetch : throw new InvalidOperationException($"Partition {partition} is not assigned to this consumer.");

    public async ValueTask CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var groupId = GroupId;
        if (_member is { } member && _group!.CommitError(member, _generation) is { } error)
        {
            throw new ConsumerException(error, error == "UNKNOWN_MEMBER_ID"
                ? $"Commit failed: this consumer is no longer a member of group {groupId} (its session expired); it rejoins at the next poll."
                : $"Commit failed: group {groupId} has rebalanced since this consumer's generation {_generation}; poll to take the new assignment, then commit.");
        }

        var commits = offsets.Select(o => new OffsetCommit(o.Topic, o.Partition, o.Offset)).ToList();
        try
        {
            await _log.GroupOffsets.CommitOffsetsAsync(groupId, commits, cancellationToken);
        }
        catch (StorageException e)
        {
            throw new ConsumerException(e.ErrorName, e.Message, e);
        }
    }

    public ValueTask<IReadOnlyList<TopicPartitionOffset>> CommittedAsync(IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken = default)
    {
        var groupId = GroupId;
        IReadOnlyList<TopicPartitionOffset> result =
            [.. partitions.Select(p => new TopicPartitionOffset(p.Topic, p.Partition, _log.GroupOffsets.FetchOffset(groupId, p.Topic, p.Partition)?.Offset ?? -1001))];
        return ValueTask.FromResult(result);
    }

    public async ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_closed)
        {
            return;
        }

        try
        {
            if (_member is not null)
            {
                await UnsubscribeAsync(cancellationToken);
            }
            else
            {
                await AutoCommitAsync(force: true, cancellationToken);
                ClearAssignment();
            }
        }
        finally
        {
            _closed = true;
            ReleaseRetired();
            while (_freeReaders.TryPop(out var reader))
            {
                reader.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (Exception e) when (e is ConsumerException or StorageException)
        {
            _logger.CloseFailed(e, e.Message);
        }
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

    public async ValueTask<IReadOnlyList<ConsumedRecord>> PollAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ReleaseRetired();
        var start = _time.GetTimestamp();
        if (_member is { } member)
        {
            _group!.EnterPoll(member);
            _pollingMember = member;
        }

        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_member is not null && !await ProgressGroupAsync(start, timeout, cancellationToken))
                {
                    return [];
                }

                await AutoCommitAsync(force: false, cancellationToken);
                var records = await CollectAsync();
                if (records.Count > 0)
                {
                    return records;
                }

                var remaining = timeout - _time.GetElapsedTime(start);
                if (remaining <= TimeSpan.Zero)
                {
                    return [];
                }

                await WaitForDataAsync(remaining, cancellationToken);
            }
        }
        finally
        {
            if (_pollingMember is { } polling)
            {
                _group?.ExitPoll(polling);
                _pollingMember = null;
            }
        }
    }

    /// <summary>Takes the member through a pending rebalance; false when the poll timed out waiting for it.</summary>
    private async ValueTask<bool> ProgressGroupAsync(long start, TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var group = _group!;
            var member = _member!;
            switch (group.Check(member))
            {
                case MemberStatus.Stable:
                    return true;

                case MemberStatus.MustRevoke:
                    try
                    {
                        await AutoCommitAsync(force: true, cancellationToken);
                        await RevokeCallbacksAsync(Assignment);
                    }
                    finally
                    {
                        ClearAssignment();
                        group.Rejoin(member);
                    }

                    break;

                case MemberStatus.Waiting:
                    var remaining = timeout - _time.GetElapsedTime(start);
                    if (remaining <= TimeSpan.Zero)
                    {
                        return false;
                    }

                    var wait = TimeSpan.FromMilliseconds(Math.Min(remaining.TotalMilliseconds, HeartbeatMs));
                    await Task.WhenAny(group.Changed, Task.Delay(wait, _time, cancellationToken));
                    cancellationToken.ThrowIfCancellationRequested();
                    break;

                case MemberStatus.NewAssignment:
                    var assignment = group.TakeAssignment(member, out _generation);
                    ClearAssignment();
                    foreach (var tp in assignment)
                    {
                        AddFetch(tp, Offsets.Stored);
                    }

                    _logger.Assigned(member.Id, group.Id, _generation, assignment);
                    _options.OnPartitionsAssigned?.Invoke(assignment);
                    if (_options.OnPartitionsAssignedAsync is { } assignedAsync)
                    {
                        await assignedAsync(assignment);
                    }

                    break;

                case MemberStatus.Removed:
                    _logger.MemberExpired(member.Id, group.Id, _options.SessionTimeoutMs);
                    try
                    {
                        await RevokeCallbacksAsync(Assignment);
                    }
                    finally
                    {
                        ClearAssignment();
                        _member = group.Join(_options.ClientId, _subscription!, _options.SessionTimeoutMs);
                        _generation = -1;
                        group.EnterPoll(_member);
                        _pollingMember = _member;
                    }

                    break;
            }
        }
    }

    private async ValueTask RevokeCallbacksAsync(IReadOnlyList<TopicPartition> partitions)
    {
        if (partitions.Count == 0)
        {
            return;
        }

        _options.OnPartitionsRevoked?.Invoke(partitions);
        if (_options.OnPartitionsRevokedAsync is { } revokedAsync)
        {
            await revokedAsync(partitions);
        }
    }

    private async ValueTask AutoCommitAsync(bool force, CancellationToken cancellationToken)
    {
        if (!_options.EnableAutoCommit || _options.GroupId is null || _order.Count == 0)
        {
            return;
        }

        var now = NowMs;
        if (!force && now - _lastAutoCommitMs < _options.AutoCommitIntervalMs)
        {
            return;
        }

        _lastAutoCommitMs = now;
        var positions = _order.Where(f => f.IsResolved).Select(f => new TopicPartitionOffset(f.Topic, f.Partition, f.Position)).ToList();
        if (positions.Count == 0)
        {
            return;
        }

        try
        {
            await CommitAsync(positions, cancellationToken);
        }
        catch (ConsumerException e)
        {
            _logger.AutoCommitFailed(_options.GroupId, e.Message);
        }
    }

    /// <summary>Resolves a special position when the partition exists; auto.offset.reset=error without a committed offset throws.</summary>
    private void TryResolve(PartitionFetch fetch)
    {
        if (fetch.IsResolved)
        {
            return;
        }

        fetch.Log ??= _log.GetPartition(fetch.Topic, fetch.Partition);
        if (fetch.Log is not { } log)
        {
            return;
        }

        switch (fetch.Position)
        {
            case Offsets.Beginning:
                fetch.Position = log.LogStartOffset;
                break;
            case Offsets.End:
                fetch.Position = log.HighWatermark;
                break;
            case Offsets.Stored:
                var committed = _options.GroupId is { } g ? _log.GroupOffsets.FetchOffset(g, fetch.Topic, fetch.Partition) : null;
                fetch.Position = committed is { Offset: >= 0 } c ? c.Offset : Reset(fetch, log.LogStartOffset, log.HighWatermark, "it has no committed offset");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fetch), $"Offset {fetch.Position} of {fetch.TopicPartition} is not a valid position.");
        }
    }

    private long Reset(PartitionFetch fetch, long logStart, long highWatermark, string why) => _options.AutoOffsetReset switch
    {
        AutoOffsetReset.Earliest => logStart,
        AutoOffsetReset.Latest => highWatermark,
        _ => throw new ConsumerException("OFFSET_OUT_OF_RANGE", $"Cannot read {fetch.TopicPartition}: {why} and auto.offset.reset is error (valid offsets {logStart} to {highWatermark}). Seek to a valid offset."),
    };

    private ValueTask<List<ConsumedRecord>> CollectAsync()
    {
        _collected = null;
        _budget = _options.MaxPollRecords;
        var n = _order.Count;
        for (var k = 0; k < n && _budget > 0; k++)
        {
            var index = (_nextIndex + k) % n;
            var fetch = _order[index];
            if (fetch.Paused)
            {
                continue;
            }

            var fill = FillAsync(fetch);
            if (!fill.IsCompletedSuccessfully)
            {
                return CollectSlowAsync(fill, k, n);
            }

            if (_budget == 0)
            {
                _nextIndex = (index + 1) % n;
            }
        }

        return ValueTask.FromResult(_collected ?? []);
    }

    private async ValueTask<List<ConsumedRecord>> CollectSlowAsync(ValueTask pending, int k, int n)
    {
        await pending;
        for (k++; k < n && _budget > 0; k++)
        {
            var index = (_nextIndex + k) % n;
            var fetch = _order[index];
            if (!fetch.Paused)
            {
                await FillAsync(fetch);
                if (_budget == 0)
                {
                    _nextIndex = (index + 1) % n;
                }
            }
        }

        return _collected ?? [];
    }

    /// <summary>Takes records of one partition into <see cref="_collected"/> until the budget is spent or nothing is left.</summary>
    private ValueTask FillAsync(PartitionFetch fetch)
    {
        fetch.Log ??= _log.GetPartition(fetch.Topic, fetch.Partition);
        if (fetch.Log is null)
        {
            return ValueTask.CompletedTask;
        }

        TryResolve(fetch);
        if (!fetch.IsResolved)
        {
            return ValueTask.CompletedTask;
        }

        while (_budget > 0)
        {
            if (fetch.Reader is { } reader)
            {
                if (TakeRecords(fetch, reader))
                {
                    return ValueTask.CompletedTask;
                }

                if (fetch.BatchNextOffset > fetch.Position)
                {
                    fetch.Position = fetch.BatchNextOffset;
                }

                _retiredReaders.Add(reader);
                fetch.Reader = null;
            }

            if (fetch.Read is { } read)
            {
                if (NextBatch(fetch, read))
                {
                    continue;
                }

                if (fetch.Read is not null)
                {
                    // Stopped at the last stable offset.
                    return ValueTask.CompletedTask;
                }
            }

            var log = fetch.Log;
            if (fetch.Position >= log.HighWatermark)
            {
                if (fetch.Position > log.HighWatermark)
                {
                    fetch.Position = Reset(fetch, log.LogStartOffset, log.HighWatermark, $"offset {fetch.Position} is past the end of the log");
                }

                return ValueTask.CompletedTask;
            }

            var pending = log.ReadAsync(fetch.Position, _options.MaxPartitionFetchBytes);
            if (!pending.IsCompletedSuccessfully)
            {
                return FillSlowAsync(fetch, pending);
            }

            if (!Accept(fetch, pending.Result))
            {
                return ValueTask.CompletedTask;
            }
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask FillSlowAsync(PartitionFetch fetch, ValueTask<LogReadResult> pending)
    {
        if (Accept(fetch, await pending))
        {
            await FillAsync(fetch);
        }
    }

    /// <summary>Takes a read result as the partition's buffer; false when it holds nothing to read.</summary>
    private bool Accept(PartitionFetch fetch, LogReadResult read)
    {
        if (read.Error == StorageError.OffsetOutOfRange)
        {
            read.Dispose();
            fetch.Position = Reset(fetch, read.LogStartOffset, read.HighWatermark, $"offset {fetch.Position} is out of range");
            return true;
        }

        if (read.Error != StorageError.None)
        {
            // The partition was closed (topic deleted): look it up again next time.
            read.Dispose();
            fetch.Log = null;
            return false;
        }

        if (read.Records.IsEmpty)
        {
            read.Dispose();
            return false;
        }

        fetch.Read = read;
        fetch.ReadPosition = 0;
        return true;
    }

    /// <summary>Positions a reader at the next batch of the read buffer; false when the buffer is done.</summary>
    private bool NextBatch(PartitionFetch fetch, LogReadResult read)
    {
        var records = read.Records;
        while (fetch.ReadPosition < records.Length)
        {
            var rest = records[fetch.ReadPosition..];
            if (RecordBatchHeader.ValidateStructure(rest.Span, out var size) != RecordBatchError.None)
            {
                break;
            }

            var header = new RecordBatchHeader(rest.Span);
            var nextOffset = header.BaseOffset + header.LastOffsetDelta + 1;
            if (nextOffset <= fetch.Position)
            {
                fetch.ReadPosition += size;
                continue;
            }

            if (_options.ReadCommitted && header.BaseOffset >= read.LastStableOffset)
            {
                // Not stable yet (an open transaction): keep the buffer and try again at the next poll.
                return false;
            }

            fetch.ReadPosition += size;
            if (header.IsControl)
            {
                fetch.Position = Math.Max(fetch.Position, nextOffset);
                continue;
            }

            var reader = _freeReaders.TryPop(out var free) ? free : new RecordBatchReader();
            reader.Reset(rest[..size]);
            fetch.Reader = reader;
            fetch.BatchNextOffset = nextOffset;
            return true;
        }

        _retiredReads.Add(read);
        fetch.Read = null;
        return false;
    }

    /// <summary>Takes records from the current batch; true when the budget ran out (the batch may have more).</summary>
    private bool TakeRecords(PartitionFetch fetch, RecordBatchReader reader)
    {
        var list = _collected ??= new List<ConsumedRecord>(Math.Min(_budget, 1024));
        var timestampType = reader.TimestampType == Rhei.Protocol.Records.TimestampType.LogAppendTime ? TimestampType.LogAppendTime : TimestampType.CreateTime;
        var epoch = reader.PartitionLeaderEpoch;
        while (reader.TryReadNext(out var record))
        {
            if (record.Offset < fetch.Position)
            {
                continue;
            }

            list.Add(new ConsumedRecord
            {
                Topic = fetch.Topic,
                Partition = fetch.Partition,
                Offset = record.Offset,
                Timestamp = record.Timestamp,
                TimestampType = timestampType,
                Key = record.Key,
                Value = record.Value,
                Headers = record.Headers.Count == 0 ? [] : CopyHeaders(record.Headers),
                LeaderEpoch = epoch,
            });
            fetch.Position = record.Offset + 1;
            if (--_budget == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static RecordHeader[] CopyHeaders(RecordHeaders headers)
    {
        var copy = new RecordHeader[headers.Count];
        var i = 0;
        foreach (var h in headers)
        {
            copy[i++] = new RecordHeader(h.KeyString, h.Value is { } v ? v.ToArray() : (ReadOnlyMemory<byte>?)null);
        }

        return copy;
    }

    private async ValueTask WaitForDataAsync(TimeSpan remaining, CancellationToken cancellationToken)
    {
        var wait = remaining;
        if (_member is not null || _order.Any(f => f.Log is null || !f.IsResolved))
        {
            // Heartbeat: look at the group (and at partitions that do not exist yet) now and then.
            wait = TimeSpan.FromMilliseconds(Math.Min(remaining.TotalMilliseconds, HeartbeatMs));
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new List<Task>(_order.Count + 2);
        foreach (var f in _order)
        {
            if (!f.Paused && f.Log is { } log && f.IsResolved)
            {
                tasks.Add(log.WaitForAppendAsync(f.Position, wait, cts.Token));
            }
        }

        if (_group is { } group)
        {
            tasks.Add(group.Changed);
        }

        tasks.Add(Task.Delay(wait, _time, cts.Token));
        try
        {
            await Task.WhenAny(tasks);
        }
        finally
        {
            await cts.CancelAsync();
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Drops a partition's read state; its buffers live until the next poll (records may point into them).</summary>
    private void RetireBuffers(PartitionFetch fetch)
    {
        if (fetch.Reader is { } reader)
        {
            _retiredReaders.Add(reader);
            fetch.Reader = null;
        }

        if (fetch.Read is { } read)
        {
            _retiredReads.Add(read);
            fetch.Read = null;
        }
    }

    /// <summary>Returns the buffers of the previous poll to the pool.</summary>
    private void ReleaseRetired()
    {
        foreach (var read in _retiredReads)
        {
            read.Dispose();
        }

        _retiredReads.Clear();
        foreach (var reader in _retiredReaders)
        {
            _freeReaders.Push(reader);
        }

        _retiredReaders.Clear();
    }
}
