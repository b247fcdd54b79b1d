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
        ClientProperties = cluster.AppClientProperties,
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

    private static Topology FailsOnThirteen()
    {
        var b = new StreamsBuilder();
        b.Stream("in", new Consumed<string, long>(Serdes.String, Serdes.Int64))
            .MapValues((_, v) => v == 13 ? throw new InvalidOperationException("unlucky thirteen") : v * 10)
            .To("out", new Produced<string, long>(Serdes.String, Serdes.Int64));
        return b.Build();
    }

    private static (byte[]? Key, byte[]? Value, long Timestamp) Int64Record(string key, long value, long timestamp) =>
        (Bytes(key), Serdes.Int64.Serialize(value, "in"), timestamp);

    [Fact]
    public async Task Bad_records_go_to_the_processing_log_topic_with_their_source_and_processing_continues()
    {
        await using var cluster = await StartClusterAsync();
        await CreateTopicsAsync(cluster, "in", "out");
        await cluster.CreateTopicAsync("plog", 1);
        var options = AppOptions(cluster, "plog-app") with { ProcessingLogTopic = "plog", ProcessingLogName = "processing.Q1" };
        await using var app = new StreamsApp(FailsOnThirteen(), options, cluster.Clients);
        await app.StartAsync();

        // All to partition 2: offset 1 does not deserialize (3 bytes, not 8), offset 2 fails in the operator.
        await cluster.ProduceAsync("in", [Int64Record("a", 1, 10), (Bytes("b"), [1, 2, 3], 11), Int64Record("c", 13, 12), Int64Record("d", 4, 13)], partition: 2);
        await StreamsCluster.UntilAsync(async () => app.State == StreamsState.Error || await cluster.CountAsync("plog") >= 2, () => $"two processing-log entries (app {app.State})");
        var actual = await FinishAsync(cluster, app, 2);

        Assert.Equal(["a=10@10", "d=40@13"], actual.Select(r => $"{Text(r.Key)}={Serdes.Int64.Deserialize(r.Value, false, "out")}@{r.Timestamp}"));
        var log = (await cluster.ReadAllAsync("plog")).Select(r => System.Text.Json.JsonDocument.Parse(r.Value!).RootElement).ToList();
        Assert.Equal(2, log.Count);
        Assert.All(log, e => Assert.Equal("processing.Q1", e.GetProperty("logger").GetString()));
        Assert.All(log, e => Assert.Equal("ERROR", e.GetProperty("level").GetString()));

        var de = log[0].GetProperty("message");
        Assert.Equal((int)ProcessingErrorType.DeserializationError, de.GetProperty("type").GetInt32());
        var d = de.GetProperty("deserializationError");
        Assert.Equal("value", d.GetProperty("target").GetString());
        Assert.Equal(("in", 2, 1L), (d.GetProperty("topic").GetString(), d.GetProperty("partition").GetInt32(), d.GetProperty("offset").GetInt64()));
        Assert.Equal(Convert.ToBase64String([1, 2, 3]), d.GetProperty("recordB64").GetString());
        Assert.Contains("Failed to deserialize value from topic: in", d.GetProperty("errorMessage").GetString());

        var pe = log[1].GetProperty("message");
        Assert.Equal((int)ProcessingErrorType.RecordProcessingError, pe.GetProperty("type").GetInt32());
        var p = pe.GetProperty("recordProcessingError");
        Assert.Equal(("in", 2, 2L), (p.GetProperty("topic").GetString(), p.GetProperty("partition").GetInt32(), p.GetProperty("offset").GetInt64()));
        Assert.Contains("unlucky thirteen", p.GetProperty("errorMessage").GetString());

        // Processing went on past both, and the offsets committed at close cover all four records.
        await using var admin = cluster.Clients.CreateAdmin();
        var committed = await admin.ListConsumerGroupOffsetsAsync("plog-app");
        Assert.Equal(4, committed.Single(o => o.Topic == "in" && o.Partition == 2).Offset);
    }

    [Fact]
    public async Task A_handler_that_fails_stops_the_task_without_committing_past_the_bad_record()
    {
        await using var cluster = await StartClusterAsync();
        await CreateTopicsAsync(cluster, "in", "out");
        await cluster.CreateTopicAsync("plog", 1);
        var errors = new List<ProcessingError>();
        var options = AppOptions(cluster, "fail-app") with
        {
            ProcessingLogTopic = "plog",
            ProcessingErrorHandler = e =>
            {
                lock (errors) { errors.Add(e); }
                return ErrorHandlerResponse.Fail;
            },
        };
        await using var app = new StreamsApp(FailsOnThirteen(), options, cluster.Clients);
        await app.StartAsync();
        await cluster.ProduceAsync("in", [Int64Record("a", 1, 10), Int64Record("c", 13, 12), Int64Record("d", 4, 13)], partition: 1);

        await StreamsCluster.UntilAsync(() => app.State == StreamsState.Error, () => "the application stopped");
        Assert.Contains("unlucky thirteen", app.Error!.ToString());
        lock (errors)
        {
            var error = Assert.Single(errors);
            Assert.Equal(("in", 1, 1L), (error.Topic, error.Partition, error.Offset));
        }

        await app.CloseAsync();
        await using var admin = cluster.Clients.CreateAdmin();
        var committed = await admin.ListConsumerGroupOffsetsAsync("fail-app");
        Assert.All(committed.Where(o => o.Topic == "in" && o.Partition == 1), o => Assert.True(o.Offset <= 1, $"committed {o.Offset}, past the failed record"));
    }

    /// <summary>
    /// Two instances split the six partitions of a windowed RocksDB aggregation; one stops; the other takes its tasks
    /// over, restores their stores from the changelogs and goes on: the final store and every emitted update equal
    /// the test driver's run over the same input.
    /// </summary>
    [Fact]
    public Task Two_instances_split_six_partitions_and_the_survivor_takes_over_with_restored_state() => TwoInstancesAsync(kill: false);

    /// <summary>
    /// As above, but the first instance is killed (no commit, no revocation) after the first half of the input: the
    /// survivor restores its tasks to their last commit points and reprocesses from there. The final store and the
    /// last update per window equal the driver's run; every emitted update is one the driver emits (at-least-once:
    /// some are emitted twice).
    /// </summary>
    protected async Task TwoInstancesAsync(bool kill)
    {
        const int six = 6;
        await using var cluster = await StartClusterAsync();
        await cluster.CreateTopicAsync("in", six);
        await cluster.CreateTopicAsync("out", six);
        var all = WindowInputs(1200, seed: 5, keys: 24);
        var first = all.Take(600).ToList();
        var second = all.Skip(600).ToList();
        var partitions = new Dictionary<string, int> { ["in"] = six };
        var expectedFirst = Expected(WindowedCount(), partitions, first);
        var expected = Expected(WindowedCount(), partitions, all);
        var expectedStore = ExpectedWindowStore(all, six);
        StreamsOptions Instance(string name) => AppOptions(cluster, "pair") with { StateDir = cluster.StateDir(name) };

        var oneClients = new CrashableClients(cluster.Clients, disconnectOnCrash: true);
        await using var one = new StreamsApp(WindowedCount(), Instance("one"), oneClients);
        await using var two = new StreamsApp(WindowedCount(), Instance("two"), cluster.Clients);
        await one.StartAsync();
        await two.StartAsync();
        await StreamsCluster.UntilAsync(
            () => one.ActiveTasks.Count == 3 && two.ActiveTasks.Count == 3 && one.State == StreamsState.Running && two.State == StreamsState.Running,
            () => $"three tasks each (one: {one.ActiveTasks.Count} {one.State}, two: {two.ActiveTasks.Count} {two.State})");

        await ProduceAsync(cluster, first);
        await StreamsCluster.UntilAsync(async () => one.State == StreamsState.Error || two.State == StreamsState.Error || await cluster.CountAsync("out") >= expectedFirst.Count, () => "the first half processed");
        var movedTasks = one.ActiveTasks.ToList();
        Assert.Equal(3, movedTasks.Count);
        Assert.Contains(one.LocalStores("window-counts"), s => ((IWindowStore<string, ValueAndTimestamp<long?>>)s.Store).All().Count > 0);

        if (kill)
        {
            oneClients.Crash();
            await StreamsCluster.UntilAsync(() => one.State == StreamsState.Error, () => "instance one died");
            Assert.IsType<ProcessKilledException>(one.Error);
            await one.DisposeAsync();
        }
        else
        {
            await one.CloseAsync();
        }

        await StreamsCluster.UntilAsync(() => two.ActiveTasks.Count == six && two.State == StreamsState.Running, () => $"instance two owns all tasks ({two.ActiveTasks.Count}, {two.State} {two.Error})");

        await ProduceAsync(cluster, second);
        await StreamsCluster.UntilAsync(async () => two.State == StreamsState.Error || await CommittedAsync(cluster, "pair", "in") == all.Count, () => "all input processed and committed");
        var store = StoreContents(two);
        var actual = await FinishAsync(cluster, two, expected.Count);

        Assert.Equal(expectedStore, store);
        var expectedUpdates = expected.Select(r => (r.Key, r.Value)).ToList();
        var actualUpdates = actual.Select(r => (r.Key, r.Value)).ToList();
        if (kill)
        {
            Assert.Equal(LastPerKey(expectedUpdates), LastPerKey(actualUpdates));
            var allowed = expectedUpdates.Select(r => $"{Text(r.Key)}={Text(r.Value)}").ToHashSet(StringComparer.Ordinal);
            Assert.All(actualUpdates, r => Assert.Contains($"{Text(r.Key)}={Text(r.Value)}", allowed));
            Assert.True(actualUpdates.Count >= expectedUpdates.Count);
        }
        else
        {
            Assert.Equal(UpdatesPerKey(expectedUpdates), UpdatesPerKey(actualUpdates));
            Assert.Equal(expected.Count, actual.Count);
        }
    }

    private static async Task<long> CommittedAsync(StreamsCluster cluster, string group, string topic)
    {
        await using var admin = cluster.Clients.CreateAdmin();
        return (await admin.ListConsumerGroupOffsetsAsync(group)).Where(o => o.Topic == topic).Sum(o => o.Offset);
    }

    /// <summary>The driver's window store after the inputs, over all partitions, as "key@start=count".</summary>
    private static List<string> ExpectedWindowStore(IEnumerable<Input> inputs, int partitions)
    {
        var topics = new Rhei.Streams.Testing.TestTopics();
        topics.CreateTopic("in", partitions);
        var store = new List<string>();
        using var driver = new Rhei.Streams.Testing.TopologyTestDriver(WindowedCount(), TestSupport.Options("expected"), topics);
        var input = driver.CreateInputTopic("in", Serdes.String, Serdes.String);
        foreach (var i in inputs) { input.PipeInput(i.Key!, i.Value!, i.Timestamp); }
        for (var p = 0; p < partitions; p++)
        {
            store.AddRange(driver.GetTimestampedWindowStore<string, long?>("window-counts", p).All().Select(e => $"{WindowKey(e.Key)}={e.Value.Value}"));
        }

        return [.. store.Order(StringComparer.Ordinal)];
    }

    /// <summary>A running application's window store over its tasks, as "key@start=count".</summary>
    private static List<string> StoreContents(StreamsApp app) =>
        [.. app.LocalStores("window-counts")
            .SelectMany(s => ((IWindowStore<string, ValueAndTimestamp<long?>>)s.Store).All())
            .Select(e => $"{WindowKey(e.Key)}={e.Value.Value}")
            .Order(StringComparer.Ordinal)];

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

public sealed class KafkaEndToEndTests : EndToEndTests
{
    protected override async Task<StreamsCluster> StartClusterAsync() => await KafkaStreamsCluster.StartAsync();

    /// <summary>
    /// Kafka client only: a killed instance's membership ends when its connection closes (or its session times out).
    /// Embedded instances share their process's group coordinator, so they cannot die one without the other.
    /// </summary>
    [Fact]
    public Task Two_instances_split_six_partitions_and_the_survivor_takes_over_when_one_is_killed() => TwoInstancesAsync(kill: true);
}
