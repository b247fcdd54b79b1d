using Rhei.Protocol.Messages;

namespace Rhei.Protocol.Tests.Messages;

public sealed class ConsumerProtocolTests
{
    [Fact]
    public void Subscriptions_carry_their_version_first()
    {
        var subscription = new ConsumerProtocolSubscription { Topics = ["a"], GenerationId = 3 };
        var bytes = ConsumerProtocol.WriteSubscription(subscription, 2);
        Assert.Equal("0002 00000001 0001 61 ffffffff 00000000 00000003".Replace(" ", "", StringComparison.Ordinal), Hex.Format(bytes));
        var read = ConsumerProtocol.ReadSubscription(bytes, out var version);
        Assert.Equal(2, version);
        Assert.Equal(subscription, read);
    }

    [Fact]
    public void A_newer_version_is_read_with_the_newest_known_layout()
    {
        // Version 9 of a subscription: the v3 layout followed by fields Rhei does not know.
        var bytes = Hex.Parse("0009 00000001 0001 61 ffffffff 00000000 ffffffff ffff | 12 34");
        var read = ConsumerProtocol.ReadSubscription(bytes, out var version);
        Assert.Equal(9, version);
        Assert.Equal(["a"], read.Topics);
        Assert.Null(read.RackId);
    }

    [Fact]
    public void Assignments_round_trip_and_an_empty_payload_is_an_empty_assignment()
    {
        var assignment = new ConsumerProtocolAssignment
        {
            AssignedPartitions = [new ConsumerProtocolAssignment.TopicPartition { Topic = "t", Partitions = [0, 2] }],
        };
        var read = ConsumerProtocol.ReadAssignment(ConsumerProtocol.WriteAssignment(assignment, 0), out var version);
        Assert.Equal(0, version);
        Assert.Equal(assignment, read);
        Assert.Empty(ConsumerProtocol.ReadAssignment(ReadOnlyMemory<byte>.Empty, out _).AssignedPartitions);
    }
}
