using System.Collections.Concurrent;
using Confluent.Kafka;
using Rhei.Broker.Tests.Support;

namespace Rhei.Broker.Tests;

/// <summary>Consumer groups (classic protocol) with Confluent.Kafka consumers: splitting, handover, commits across a broker restart, static members.</summary>
public sealed class ConfluentGroupTests
{
    [Fact]
    public async Task Three_members_split_six_partitions_and_a_leaving_member_hands_its_partitions_over()
    {
        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        await clients.CreateTopicAsync("split", 6);
        using (var producer = clients.Producer<Null, string>())
        {
            for (var i = 0; i < 600; i++)
            {
                producer.Produce(new TopicPartition("split", i % 6), new Message<Null, string> { Value = $"m{i}" });
            }

            producer.Flush(Clients.Guard);
        }

        var members = Enumerable.Range(0, 3).Select(i => new GroupMemberLoop(clients, "splitters", "split", $"member-{i}")).ToList();
        try
        {
            await WaitUntilAsync(() => members.All(m => m.Assignment.Count == 2) && members.SelectMany(m => m.Assignment).Distinct().Count() == 6, clients, "three members with two partitions each");
            await WaitUntilAsync(() => members.Sum(m => m.Consumed.Count) >= 600, clients, "all 600 records consumed by the group");
            Assert.Equal(600, members.SelectMany(m => m.Consumed).Distinct().Count());

            await members[0].StopAsync();
            var rest = members.Skip(1).ToList();
            await WaitUntilAsync(() => rest.All(m => m.Assignment.Count == 3) && rest.SelectMany(m => m.Assignment).Distinct().Count() == 6, clients, "two members with three partitions each after one left");
        }
        finally
        {
            foreach (var member in members)
            {
                await member.StopAsync();
            }
        }
    }

    [Fact]
    public async Task Committed_offsets_survive_a_broker_restart_and_the_group_resumes_there()
    {
        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        await clients.CreateTopicAsync("resume", 2);
        using (var producer = clients.Producer<Null, string>())
        {
            for (var i = 0; i < 200; i++)
            {
                producer.Produce(new TopicPartition("resume", i % 2), new Message<Null, string> { Value = $"r{i}" });
            }

            producer.Flush(Clients.Guard);
        }

        var seen = new HashSet<(int, long)>();
        using (var consumer = clients.Consumer<Null, string>("resumers"))
        {
            consumer.Subscribe("resume");
            var first = ConsumeSubscribed(consumer, 120, clients);
            consumer.Commit(first.GroupBy(r => r.TopicPartition).Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1)));
            seen.UnionWith(first.Select(r => (r.Partition.Value, r.Offset.Value)));
            consumer.Close();
        }

        await broker.RestartAsync();

        using (var consumer = clients.Consumer<Null, string>("resumers"))
        {
            var committed = consumer.Committed([new TopicPartition("resume", 0), new TopicPartition("resume", 1)], Clients.Guard);
            Assert.Equal(120, committed.Sum(c => c.Offset.Value));
            consumer.Subscribe("resume");
            var rest = ConsumeSubscribed(consumer, 80, clients);
            Assert.Empty(rest.Select(r => (r.Partition.Value, r.Offset.Value)).Intersect(seen));
            seen.UnionWith(rest.Select(r => (r.Partition.Value, r.Offset.Value)));
            consumer.Close();
        }

        Assert.Equal(200, seen.Count);
    }

    [Fact]
    public async Task A_static_member_rejoins_under_its_instance_id()
    {
        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        await clients.CreateTopicAsync("static", 2);
        for (var round = 0; round < 2; round++)
        {
            using var consumer = clients.Consumer<Null, string>("statics", c => c.GroupInstanceId = "instance-1");
            consumer.Subscribe("static");
            var deadline = DateTime.UtcNow + Clients.Guard;
            while (consumer.Assignment.Count < 2 && DateTime.UtcNow < deadline)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(100));
            }

            Assert.Equal(2, consumer.Assignment.Count);
            consumer.Close();
        }

        using var admin = clients.Admin();
        var description = await admin.DescribeConsumerGroupsAsync(["statics"]);
        var group = Assert.Single(description.ConsumerGroupDescriptions);
        Assert.Contains(group.Members, m => m.GroupInstanceId == "instance-1");
    }

    private static List<ConsumeResult<Null, string>> ConsumeSubscribed(IConsumer<Null, string> consumer, int count, Clients clients)
    {
        var results = new List<ConsumeResult<Null, string>>();
        var deadline = DateTime.UtcNow + Clients.Guard;
        while (results.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Consumed {results.Count} of {count}.\n{clients.LogText}");
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result)
            {
                results.Add(result);
            }
        }

        return results;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Clients clients, string what)
    {
        var deadline = DateTime.UtcNow + Clients.Guard;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.\n{clients.LogText}");
            await Task.Delay(50);
        }
    }

    /// <summary>A subscribed consumer polling on its own thread, recording its assignment and what it consumed.</summary>
    private sealed class GroupMemberLoop
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private volatile IReadOnlyList<int> _assignment = [];

        public GroupMemberLoop(Clients clients, string group, string topic, string clientId)
        {
            _loop = Task.Factory.StartNew(() =>
            {
                using var consumer = clients.Consumer<Null, string>(group, c => c.ClientId = clientId);
                consumer.Subscribe(topic);
                while (!_stop.IsCancellationRequested)
                {
                    var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
                    _assignment = [.. consumer.Assignment.Select(tp => tp.Partition.Value)];
                    if (result is { IsPartitionEOF: false, Message: not null })
                    {
                        Consumed.Add((result.Partition.Value, result.Offset.Value));
                    }
                }

                consumer.Close();
            }, TaskCreationOptions.LongRunning);
        }

        public IReadOnlyList<int> Assignment => _assignment;

        public ConcurrentBag<(int Partition, long Offset)> Consumed { get; } = [];

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
        }
    }
}
