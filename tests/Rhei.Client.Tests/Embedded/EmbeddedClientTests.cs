using System.Runtime.InteropServices;
using Rhei.Client.Embedded;
using static Rhei.Client.Tests.TestHelpers;

namespace Rhei.Client.Tests.Embedded;

/// <summary>Behaviour particular to the in-process clients: zero-copy reads, buffer lifetimes, the in-memory coordinator.</summary>
public sealed class EmbeddedClientTests : IAsyncLifetime
{
    private EmbeddedCluster? _cluster;

    private EmbeddedCluster Cluster => _cluster!;

    private IClientFactory Factory => Cluster.Factory;

    public async Task InitializeAsync() => _cluster = await EmbeddedCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    [Fact]
    public async Task Consumed_keys_and_values_point_into_one_read_buffer()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 1);
        await using (var producer = Factory.CreateProducer(new ProducerOptions { LingerMs = 60_000 }))
        {
            for (var i = 0; i < 100; i++)
            {
                producer.Produce(new ProduceRecord(topic, Bytes($"key-{i}"), Bytes($"value-{i}"), 0));
            }

            await producer.FlushAsync();
        }

        await using var consumer = Factory.CreateConsumer(new ConsumerOptions());
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offsets.Beginning)]);
        var records = await consumer.PollAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(100, records.Count);

        byte[]? shared = null;
        var positions = new List<int>();
        foreach (var r in records)
        {
            Assert.True(MemoryMarshal.TryGetArray(r.Key!.Value, out var key));
            Assert.True(MemoryMarshal.TryGetArray(r.Value!.Value, out var value));
            shared ??= key.Array;
            Assert.Same(shared, key.Array);
            Assert.Same(shared, value.Array);
            positions.Add(key.Offset);
            positions.Add(value.Offset);
        }

        // Slices in record order, not copies at the start of fresh arrays.
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(200, positions.Distinct().Count());
    }

    [Fact]
    public async Task Records_of_compressed_batches_stay_valid_until_the_next_poll()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 1);
        foreach (var codec in new[] { "lz4", "zstd", "gzip", "snappy" })
        {
            await using var producer = Factory.CreateProducer(new ProducerOptions { LingerMs = 60_000, CompressionType = codec, BatchSize = 4096 });
            for (var i = 0; i < 500; i++)
            {
                producer.Produce(new ProduceRecord(topic, Bytes($"{codec}-{i}"), Bytes(new string((char)('a' + (i % 26)), 40 + (i % 17))), 0));
            }

            await producer.FlushAsync();
        }

        await using var consumer = Factory.CreateConsumer(new ConsumerOptions { MaxPollRecords = 333 });
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offsets.Beginning)]);
        var seen = 0;
        while (seen < 2000)
        {
            var records = await consumer.PollAsync(TimeSpan.FromSeconds(10));
            Assert.NotEmpty(records);

            // Check every record of the poll only after the whole poll was read (several batches, several decompressions).
            foreach (var r in records)
            {
                var key = System.Text.Encoding.UTF8.GetString(r.Key!.Value.Span);
                var i = int.Parse(key[(key.IndexOf('-') + 1)..]);
                Assert.Equal(new string((char)('a' + (i % 26)), 40 + (i % 17)), System.Text.Encoding.UTF8.GetString(r.Value!.Value.Span));
                Assert.Equal(seen++, r.Offset);
            }
        }
    }

    [Fact]
    public async Task A_poll_waiting_on_several_partitions_wakes_on_an_append_to_any()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 3);
        await using var consumer = Factory.CreateConsumer(new ConsumerOptions());
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(topic, p, Offsets.End)));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var poll = consumer.PollAsync(TimeSpan.FromMinutes(5), deadline.Token).AsTask();
        await Task.Delay(100);
        Assert.False(poll.IsCompleted);
        await using (var producer = Factory.CreateProducer(FastProducer))
        {
            await producer.ProduceAsync(new ProduceRecord(topic, null, Bytes("wake"), 2));
        }

        var records = await poll;
        Assert.Equal("wake", Received.Copy(Assert.Single(records)).ValueText);
    }

    [Fact]
    public async Task A_member_that_stops_polling_is_expired_and_rejoins_when_it_polls_again()
    {
        var topic = UniqueTopic();
        var group = UniqueTopic("g");
        await Factory.CreateTopicAsync(topic, 4);
        var lost = new List<IReadOnlyList<TopicPartition>>();
        await using var a = Factory.CreateConsumer(new ConsumerOptions { ClientId = "a", GroupId = group, SessionTimeoutMs = 300, OnPartitionsRevoked = p => lost.Add(p) });
        await using var b = Factory.CreateConsumer(new ConsumerOptions { ClientId = "b", GroupId = group });
        a.Subscribe([topic]);
        await PollUntilAsync(a, () => a.Assignment.Count == 4);

        // a stops polling; b joins and, once a's session expires, takes everything.
        b.Subscribe([topic]);
        await PollUntilAsync(b, () => b.Assignment.Count == 4);
        var commit = await Assert.ThrowsAsync<ConsumerException>(async () => await a.CommitAsync([new TopicPartitionOffset(topic, 0, 1)]));
        Assert.Equal("UNKNOWN_MEMBER_ID", commit.ErrorName);

        // a polls again: its partitions are reported lost, it rejoins, and the two share the topic.
        var polling = PollUntilAsync(b, () => b.Assignment.Count == 2);
        await PollUntilAsync(a, () => a.Assignment.Count == 2);
        await polling;
        Assert.Equal(4, Assert.Single(lost).Count);
        Assert.Equal([0, 1, 2, 3], a.Assignment.Concat(b.Assignment).Select(p => p.Partition).Order());
        await a.CommitAsync([new TopicPartitionOffset(topic, a.Assignment[0].Partition, 0)]);
    }

    [Fact]
    public async Task A_member_that_has_not_joined_the_current_generation_cannot_commit()
    {
        var topic = UniqueTopic();
        var group = UniqueTopic("g");
        await Factory.CreateTopicAsync(topic, 2);
        await using var a = Factory.CreateConsumer(new ConsumerOptions { ClientId = "a", GroupId = group });
        await using var b = Factory.CreateConsumer(new ConsumerOptions { ClientId = "b", GroupId = group });
        a.Subscribe([topic]);
        await PollUntilAsync(a, () => a.Assignment.Count == 2);
        b.Subscribe([topic]);
        await PollUntilAsync(a, () => a.Assignment.Count == 1);

        var error = await Assert.ThrowsAsync<ConsumerException>(async () => await b.CommitAsync([new TopicPartitionOffset(topic, 1, 0)]));
        Assert.Equal("ILLEGAL_GENERATION", error.ErrorName);
        await PollUntilAsync(b, () => b.Assignment.Count == 1);
        await b.CommitAsync([new TopicPartitionOffset(topic, 1, 0)]);
    }

    [Fact]
    public async Task Growing_a_subscribed_topic_rebalances_onto_the_new_partitions()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 2);
        await using var consumer = Factory.CreateConsumer(new ConsumerOptions { GroupId = UniqueTopic("g") });
        consumer.Subscribe([topic, "not-yet-" + topic]);
        await PollUntilAsync(consumer, () => consumer.Assignment.Count == 2);
        await using (var admin = Factory.CreateAdmin())
        {
            await admin.CreatePartitionsAsync(topic, 4);
            await admin.CreateTopicsAsync([new TopicSpec("not-yet-" + topic, 1)]);
        }

        await PollUntilAsync(consumer, () => consumer.Assignment.Count == 5);
    }

    [Fact]
    public async Task Auto_commit_commits_positions_on_close()
    {
        var topic = UniqueTopic();
        var group = UniqueTopic("g");
        await Factory.CreateTopicAsync(topic, 1);
        await using (var producer = Factory.CreateProducer(FastProducer))
        {
            for (var i = 0; i < 5; i++)
            {
                producer.Produce(new ProduceRecord(topic, null, Bytes($"v{i}")));
            }

            await producer.FlushAsync();
        }

        await using (var consumer = Factory.CreateConsumer(new ConsumerOptions { GroupId = group, EnableAutoCommit = true, AutoOffsetReset = AutoOffsetReset.Earliest }))
        {
            consumer.Subscribe([topic]);
            await consumer.ConsumeAsync(5);
        }

        await using var admin = Factory.CreateAdmin();
        Assert.Equal(5, Assert.Single(await admin.ListConsumerGroupOffsetsAsync(group)).Offset);
    }

    [Fact]
    public async Task Transactions_are_refused_with_a_clear_error()
    {
        var error = Assert.Throws<NotSupportedException>(() => Factory.CreateProducer(new ProducerOptions { TransactionalId = "tx" }));
        Assert.Contains("transactional.id", error.Message, StringComparison.Ordinal);
    }

    private static async Task PollUntilAsync(IConsumer consumer, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await consumer.PollAsync(TimeSpan.FromMilliseconds(50));
        }
    }
}
