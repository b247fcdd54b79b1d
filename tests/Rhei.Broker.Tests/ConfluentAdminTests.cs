using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Rhei.Broker.Tests.Support;

namespace Rhei.Broker.Tests;

/// <summary>Confluent.Kafka's admin client: topics, partitions, configs, groups, offsets, cluster.</summary>
public sealed class ConfluentAdminTests
{
    [Fact]
    public async Task Topics_are_created_described_grown_and_deleted()
    {
        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        using var admin = clients.Admin();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = "alpha", NumPartitions = 3, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "60000", ["cleanup.policy"] = "compact" } },
            new TopicSpecification { Name = "beta", NumPartitions = -1, ReplicationFactor = -1 },
        ]);

        var duplicate = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([new TopicSpecification { Name = "alpha", NumPartitions = 1, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.TopicAlreadyExists, duplicate.Results[0].Error.Code);

        var replicated = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([new TopicSpecification { Name = "gamma", NumPartitions = 1, ReplicationFactor = 3 }]));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, replicated.Results[0].Error.Code);

        var badConfig = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([new TopicSpecification { Name = "delta", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "soon" } }]));
        Assert.Equal(ErrorCode.InvalidConfig, badConfig.Results[0].Error.Code);

        var badName = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([new TopicSpecification { Name = "no spaces", NumPartitions = 1, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.TopicException, badName.Results[0].Error.Code);

        await admin.CreateTopicsAsync([new TopicSpecification { Name = "checked", NumPartitions = 1, ReplicationFactor = 1 }], new CreateTopicsOptions { ValidateOnly = true });
        Assert.Null(broker.Storage.DescribeTopic("checked"));

        var metadata = admin.GetMetadata(Clients.Guard);
        Assert.Equal(3, metadata.Topics.Single(t => t.Topic == "alpha").Partitions.Count);
        Assert.Single(metadata.Topics.Single(t => t.Topic == "beta").Partitions);
        Assert.Equal(0, metadata.OriginatingBrokerId);

        var described = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["alpha"]));
        var alpha = Assert.Single(described.TopicDescriptions);
        Assert.Equal(3, alpha.Partitions.Count);
        Assert.NotEqual(Guid.Empty.ToString(), alpha.TopicId.ToString());

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "alpha", IncreaseTo = 5 }]);
        Assert.Equal(5, broker.Storage.DescribeTopic("alpha")!.PartitionCount);
        var shrink = await Assert.ThrowsAsync<CreatePartitionsException>(() => admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "alpha", IncreaseTo = 2 }]));
        Assert.Equal(ErrorCode.InvalidPartitions, shrink.Results[0].Error.Code);

        await admin.DeleteTopicsAsync(["beta"]);
        Assert.Null(broker.Storage.DescribeTopic("beta"));
        var missing = await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync(["beta"]));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, missing.Results[0].Error.Code);
    }

    [Fact]
    public async Task Configs_of_topics_and_the_broker_are_described_with_their_sources()
    {
        await using var broker = await TestBroker.StartAsync(tweakBroker: o => o with
        {
            BrokerConfigs = [new("log.retention.hours", "24", IsDefault: false), new("num.partitions", "1", IsDefault: true)],
        });
        var clients = new Clients(broker.BootstrapServers);
        using var admin = clients.Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "configured", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "60000" } }]);

        var results = await admin.DescribeConfigsAsync(
            [new ConfigResource { Type = ResourceType.Topic, Name = "configured" }, new ConfigResource { Type = ResourceType.Broker, Name = "0" }],
            new DescribeConfigsOptions { RequestTimeout = Clients.Guard });
        var topic = results.Single(r => r.ConfigResource.Type == ResourceType.Topic).Entries;
        Assert.Equal("60000", topic["retention.ms"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, topic["retention.ms"].Source);
        Assert.False(topic["retention.ms"].IsDefault);
        Assert.Equal("delete", topic["cleanup.policy"].Value);
        Assert.Equal(ConfigSource.DefaultConfig, topic["cleanup.policy"].Source);
        Assert.Equal("producer", topic["compression.type"].Value);
        Assert.False(topic["cleanup.policy"].IsReadOnly);

        var brokerEntries = results.Single(r => r.ConfigResource.Type == ResourceType.Broker).Entries;
        Assert.Equal("24", brokerEntries["log.retention.hours"].Value);
        Assert.Equal(ConfigSource.StaticBrokerConfig, brokerEntries["log.retention.hours"].Source);
        Assert.Equal(ConfigSource.DefaultConfig, brokerEntries["num.partitions"].Source);
        Assert.True(brokerEntries["num.partitions"].IsReadOnly);

        var missing = await Assert.ThrowsAsync<DescribeConfigsException>(() => admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "nope" }]));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, missing.Results[0].Error.Code);
    }

    [Fact]
    public async Task Groups_are_listed_described_and_deleted_and_their_offsets_managed()
    {
        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        await clients.CreateTopicAsync("grouped", 2);
        using (var producer = clients.Producer<Null, string>())
        {
            for (var i = 0; i < 10; i++)
            {
                producer.Produce(new TopicPartition("grouped", i % 2), new Message<Null, string> { Value = $"g{i}" });
            }

            producer.Flush(Clients.Guard);
        }

        using var admin = clients.Admin();
        using (var consumer = clients.Consumer<Null, string>("active-group"))
        {
            consumer.Subscribe("grouped");
            var deadline = DateTime.UtcNow + Clients.Guard;
            while (consumer.Assignment.Count < 2 && DateTime.UtcNow < deadline)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(100));
            }

            consumer.Commit([new TopicPartitionOffset("grouped", 0, 3), new TopicPartitionOffset("grouped", 1, 4)]);

            var listed = await admin.ListConsumerGroupsAsync();
            var active = Assert.Single(listed.Valid, g => g.GroupId == "active-group");
            Assert.Equal(ConsumerGroupState.Stable, active.State);
            var stableOnly = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Empty] });
            Assert.DoesNotContain(stableOnly.Valid, g => g.GroupId == "active-group");

            var described = Assert.Single((await admin.DescribeConsumerGroupsAsync(["active-group"])).ConsumerGroupDescriptions);
            Assert.Equal(ConsumerGroupState.Stable, described.State);
            var member = Assert.Single(described.Members);
            Assert.Equal(2, member.Assignment.TopicPartitions.Count);
            Assert.Equal("rhei-test-consumer", member.ClientId);

            var nonEmpty = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["active-group"]));
            Assert.Equal(ErrorCode.NonEmptyGroup, nonEmpty.Results[0].Error.Code);

            var subscribed = await Assert.ThrowsAsync<DeleteConsumerGroupOffsetsException>(() =>
                admin.DeleteConsumerGroupOffsetsAsync("active-group", [new TopicPartition("grouped", 0)]));
            Assert.Equal(ErrorCode.GroupSubscribedToTopic, subscribed.Result.Partitions[0].Error.Code);
            consumer.Close();
        }

        var offsets = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("active-group", null)]);
        Assert.Equal(
            [("grouped", 0, 3L), ("grouped", 1, 4L)],
            offsets[0].Partitions.Select(p => (p.Topic, p.Partition.Value, p.Offset.Value)).Order());

        // An admin (simple) commit to the now empty group, then deleting one partition's offset.
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("active-group", [new TopicPartitionOffset("grouped", 0, 7)])]);
        await admin.DeleteConsumerGroupOffsetsAsync("active-group", [new TopicPartition("grouped", 1)]);
        offsets = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("active-group", null)]);
        Assert.Equal([("grouped", 0, 7L)], offsets[0].Partitions.Select(p => (p.Topic, p.Partition.Value, p.Offset.Value)));

        var empty = Assert.Single((await admin.DescribeConsumerGroupsAsync(["active-group"])).ConsumerGroupDescriptions);
        Assert.Equal(ConsumerGroupState.Empty, empty.State);
        await admin.DeleteGroupsAsync(["active-group"]);
        Assert.DoesNotContain((await admin.ListConsumerGroupsAsync()).Valid, g => g.GroupId == "active-group");
        var gone = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["active-group"]));
        Assert.Equal(ErrorCode.GroupIdNotFound, gone.Results[0].Error.Code);
    }

    [Fact]
    public async Task Offsets_are_listed_by_position_and_time_and_records_deleted()
    {
        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        await clients.CreateTopicAsync("timed", 1);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using (var producer = clients.Producer<Null, string>(c => c.LingerMs = 0))
        {
            for (var i = 0; i < 10; i++)
            {
                // Timestamps rise by a minute, except the largest sits in the middle.
                var minutes = i == 5 ? 100 : i;
                await producer.ProduceAsync("timed", new Message<Null, string> { Value = $"t{i}", Timestamp = new Timestamp(start.AddMinutes(minutes)) });
            }
        }

        using var admin = clients.Admin();
        var tp = new TopicPartition("timed", 0);
        async Task<long> OffsetFor(OffsetSpec spec) =>
            (await admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = tp, OffsetSpec = spec }])).ResultInfos[0].TopicPartitionOffsetError.Offset.Value;

        Assert.Equal(0, await OffsetFor(OffsetSpec.Earliest()));
        Assert.Equal(10, await OffsetFor(OffsetSpec.Latest()));
        Assert.Equal(5, await OffsetFor(OffsetSpec.MaxTimestamp()));
        Assert.Equal(3, await OffsetFor(OffsetSpec.ForTimestamp(new DateTimeOffset(start.AddMinutes(3)).ToUnixTimeMilliseconds())));
        Assert.Equal(5, await OffsetFor(OffsetSpec.ForTimestamp(new DateTimeOffset(start.AddMinutes(4.5)).ToUnixTimeMilliseconds())));
        Assert.Equal(-1, await OffsetFor(OffsetSpec.ForTimestamp(new DateTimeOffset(start.AddMinutes(101)).ToUnixTimeMilliseconds())));

        var deleted = await admin.DeleteRecordsAsync([new TopicPartitionOffset(tp, 4)]);
        Assert.Equal(4, deleted[0].Offset.Value);
        Assert.Equal(4, await OffsetFor(OffsetSpec.Earliest()));

        using var consumer = clients.Consumer<Null, string>();
        consumer.Assign([new TopicPartitionOffset(tp, Offset.Beginning)]);
        Assert.Equal("t4", clients.ConsumeAssigned(consumer, 1)[0].Message.Value);
    }

    [Fact]
    public async Task The_cluster_is_described_as_one_node()
    {
        await using var broker = await TestBroker.StartAsync(tweakBroker: o => o with { NodeId = 7 });
        var clients = new Clients(broker.BootstrapServers);
        using var admin = clients.Admin();
        var cluster = await admin.DescribeClusterAsync();
        var node = Assert.Single(cluster.Nodes);
        Assert.Equal(7, node.Id);
        Assert.Equal(broker.Port, node.Port);
        Assert.Equal(7, cluster.Controller.Id);
        Assert.Equal(broker.Broker.ClusterId, cluster.ClusterId);
    }
}
