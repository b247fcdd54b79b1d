using System.Text;
using Rhei.Client;
using Rhei.Streams.State;
using static Rhei.Streams.Tests.EndToEnd.Topologies;

namespace Rhei.Streams.Tests.EndToEnd;

/// <summary>The application runtime (threads, group membership, internal topics, restore, commit) over the embedded client.</summary>
public class StreamsAppTests
{
    private static Topology CountTopology(StoreType storeType = StoreType.InMemory)
    {
        var b = new StreamsBuilder();
        b.Stream("in", TestSupport.StringConsumed)
            .GroupBy((_, v) => v, new Grouped<string, string>("by-value") { KeySerde = Serdes.String })
            .Count("cnt", new Materialized<string, long?>("counts") { StoreType = storeType })
            .ToStream().To("out", new Produced<string, long?>(Serdes.String, Serdes.NullableInt64));
        return b.Build();
    }

    private static async Task<Dictionary<string, long>> LatestCountsAsync(StreamsCluster cluster) =>
        (await cluster.ReadAllAsync("out")).GroupBy(r => Text(r.Key)!).ToDictionary(g => g.Key, g => Serdes.NullableInt64.Deserialize(g.Last().Value, false, "")!.Value);

    private static Task SendAsync(StreamsCluster cluster, params (string Key, string Value)[] records) =>
        cluster.ProduceAsync("in", records.Select(r => (Bytes(r.Key), Bytes(r.Value), 1L)));

    [Fact]
    public async Task App_creates_internal_topics_processes_commits_and_stops()
    {
        await using var cluster = await EmbeddedStreamsCluster.StartAsync();
        await cluster.CreateTopicAsync("in", 2);
        await cluster.CreateTopicAsync("out", 2);
        var states = new List<StreamsState>();
        var options = new StreamsOptions { ApplicationId = "wc", StateDir = cluster.StateDir(), CommitIntervalMs = 50, NumStreamThreads = 2 };
        await using var app = new StreamsApp(CountTopology(StoreType.RocksDb), options, cluster.Clients);
        app.StateChanged += c => { lock (states) { states.Add(c.NewState); } };
        await app.StartAsync();
        await using (var admin = cluster.Clients.CreateAdmin())
        {
            var described = await admin.DescribeTopicsAsync(["wc-by-value-repartition", "wc-counts-changelog", "wc-commit-points"]);
            Assert.Equal([2, 2, 1], described.Select(d => d.Partitions));
            Assert.Equal("compact", described[1].Configs["cleanup.policy"]);
            Assert.Equal("compact", described[2].Configs["cleanup.policy"]);
        }

        await SendAsync(cluster, ("1", "a"), ("2", "b"), ("3", "a"), ("4", "c"), ("5", "a"));
        Dictionary<string, long> counts = [];
        await StreamsCluster.UntilAsync(
            async () => (counts = await LatestCountsAsync(cluster)).GetValueOrDefault("a") == 3 && counts.Count == 3,
            () => "counts a=3, b=1, c=1: " + string.Join(",", counts) + " " + app.State + " tasks " + app.ActiveTasks.Count);
        await StreamsCluster.UntilAsync(() => app.State == StreamsState.Running, () => "RUNNING");
        Assert.Equal(4, app.ActiveTasks.Count);
        Assert.Equal(3, app.LocalStores("counts").Sum(s => ((IKeyValueStore<string, ValueAndTimestamp<long?>>)s.Store).All().Count));

        await app.CloseAsync();
        Assert.Equal(StreamsState.NotRunning, app.State);
        lock (states)
        {
            Assert.Equal([StreamsState.Rebalancing, StreamsState.Running], states.Take(2));
            Assert.Equal(StreamsState.NotRunning, states[^1]);
        }

        await using (var admin = cluster.Clients.CreateAdmin())
        {
            var committed = await admin.ListConsumerGroupOffsetsAsync("wc");
            Assert.Equal(5, committed.Where(c => c.Topic == "in").Sum(c => c.Offset));
            Assert.Equal(5, committed.Where(c => c.Topic == "wc-by-value-repartition").Sum(c => c.Offset));
        }

        // A clean close leaves a checkpoint per task with a persistent store.
        Assert.Equal(2, Directory.GetFiles(Path.Combine(cluster.StateDir(), "wc"), ".checkpoint", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task A_second_instance_takes_over_partitions_and_restores_state_from_the_changelog()
    {
        await using var cluster = await EmbeddedStreamsCluster.StartAsync();
        await cluster.CreateTopicAsync("in", 2);
        await cluster.CreateTopicAsync("out", 2);
        StreamsOptions Instance(string name) => new() { ApplicationId = "two", StateDir = cluster.StateDir(name), CommitIntervalMs = 20 };

        var app1 = new StreamsApp(CountTopology(), Instance("one"), cluster.Clients);
        await app1.StartAsync();
        await SendAsync(cluster, [.. Enumerable.Range(0, 20).Select(i => ("k" + i, "v" + (i % 4)))]);
        await StreamsCluster.UntilAsync(async () => (await LatestCountsAsync(cluster)).Values.Sum() == 20, () => "20 records counted by one instance");

        var app2 = new StreamsApp(CountTopology(), Instance("two"), cluster.Clients);
        await app2.StartAsync();
        await StreamsCluster.UntilAsync(
            () => app2.ActiveTasks.Count == 2 && app1.ActiveTasks.Count == 2 && app2.State == StreamsState.Running && app1.State == StreamsState.Running,
            () => "the tasks split over two instances");
        await app1.CloseAsync();
        await StreamsCluster.UntilAsync(() => app2.ActiveTasks.Count == 4 && app2.State == StreamsState.Running, () => "instance 2 owns every task");

        await SendAsync(cluster, [.. Enumerable.Range(0, 4).Select(i => ("x" + i, "v" + i))]);
        Dictionary<string, long> counts = [];
        await StreamsCluster.UntilAsync(async () => (counts = await LatestCountsAsync(cluster)).Values.Sum() == 24, () => "counts continue from the restored state: " + string.Join(",", counts));
        Assert.All(counts.Values, c => Assert.Equal(6, c));
        await app2.CloseAsync();
    }

    [Fact]
    public async Task A_failing_handler_moves_the_app_to_error()
    {
        await using var cluster = await EmbeddedStreamsCluster.StartAsync();
        await cluster.CreateTopicAsync("in", 1);
        var b = new StreamsBuilder();
        b.Stream("in", new Consumed<string, long>(Serdes.String, Serdes.Int64)).To("out", new Produced<string, long>(Serdes.String, Serdes.Int64));
        var options = new StreamsOptions { ApplicationId = "err", StateDir = cluster.StateDir(), DeserializationErrorHandler = _ => ErrorHandlerResponse.Fail };
        await using var app = new StreamsApp(b.Build(), options, cluster.Clients);
        await app.StartAsync();
        await cluster.ProduceAsync("in", [(null, new byte[] { 1, 2 }, 0)]);
        await StreamsCluster.UntilAsync(() => app.State == StreamsState.Error, () => "ERROR");
        Assert.Contains("Failed to deserialize value from topic: in", app.Error!.Message);
    }
}
