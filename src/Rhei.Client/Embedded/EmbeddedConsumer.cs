using Microsoft.Extensions.Logging;
using Rhei.Protocol.Records;
using Rhei.Storage;
using Rhei.Storage.Groups;
using Rhei.Storage.Partitions;

namespace Rhei.Client.Embedded;

/// <summary>
/// The in-process consumer: group membership, commits and the poll loop; reading the partitions is
/// <see cref="PartitionFetcher"/>'s (whole stored batches, records that are slices of pooled buffers, buffers kept
/// until the next poll or close). With nothing to return, a poll waits for an append to any fetchable partition
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
    private readonly PartitionFetcher _fetcher;
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
        _fetcher = new PartitionFetcher(log, options);
        _lastAutoCommitMs = NowMs;
    }

    /// <summary>This consumer's member id in its group (null when not subscribed).</summary>
    public string? MemberId => _member?.Id;

    public IReadOnlyList<TopicPartition> Assignment => [.. _fetcher.Partitions.Select(f => f.TopicPartition)];

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private string GroupId => _options.GroupId ?? throw new InvalidOperationException("This consumer has no group.id: set ConsumerOptions.GroupId to subscribe or commit.");

    public void Subscribe(IEnumerable<string> topics)
    {
        ThrowIfClosed();
        var list = topics.Distinct(StringComparer.Ordinal).ToList();
        var groupId = GroupId;
        if (_subscription is null && _fetcher.Count > 0)
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
        _fetcher.Clear();
    }

    public void Assign(IEnumerable<TopicPartitionOffset> partitions)
    {
        ThrowIfClosed();
        if (_subscription is not null)
        {
            throw new InvalidOperationException("This consumer is subscribed to a group: call Unsubscribe before Assign.");
        }

        _fetcher.Clear();
        foreach (var p in partitions)
        {
            _fetcher.Add(p.TopicPartition, p.Offset);
        }
    }

    public void Seek(TopicPartitionOffset position)
    {
        _fetcher.Seek(position);
    }

    public long Position(TopicPartition partition)
    {
        return _fetcher.Position(partition);
    }

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        foreach (var p in partitions)
        {
            _fetcher.Get(p).Paused = true;
        }
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        foreach (var p in partitions)
        {
            _fetcher.Get(p).Paused = false;
        }
    }

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
                _fetcher.Clear();
            }
        }
        finally
        {
            _closed = true;
            _fetcher.Close();
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
        _fetcher.ReleaseRetired();
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
                var records = await _fetcher.CollectAsync();
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
                        _fetcher.Clear();
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
                    _fetcher.Clear();
                    foreach (var tp in assignment)
                    {
                        _fetcher.Add(tp, Offsets.Stored);
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
                        _fetcher.Clear();
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
        if (!_options.EnableAutoCommit || _options.GroupId is null || _fetcher.Count == 0)
        {
            return;
        }

        var now = NowMs;
        if (!force && now - _lastAutoCommitMs < _options.AutoCommitIntervalMs)
        {
            return;
        }

        _lastAutoCommitMs = now;
        var positions = _fetcher.Partitions.Where(f => f.IsResolved).Select(f => new TopicPartitionOffset(f.Topic, f.Partition, f.Position)).ToList();
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

    private async ValueTask WaitForDataAsync(TimeSpan remaining, CancellationToken cancellationToken)
    {
        var wait = remaining;
        if (_member is not null || _fetcher.HasUnresolved)
        {
            // Heartbeat: look at the group (and at partitions that do not exist yet) now and then.
            wait = TimeSpan.FromMilliseconds(Math.Min(remaining.TotalMilliseconds, HeartbeatMs));
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new List<Task>(_fetcher.Count + 2);
        _fetcher.AddAppendWaits(tasks, wait, cts.Token);

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

}
