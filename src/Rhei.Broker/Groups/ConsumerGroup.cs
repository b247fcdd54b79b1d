using Rhei.Protocol;
using Rhei.Storage.Groups;

namespace Rhei.Broker.Groups;

/// <summary>
/// One classic group's state machine (Empty → PreparingRebalance → CompletingRebalance → Stable), without I/O:
/// the coordinator calls it under <see cref="Lock"/> and persists what it returns. Deadlines are broker
/// times in milliseconds, checked by the coordinator's timer.
/// </summary>
internal sealed class ConsumerGroup(string groupId)
{
    private readonly Dictionary<string, GroupMember> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _staticMembers = new(StringComparer.Ordinal);

    public object Lock { get; } = new();

    public string GroupId { get; } = groupId;

    public GroupState State { get; private set; } = GroupState.Empty;

    public int Generation { get; private set; }

    public string? ProtocolType { get; private set; }

    public string? ProtocolName { get; private set; }

    public string? LeaderId { get; private set; }

    /// <summary>Broker time of the last state change (stored with the metadata; offsets of an empty group expire from it).</summary>
    public long StateTimestampMs { get; private set; } = -1;

    /// <summary>PreparingRebalance: when the join phase ends even if members are missing.</summary>
    public long RebalanceDeadlineMs { get; private set; }

    /// <summary>PreparingRebalance of a new group: the join phase lasts at least until then (group.initial.rebalance.delay.ms).</summary>
    public long InitialDelayEndMs { get; private set; }

    /// <summary>CompletingRebalance: when members that did not send SyncGroup are removed.</summary>
    public long SyncDeadlineMs { get; private set; }

    public IReadOnlyCollection<GroupMember> Members => _members.Values;

    public int MemberCount => _members.Count;

    public bool IsEmpty => _members.Count == 0;

    public GroupMember? Find(string memberId) => _members.GetValueOrDefault(memberId);

    public GroupMember? FindStatic(string instanceId) =>
        _staticMembers.TryGetValue(instanceId, out var memberId) ? _members.GetValueOrDefault(memberId) : null;

    /// <summary>True when the protocol type and at least one protocol fit the group's current members.</summary>
    public bool Accepts(string protocolType, IReadOnlyList<(string Name, byte[] Metadata)> protocols)
    {
        if (string.IsNullOrEmpty(protocolType) || protocols.Count == 0)
        {
            return false;
        }

        if (IsEmpty)
        {
            return true;
        }

        if (protocolType != ProtocolType)
        {
            return false;
        }

        foreach (var (name, _) in protocols)
        {
            if (_members.Values.All(m => m.Supports(name)))
            {
                return true;
            }
        }

        return false;
    }

    public void Add(GroupMember member, long now)
    {
        if (IsEmpty)
        {
            ProtocolType = member.ProtocolType;
        }

        _members[member.MemberId] = member;
        if (member.GroupInstanceId is { } instance)
        {
            _staticMembers[instance] = member.MemberId;
        }

        member.LastHeartbeatMs = now;
    }

    /// <summary>Gives a static member a new member id (it rejoined without its old one); the old id's waiting requests are fenced.</summary>
    public GroupMember ReplaceStaticMember(GroupMember old, string newMemberId)
    {
        old.FailPending(ErrorCode.FencedInstanceId);
        _members.Remove(old.MemberId);
        if (LeaderId == old.MemberId)
        {
            LeaderId = newMemberId;
        }

        old.MemberId = newMemberId;
        _members[newMemberId] = old;
        _staticMembers[old.GroupInstanceId!] = newMemberId;
        return old;
    }

    public void Remove(GroupMember member)
    {
        _members.Remove(member.MemberId);
        if (member.GroupInstanceId is { } instance && _staticMembers.TryGetValue(instance, out var id) && id == member.MemberId)
        {
            _staticMembers.Remove(instance);
        }

        if (LeaderId == member.MemberId)
        {
            LeaderId = _members.Keys.FirstOrDefault();
        }
    }

    /// <summary>Starts (or restarts) the join phase: pending syncs are told to rejoin.</summary>
    public void PrepareRebalance(long now, int initialDelayMs)
    {
        if (State == GroupState.CompletingRebalance)
        {
            foreach (var member in _members.Values)
            {
                if (member.AwaitingSync is { } sync)
                {
                    sync.TrySetResult(new SyncResult(ErrorCode.RebalanceInProgress, ProtocolType, ProtocolName, []));
                    member.AwaitingSync = null;
                }
            }
        }

        var wasEmpty = State == GroupState.Empty;
        var rebalanceTimeout = _members.Count == 0 ? 0 : _members.Values.Max(m => m.RebalanceTimeoutMs);
        RebalanceDeadlineMs = now + rebalanceTimeout;
        InitialDelayEndMs = wasEmpty ? Math.Min(now + initialDelayMs, RebalanceDeadlineMs) : 0;
        SetState(GroupState.PreparingRebalance, now);
    }

    /// <summary>A new member arrived during the initial delay: wait one more delay (bounded by the rebalance timeout), as Kafka does.</summary>
    public void ExtendInitialDelay(long now, int initialDelayMs, int rebalanceTimeoutMs)
    {
        RebalanceDeadlineMs = Math.Max(RebalanceDeadlineMs, now + rebalanceTimeoutMs);
        if (InitialDelayEndMs > now)
        {
            InitialDelayEndMs = Math.Min(now + initialDelayMs, RebalanceDeadlineMs);
        }
    }

    /// <summary>True when the join phase can end: every member rejoined (and the initial delay passed), or the deadline passed.</summary>
    public bool CanCompleteJoin(long now) =>
        State == GroupState.PreparingRebalance &&
        ((_members.Values.All(m => m.AwaitingJoin is not null) && now >= InitialDelayEndMs) || now >= RebalanceDeadlineMs);

    /// <summary>
    /// Ends the join phase: drops members that did not rejoin, starts a new generation, picks the protocol and
    /// the leader, and answers every waiting JoinGroup. Returns the members dropped.
    /// </summary>
    public List<GroupMember> CompleteJoin(long now)
    {
        var dropped = _members.Values.Where(m => m.AwaitingJoin is null).ToList();
        foreach (var member in dropped)
        {
            Remove(member);
            member.FailPending(ErrorCode.UnknownMemberId);
        }

        Generation++;
        if (IsEmpty)
        {
            ProtocolName = null;
            LeaderId = null;
            SetState(GroupState.Empty, now);
            return dropped;
        }

        ProtocolName = SelectProtocol();
        if (LeaderId is null || !_members.ContainsKey(LeaderId))
        {
            LeaderId = _members.Keys.First();
        }

        SetState(GroupState.CompletingRebalance, now);
        SyncDeadlineMs = now + _members.Values.Max(m => m.RebalanceTimeoutMs);
        var all = _members.Values.Select(m => new JoinedMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(ProtocolName))).ToList();
        foreach (var member in _members.Values)
        {
            member.LastHeartbeatMs = now;
            var isLeader = member.MemberId == LeaderId;
            member.AwaitingJoin!.TrySetResult(new JoinResult(ErrorCode.None, Generation, ProtocolType, ProtocolName, LeaderId, member.MemberId, isLeader ? all : []));
            member.AwaitingJoin = null;
        }

        return dropped;
    }

    /// <summary>The JoinGroup answer for a member of the current generation that asks again without changes.</summary>
    public JoinResult CurrentJoinResult(GroupMember member)
    {
        var isLeader = member.MemberId == LeaderId;
        var members = isLeader
            ? _members.Values.Select(m => new JoinedMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(ProtocolName))).ToList()
            : [];
        return new JoinResult(ErrorCode.None, Generation, ProtocolType, ProtocolName, LeaderId ?? "", member.MemberId, members);
    }

    /// <summary>Applies the leader's assignment, moves to Stable and answers every waiting SyncGroup.</summary>
    public void CompleteSync(IReadOnlyDictionary<string, byte[]> assignments, long now)
    {
        foreach (var member in _members.Values)
        {
            member.Assignment = assignments.GetValueOrDefault(member.MemberId) ?? [];
        }

        SetState(GroupState.Stable, now);
        foreach (var member in _members.Values)
        {
            if (member.AwaitingSync is { } sync)
            {
                sync.TrySetResult(new SyncResult(ErrorCode.None, ProtocolType, ProtocolName, member.Assignment));
                member.AwaitingSync = null;
            }
        }
    }

    /// <summary>Marks the group deleted: waiting requests are told the coordinator moved.</summary>
    public void MarkDead(long now)
    {
        foreach (var member in _members.Values)
        {
            member.FailPending(ErrorCode.CoordinatorNotAvailable);
        }

        _members.Clear();
        _staticMembers.Clear();
        SetState(GroupState.Dead, now);
    }

    /// <summary>The group as stored in <c>__consumer_offsets</c>.</summary>
    public GroupMetadata ToMetadata() => new(
        GroupId,
        ProtocolType ?? "",
        Generation,
        ProtocolName,
        LeaderId,
        StateTimestampMs,
        [.. _members.Values.Select(m => new GroupMemberMetadata(
            m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, m.RebalanceTimeoutMs, m.SessionTimeoutMs, m.MetadataFor(ProtocolName), m.Assignment))]);

    /// <summary>Rebuilds a group from stored metadata (at start): Stable with its members, or Empty.</summary>
    public static ConsumerGroup FromMetadata(GroupMetadata metadata, long now)
    {
        var group = new ConsumerGroup(metadata.GroupId)
        {
            Generation = metadata.Generation,
            ProtocolType = string.IsNullOrEmpty(metadata.ProtocolType) ? null : metadata.ProtocolType,
            ProtocolName = metadata.ProtocolName,
            LeaderId = metadata.Leader,
            StateTimestampMs = metadata.StateTimestamp,
        };
        foreach (var m in metadata.Members)
        {
            var member = new GroupMember(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost)
            {
                SessionTimeoutMs = m.SessionTimeoutMs,
                RebalanceTimeoutMs = m.RebalanceTimeoutMs,
                ProtocolType = metadata.ProtocolType,
                Protocols = [(metadata.ProtocolName ?? "", m.Subscription)],
                Assignment = m.Assignment,
            };
            group.Add(member, now);
        }

        group.State = group.IsEmpty ? GroupState.Empty : GroupState.Stable;
        if (!group.IsEmpty && (group.LeaderId is null || group.Find(group.LeaderId) is null))
        {
            group.LeaderId = group._members.Keys.First();
        }

        return group;
    }

    private void SetState(GroupState state, long now)
    {
        State = state;
        StateTimestampMs = now;
    }

    /// <summary>The protocol every member supports that the members rank best (one vote per member for its most preferred candidate).</summary>
    private string SelectProtocol()
    {
        var candidates = _members.Values.First().Protocols.Select(p => p.Name)
            .Where(name => _members.Values.All(m => m.Supports(name)))
            .ToList();
        if (candidates.Count == 0)
        {
            return _members.Values.First().Protocols[0].Name;
        }

        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var member in _members.Values)
        {
            var vote = member.Protocols.Select(p => p.Name).First(candidates.Contains);
            votes[vote] = votes.GetValueOrDefault(vote) + 1;
        }

        return candidates.OrderByDescending(c => votes.GetValueOrDefault(c)).First();
    }
}
