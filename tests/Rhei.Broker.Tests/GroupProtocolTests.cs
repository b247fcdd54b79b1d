using Rhei.Broker.Tests.Support;
using Rhei.Protocol;
using Rhei.Protocol.Messages;

namespace Rhei.Broker.Tests;

/// <summary>The group coordinator seen from bare requests: joins, generations and fencing, assignments, leaving, session expiry, commits.</summary>
public sealed class GroupProtocolTests
{
    private static JoinGroupRequest Join(string group, string memberId = "", int sessionTimeoutMs = 10_000, string? instance = null) => new()
    {
        GroupId = group,
        MemberId = memberId,
        GroupInstanceId = instance,
        SessionTimeoutMs = sessionTimeoutMs,
        RebalanceTimeoutMs = 10_000,
        ProtocolType = "consumer",
        Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = [0, 1, 2] }],
    };

    [Fact]
    public async Task A_new_member_gets_its_id_in_the_first_join_and_the_leader_assignment_reaches_followers()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { GroupInitialRebalanceDelayMs = 300 });
        using var a = await RawConnection.ConnectAsync(broker.Port);
        using var b = await RawConnection.ConnectAsync(broker.Port);

        // Both join within the initial delay: one generation with both members (no MEMBER_ID_REQUIRED round trip at v4+).
        var joinA = a.RequestAsync<JoinGroupResponse>(Join("g1"), 5);
        var joinB = b.RequestAsync<JoinGroupResponse>(Join("g1"), 4);
        var (ra, rb) = (await joinA, await joinB);
        Assert.Equal(0, ra.ErrorCode);
        Assert.Equal(0, rb.ErrorCode);
        Assert.Equal(1, ra.GenerationId);
        Assert.Equal(ra.GenerationId, rb.GenerationId);
        Assert.Equal("range", ra.ProtocolName);
        Assert.Equal(ra.Leader, rb.Leader);
        var (leader, leaderResponse, follower, followerResponse) = ra.Leader == ra.MemberId ? (a, ra, b, rb) : (b, rb, a, ra);
        Assert.Equal(2, leaderResponse.Members.Count);
        Assert.Empty(followerResponse.Members);

        var followerSync = follower.RequestAsync<SyncGroupResponse>(new SyncGroupRequest { GroupId = "g1", GenerationId = 1, MemberId = followerResponse.MemberId }, 5);
        var leaderSync = await leader.RequestAsync<SyncGroupResponse>(new SyncGroupRequest
        {
            GroupId = "g1",
            GenerationId = 1,
            MemberId = leaderResponse.MemberId,
            ProtocolType = "consumer",
            ProtocolName = "range",
            Assignments =
            [
                new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = leaderResponse.MemberId, Assignment = [1] },
                new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = followerResponse.MemberId, Assignment = [2, 2] },
            ],
        }, 5);
        Assert.Equal([1], leaderSync.Assignment);
        Assert.Equal("range", leaderSync.ProtocolName);
        Assert.Equal([2, 2], (await followerSync).Assignment);

        // Fencing: a wrong generation, an unknown member.
        Assert.Equal((short)ErrorCode.IllegalGeneration, (await follower.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g1", GenerationId = 7, MemberId = followerResponse.MemberId }, 4)).ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownMemberId, (await follower.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g1", GenerationId = 1, MemberId = "nobody" }, 4)).ErrorCode);
        Assert.Equal(0, (await follower.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g1", GenerationId = 1, MemberId = followerResponse.MemberId }, 4)).ErrorCode);

        // A third member starts a rebalance: the others learn it from their heartbeats, and commits of the old
        // generation are refused once the new one exists.
        using var c = await RawConnection.ConnectAsync(broker.Port);
        var joinC = c.RequestAsync<JoinGroupResponse>(Join("g1"), 5);
        await WaitForAsync(async () => (await follower.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g1", GenerationId = 1, MemberId = followerResponse.MemberId }, 4)).ErrorCode == (short)ErrorCode.RebalanceInProgress);
        var rejoinA = leader.RequestAsync<JoinGroupResponse>(Join("g1", leaderResponse.MemberId), 5);
        var rejoinB = follower.RequestAsync<JoinGroupResponse>(Join("g1", followerResponse.MemberId), 5);
        var generation2 = await Task.WhenAll(joinC, rejoinA, rejoinB);
        Assert.All(generation2, r => Assert.Equal(2, r.GenerationId));
        Assert.Equal(leaderResponse.MemberId, generation2[1].Leader);

        var commit = new OffsetCommitRequest
        {
            GroupId = "g1",
            GenerationIdOrMemberEpoch = 1,
            MemberId = followerResponse.MemberId,
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "__consumer_offsets", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }],
        };
        var stale = await follower.RequestAsync<OffsetCommitResponse>(commit, 8);
        Assert.Equal((short)ErrorCode.RebalanceInProgress, stale.Topics[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task Members_leave_in_a_batch_and_silent_members_expire()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { GroupInitialRebalanceDelayMs = 0 });
        using var a = await RawConnection.ConnectAsync(broker.Port);
        var first = await a.RequestAsync<JoinGroupResponse>(Join("g2", sessionTimeoutMs: 1000), 5);
        Assert.Equal(1, first.GenerationId);
        await a.RequestAsync<SyncGroupResponse>(new SyncGroupRequest { GroupId = "g2", GenerationId = 1, MemberId = first.MemberId }, 5);

        // No heartbeats: the session times out and the group empties (a new generation without members).
        await WaitForAsync(async () => (await a.RequestAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["g2"] }, 5)).Groups[0].GroupState == "Empty");
        Assert.Equal((short)ErrorCode.UnknownMemberId, (await a.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g2", GenerationId = 1, MemberId = first.MemberId }, 4)).ErrorCode);

        var again = await a.RequestAsync<JoinGroupResponse>(Join("g2", instance: "static-a"), 5);
        Assert.Equal(3, again.GenerationId);
        var leave = await a.RequestAsync<LeaveGroupResponse>(new LeaveGroupRequest
        {
            GroupId = "g2",
            Members =
            [
                new LeaveGroupRequest.MemberIdentity { MemberId = again.MemberId, GroupInstanceId = "static-a" },
                new LeaveGroupRequest.MemberIdentity { MemberId = "ghost" },
            ],
        }, 4);
        Assert.Equal([0, (short)ErrorCode.UnknownMemberId], leave.Members.Select(m => m.ErrorCode));
        var described = await a.RequestAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["g2", "never-seen"] }, 5);
        Assert.Equal("Empty", described.Groups[0].GroupState);
        Assert.Equal("Dead", described.Groups[1].GroupState);
    }

    [Fact]
    public async Task A_simple_consumer_commits_with_generation_minus_one_and_fetches_all_offsets()
    {
        await using var broker = await TestBroker.StartAsync();
        await broker.Storage.CreateTopicAsync("simple", 3);
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        var commit = new OffsetCommitRequest
        {
            GroupId = "standalone",
            GenerationIdOrMemberEpoch = -1,
            Topics =
            [
                new OffsetCommitRequest.OffsetCommitRequestTopic
                {
                    Name = "simple",
                    Partitions =
                    [
                        new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 10, CommittedMetadata = "m0" },
                        new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 2, CommittedOffset = 12 },
                        new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 9, CommittedOffset = 1 },
                    ],
                },
            ],
        };
        var committed = await connection.RequestAsync<OffsetCommitResponse>(commit, 2);
        Assert.Equal([0, 0, (short)ErrorCode.UnknownTopicOrPartition], committed.Topics[0].Partitions.Select(p => p.ErrorCode));

        var all = await connection.RequestAsync<OffsetFetchResponse>(new OffsetFetchRequest { GroupId = "standalone", Topics = null }, 7);
        Assert.Equal([(0, 10L, "m0"), (2, 12L, "")], all.Topics.Single().Partitions.Select(p => (p.PartitionIndex, p.CommittedOffset, p.Metadata ?? "")));

        var some = await connection.RequestAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = "standalone",
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "simple", PartitionIndexes = [1, 2] }],
        }, 1);
        Assert.Equal([(1, -1L), (2, 12L)], some.Topics[0].Partitions.Select(p => (p.PartitionIndex, p.CommittedOffset)));

        var groups = await connection.RequestAsync<ListGroupsResponse>(new ListGroupsRequest { StatesFilter = ["empty"] }, 4);
        Assert.Contains(groups.Groups, g => g.GroupId == "standalone" && g.GroupState == "Empty");
    }

    [Fact]
    public async Task FindCoordinator_names_this_node_for_groups_and_transactional_ids()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { NodeId = 3 });
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        foreach (var (version, keyType) in new (short, sbyte)[] { (0, 0), (1, 0), (2, 1), (3, 0) })
        {
            var response = await connection.RequestAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "some-group", KeyType = keyType }, version);
            Assert.Equal((0, 3, broker.Port), (response.ErrorCode, response.NodeId, response.Port));
        }

        var bad = await connection.RequestAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "x", KeyType = 5 }, 3);
        Assert.Equal((short)ErrorCode.InvalidRequest, bad.ErrorCode);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Clients.Guard;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the group to change.");
            await Task.Delay(50);
        }
    }
}
