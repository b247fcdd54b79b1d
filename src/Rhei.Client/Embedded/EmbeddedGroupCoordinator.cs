using System.Collections.Concurrent;
using Rhei.Storage;

namespace Rhei.Client.Embedded;

/// <summary>
/// Coordinates the consumer groups of embedded consumers, in memory (committed offsets are the storage's).
/// The protocol is Kafka's eager rebalance with range assignment: a join, a leave, an expired member, or a
/// change of a subscribed topic's partition count starts a rebalance; every member revokes all its
/// partitions (running its revoke callback inside its own poll) and rejoins; when all have, the generation
/// goes up and each member takes its new assignment at its next poll (running its assign callback there).
/// A member that is not inside a poll for longer than its session timeout is removed.
/// </summary>
public sealed class EmbeddedGroupCoordinator
{
    private readonly ConcurrentDictionary<string, EmbeddedGroup> _groups = new(StringComparer.Ordinal);
    private readonly LogManager _log;
    private readonly TimeProvider _time;

    public EmbeddedGroupCoordinator(LogManager log, TimeProvider time)
    {
        _log = log;
        _time = time;
    }

    /// <summary>Ids of groups with members now.</summary>
    public IReadOnlyList<string> ActiveGroups => [.. _groups.Where(g => g.Value.MemberCount > 0).Select(g => g.Key).Order(StringComparer.Ordinal)];

    /// <summary>The members of a group and their current assignments (empty when unknown).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> DescribeMembers(string groupId) =>
        _groups.TryGetValue(groupId, out var g) ? g.Describe() : new Dictionary<string, IReadOnlyList<TopicPartition>>();

    /// <summary>The generation of a group (0 before its first rebalance).</summary>
    public int Generation(string groupId) => _groups.TryGetValue(groupId, out var g) ? g.Generation : 0;

    internal EmbeddedGroup Get(string groupId) => _groups.GetOrAdd(groupId, id => new EmbeddedGroup(id, _log, _time));

    internal bool HasMembers(string groupId) => _groups.TryGetValue(groupId, out var g) && g.MemberCount > 0;
}

/// <summary>Where a member stands in its group, as its poll sees it.</summary>
internal enum MemberStatus
{
    /// <summary>Assignment current: fetch.</summary>
    Stable,

    /// <summary>A rebalance started: revoke everything, then rejoin.</summary>
    MustRevoke,

    /// <summary>Rejoined; waiting for the other members.</summary>
    Waiting,

    /// <summary>The rebalance completed: take the new assignment.</summary>
    NewAssignment,

    /// <summary>Removed (session expired): partitions are lost; join again.</summary>
    Removed,
}

internal sealed class GroupMember(string id, string clientId, IReadOnlyCollection<string> topics, int sessionTimeoutMs)
{
    public string Id { get; } = id;

    public string ClientId { get; } = clientId;

    public IReadOnlyCollection<string> Topics { get; set; } = topics;

    public int SessionTimeoutMs { get; } = sessionTimeoutMs;

    public bool Active { get; set; } = true;

    public bool Rejoined { get; set; } = true;

    public int Generation { get; set; } = -1;

    public IReadOnlyList<TopicPartition> Assignment { get; set; } = [];

    public int PollDepth { get; set; }

    public long LastSeenMs { get; set; }
}

/// <summary>One group's state; every method locks the group.</summary>
internal sealed class EmbeddedGroup(string id, LogManager log, TimeProvider time)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, GroupMember> _members = new(StringComparer.Ordinal);
    private Dictionary<string, int> _assignedCounts = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();
    private bool _rebalancing;

    public string Id { get; } = id;

    public int Generation { get; private set; }

    public int MemberCount
    {
        get
        {
            lock (_lock)
            {
                return _members.Count;
            }
        }
    }

    /// <summary>Completes at the next change of the group's state (a rebalance starts or completes).</summary>
    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Describe()
    {
        lock (_lock)
        {
            return _members.Values.ToDictionary(m => m.Id, m => m.Assignment, StringComparer.Ordinal);
        }
    }

    public GroupMember Join(string clientId, IReadOnlyCollection<string> topics, int sessionTimeoutMs)
    {
        lock (_lock)
        {
            var member = new GroupMember($"{clientId}-{Guid.NewGuid():N}", clientId, topics, sessionTimeoutMs) { LastSeenMs = NowMs };
            _members.Add(member.Id, member);
            StartRebalance();
            return member;
        }
    }

    public void UpdateSubscription(GroupMember member, IReadOnlyCollection<string> topics)
    {
        lock (_lock)
        {
            member.Topics = topics;
            if (member.Active)
            {
                StartRebalance();
            }
        }
    }

    public void Leave(GroupMember member)
    {
        lock (_lock)
        {
            if (member.Active)
            {
                Remove(member);
            }
        }
    }

    public void EnterPoll(GroupMember member)
    {
        lock (_lock)
        {
            member.PollDepth++;
            member.LastSeenMs = NowMs;
        }
    }

    public void ExitPoll(GroupMember member)
    {
        lock (_lock)
        {
            member.PollDepth--;
            member.LastSeenMs = NowMs;
        }
    }

    /// <summary>Where the member stands; expires silent members and notices partition count changes first.</summary>
    public MemberStatus Check(GroupMember member)
    {
        lock (_lock)
        {
            ExpireMembers();
            if (!member.Active)
            {
                return MemberStatus.Removed;
            }

            member.LastSeenMs = NowMs;
            if (!_rebalancing && MetadataChanged())
            {
                StartRebalance();
            }

            if (_rebalancing)
            {
                return member.Rejoined ? MemberStatus.Waiting : MemberStatus.MustRevoke;
            }

            return member.Generation == Generation ? MemberStatus.Stable : MemberStatus.NewAssignment;
        }
    }

    /// <summary>The member revoked its partitions and is ready for the next generation.</summary>
    public void Rejoin(GroupMember member)
    {
        lock (_lock)
        {
            if (!member.Active)
            {
                return;
            }

            member.Rejoined = true;
            member.Assignment = [];
            TryCompleteRebalance();
        }
    }

    /// <summary>The member's assignment of the current generation, marking it taken.</summary>
    public IReadOnlyList<TopicPartition> TakeAssignment(GroupMember member, out int generation)
    {
        lock (_lock)
        {
            member.Generation = Generation;
            generation = Generation;
            return member.Assignment;
        }
    }

    /// <summary>Null when the member may commit now, else Kafka's error name.</summary>
    public string? CommitError(GroupMember member, int generation)
    {
        lock (_lock)
        {
            if (!member.Active)
            {
                return "UNKNOWN_MEMBER_ID";
            }

            return generation == Generation ? null : "ILLEGAL_GENERATION";
        }
    }

    private void ExpireMembers()
    {
        var now = NowMs;
        List<GroupMember>? expired = null;
        foreach (var m in _members.Values)
        {
            if (m.PollDepth == 0 && now - m.LastSeenMs > m.SessionTimeoutMs)
            {
                (expired ??= []).Add(m);
            }
        }

        if (expired is not null)
        {
            foreach (var m in expired)
            {
                Remove(m);
            }
        }
    }

    private void Remove(GroupMember member)
    {
        member.Active = false;
        member.Assignment = [];
        _members.Remove(member.Id);
        if (_members.Count == 0)
        {
            _rebalancing = false;
            Generation++;
            _assignedCounts = new Dictionary<string, int>(StringComparer.Ordinal);
            Signal();
        }
        else
        {
            StartRebalance();
        }
    }

    private void StartRebalance()
    {
        _rebalancing = true;
        foreach (var m in _members.Values)
        {
            // A member holding nothing has nothing to revoke.
            m.Rejoined = m.Assignment.Count == 0 && m.Generation != Generation || m.Generation < 0;
        }

        Signal();
        TryCompleteRebalance();
    }

    private void TryCompleteRebalance()
    {
        if (!_rebalancing || _members.Values.Any(m => !m.Rejoined))
        {
            return;
        }

        var subscriptions = _members.Values.ToDictionary(m => m.Id, m => m.Topics, StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in subscriptions.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal))
        {
            counts[topic] = log.GetPartitions(topic).Count;
        }

        var assignment = RangeAssignor.Assign(subscriptions, t => counts[t]);
        Generation++;
        foreach (var m in _members.Values)
        {
            m.Assignment = assignment[m.Id];
        }

        _assignedCounts = counts;
        _rebalancing = false;
        Signal();
    }

    private bool MetadataChanged()
    {
        foreach (var (topic, count) in _assignedCounts)
        {
            if (log.GetPartitions(topic).Count != count)
            {
                return true;
            }
        }

        return false;
    }

    private void Signal()
    {
        var old = _changed;
        _changed = NewSignal();
        old.TrySetResult();
    }
}
