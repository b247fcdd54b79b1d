using Rhei.Streams.State;
using static Rhei.Streams.Tests.EndToEnd.Topologies;

namespace Rhei.Streams.Tests.EndToEnd;

/// <summary>
/// The same topologies end to end on a client implementation: inputs produced with an <c>IProducer</c>, a
/// <see cref="StreamsApp"/> running them, outputs read back with an <c>IConsumer</c>; the outputs equal what the
/// test driver computes for the same input.
/// </summary>
public abstract class EndToEndTests
{
    private const int Partitions = 3;

    protected abstract Task<StreamsCluster> StartClusterAsync();

    private static StreamsOptions AppOptions(StreamsCluster cluster, string appId) => new()
    {
        ApplicationId = appId,
        StateDir = cluster.StateDir(),
        CommitIntervalMs = 100,
    };

    private static async Task CreateTopicsAsync(StreamsCluster cluster, params string[] topics)
    {
        foreach (var t in topics) { await cluster.CreateTopicAsync(t, Partitions); }
    }

    private static Task ProduceAsync(StreamsCluster cluster, IEnumerable<Input> inputs) =>
        Task.WhenAll(inputs.GroupBy(i => i.Topic).Select(g => cluster.ProduceAsync(g.Key, g.Select(i => (Bytes(i.Key), Bytes(i.Value), i.Timestamp)))));

    /// <summary>Waits until "out" holds <paramref name="count"/> records, closes the app cleanly, and reads "out" whole.</summary>
    private static async Task<List<ReadRecord>> FinishAsync(StreamsCluster cluster, StreamsApp app, int count)
    {
        await StreamsCluster.UntilAsync(async () => app.State == StreamsState.Error || await cluster.CountAsync("out") >= count, () => $"{count} output records (app {app.State})");
        Assert.Null(app.Error);
        await app.CloseAsync();
        return await cluster.ReadAllAsync("out");
    }

    private static Dictionary<string, int> PartitionCounts(params string[] topics) => topics.ToDictionary(t => t, _ => Partitions);

    [Fact]
    public async Task Stateless_pipeline_writes_what_the_driver_writes()
    {
        await using var cluster = await StartClusterAsync();
        await CreateTopicsAsync(cluster, "in", "out");
        var values = new[] { "a", "b+c", "xz", "d+e+f", "g" };
        var inputs = Enumerable.Range(0, 200).Select(i => new Input("in", "k" + (i % 20), values[i % values.Length], 1000 + i)).ToList();
        var expected = Expected(Stateless(), PartitionCounts("in"), inputs);

        await ProduceAsync(cluster, inputs);
        await using var app = new StreamsApp(Stateless(), AppOptions(cluster, "stateless"), cluster.Clients);
        await app.StartAsync();
        var actual = await FinishAsync(cluster, app, expected.Count);

        Assert.Equal(Sorted(expected.Select(r => (r.Key, r.Value, r.Timestamp))), Sorted(actual.Select(r => (r.Key, r.Value, r.Timestamp))));
    }

    [Fact]
    public async Task Count_by_key_through_a_repartition_topic_counts_what_the_driver_counts()
    {
        await using var cluster = await StartClusterAsync();
        await CreateTopicsAsync(cluster, "in", "out");
        var random = new Random(7);
        var inputs = Enumerable.Range(0, 300).Select(i => new Input("in", "k" + i, "v" + random.Next(10), 1000 + i)).ToList();
        var expected = Expected(CountByKey(), PartitionCounts("in"), inputs);

        await ProduceAsync(cluster, inputs);
        await using var app = new StreamsApp(CountByKey(), AppOptions(cluster, "count"), cluster.Clients);
        await app.StartAsync();
        var actual = await FinishAsync(cluster, app, expected.Count);

        Assert.Equal(300, expected.Count);
        Assert.Equal(UpdatesPerKey(expected.Select(r => (r.Key, r.Value))), UpdatesPerKey(actual.Select(r => (r.Key, r.Value))));
    }

    [Fact]
    public async Task Tumbling_window_count_in_RocksDB_counts_what_the_driver_counts_and_drops_the_same_late_records()
    {
        await using var cluster = await StartClusterAsync();
        await CreateTopicsAsync(cluster, "in", "out");
        var inputs = WindowInputs(400, seed: 3);
        var expected = Expected(WindowedCount(), PartitionCounts("in"), inputs);

        await ProduceAsync(cluster, inputs);
        await using var app = new StreamsApp(WindowedCount(), AppOptions(cluster, "window"), cluster.Clients);
        await app.StartAsync();
        var actual = await FinishAsync(cluster, app, expected.Count);

        Assert.InRange(expected.Count, 300, 399);
        Assert.Equal(UpdatesPerKey(expected.Select(r => (r.Key, r.Value))), UpdatesPerKey(actual.Select(r => (r.Key, r.Value))));
    }

    [Fact]
    public async Task Stream_table_join_joins_what_the_driver_joins()
    {
        await using var cluster = await StartClusterAsync();
        await CreateTopicsAsync(cluster, "users", "clicks", "out");
        var users = Enumerable.Range(0, 9).Select(i => new Input("users", "u" + i, "r" + (i % 3), 100 + i)).ToList();
        var clicks = Enumerable.Range(0, 120).Select(i => new Input("clicks", "u" + (i % 11), "c" + i, 1000 + i)).ToList();
        var expected = Expected(StreamTableJoin(), PartitionCounts("users", "clicks"), [.. users, .. clicks]);

        await using var app = new StreamsApp(StreamTableJoin(), AppOptions(cluster, "join"), cluster.Clients);
        await app.StartAsync();
        await ProduceAsync(cluster, users);
        await StreamsCluster.UntilAsync(
            () => app.LocalStores("users-store").Sum(s => ((IKeyValueStore<string, ValueAndTimestamp<string>>)s.Store).All().Count) == users.Count,
            () => "the users table loaded");
        await ProduceAsync(cluster, clicks);
        var actual = await FinishAsync(cluster, app, expected.Count);

        Assert.Equal(120, expected.Count);
        Assert.Contains(expected, r => Text(r.Value)!.EndsWith("/none", StringComparison.Ordinal));
        Assert.Equal(Sorted(expected.Select(r => (r.Key, r.Value, r.Timestamp))), Sorted(actual.Select(r => (r.Key, r.Value, r.Timestamp))));
    }

    /// <summary>
    /// Records over ten keys, a little out of order, every 37th one late beyond the 5-second grace (so dropped), with
    /// time advancing by half a second per record: about 20 windows of 10 seconds.
    /// </summary>
    public static List<Input> WindowInputs(int count, int seed, int keys = 10, long start = 1_000_000)
    {
        var random = new Random(seed);
        var list = new List<Input>(count);
        for (var i = 0; i < count; i++)
        {
            var ts = start + (i * 500L) + random.Next(-1500, 1500);
            if (i % 37 == 36) { ts -= 30_000; }
            list.Add(new Input("in", "k" + random.Next(keys), "v" + i, ts));
        }

        return list;
    }
}

public sealed class EmbeddedEndToEndTests : EndToEndTests
{
    protected override async Task<StreamsCluster> StartClusterAsync() => await EmbeddedStreamsCluster.StartAsync();
}
