using Confluent.Kafka;
using Rhei.Broker.Tests.Support;
using Rhei.Storage;

namespace Rhei.Broker.Tests;

/// <summary>
/// Damage in a stopped server's data directory: a flipped or cut tail of the last segment (after an unclean
/// stop) and garbage in index files. The server starts, truncates or rebuilds, and a Kafka client reads
/// everything before the damage and keeps producing.
/// </summary>
public sealed class CorruptionTests
{
    private const int Records = 200;

    public enum Damage
    {
        FlippedTail,
        CutTail,
        GarbageIndexes,
        EmptyIndexes,
    }

    [Theory]
    [InlineData(Damage.FlippedTail)]
    [InlineData(Damage.CutTail)]
    [InlineData(Damage.GarbageIndexes)]
    [InlineData(Damage.EmptyIndexes)]
    public async Task The_server_starts_and_serves_everything_before_the_damage(Damage damage)
    {
        using var data = new TempDirectory();
        await using var broker = await TestBroker.StartAsync(dataDir: data.Path);
        var clients = new Clients(broker.BootstrapServers);
        await clients.CreateTopicAsync("damaged", 1, new() { ["segment.bytes"] = "16384" });
        using (var producer = clients.Producer<Null, string>(c => c.LingerMs = 0))
        {
            for (var i = 0; i < Records; i++)
            {
                await producer.ProduceAsync("damaged", new Message<Null, string> { Value = $"record-{i}-{new string('x', 80)}" });
            }
        }

        var folder = broker.Storage.GetPartition("damaged", 0)!.Directory;
        await broker.StopAsync();
        var logs = Directory.GetFiles(folder, "*.log").Order(StringComparer.Ordinal).ToList();
        Assert.True(logs.Count >= 2, "The topic should span several segments.");
        var expected = Records;
        switch (damage)
        {
            case Damage.FlippedTail:
                // A crash (no clean-shutdown marker) with the last batch damaged.
                File.Delete(Path.Combine(data.Path, LogManager.CleanShutdownFile));
                FlipByte(logs[^1], new FileInfo(logs[^1]).Length - 20);
                expected = Records - 1;
                break;
            case Damage.CutTail:
                File.Delete(Path.Combine(data.Path, LogManager.CleanShutdownFile));
                using (var file = new FileStream(logs[^1], FileMode.Open))
                {
                    file.SetLength(file.Length - 30);
                }

                expected = Records - 1;
                break;
            case Damage.GarbageIndexes:
                foreach (var index in Directory.GetFiles(folder, "*.index").Concat(Directory.GetFiles(folder, "*.timeindex")))
                {
                    var garbage = new byte[Math.Max(new FileInfo(index).Length, 64)];
                    new Random(7).NextBytes(garbage);
                    File.WriteAllBytes(index, garbage);
                }

                break;
            case Damage.EmptyIndexes:
                foreach (var index in Directory.GetFiles(folder, "*.index"))
                {
                    File.WriteAllBytes(index, []);
                }

                break;
        }

        await using var restarted = await TestBroker.StartAsync(dataDir: data.Path);
        clients = new Clients(restarted.BootstrapServers);
        using (var consumer = clients.Consumer<Null, string>())
        {
            var high = consumer.QueryWatermarkOffsets(new TopicPartition("damaged", 0), Clients.Guard).High.Value;
            Assert.Equal(expected, high);
            consumer.Assign([new TopicPartitionOffset("damaged", 0, Offset.Beginning)]);
            var records = clients.ConsumeAssigned(consumer, expected);
            Assert.Equal(Enumerable.Range(0, expected).Select(i => $"record-{i}-{new string('x', 80)}"), records.Select(r => r.Message.Value));

            // Seeking into the middle goes through the (rebuilt) offset index.
            consumer.Assign([new TopicPartitionOffset("damaged", 0, 150)]);
            Assert.Equal($"record-150-{new string('x', 80)}", clients.ConsumeAssigned(consumer, 1)[0].Message.Value);
        }

        using var producer2 = clients.Producer<Null, string>();
        var next = await producer2.ProduceAsync("damaged", new Message<Null, string> { Value = "after" });
        Assert.Equal(expected, next.Offset.Value);
    }

    private static void FlipByte(string path, long position)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = position;
        var value = file.ReadByte();
        file.Position = position;
        file.WriteByte((byte)(value ^ 0xFF));
    }
}
