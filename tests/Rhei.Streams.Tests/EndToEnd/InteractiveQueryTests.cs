using System.Text;
using Rhei.Streams.State;
using static Rhei.Streams.Tests.EndToEnd.Topologies;

namespace Rhei.Streams.Tests.EndToEnd;

/// <summary>
/// Interactive queries on a running application: views over the stores of every local task, and the queryable store
/// of a sink topic (updated by the application's writes, restored from the topic itself, no topic of its own).
/// </summary>
public class InteractiveQueryTests
{
    private static Topology CountTopology(bool windowed = false)
    {
        var b = new StreamsBuilder();
        var grouped = b.Stream("in", TestSupport.StringConsumed)
            .GroupBy((_, v) => v, new Grouped<string, string>("by-value") { KeySerde = Serdes.String });
        if (windowed)
        {
            grouped.WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(10), TimeSpan.Zero))
                .Count("cnt", new Materialized<string, long?>("counts"))
                .ToStream()
                .To("out", new Produced<Windowed<string>, long?>(WindowedSerdes.TimeWindowed(Serdes.String, 10_000), Serdes.NullableInt64));
        }
        else
        {
            grouped.Count("cnt", new Materialized<string, long?>("counts"))
                .ToStream().To("out", new Produced<string, long?>(Serdes.String, Serdes.NullableInt64));
        }

        return b.Build();
    }

    private static long Count(byte[] value) => Serdes.NullableInt64.Deserialize(value, false, "")!.Value;

    [Fact]
    public async Task Sink_topic_store_holds_the_latest_record_per_key_and_comes_back_after_a_restart_without_new_topics()
    {
        await using var cluster = await EmbeddedStreamsCluster.StartAsync();
        await cluster.CreateTopicAsync("in", 2);
        await cluster.CreateTopicAsync("out", 2);
        var options = new StreamsOptions { ApplicationId = "iq", StateDir = cluster.StateDir(), CommitIntervalMs = 50 };
        TopicTableStore store;
        await using (var app = new StreamsApp(CountTopology(), options, cluster.Clients))
        {
            store = app.MaterializeSinkTopic("out");
            Assert.Same(store, app.SinkTopicStore("out"));
            await app.StartAsync();
            await store.Restored;
            await cluster.ProduceAsync("in", [.. new[] { "a", "b", "a", "c", "a" }.Select((v, i) => (Bytes("k" + i)!, Bytes(v), 1L))]);
            await StreamsCluster.UntilAsync(() => store.TryGet(Bytes("a")!, out var e) && Count(e.Value) == 3 && store.Count == 3, () => "a counted 3 times");
            Assert.True(store.HoldsEveryKey);

            // The views over the task stores agree with the sink's store.
            var counts = app.KeyValueStore<string, ValueAndTimestamp<long?>>("counts");
            Assert.True(counts.TryGet("a", out var a));
            Assert.Equal(3, a.Value);
            Assert.Equal(["a", "b", "c"], counts.All().Select(e => e.Key).Order(StringComparer.Ordinal));
            Assert.False(counts.TryGet("zzz", out _));
        }

        await using (var admin = cluster.Clients.CreateAdmin())
        {
            Assert.DoesNotContain(await admin.ListTopicsAsync(true), t => t.Contains("out", StringComparison.Ordinal) && t != "out");
        }

        // A new instance's store is loaded from the sink topic before any new input arrives.
        await using var restarted = new StreamsApp(CountTopology(), options, cluster.Clients);
        var again = restarted.MaterializeSinkTopic("out");
        await restarted.StartAsync();
        await again.Restored;
        Assert.Equal(3, again.Count);
        Assert.True(again.TryGet(Bytes("a")!, out var restoredA));
        Assert.Equal(3, Count(restoredA.Value));
        Assert.Equal(["a", "b", "c"], again.All().OrderBy(e => e.Key, ByteArrayComparer.Instance).Select(e => Text(e.Key)));
        Assert.Equal(["b", "c"], again.Range(Bytes("b")!, Bytes("c")!).Select(e => Text(e.Key)).Order(StringComparer.Ordinal));

        await cluster.ProduceAsync("in", [(Bytes("k9")!, Bytes("b")!, 2L)]);
        await StreamsCluster.UntilAsync(() => again.TryGet(Bytes("b")!, out var e) && Count(e.Value) == 2, () => "b counted twice after the restart");
    }

    [Fact]
    public async Task Windowed_sink_topic_store_fetches_a_key_by_time_range()
    {
        await using var cluster = await EmbeddedStreamsCluster.StartAsync();
        await cluster.CreateTopicAsync("in", 1);
        await cluster.CreateTopicAsync("out", 1);
        var options = new StreamsOptions { ApplicationId = "iqw", StateDir = cluster.StateDir(), CommitIntervalMs = 50 };
        await using var app = new StreamsApp(CountTopology(windowed: true), options, cluster.Clients);
        var store = app.MaterializeSinkTopic("out", TopicKeyLayout.TimeWindowed);
        await app.StartAsync();
        await cluster.ProduceAsync("in", [(Bytes("1")!, Bytes("a")!, 1_000L), (Bytes("2")!, Bytes("a")!, 2_000L), (Bytes("3")!, Bytes("a")!, 12_000L), (Bytes("4")!, Bytes("b")!, 12_000L)]);
        await StreamsCluster.UntilAsync(() => store.Count == 3, () => "three windows");

        var windows = new List<TopicTableEntry>();
        store.Fetch(Bytes("a")!, long.MinValue, long.MaxValue, windows);
        Assert.Equal([(0L, 2L), (10_000L, 1L)], windows.Select(w => (w.WindowStart, Count(w.Value))));
        windows.Clear();
        store.Fetch(Bytes("a")!, 5_000, 20_000, windows);
        Assert.Equal([10_000L], windows.Select(w => w.WindowStart));
        Assert.Throws<InvalidOperationException>(() => store.TryGet(Bytes("a")!, out _));

        // The aggregation's own window store keeps windows for their retention only (here the size: no grace).
        var view = app.WindowStore<string, ValueAndTimestamp<long?>>("counts");
        Assert.Equal([10_000L], view.Fetch("a", 0, 20_000).Select(w => w.Key));
        Assert.Equal(1, view.Fetch("a", 0, 20_000)[0].Value.Value);
    }

    [Fact]
    public async Task A_sink_topic_store_does_not_hold_every_key_while_another_instance_shares_the_tasks()
    {
        await using var cluster = await EmbeddedStreamsCluster.StartAsync();
        await cluster.CreateTopicAsync("in", 2);
        await cluster.CreateTopicAsync("out", 2);
        StreamsOptions Instance(string name) => new() { ApplicationId = "iq2", StateDir = cluster.StateDir(name), CommitIntervalMs = 20 };
        await using var one = new StreamsApp(CountTopology(), Instance("one"), cluster.Clients);
        var first = one.MaterializeSinkTopic("out");
        await one.StartAsync();
        await StreamsCluster.UntilAsync(() => first.HoldsEveryKey, () => "instance one runs every task");

        await using var two = new StreamsApp(CountTopology(), Instance("two"), cluster.Clients);
        var second = two.MaterializeSinkTopic("out");
        await two.StartAsync();
        await StreamsCluster.UntilAsync(() => one.ActiveTasks.Count > 0 && two.ActiveTasks.Count > 0 && one.State == StreamsState.Running && two.State == StreamsState.Running, () => "the tasks split over two instances");
        Assert.False(first.HoldsEveryKey);
        Assert.False(second.HoldsEveryKey);

        await one.CloseAsync();
        await StreamsCluster.UntilAsync(() => second.HoldsEveryKey, () => "instance two runs every task again");
    }
}
