using Rhei.Client.Embedded;
using static Rhei.Client.Tests.TestHelpers;

namespace Rhei.Client.Tests;

public sealed class PartitionerTests
{
    // Known values of the Java client's Utils.murmur2 (Kafka's own unit test vectors).
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_matches_the_java_client(string key, int expected) =>
        Assert.Equal(expected, KafkaPartitioner.Murmur2(Bytes(key)));

    [Fact]
    public void Partition_is_the_positive_hash_modulo_the_partition_count()
    {
        Assert.Equal((-973932308 & 0x7fffffff) % 6, KafkaPartitioner.Partition(Bytes("21"), 6));
        Assert.Equal((479470107 & 0x7fffffff) % 10, KafkaPartitioner.Partition(Bytes("abc"), 10));
        Assert.Equal(0, KafkaPartitioner.Partition(Bytes("anything"), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => KafkaPartitioner.Partition(Bytes("x"), 0));
    }

    [Fact]
    public void Range_assignment_splits_partitions_in_order_over_sorted_members()
    {
        var subscriptions = new Dictionary<string, IReadOnlyCollection<string>>
        {
            ["m-c"] = ["a", "b"],
            ["m-a"] = ["a", "b"],
            ["m-b"] = ["a"],
        };
        var result = RangeAssignor.Assign(subscriptions, t => t == "a" ? 7 : 4);
        Assert.Equal([0, 1, 2], result["m-a"].Where(p => p.Topic == "a").Select(p => p.Partition));
        Assert.Equal([3, 4], result["m-b"].Where(p => p.Topic == "a").Select(p => p.Partition));
        Assert.Equal([5, 6], result["m-c"].Where(p => p.Topic == "a").Select(p => p.Partition));
        Assert.Equal([0, 1], result["m-a"].Where(p => p.Topic == "b").Select(p => p.Partition));
        Assert.DoesNotContain(result["m-b"], p => p.Topic == "b");
        Assert.Equal([2, 3], result["m-c"].Where(p => p.Topic == "b").Select(p => p.Partition));
    }

    [Fact]
    public void Range_assignment_lines_up_co_partitioned_topics()
    {
        var subscriptions = new Dictionary<string, IReadOnlyCollection<string>> { ["x"] = ["left", "right"], ["y"] = ["left", "right"], ["z"] = ["left", "right"] };
        var result = RangeAssignor.Assign(subscriptions, _ => 8);
        foreach (var (_, partitions) in result)
        {
            Assert.Equal(partitions.Where(p => p.Topic == "left").Select(p => p.Partition), partitions.Where(p => p.Topic == "right").Select(p => p.Partition));
        }
    }
}
