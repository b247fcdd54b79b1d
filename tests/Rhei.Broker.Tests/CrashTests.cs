using System.Collections.Concurrent;
using Confluent.Kafka;
using Rhei.Broker.Tests.Support;
using Xunit.Abstractions;

namespace Rhei.Broker.Tests;

/// <summary>
/// <c>rhei server</c> with <c>log.flush.interval.messages=1</c> killed with SIGKILL 20 times while an idempotent
/// producer with acks=all writes: every acknowledged record is there exactly once, nothing is duplicated, and
/// offsets are dense.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Kills = 20;
    private const int Partitions = 3;

    [Fact]
    public async Task Acknowledged_records_survive_twenty_kills_exactly_once()
    {
        using var data = new TempDirectory();
        var port = TestBroker.FreePort();
        string[] settings = ["log.flush.interval.messages=1", $"num.partitions={Partitions}", "group.initial.rebalance.delay.ms=0"];
        var server = await RheiProcess.StartAsync(data.Path, port, settings);
        var clients = new Clients($"127.0.0.1:{port}");
        var acknowledged = new ConcurrentDictionary<long, (int Partition, long Offset)>();
        var failed = new ConcurrentDictionary<long, string>();
        using var stop = new CancellationTokenSource();
        long sent = 0;
        using var producer = clients.Producer<long, long>(c =>
        {
            c.EnableIdempotence = true;
            c.LingerMs = 2;
            c.MessageTimeoutMs = 120_000;
            c.ReconnectBackoffMs = 20;
            c.ReconnectBackoffMaxMs = 200;
            c.RetryBackoffMs = 20;
        });
        var producing = Task.Run(async () =>
        {
            using var inFlight = new SemaphoreSlim(500);
            while (!stop.IsCancellationRequested)
            {
                await inFlight.WaitAsync();
                var n = Interlocked.Increment(ref sent) - 1;
                producer.Produce(new TopicPartition("crash", (int)(n % Partitions)), new Message<long, long> { Key = n, Value = n }, report =>
                {
                    if (report.Error.IsError)
                    {
                        failed[n] = report.Error.Reason;
                    }
                    else
                    {
                        acknowledged[n] = (report.Partition.Value, report.Offset.Value);
                    }

                    inFlight.Release();
                });
            }
        });

        try
        {
            for (var kill = 0; kill < Kills; kill++)
            {
                var before = acknowledged.Count;
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                while (acknowledged.Count < before + 200 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20);
                }

                Assert.True(acknowledged.Count >= before + 200, $"No progress after restart {kill}: {acknowledged.Count} acknowledged, {failed.Count} failed.\n{server.Output}\n{clients.LogText}");
                await server.KillAsync();
                await server.DisposeAsync();
                server = await RheiProcess.StartAsync(data.Path, port, settings);
            }

            await stop.CancelAsync();
            await producing;
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            await stop.CancelAsync();
            await server.DisposeAsync();
        }

        output.WriteLine($"{sent} sent, {acknowledged.Count} acknowledged, {failed.Count} failed ({string.Join("; ", failed.Values.Distinct().Take(3))})");

        // Read everything back from a fresh server on the same directory.
        server = await RheiProcess.StartAsync(data.Path, port, settings);
        try
        {
            using var consumer = clients.Consumer<long, long>();
            using var admin = clients.Admin();
            var ends = new long[Partitions];
            for (var p = 0; p < Partitions; p++)
            {
                ends[p] = consumer.QueryWatermarkOffsets(new TopicPartition("crash", p), Clients.Guard).High.Value;
            }

            consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset("crash", p, Offset.Beginning)));
            var records = clients.ConsumeAssigned(consumer, (int)ends.Sum(), TimeSpan.FromSeconds(90));
            foreach (var partition in records.GroupBy(r => r.Partition.Value))
            {
                Assert.Equal(Enumerable.Range(0, partition.Count()).Select(o => (long)o), partition.Select(r => r.Offset.Value));
            }

            var byValue = records.GroupBy(r => r.Message.Value).ToDictionary(g => g.Key, g => g.ToList());
            Assert.All(byValue, g => Assert.Single(g.Value));
            foreach (var (n, (partition, offset)) in acknowledged)
            {
                Assert.True(byValue.TryGetValue(n, out var found), $"Acknowledged record {n} ({partition}@{offset}) is missing.");
                Assert.Equal((partition, offset), (found[0].Partition.Value, found[0].Offset.Value));
            }

            Assert.True(acknowledged.Count > Kills * 200);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
