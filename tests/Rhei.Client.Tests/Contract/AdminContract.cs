using static Rhei.Client.Tests.TestHelpers;

namespace Rhei.Client.Tests.Contract;

/// <summary>Admin behaviour every implementation must show, with Kafka's error names.</summary>
public abstract class AdminContract : IAsyncLifetime
{
    private ClientCluster? _cluster;

    protected IClientFactory Factory => _cluster!.Factory;

    protected abstract Task<ClientCluster> StartAsync();

    public async Task InitializeAsync() => _cluster = await StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Topics_are_created_described_listed_grown_and_deleted()
    {
        var topic = UniqueTopic();
        await using var admin = Factory.CreateAdmin();
        await admin.CreateTopicsAsync([new TopicSpec(topic, 3) { Configs = new Dictionary<string, string> { ["retention.ms"] = "123456" } }]);

        var description = Assert.Single(await admin.DescribeTopicsAsync([topic]));
        Assert.Equal(topic, description.Name);
        Assert.Equal(3, description.Partitions);
        Assert.Equal(1, description.ReplicationFactor);
        Assert.False(description.IsInternal);
        Assert.Equal("123456", description.Configs["retention.ms"]);
        Assert.Contains(topic, await admin.ListTopicsAsync());
        Assert.DoesNotContain(await admin.ListTopicsAsync(), t => t.StartsWith("__", StringComparison.Ordinal));

        await admin.CreatePartitionsAsync(topic, 5);
        Assert.Equal(5, Assert.Single(await admin.DescribeTopicsAsync([topic])).Partitions);

        await admin.DeleteTopicsAsync([topic]);
        await EventuallyAsync(async () => !(await admin.ListTopicsAsync()).Contains(topic), "the topic to disappear");
    }

    [Fact]
    public async Task Topic_errors_carry_kafka_error_names()
    {
        var topic = UniqueTopic();
        await using var admin = Factory.CreateAdmin();
        await admin.CreateTopicsAsync([new TopicSpec(topic, 2)]);

        Assert.Equal("TOPIC_ALREADY_EXISTS", (await Assert.ThrowsAsync<AdminException>(async () => await admin.CreateTopicsAsync([new TopicSpec(topic, 2)]))).ErrorName);
        Assert.Equal("INVALID_TOPIC_EXCEPTION", (await Assert.ThrowsAsync<AdminException>(async () => await admin.CreateTopicsAsync([new TopicSpec("bad name!", 1)]))).ErrorName);
        Assert.Equal("INVALID_PARTITIONS", (await Assert.ThrowsAsync<AdminException>(async () => await admin.CreateTopicsAsync([new TopicSpec(UniqueTopic(), 0)]))).ErrorName);
        Assert.Equal("INVALID_PARTITIONS", (await Assert.ThrowsAsync<AdminException>(async () => await admin.CreatePartitionsAsync(topic, 1))).ErrorName);
        var missing = UniqueTopic("missing");
        Assert.Equal("UNKNOWN_TOPIC_OR_PARTITION", (await Assert.ThrowsAsync<AdminException>(async () => await admin.DescribeTopicsAsync([missing]))).ErrorName);
        Assert.Equal("UNKNOWN_TOPIC_OR_PARTITION", (await Assert.ThrowsAsync<AdminException>(async () => await admin.DeleteTopicsAsync([missing]))).ErrorName);
        Assert.Equal("UNKNOWN_TOPIC_OR_PARTITION", (await Assert.ThrowsAsync<AdminException>(async () => await admin.CreatePartitionsAsync(missing, 4))).ErrorName);
    }

    [Fact]
    public async Task List_offsets_finds_earliest_latest_max_timestamp_and_by_timestamp()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 1);
        await using (var producer = Factory.CreateProducer(FastProducer))
        {
            await producer.ProduceAsync(new ProduceRecord(topic, null, Bytes("a"), 0, 1000));
            await producer.ProduceAsync(new ProduceRecord(topic, null, Bytes("b"), 0, 3000));
            await producer.ProduceAsync(new ProduceRecord(topic, null, Bytes("c"), 0, 2000));
        }

        var tp = new TopicPartition(topic, 0);
        await using var admin = Factory.CreateAdmin();
        var result = await admin.ListOffsetsAsync([(tp, OffsetSpec.Earliest), (tp, OffsetSpec.Latest), (tp, OffsetSpec.ForTimestamp(1500)), (tp, OffsetSpec.ForTimestamp(2500)), (tp, OffsetSpec.ForTimestamp(9000)), (tp, OffsetSpec.MaxTimestamp)]);
        Assert.Equal([0L, 3, 1, 1, -1, 1], result.Select(r => r.Offset));
        Assert.Equal(3000, result[2].Timestamp);
        Assert.Equal(3000, result[5].Timestamp);
        Assert.All(result, r => Assert.Equal(tp, r.TopicPartition));
    }

    [Fact]
    public async Task Group_offsets_are_listed_and_groups_deleted()
    {
        var topic = UniqueTopic();
        var group = UniqueTopic("g");
        await Factory.CreateTopicAsync(topic, 2);
        await using (var consumer = Factory.CreateConsumer(new ConsumerOptions { GroupId = group }))
        {
            await consumer.CommitAsync([new TopicPartitionOffset(topic, 1, 7), new TopicPartitionOffset(topic, 0, 3)]);
        }

        await using var admin = Factory.CreateAdmin();
        Assert.Contains(group, await admin.ListConsumerGroupsAsync());
        Assert.Equal([new TopicPartitionOffset(topic, 0, 3), new TopicPartitionOffset(topic, 1, 7)], (await admin.ListConsumerGroupOffsetsAsync(group)).OrderBy(o => o.Partition));

        await admin.DeleteConsumerGroupAsync(group);
        Assert.DoesNotContain(group, await admin.ListConsumerGroupsAsync());
        Assert.Empty(await admin.ListConsumerGroupOffsetsAsync(group));
        Assert.Equal("GROUP_ID_NOT_FOUND", (await Assert.ThrowsAsync<AdminException>(async () => await admin.DeleteConsumerGroupAsync(group))).ErrorName);
    }

    [Fact]
    public async Task A_group_with_members_cannot_be_deleted()
    {
        var topic = UniqueTopic();
        var group = UniqueTopic("g");
        await Factory.CreateTopicAsync(topic, 1);
        IReadOnlyList<TopicPartition> assigned = [];
        await using var consumer = Factory.CreateConsumer(new ConsumerOptions { GroupId = group, OnPartitionsAssigned = p => assigned = p });
        consumer.Subscribe([topic]);
        var deadline = DateTime.UtcNow + Patience;
        while (assigned.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "No assignment in time.");
            await consumer.PollAsync(TimeSpan.FromMilliseconds(100));
        }

        await consumer.CommitAsync([new TopicPartitionOffset(topic, 0, 0)]);
        await using var admin = Factory.CreateAdmin();
        Assert.Contains(group, await admin.ListConsumerGroupsAsync());
        Assert.Equal("NON_EMPTY_GROUP", (await Assert.ThrowsAsync<AdminException>(async () => await admin.DeleteConsumerGroupAsync(group))).ErrorName);

        await consumer.CloseAsync();
        await admin.DeleteConsumerGroupAsync(group);
    }
}
