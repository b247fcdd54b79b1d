using System.Text;
using Rhei.Client;
using Rhei.Streams.Testing;
using Rhei.Streams.Tests.Fakes;
using static Rhei.Streams.Tests.TestSupport;

namespace Rhei.Streams.Tests;

/// <summary>The application runtime (threads, group membership, restore, commit) over an in-memory client.</summary>
public class StreamsAppTests
{
    private static Topology CountTopology()
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed)
            .GroupBy((_, v) => v, new Grouped<string, string>("by-value") { KeySerde = Serdes.String })
            .Count("cnt", new Materialized<string, long?>("counts"))
            .ToStream().To("out", new Produced<string, long?>(Serdes.String, Serdes.NullableInt64));
        return b.Build();
    }

    private static Task Until(Func<bool> condition, string what) => Until(condition, () => what);

    private static async Task Until(Func<bool> condition, Func<string> what)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (cts.IsCancellationRequested) { throw new TimeoutException("Gave up waiting for: " + what()); }
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private static Dictionary<string, long> LatestCounts(TestTopics topics) =>
        topics.ReadAll("out").GroupBy(r => Encoding.UTF8.GetString(r.Key!)).ToDictionary(g => g.Key, g => Serdes.NullableInt64.Deserialize(g.Last().Value, false, "")!.Value);

    [Fact]
    public async Task App_creates_internal_topics_processes_commits_and_stops()
    {
        var topics = new TestTopics();
        topics.CreateTopic("in", 2);
        var clients = new InMemoryClients(topics);
        var states = new List<StreamsState>();
        var options = Options("wc") with { CommitIntervalMs = 50, NumStreamThreads = 2 };
        await using var app = new StreamsApp(CountTopology(), options, clients);
        app.StateChanged += c => { lock (states) { states.Add(c.NewState); } };
        await app.StartAsync();
        Assert.Equal(2, topics.PartitionCount("wc-by-value-repartition"));
        Assert.Equal(2, topics.PartitionCount("wc-counts-changelog"));

        var producer = clients.CreateProducer(new ProducerOptions());
        foreach (var (k, v) in new[] { ("1", "a"), ("2", "b"), ("3", "a"), ("4", "c"), ("5", "a") })
        {
            producer.Produce(new ProduceRecord("in", Encoding.UTF8.GetBytes(k), Encoding.UTF8.GetBytes(v), Timestamp: 1));
        }

        await Until(() => LatestCounts(topics).GetValueOrDefault("a") == 3 && LatestCounts(topics).Count == 3, () => "counts a=3, b=1, c=1: " + string.Join(",", LatestCounts(topics)) + " " + app.State + " tasks " + app.ActiveTasks.Count + " repartition " + topics.ReadAll("wc-by-value-repartition").Count);
        await Until(() => app.State == StreamsState.Running, "RUNNING");
        Assert.Equal(4, app.ActiveTasks.Count);
        Assert.Equal(3, app.LocalStores("counts").Sum(s => ((State.IKeyValueStore<string, ValueAndTimestamp<long?>>)s.Store).All().Count));
        await Until(() => clients.GroupOf("wc").Committed.Keys.Any(k => k.Topic == "in"), "a commit");
        await app.CloseAsync();
        Assert.Equal(StreamsState.NotRunning, app.State);
        lock (states) { Assert.Equal([StreamsState.Rebalancing, StreamsState.Running], states.Take(2)); Assert.Equal(StreamsState.NotRunning, states[^1]); }
        var committed = clients.GroupOf("wc").Committed;
        Assert.Equal(5, committed.Where(c => c.Key.Topic == "in").Sum(c => c.Value));
    }

    [Fact]
    public async Task A_second_instance_takes_over_partitions_and_restores_state_from_the_changelog()
    {
        var topics = new TestTopics();
        topics.CreateTopic("in", 2);
        var clients = new InMemoryClients(topics);
        var producer = clients.CreateProducer(new ProducerOptions());
        void Send(string k, string v) => producer.Produce(new ProduceRecord("in", Encoding.UTF8.GetBytes(k), Encoding.UTF8.GetBytes(v), Timestamp: 1));

        var app1 = new StreamsApp(CountTopology(), Options("two") with { CommitIntervalMs = 20 }, clients);
        await app1.StartAsync();
        for (var i = 0; i < 20; i++) { Send("k" + i, "v" + (i % 4)); }
        await Until(() => LatestCounts(topics).Values.Sum() == 20, "20 records counted by one instance");

        var app2 = new StreamsApp(CountTopology(), Options("two") with { CommitIntervalMs = 20 }, clients);
        await app2.StartAsync();
        await Until(() => app2.ActiveTasks.Count == 2 && app1.ActiveTasks.Count == 2 && app2.State == StreamsState.Running, "the tasks split over two instances");
        await app1.CloseAsync();
        await Until(() => app2.ActiveTasks.Count == 4 && app2.State == StreamsState.Running, "instance 2 owns every task");

        for (var i = 0; i < 4; i++) { Send("x" + i, "v" + i); }
        await Until(() => LatestCounts(topics).Values.Sum() == 24, () => "counts continue from the restored state: " + string.Join(",", LatestCounts(topics)) + " tasks " + app2.ActiveTasks.Count + " " + app2.State);
        Assert.All(LatestCounts(topics).Values, c => Assert.Equal(6, c));
        await app2.CloseAsync();
    }

    [Fact]
    public async Task A_failing_handler_moves_the_app_to_error()
    {
        var topics = new TestTopics();
        topics.CreateTopic("in", 1);
        var clients = new InMemoryClients(topics);
        var b = new StreamsBuilder();
        b.Stream("in", new Consumed<string, long>(Serdes.String, Serdes.Int64)).To("out", new Produced<string, long>(Serdes.String, Serdes.Int64));
        await using var app = new StreamsApp(b.Build(), Options("err") with { DeserializationErrorHandler = _ => ErrorHandlerResponse.Fail }, clients);
        await app.StartAsync();
        topics.Append("in", 0, null, [1, 2], 0);
        await Until(() => app.State == StreamsState.Error, "ERROR");
        Assert.Contains("Failed to deserialize value from topic: in", app.Error!.Message);
    }
}
