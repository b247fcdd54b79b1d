using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rhei.Broker.Diagnostics;
using Rhei.Protocol;
using Rhei.Storage.Groups;

namespace Rhei.Broker.Groups;

/// <summary>What a JoinGroup asks.</summary>
internal sealed record JoinArgs(
    string GroupId,
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string ProtocolType,
    IReadOnlyList<(string Name, byte[] Metadata)> Protocols);

/// <summary>What a SyncGroup asks.</summary>
internal sealed record SyncArgs(
    string GroupId,
    int Generation,
    string MemberId,
    string? GroupInstanceId,
    string? ProtocolType,
    string? ProtocolName,
    IReadOnlyDictionary<string, byte[]> Assignments);

/// <summary>A group as DescribeGroups shows it.</summary>
internal sealed record GroupDescription(string GroupId, string State, string ProtocolType, string ProtocolName, IReadOnlyList<MemberDescription> Members);

internal sealed record MemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);

/// <summary>A group as ListGroups shows it.</summary>
internal sealed record GroupListing(string GroupId, string ProtocolType, string State);

/// <summary>
/// The coordinator of classic consumer groups (every group: a single node coordinates them all). JoinGroup
/// waits for the join phase to end — every member rejoined (after <c>group.initial.rebalance.delay.ms</c> for
/// a new group) or the rebalance timeout passed; SyncGroup waits for the leader's assignment; a timer expires
/// members whose session timeout passed without a heartbeat and ends phases whose deadline passed. Generations
/// fence stale members (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS). MEMBER_ID_REQUIRED is
/// never sent: a new member gets its id in its first JoinGroup. Static members (<c>group.instance.id</c>) keep
/// their place across restarts. Group metadata is stored in <c>__consumer_offsets</c> after each generation
/// and reloaded at start, next to the committed offsets.
/// </summary>
internal sealed class GroupCoordinator : IAsyncDisposable
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _persisting = new(StringComparer.Ordinal);
    private readonly GroupOffsetStore _store;
    private readonly BrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _timer = Task.CompletedTask;

    public GroupCoordinator(GroupOffsetStore store, BrokerOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Reloads stored groups and starts the timer.</summary>
    public void Start()
    {
        var now = NowMs;
        var loaded = 0;
        foreach (var metadata in _store.GetAllGroupMetadata())
        {
            _groups[metadata.GroupId] = ConsumerGroup.FromMetadata(metadata, now);
            loaded++;
        }

        if (loaded > 0)
        {
            _logger.GroupsLoaded(loaded);
        }

        _timer = Task.Run(TimerLoopAsync);
    }

    public async Task<JoinResult> JoinAsync(JoinArgs args, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(args.GroupId))
        {
            return JoinResult.Failed(ErrorCode.InvalidGroupId, args.MemberId);
        }

        if (args.SessionTimeoutMs < _options.GroupMinSessionTimeoutMs || args.SessionTimeoutMs > _options.GroupMaxSessionTimeoutMs)
        {
            return JoinResult.Failed(ErrorCode.InvalidSessionTimeout, args.MemberId);
        }

        Task<JoinResult> wait;
        while (true)
        {
            var group = args.MemberId.Length == 0 ? _groups.GetOrAdd(args.GroupId, id => new ConsumerGroup(id)) : _groups.GetValueOrDefault(args.GroupId);
            if (group is null)
            {
                return JoinResult.Failed(ErrorCode.UnknownMemberId, args.MemberId);
            }

            bool persist;
            lock (group.Lock)
            {
                if (group.State == GroupState.Dead)
                {
                    // Deleted meanwhile: start over with a fresh group.
                    _groups.TryRemove(new KeyValuePair<string, ConsumerGroup>(args.GroupId, group));
                    continue;
                }

                var result = Join(group, args, out wait, out persist);
                if (result is not null)
                {
                    return result;
                }
            }

            if (persist)
            {
                Persist(group);
            }

            break;
        }

        try
        {
            return await wait.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return JoinResult.Failed(ErrorCode.NotCoordinator, args.MemberId);
        }
    }

    /// <summary>The join logic, under the group's lock: an immediate answer, or null and a task to wait on.</summary>
    private JoinResult? Join(ConsumerGroup group, JoinArgs args, out Task<JoinResult> wait, out bool persist)
    {
        wait = Task.FromResult<JoinResult>(null!);
        persist = false;
        var now = NowMs;
        if (!group.Accepts(args.ProtocolType, args.Protocols))
        {
            return JoinResult.Failed(ErrorCode.InconsistentGroupProtocol, args.MemberId);
        }

        GroupMember? member;
        if (args.MemberId.Length == 0)
        {
            var newId = $"{(args.ClientId.Length == 0 ? "member" : args.ClientId)}-{Guid.NewGuid()}";
            if (args.GroupInstanceId is { } instance && group.FindStatic(instance) is { } known)
            {
                // A static member restarted: it takes its old place under a new member id.
                member = group.ReplaceStaticMember(known, newId);
                Update(member, args);
                if (group.State == GroupState.Stable && member.SameProtocols(args.Protocols) && member.MemberId != group.LeaderId)
                {
                    persist = true;
                    return group.CurrentJoinResult(member);
                }
            }
            else
            {
                member = new GroupMember(newId, args.GroupInstanceId, args.ClientId, args.ClientHost);
                Update(member, args);
                group.Add(member, now);
                if (group.State == GroupState.PreparingRebalance)
                {
                    group.ExtendInitialDelay(now, _options.GroupInitialRebalanceDelayMs, member.RebalanceTimeoutMs);
                }
            }
        }
        else
        {
            member = group.Find(args.MemberId);
            if (member is null)
            {
                return JoinResult.Failed(
                    args.GroupInstanceId is { } instance && group.FindStatic(instance) is not null ? ErrorCode.FencedInstanceId : ErrorCode.UnknownMemberId,
                    args.MemberId);
            }

            if (args.GroupInstanceId is not null && member.GroupInstanceId != args.GroupInstanceId)
            {
                return JoinResult.Failed(ErrorCode.FencedInstanceId, args.MemberId);
            }

            var unchanged = member.SameProtocols(args.Protocols);
            Update(member, args);
            member.LastHeartbeatMs = now;
            switch (group.State)
            {
                case GroupState.CompletingRebalance when unchanged:
                    return group.CurrentJoinResult(member);
                case GroupState.Stable when unchanged && member.MemberId != group.LeaderId:
                    return group.CurrentJoinResult(member);
            }
        }

        var completion = new TaskCompletionSource<JoinResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        member.AwaitingJoin?.TrySetResult(JoinResult.Failed(ErrorCode.UnknownMemberId, member.MemberId));
        member.AwaitingJoin = completion;
        wait = completion.Task;
        if (group.State != GroupState.PreparingRebalance)
        {
            _logger.PreparingRebalance(group.GroupId, $"member {member.MemberId} joined");
            group.PrepareRebalance(now, _options.GroupInitialRebalanceDelayMs);
        }

        persist = TryCompleteJoin(group, now);
        return null;
    }

    private static void Update(GroupMember member, JoinArgs args)
    {
        member.ClientId = args.ClientId;
        member.ClientHost = args.ClientHost;
        member.SessionTimeoutMs = args.SessionTimeoutMs;
        member.RebalanceTimeoutMs = args.RebalanceTimeoutMs;
        member.ProtocolType = args.ProtocolType;
        member.Protocols = args.Protocols;
    }

    /// <summary>Ends the join phase when it can. True when the group became empty (its metadata should be stored).</summary>
    private bool TryCompleteJoin(ConsumerGroup group, long now)
    {
        if (!group.CanCompleteJoin(now))
        {
            return false;
        }

        foreach (var dropped in group.CompleteJoin(now))
        {
            _logger.MemberRemoved(group.GroupId, dropped.MemberId, "it did not rejoin within the rebalance timeout");
        }

        _logger.GroupRebalanced(group.GroupId, group.Generation, group.MemberCount, group.ProtocolName, group.LeaderId);
        return group.State == GroupState.Empty;
    }

    public async Task<SyncResult> SyncAsync(SyncArgs args, CancellationToken cancellationToken)
    {
        if (!_groups.TryGetValue(args.GroupId, out var group))
        {
            return new SyncResult(ErrorCode.UnknownMemberId, null, null, []);
        }

        Task<SyncResult> wait;
        var persist = false;
        lock (group.Lock)
        {
            var member = group.Find(args.MemberId);
            if (group.State == GroupState.Dead)
            {
                return new SyncResult(ErrorCode.CoordinatorNotAvailable, null, null, []);
            }

            if (member is null)
            {
                return new SyncResult(ErrorCode.UnknownMemberId, null, null, []);
            }

            if (args.GroupInstanceId is not null && member.GroupInstanceId != args.GroupInstanceId)
            {
                return new SyncResult(ErrorCode.FencedInstanceId, null, null, []);
            }

            if (args.Generation != group.Generation)
            {
                return new SyncResult(ErrorCode.IllegalGeneration, null, null, []);
            }

            if ((args.ProtocolType is not null && args.ProtocolType != group.ProtocolType) || (args.ProtocolName is not null && args.ProtocolName != group.ProtocolName))
            {
                return new SyncResult(ErrorCode.InconsistentGroupProtocol, null, null, []);
            }

            var now = NowMs;
            member.LastHeartbeatMs = now;
            switch (group.State)
            {
                case GroupState.PreparingRebalance:
                    return new SyncResult(ErrorCode.RebalanceInProgress, group.ProtocolType, group.ProtocolName, []);
                case GroupState.Stable:
                    return new SyncResult(ErrorCode.None, group.ProtocolType, group.ProtocolName, member.Assignment);
                case GroupState.CompletingRebalance:
                    var completion = new TaskCompletionSource<SyncResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                    member.AwaitingSync?.TrySetResult(new SyncResult(ErrorCode.RebalanceInProgress, group.ProtocolType, group.ProtocolName, []));
                    member.AwaitingSync = completion;
                    wait = completion.Task;
                    if (member.MemberId == group.LeaderId)
                    {
                        group.CompleteSync(args.Assignments, now);
                        persist = true;
                    }

                    break;
                default:
                    return new SyncResult(ErrorCode.UnknownMemberId, null, null, []);
            }
        }

        if (persist)
        {
            Persist(group);
        }

        try
        {
            return await wait.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return new SyncResult(ErrorCode.NotCoordinator, null, null, []);
        }
    }

    public ErrorCode Heartbeat(string groupId, string memberId, string? instanceId, int generation)
    {
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return ErrorCode.UnknownMemberId;
        }

        lock (group.Lock)
        {
            if (group.State == GroupState.Dead)
            {
                return ErrorCode.CoordinatorNotAvailable;
            }

            var member = group.Find(memberId);
            if (member is null)
            {
                return ErrorCode.UnknownMemberId;
            }

            if (instanceId is not null && member.GroupInstanceId != instanceId)
            {
                return ErrorCode.FencedInstanceId;
            }

            if (generation != group.Generation)
            {
                return ErrorCode.IllegalGeneration;
            }

            member.LastHeartbeatMs = NowMs;
            return group.State == GroupState.PreparingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
        }
    }

    /// <summary>Removes members (LeaveGroup); the rest rebalance. Returns an error per member, in order.</summary>
    public IReadOnlyList<ErrorCode> Leave(string groupId, IReadOnlyList<(string MemberId, string? InstanceId)> members)
    {
        var errors = new ErrorCode[members.Count];
        if (!_groups.TryGetValue(groupId, out var group))
        {
            Array.Fill(errors, ErrorCode.UnknownMemberId);
            return errors;
        }

        var persist = false;
        lock (group.Lock)
        {
            if (group.State == GroupState.Dead)
            {
                Array.Fill(errors, ErrorCode.CoordinatorNotAvailable);
                return errors;
            }

            var now = NowMs;
            var removed = false;
            for (var i = 0; i < members.Count; i++)
            {
                var (memberId, instanceId) = members[i];
                var member = memberId.Length == 0 && instanceId is not null ? group.FindStatic(instanceId) : group.Find(memberId);
                if (member is null)
                {
                    errors[i] = ErrorCode.UnknownMemberId;
                    continue;
                }

                if (instanceId is not null && member.GroupInstanceId != instanceId)
                {
                    errors[i] = ErrorCode.FencedInstanceId;
                    continue;
                }

                group.Remove(member);
                member.FailPending(ErrorCode.UnknownMemberId);
                _logger.MemberRemoved(groupId, member.MemberId, "it left the group");
                removed = true;
            }

            if (removed)
            {
                persist = Rebalance(group, now, "members left");
            }
        }

        if (persist)
        {
            Persist(group);
        }

        return errors;
    }

    /// <summary>After members went away: rebalance (or finish the join phase). True when the group became empty.</summary>
    private bool Rebalance(ConsumerGroup group, long now, string reason)
    {
        if (group.State is GroupState.Stable or GroupState.CompletingRebalance)
        {
            _logger.PreparingRebalance(group.GroupId, reason);
            group.PrepareRebalance(now, _options.GroupInitialRebalanceDelayMs);
        }
        else if (group.State == GroupState.Empty)
        {
            return false;
        }

        return TryCompleteJoin(group, now);
    }

    /// <summary>
    /// Checks an OffsetCommit against the group: a commit with generation -1 to a group without members is a
    /// simple consumer's; otherwise the member and generation must be current.
    /// </summary>
    public ErrorCode ValidateCommit(string groupId, int generation, string memberId, string? instanceId)
    {
        if (string.IsNullOrEmpty(groupId))
        {
            return ErrorCode.InvalidGroupId;
        }

        if (!_groups.TryGetValue(groupId, out var group))
        {
            return generation < 0 ? ErrorCode.None : ErrorCode.IllegalGeneration;
        }

        lock (group.Lock)
        {
            if (group.State == GroupState.Dead)
            {
                return generation < 0 ? ErrorCode.None : ErrorCode.CoordinatorNotAvailable;
            }

            if (generation < 0 && group.State == GroupState.Empty)
            {
                return ErrorCode.None;
            }

            if (group.State == GroupState.CompletingRebalance)
            {
                return ErrorCode.RebalanceInProgress;
            }

            var member = group.Find(memberId);
            if (member is null)
            {
                return instanceId is not null && group.FindStatic(instanceId) is not null ? ErrorCode.FencedInstanceId : ErrorCode.UnknownMemberId;
            }

            if (instanceId is not null && member.GroupInstanceId != instanceId)
            {
                return ErrorCode.FencedInstanceId;
            }

            if (generation != group.Generation)
            {
                return ErrorCode.IllegalGeneration;
            }

            member.LastHeartbeatMs = NowMs;
            return ErrorCode.None;
        }
    }

    public GroupDescription Describe(string groupId)
    {
        if (_groups.TryGetValue(groupId, out var group))
        {
            lock (group.Lock)
            {
                if (group.State != GroupState.Dead)
                {
                    var stable = group.State == GroupState.Stable;
                    var members = group.Members.Select(m => new MemberDescription(
                        m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
                        stable ? m.MetadataFor(group.ProtocolName) : [],
                        stable ? m.Assignment : [])).ToList();
                    return new GroupDescription(groupId, group.State.Name(), group.ProtocolType ?? "", group.ProtocolName ?? "", members);
                }
            }
        }

        // Groups that only have committed offsets (simple consumers) are Empty; unknown ones are Dead.
        var stored = _store.GetGroupMetadata(groupId);
        if (stored is not null || _store.FetchOffsets(groupId).Count > 0)
        {
            return new GroupDescription(groupId, GroupState.Empty.Name(), stored?.ProtocolType ?? "", "", []);
        }

        return new GroupDescription(groupId, GroupState.Dead.Name(), "", "", []);
    }

    public IReadOnlyList<GroupListing> List()
    {
        var listings = new Dictionary<string, GroupListing>(StringComparer.Ordinal);
        foreach (var (id, group) in _groups)
        {
            lock (group.Lock)
            {
                if (group.State != GroupState.Dead)
                {
                    listings[id] = new GroupListing(id, group.ProtocolType ?? "", group.State.Name());
                }
            }
        }

        foreach (var id in _store.ListGroups())
        {
            if (!listings.ContainsKey(id))
            {
                listings[id] = new GroupListing(id, _store.GetGroupMetadata(id)?.ProtocolType ?? "", GroupState.Empty.Name());
            }
        }

        return [.. listings.Values.OrderBy(g => g.GroupId, StringComparer.Ordinal)];
    }

    /// <summary>The topics the group's members subscribe to (consumer protocol), or null when the group has no members.</summary>
    public IReadOnlySet<string>? SubscribedTopics(string groupId)
    {
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return null;
        }

        lock (group.Lock)
        {
            if (group.IsEmpty || group.State == GroupState.Dead)
            {
                return null;
            }

            var topics = new HashSet<string>(StringComparer.Ordinal);
            if (group.ProtocolType != Protocol.Messages.ConsumerProtocol.ProtocolType)
            {
                return topics;
            }

            foreach (var member in group.Members)
            {
                try
                {
                    var subscription = Protocol.Messages.ConsumerProtocol.ReadSubscription(member.MetadataFor(group.ProtocolName), out _);
                    topics.UnionWith(subscription.Topics);
                }
                catch (InvalidDataException)
                {
                }
            }

            return topics;
        }
    }

    /// <summary>True when the group has (non-dead) state in memory or committed offsets.</summary>
    public bool Exists(string groupId) =>
        (_groups.TryGetValue(groupId, out var group) && group.State != GroupState.Dead) || _store.ListGroups().Contains(groupId);

    /// <summary>Deletes a group without members and its offsets: NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND or NONE.</summary>
    public async Task<ErrorCode> DeleteAsync(string groupId, CancellationToken cancellationToken)
    {
        if (_groups.TryGetValue(groupId, out var group))
        {
            lock (group.Lock)
            {
                if (group.State != GroupState.Dead)
                {
                    if (!group.IsEmpty)
                    {
                        return ErrorCode.NonEmptyGroup;
                    }

                    group.MarkDead(NowMs);
                    _groups.TryRemove(new KeyValuePair<string, ConsumerGroup>(groupId, group));
                }
            }

            if (_persisting.TryGetValue(groupId, out var pending))
            {
                await pending;
            }
        }

        return await _store.DeleteGroupAsync(groupId, cancellationToken) ? ErrorCode.None : (group is null ? ErrorCode.GroupIdNotFound : ErrorCode.None);
    }

    /// <summary>Stores the group's current metadata, after earlier stores of the same group.</summary>
    private void Persist(ConsumerGroup group)
    {
        while (true)
        {
            var previous = _persisting.GetValueOrDefault(group.GroupId) ?? Task.CompletedTask;
            var next = PersistAfterAsync(previous, group);
            if (_persisting.TryGetValue(group.GroupId, out var current) ? _persisting.TryUpdate(group.GroupId, next, current) : _persisting.TryAdd(group.GroupId, next))
            {
                return;
            }
        }
    }

    private async Task PersistAfterAsync(Task previous, ConsumerGroup group)
    {
        await previous;
        try
        {
            GroupMetadata metadata;
            lock (group.Lock)
            {
                if (group.State == GroupState.Dead)
                {
                    return;
                }

                metadata = group.ToMetadata();
            }

            await _store.StoreGroupMetadataAsync(metadata, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _logger.GroupStoreFailed(e, group.GroupId);
        }
    }

    private async Task TimerLoopAsync()
    {
        using var timer = new PeriodicTimer(s_tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    Tick();
                }
                catch (Exception e)
                {
                    _logger.CoordinatorTickFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Expires members whose session timed out, and ends join and sync phases whose deadline passed.</summary>
    internal void Tick()
    {
        var now = NowMs;
        foreach (var group in _groups.Values)
        {
            var persist = false;
            lock (group.Lock)
            {
                if (group.State is GroupState.Dead or GroupState.Empty)
                {
                    continue;
                }

                var expired = group.Members.Where(m => m.AwaitingJoin is null && m.AwaitingSync is null && now - m.LastHeartbeatMs > m.SessionTimeoutMs).ToList();
                if (group.State == GroupState.CompletingRebalance && now >= group.SyncDeadlineMs)
                {
                    expired.AddRange(group.Members.Where(m => m.AwaitingSync is null && !expired.Contains(m)));
                }

                foreach (var member in expired)
                {
                    group.Remove(member);
                    member.FailPending(ErrorCode.UnknownMemberId);
                    _logger.MemberRemoved(group.GroupId, member.MemberId, "its session timed out");
                }

                persist = expired.Count > 0 ? Rebalance(group, now, "members timed out") : TryCompleteJoin(group, now);
            }

            if (persist)
            {
                Persist(group);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _timer;
        foreach (var task in _persisting.Values)
        {
            await task;
        }

        _stop.Dispose();
    }
}
