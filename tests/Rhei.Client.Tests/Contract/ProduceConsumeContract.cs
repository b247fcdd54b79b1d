using static Rhei.Client.Tests.TestHelpers;

namespace Rhei.Client.Tests.Contract;

/// <summary>Produce and consume behaviour every implementation of the client contracts must show.</summary>
public abstract class ProduceConsumeContract : IAsyncLifetime
{
    private ClientCluster? _cluster;

    protected ClientCluster Cluster => _cluster!;

    protected IClientFactory Factory => Cluster.Factory;

    protected abstract Task<ClientCluster> StartAsync(bool autoCreateTopics);

    public async Task InitializeAsync() => _cluster = await StartAsync(autoCreateTopics: true);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Round_trip_keeps_null_and_empty_keys_and_values_headers_and_timestamps()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 1);
        await using (var producer = Factory.CreateProducer(FastProducer))
        {
            await producer.ProduceAsync(new ProduceRecord(topic, null, Bytes("v0"), 0, 1_700_000_000_000));
            await producer.ProduceAsync(new ProduceRecord(topic, Bytes("k1"), null, 0, 1_700_000_000_001));
            await producer.ProduceAsync(new ProduceRecord(topic, Array.Empty<byte>(), Array.Empty<byte>(), 0, 1_700_000_000_002));
            await producer.ProduceAsync(new ProduceRecord(topic, Bytes("k3"), Bytes("v3"), 0, 1_600_000_000_000, [new("a", Bytes("1")), new("nil", null), new("empty", Array.Empty<byte>()), new("a", Bytes("2"))]));
            // Null arrays (not null literals) are nulls too, not empty keys and values.
            byte[]? noKey = null;
            byte[]? noValue = null;
            await producer.ProduceAsync(new ProduceRecord(topic, noKey, noValue, 0, 1_700_000_000_004));
        }

        await using var consumer = Factory.CreateConsumer(new ConsumerOptions());
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offsets.Beginning)]);
        var got = await consumer.ConsumeAsync(5);

        Assert.Equal([0L, 1, 2, 3, 4], got.Select(r => r.Offset));
        Assert.Null(got[4].Key);
        Assert.Null(got[4].Value);
        Assert.Null(got[0].Key);
        Assert.Equal("v0", got[0].ValueText);
        Assert.Equal("k1", got[1].KeyText);
        Assert.Null(got[1].Value);
        Assert.NotNull(got[2].Key);
        Assert.Empty(got[2].Key!);
        Assert.NotNull(got[2].Value);
        Assert.Empty(got[2].Value!);
        Assert.Equal([1_700_000_000_000L, 1_700_000_000_001, 1_700_000_000_002, 1_600_000_000_000, 1_700_000_000_004], got.Select(r => r.Timestamp));
        Assert.All(got, r => Assert.Equal(TimestampType.CreateTime, r.TimestampType));
        Assert.All(got.Take(3).Append(got[4]), r => Assert.Empty(r.Headers));
        var headers = got[3].Headers;
        Assert.Equal(["a", "nil", "empty", "a"], headers.Select(h => h.Key));
        Assert.Equal(Bytes("1"), headers[0].Value);
        Assert.Null(headers[1].Value);
        Assert.NotNull(headers[2].Value);
        Assert.Empty(headers[2].Value!);
        Assert.Equal(Bytes("2"), headers[3].Value);
    }

    [Fact]
    public async Task Produce_async_reports_partition_offset_and_timestamp()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 3);
        await using var producer = Factory.CreateProducer(FastProducer);
        var first = await producer.ProduceAsync(new ProduceRecord(topic, null, Bytes("a"), 2, 1234));
        var second = await producer.ProduceAsync(new ProduceRecord(topic, null, Bytes("b"), 2, 1235));
        Assert.Equal(new RecordMetadata(topic, 2, 0, 1234), first);
        Assert.Equal(new RecordMetadata(topic, 2, 1, 1235), second);
    }

    [Fact]
    public async Task Keyed_records_land_on_the_murmur2_partition()
    {
        var topic = UniqueTopic();
        const int partitions = 7;
        await Factory.CreateTopicAsync(topic, partitions);
        var keys = Enumerable.Range(0, 200).Select(i => $"key-{i}").Append("").Append("21").Append("foobar").ToList();
        var placed = new Dictionary<string, int>();
        await using (var producer = Factory.CreateProducer(FastProducer))
        {
            foreach (var key in keys)
            {
                var metadata = await producer.ProduceAsync(new ProduceRecord(topic, Bytes(key), Bytes("v")));
                placed[key] = metadata.Partition;
            }
        }

        foreach (var key in keys)
        {
            Assert.Equal(KafkaPartitioner.Partition(Bytes(key), partitions), placed[key]);
        }

        // And the consumer sees each key in that partition.
        await using var consumer = Factory.CreateConsumer(new ConsumerOptions());
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offsets.Beginning)));
        var got = await consumer.ConsumeAsync(keys.Count);
        Assert.All(got, r => Assert.Equal(placed[r.KeyText!], r.Partition));
    }

    [Fact]
    public async Task Records_keep_their_order_within_a_partition()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 4);
        const int count = 2000;
        await using (var producer = Factory.CreateProducer(new ProducerOptions { LingerMs = 5 }))
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce(new ProduceRecord(topic, Bytes($"k{i % 13}"), Bytes(i.ToString("D6"))));
            }

            await producer.FlushAsync();
        }

        await using var consumer = Factory.CreateConsumer(new ConsumerOptions { MaxPollRecords = 37 });
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset(topic, p, Offsets.Beginning)));
        var got = await consumer.ConsumeAsync(count);
        Assert.Equal(count, got.Select(r => r.ValueText).Distinct().Count());
        foreach (var partition in got.GroupBy(r => r.Partition))
        {
            var list = partition.ToList();
            Assert.Equal(Enumerable.Range(0, list.Count).Select(i => (long)i), list.Select(r => r.Offset));
            var values = list.Select(r => int.Parse(r.ValueText!)).ToList();
            Assert.Equal(values.Order(), values);
        }
    }

    [Fact]
    public async Task Produce_with_callbacks_and_flush_reports_every_record()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 2);
        var reports = new System.Collections.Concurrent.ConcurrentBag<(RecordMetadata Metadata, Exception? Error)>();
        await using var producer = Factory.CreateProducer(new ProducerOptions { LingerMs = 50 });
        for (var i = 0; i < 100; i++)
        {
            producer.Produce(new ProduceRecord(topic, null, Bytes($"v{i}"), i % 2), (m, e) => reports.Add((m, e)));
        }

        await producer.FlushAsync();
        Assert.Equal(100, reports.Count);
        Assert.All(reports, r => Assert.Null(r.Error));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i).Concat(Enumerable.Range(0, 50).Select(i => (long)i)).Order(), reports.Select(r => r.Metadata.Offset).Order());
    }

    [Fact]
    public async Task Max_poll_records_caps_each_poll()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 1);
        await ProduceValuesAsync(topic, 0, 50);
        await using var consumer = Factory.CreateConsumer(new ConsumerOptions { MaxPollRecords = 7 });
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offsets.Beginning)]);
        var total = 0;
        var deadline = DateTime.UtcNow + Patience;
        while (total < 50)
        {
            Assert.True(DateTime.UtcNow < deadline);
            var batch = await consumer.PollAsync(TimeSpan.FromMilliseconds(200));
            Assert.True(batch.Count <= 7, $"A poll returned {batch.Count} records.");
            total += batch.Count;
        }

        Assert.Equal(50, total);
    }

    [Fact]
    public async Task Assign_resolves_beginning_end_and_stored_positions()
    {
        var topic = UniqueTopic();
        var group = UniqueTopic("g");
        await Factory.CreateTopicAsync(topic, 3);
        await ProduceValuesAsync(topic, 0, 5);
        await ProduceValuesAsync(topic, 1, 5);
        await ProduceValuesAsync(topic, 2, 5);
        await using (var committer = Factory.CreateConsumer(new ConsumerOptions { GroupId = group }))
        {
            await committer.CommitAsync([new TopicPartitionOffset(topic, 2, 3)]);
        }

        await using var consumer = Factory.CreateConsumer(new ConsumerOptions { GroupId = group, AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign([new(topic, 0, Offsets.Beginning), new(topic, 1, Offsets.End), new(topic, 2, Offsets.Stored)]);
        Assert.Equal(0, consumer.Position(new TopicPartition(topic, 0)));
        Assert.Equal(5, consumer.Position(new TopicPartition(topic, 1)));
        Assert.Equal(3, consumer.Position(new TopicPartition(topic, 2)));
        Assert.Equal(3, consumer.Assignment.Count);

        await ProduceValuesAsync(topic, 1, 2, start: 100);
        var got = await consumer.ConsumeAsync(5 + 2 + 2);
        Assert.Equal(5, got.Count(r => r.Partition == 0));
        Assert.Equal(["v100", "v101"], got.Where(r => r.Partition == 1).Select(r => r.ValueText));
        Assert.Equal([3L, 4], got.Where(r => r.Partition == 2).Select(r => r.Offset));
        Assert.Equal(5, consumer.Position(new TopicPartition(topic, 0)));
        Assert.Equal(7, consumer.Position(new TopicPartition(topic, 1)));
    }

    [Fact]
    public async Task Seek_moves_the_position_to_offsets_and_special_offsets()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 1);
        await ProduceValuesAsync(topic, 0, 10);
        var tp = new TopicPartition(topic, 0);
        await using var consumer = Factory.CreateConsumer(new ConsumerOptions());
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offsets.Beginning)]);
        Assert.Equal(10, (await consumer.ConsumeAsync(10)).Count);

        consumer.Seek(new TopicPartitionOffset(topic, 0, 4));
        Assert.Equal(4, consumer.Position(tp));
        var again = await consumer.ConsumeAsync(6);
        Assert.Equal([4L, 5, 6, 7, 8, 9], again.Select(r => r.Offset));

        consumer.Seek(new TopicPartitionOffset(topic, 0, Offsets.Beginning));
        Assert.Equal(0, consumer.Position(tp));
        consumer.Seek(new TopicPartitionOffset(topic, 0, Offsets.End));
        Assert.Equal(10, consumer.Position(tp));
        await ProduceValuesAsync(topic, 0, 1, start: 10);
        var last = await consumer.ConsumeAsync(1);
        Assert.Equal(10, last[0].Offset);
    }

    [Fact]
    public async Task Auto_offset_reset_applies_when_there_is_no_committed_offset()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 1);
        await ProduceValuesAsync(topic, 0, 3);
        var tp = new TopicPartition(topic, 0);

        await using (var earliest = Factory.CreateConsumer(new ConsumerOptions { GroupId = UniqueTopic("g"), AutoOffsetReset = AutoOffsetReset.Earliest }))
        {
            earliest.Assign([new TopicPartitionOffset(topic, 0, Offsets.Stored)]);
            Assert.Equal(0, earliest.Position(tp));
        }

        await using (var latest = Factory.CreateConsumer(new ConsumerOptions { GroupId = UniqueTopic("g"), AutoOffsetReset = AutoOffsetReset.Latest }))
        {
            latest.Assign([new TopicPartitionOffset(topic, 0, Offsets.Stored)]);
            Assert.Equal(3, latest.Position(tp));
        }

        await using var error = Factory.CreateConsumer(new ConsumerOptions { GroupId = UniqueTopic("g"), AutoOffsetReset = AutoOffsetReset.Error });
        var thrown = await Assert.ThrowsAsync<ConsumerException>(async () =>
        {
            error.Assign([new TopicPartitionOffset(topic, 0, Offsets.Stored)]);
            await error.ConsumeAsync(1, TimeSpan.FromSeconds(10));
        });
        Assert.Equal("OFFSET_OUT_OF_RANGE", thrown.ErrorName);
    }

    [Fact]
    public async Task Pause_stops_a_partition_and_resume_continues_it()
    {
        var topic = UniqueTopic();
        await Factory.CreateTopicAsync(topic, 2);
        await ProduceValuesAsync(topic, 0, 5);
        await ProduceValuesAsync(topic, 1, 5);
        var p0 = new TopicPartition(topic, 0);
        await using var consumer = Factory.CreateConsumer(new ConsumerOptions());
        consumer.Assign([new(topic, 0, Offsets.Beginning), new(topic, 1, Offsets.Beginning)]);
        consumer.Pause([p0]);
        var got = await consumer.ConsumeAsync(5);
        Assert.All(got, r => Assert.Equal(1, r.Partition));
        Assert.Empty(await consumer.DrainAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(0, consumer.Position(p0));

        consumer.Resume([p0]);
        var rest = await consumer.ConsumeAsync(5);
        Assert.All(rest, r => Assert.Equal(0, r.Partition));
    }

    [Fact]
    public async Task Commit_and_committed_round_trip_per_group()
    {
        var topic = UniqueTopic();
        var group = UniqueTopic("g");
        await Factory.CreateTopicAsync(topic, 2);
        await ProduceValuesAsync(topic, 0, 5);
        await using var consumer = Factory.CreateConsumer(new ConsumerOptions { GroupId = group });
        var tps = new[] { new TopicPartition(topic, 0), new TopicPartition(topic, 1) };
        Assert.All(await consumer.CommittedAsync(tps), c => Assert.Equal(-1001, c.Offset));

        await consumer.CommitAsync([new TopicPartitionOffset(topic, 0, 4)]);
        await consumer.CommitAsync([new TopicPartitionOffset(topic, 0, 5), new TopicPartitionOffset(topic, 1, 0)]);
        var committed = await consumer.CommittedAsync(tps);
        Assert.Equal([new TopicPartitionOffset(topic, 0, 5), new TopicPartitionOffset(topic, 1, 0)], committed);

        await using var other = Factory.CreateConsumer(new ConsumerOptions { GroupId = UniqueTopic("g") });
        Assert.All(await other.CommittedAsync(tps), c => Assert.Equal(-1001, c.Offset));
    }

    [Fact]
    public async Task Producing_to_a_missing_topic_creates_it_when_auto_create_is_on()
    {
        var topic = UniqueTopic("auto");
        await using (var producer = Factory.CreateProducer(FastProducer))
        {
            var metadata = await producer.ProduceAsync(new ProduceRecord(topic, Bytes("k"), Bytes("v")));
            Assert.Equal(0, metadata.Offset);
            producer.Produce(new ProduceRecord(topic, Bytes("k"), Bytes("v2")));
            await producer.FlushAsync();
        }

        await using var admin = Factory.CreateAdmin();
        Assert.Contains(topic, await admin.ListTopicsAsync());
        var description = Assert.Single(await admin.DescribeTopicsAsync([topic]));
        await using var consumer = Factory.CreateConsumer(new ConsumerOptions());
        consumer.Assign(Enumerable.Range(0, description.Partitions).Select(p => new TopicPartitionOffset(topic, p, Offsets.Beginning)));
        Assert.Equal(["v", "v2"], (await consumer.ConsumeAsync(2)).Select(r => r.ValueText));
    }

    [Fact]
    public async Task Producing_to_a_missing_topic_fails_when_auto_create_is_off()
    {
        await using var cluster = await StartAsync(autoCreateTopics: false);
        var topic = UniqueTopic("missing");
        await using var producer = cluster.Factory.CreateProducer(FastProducer with { Extra = new Dictionary<string, string> { ["message.timeout.ms"] = "3000" } });
        var error = await Assert.ThrowsAsync<ProduceException>(async () => await producer.ProduceAsync(new ProduceRecord(topic, Bytes("k"), Bytes("v"))));
        Assert.Equal("UNKNOWN_TOPIC_OR_PARTITION", error.ErrorName);

        Exception? reported = null;
        producer.Produce(new ProduceRecord(topic, Bytes("k"), Bytes("v")), (_, e) => reported = e);
        var flushError = await Assert.ThrowsAsync<ProduceException>(async () => await producer.FlushAsync());
        Assert.Equal("UNKNOWN_TOPIC_OR_PARTITION", flushError.ErrorName);
        Assert.Equal("UNKNOWN_TOPIC_OR_PARTITION", Assert.IsType<ProduceException>(reported).ErrorName);

        await using var admin = cluster.Factory.CreateAdmin();
        Assert.DoesNotContain(topic, await admin.ListTopicsAsync());
    }

    protected async Task ProduceValuesAsync(string topic, int partition, int count, int start = 0, long? timestamp = null)
    {
        await using var producer = Factory.CreateProducer(FastProducer);
        for (var i = start; i < start + count; i++)
        {
            producer.Produce(new ProduceRecord(topic, Bytes($"k{i}"), Bytes($"v{i}"), partition, timestamp));
        }

        await producer.FlushAsync();
    }
}
