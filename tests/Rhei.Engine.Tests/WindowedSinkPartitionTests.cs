using System.Text;
using Rhei.Client;

namespace Rhei.Engine.Tests;

/// <summary>A windowed sink places every window of a key in the partition of the key without its window (as Kafka Streams does).</summary>
public sealed class WindowedSinkPartitionTests
{
    [Fact]
    public async Task Windows_of_one_key_land_in_the_unwindowed_key_partition()
    {
        await using var fx = await EngineFixture.StartAsync();
        await fx.Engine.ExecuteAsync("CREATE STREAM CLICKS (USERID STRING KEY, PAGE STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=4);");
        await fx.Engine.ExecuteAsync("CREATE TABLE PER_USER AS SELECT USERID, COUNT(*) AS N FROM CLICKS WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY USERID;");
        for (var i = 0; i < 6; i++)
        {
            await fx.ProduceAsync("clicks", "x", """{"PAGE":"home"}""", 1000L * i);
        }

        var expected = KafkaPartitioner.Partition(Encoding.UTF8.GetBytes("x"), 4);
        var partitions = new List<int>();
        await using var consumer = fx.Clients.CreateConsumer(new ConsumerOptions());
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset("PER_USER", p, Offsets.Beginning)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (partitions.Count < 6 && !timeout.IsCancellationRequested)
        {
            foreach (var record in await consumer.PollAsync(TimeSpan.FromMilliseconds(200), timeout.Token))
            {
                partitions.Add(record.Partition);
            }
        }

        Assert.Equal(6, partitions.Count);
        Assert.All(partitions, p => Assert.Equal(expected, p));
    }
}
