using System.Text;
using Confluent.Kafka;
using Rhei.Broker.Tests.Support;

namespace Rhei.Broker.Tests;

/// <summary>Confluent.Kafka 2.16 (librdkafka) producing and consuming through the broker over TCP.</summary>
public sealed class ConfluentProduceConsumeTests
{
    [Fact]
    public async Task Hundred_thousand_records_to_six_partitions_are_consumed_in_order_per_partition()
    {
        const int Count = 100_000;
        const int Partitions = 6;
        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        await clients.CreateTopicAsync("orders", Partitions);

        var delivered = new long[Count];
        var errors = 0;
        using (var producer = clients.Producer<int, string>(c => c.BatchSize = 64 * 1024))
        {
            for (var i = 0; i < Count; i++)
            {
                var index = i;
                producer.Produce(new TopicPartition("orders", i % Partitions), new Message<int, string> { Key = i, Value = $"order-{i}" }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref errors);
                    }
                    else
                    {
                        delivered[index] = report.Offset.Value;
                    }
                });
            }

            Assert.Equal(0, producer.Flush(Clients.Guard));
        }

        Assert.Equal(0, errors);

        // Acknowledged offsets are dense per partition and follow the order of sending.
        for (var p = 0; p < Partitions; p++)
        {
            var offsets = Enumerable.Range(0, Count).Where(i => i % Partitions == p).Select(i => delivered[i]).ToList();
            Assert.Equal(Enumerable.Range(0, offsets.Count).Select(o => (long)o), offsets);
        }

        using var consumer = clients.Consumer<int, string>();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset("orders", p, Offset.Beginning)));
        var records = clients.ConsumeAssigned(consumer, Count);
        Assert.Equal(Count, records.Count);
        foreach (var partition in records.GroupBy(r => r.Partition.Value))
        {
            var keys = partition.Select(r => r.Message.Key).ToList();
            Assert.Equal(Enumerable.Range(0, Count).Where(i => i % Partitions == partition.Key), keys);
            Assert.Equal(Enumerable.Range(0, keys.Count).Select(o => (long)o), partition.Select(r => r.Offset.Value));
            Assert.All(partition, r => Assert.Equal($"order-{r.Message.Key}", r.Message.Value));
        }
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task Compressed_batches_round_trip(CompressionType compression)
    {
        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        var topic = $"compressed-{compression}".ToLowerInvariant();
        await clients.CreateTopicAsync(topic, 2);
        using (var producer = clients.Producer<string, string>(c => c.CompressionType = compression))
        {
            for (var i = 0; i < 2000; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"k{i % 10}", Value = $"{i}:" + new string((char)('a' + (i % 26)), 100 + (i % 50)) });
            }

            Assert.Equal(0, producer.Flush(Clients.Guard));
        }

        using var consumer = clients.Consumer<string, string>();
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offset.Beginning), new TopicPartitionOffset(topic, 1, Offset.Beginning)]);
        var records = clients.ConsumeAssigned(consumer, 2000);
        var values = records.Select(r => r.Message.Value).Order(StringComparer.Ordinal);
        var expected = Enumerable.Range(0, 2000).Select(i => $"{i}:" + new string((char)('a' + (i % 26)), 100 + (i % 50))).Order(StringComparer.Ordinal);
        Assert.Equal(expected, values);
    }

    [Fact]
    public async Task Idempotent_producer_writes_each_record_once_with_dense_offsets()
    {
        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        await clients.CreateTopicAsync("idempotent", 3);
        var offsets = new List<(int Partition, long Offset)>();
        using (var producer = clients.Producer<Null, string>(c =>
        {
            c.EnableIdempotence = true;
            c.MaxInFlight = 5;
            c.LingerMs = 1;
        }))
        {
            var tasks = Enumerable.Range(0, 3000).Select(i => producer.ProduceAsync(new TopicPartition("idempotent", i % 3), new Message<Null, string> { Value = $"v{i}" })).ToList();
            foreach (var result in await Task.WhenAll(tasks))
            {
                Assert.Equal(PersistenceStatus.Persisted, result.Status);
                offsets.Add((result.Partition.Value, result.Offset.Value));
            }
        }

        foreach (var partition in offsets.GroupBy(o => o.Partition))
        {
            Assert.Equal(Enumerable.Range(0, 1000).Select(o => (long)o), partition.Select(o => o.Offset).Order());
        }

        var log = broker.Storage.GetPartition("idempotent", 0)!;
        Assert.Equal(1000, log.HighWatermark);
        Assert.Equal(1, log.ProducerCount);
    }

    [Fact]
    public async Task Headers_keys_nulls_and_timestamps_survive_the_round_trip()
    {
        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        var timestamp = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        using (var producer = clients.Producer<string?, byte[]?>())
        {
            var headers = new Headers { { "h1", Encoding.UTF8.GetBytes("one") }, { "h2", null } };
            await producer.ProduceAsync("auto-created", new Message<string?, byte[]?> { Key = "key", Value = [1, 2, 3], Headers = headers, Timestamp = new Timestamp(timestamp) });
            await producer.ProduceAsync("auto-created", new Message<string?, byte[]?> { Key = null, Value = null });
        }

        using var consumer = clients.Consumer<string?, byte[]?>();
        consumer.Assign([new TopicPartitionOffset("auto-created", 0, Offset.Beginning)]);
        var records = clients.ConsumeAssigned(consumer, 2);
        Assert.Equal("key", records[0].Message.Key);
        Assert.Equal([1, 2, 3], records[0].Message.Value);
        Assert.Equal(timestamp, records[0].Message.Timestamp.UtcDateTime);
        Assert.Equal("one", Encoding.UTF8.GetString(records[0].Message.Headers.GetLastBytes("h1")));
        Assert.Null(records[0].Message.Headers.GetLastBytes("h2"));
        Assert.Null(records[1].Message.Key);
        Assert.Null(records[1].Message.Value);
    }

    [Fact]
    public async Task A_batch_larger_than_message_max_bytes_is_refused_and_the_producer_goes_on()
    {
        await using var broker = await TestBroker.StartAsync(tweakStorage: s => s with { MessageMaxBytes = 10_000 });
        var clients = new Clients(broker.BootstrapServers);
        using var producer = clients.Producer<Null, byte[]>(c => c.LingerMs = 0);
        var error = await Assert.ThrowsAsync<ProduceException<Null, byte[]>>(() => producer.ProduceAsync("limited", new Message<Null, byte[]> { Value = new byte[50_000] }));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, error.Error.Code);
        var ok = await producer.ProduceAsync("limited", new Message<Null, byte[]> { Value = new byte[100] });
        Assert.Equal(PersistenceStatus.Persisted, ok.Status);
    }

    [Fact]
    public async Task A_consumer_waiting_at_the_end_gets_records_produced_later()
    {
        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        await clients.CreateTopicAsync("later", 1);
        using var consumer = clients.Consumer<Null, string>(configure: c => c.FetchWaitMaxMs = 5000);
        consumer.Assign([new TopicPartitionOffset("later", 0, Offset.Beginning)]);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(500)));
        using var producer = clients.Producer<Null, string>();
        await producer.ProduceAsync("later", new Message<Null, string> { Value = "late" });
        var record = Assert.Single(clients.ConsumeAssigned(consumer, 1));
        Assert.Equal("late", record.Message.Value);
    }
}
