using Rhei.Client;
using Rhei.Streams.State;
using Rhei.Streams.Testing;
using static Rhei.Streams.Tests.EndToEnd.Topologies;

namespace Rhei.Streams.Tests.EndToEnd;

/// <summary>
/// Crashes in the middle of a windowed aggregation over a RocksDB store (on the embedded client and on the Kafka client against Rhei's broker), restarts, and checks
/// exactly what <c>docs/streams.md</c> promises for at-least-once: the final state (the store, and the last
/// update per window in the output) equals a run without failures; emitted updates are all updates the failure-free
/// run emits, and the only repeats are those of the records processed after the last commit before a crash.
/// </summary>
public abstract class RestartTests
{
    private const string App = "restart";
    private const int Partitions = 2;
    private const long CommitIntervalMs = 1000;

    private sealed class Run(StreamsCluster cluster, string stateDir)
    {
        public CrashableClients? Clients { get; private set; }

        public ManualTimeProvider Clock { get; } = new(1_000_000);

        public StreamsApp? App { get; private set; }

        public async Task StartAsync()
        {
            Clients = new CrashableClients(cluster.Clients, cluster.KilledConsumersDisconnect);
            var options = new StreamsOptions
            {
                ApplicationId = RestartTests.App,
                StateDir = stateDir,
                CommitIntervalMs = CommitIntervalMs,
                TimeProvider = Clock,
                ClientProperties = cluster.AppClientProperties,
            };
            App = new StreamsApp(WindowedCount(), options, Clients);
            await App.StartAsync();
        }

        /// <summary>Waits until the output holds <paramref name="count"/> records and the changelog as many (no cache: one changelog write per update).</summary>
        public async Task ProcessedAsync(int count)
        {
            await StreamsCluster.UntilAsync(
                async () => App!.State == StreamsState.Error || (await cluster.CountAsync("out") >= count && await cluster.CountAsync($"{RestartTests.App}-window-counts-changelog") >= count),
                () => $"{count} updates (app {App!.State})");
            Assert.Null(App!.Error);
            Assert.Equal(count, await cluster.CountAsync("out"));
        }

        /// <summary>Lets the commit interval pass and waits until the group's committed offsets cover <paramref name="inputs"/> records.</summary>
        public async Task CommittedAsync(int inputs)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(CommitIntervalMs));
            await StreamsCluster.UntilAsync(async () => await CommittedInputsAsync(cluster) == inputs, () => $"offsets of {inputs} inputs committed");
        }

        public async Task CrashAsync(bool atGroupCommit = false)
        {
            if (atGroupCommit)
            {
                Clients!.CrashAtNextGroupCommit();
                Clock.Advance(TimeSpan.FromMilliseconds(CommitIntervalMs));
            }
            else
            {
                Clients!.Crash();
            }

            await StreamsCluster.UntilAsync(() => App!.State == StreamsState.Error, () => "the app died");
            Assert.IsType<ProcessKilledException>(App!.Error);
            await App.DisposeAsync();
        }

        /// <summary>The window store's contents over all tasks, as "key@start=count".</summary>
        public List<string> StoreContents() =>
            [.. App!.LocalStores("window-counts")
                .SelectMany(s => ((IWindowStore<string, ValueAndTimestamp<long?>>)s.Store).All())
                .Select(e => $"{WindowKey(e.Key)}={e.Value.Value}")
                .Order(StringComparer.Ordinal)];
    }

    private static async Task<long> CommittedInputsAsync(StreamsCluster cluster)
    {
        await using var admin = cluster.Clients.CreateAdmin();
        return (await admin.ListConsumerGroupOffsetsAsync(App)).Where(o => o.Topic == "in").Sum(o => o.Offset);
    }

    /// <summary>What a run without failures writes after each batch, and its final store contents.</summary>
    private static (List<int> OutputCounts, List<TestTopicRecord> Output, List<string> Store) Reference(IReadOnlyList<List<Input>> batches)
    {
        var topics = new TestTopics();
        topics.CreateTopic("in", Partitions);
        var counts = new List<int>();
        var store = new List<string>();
        using (var driver = new TopologyTestDriver(WindowedCount(), TestSupport.Options("reference"), topics))
        {
            var input = driver.CreateInputTopic("in", Serdes.String, Serdes.String);
            foreach (var batch in batches)
            {
                foreach (var i in batch) { input.PipeInput(i.Key!, i.Value!, i.Timestamp); }
                counts.Add(topics.Count("out"));
            }

            for (var p = 0; p < Partitions; p++)
            {
                store.AddRange(driver.GetTimestampedWindowStore<string, long?>("window-counts", p).All().Select(e => $"{WindowKey(e.Key)}={e.Value.Value}"));
            }
        }

        return (counts, [.. topics.ReadAll("out")], [.. store.Order(StringComparer.Ordinal)]);
    }

    protected abstract Task<StreamsCluster> StartClusterAsync();

    [Fact]
    public async Task Windowed_counts_after_crashes_restarts_and_a_wiped_state_directory_equal_a_run_without_failures()
    {
        await using var cluster = await StartClusterAsync();
        await cluster.CreateTopicAsync("in", Partitions);
        await cluster.CreateTopicAsync("out", Partitions);
        var all = EndToEndTests.WindowInputs(2000, seed: 11);
        var batches = all.Chunk(400).Select(c => c.ToList()).ToList();

        // Batches 1 and 3 start (where the crashed instances resume) with records of every key that are late beyond
        // the grace period: the failure-free run drops them, and so must a run that resumed with the right stream time.
        foreach (var n in new[] { 1, 3 })
        {
            var late = batches[n - 1][^1].Timestamp - 30_000;
            batches[n].InsertRange(0, Enumerable.Range(0, 10).Select(k => new Input("in", "k" + k, "late", late)));
        }

        var inputsUpTo = batches.Select((_, i) => batches.Take(i + 1).Sum(x => x.Count)).ToList();
        var (u, expectedOutput, expectedStore) = Reference(batches);
        var stateDir = cluster.StateDir();
        Task ProduceAsync(int batch) => cluster.ProduceAsync("in", batches[batch].Select(i => (Bytes(i.Key), Bytes(i.Value), i.Timestamp)));

        // 1. Batch 0 processed and committed; batch 1 processed (its updates and changelog records written) but not
        //    committed; then the process dies.
        var a = new Run(cluster, stateDir);
        await ProduceAsync(0);
        await a.StartAsync();
        await a.ProcessedAsync(u[0]);
        await a.CommittedAsync(inputsUpTo[0]);
        await ProduceAsync(1);
        await a.ProcessedAsync(u[1]);
        await a.CrashAsync();

        // 2. Restart on the same state directory: the task resumes from its commit point (after batch 0), so batch 1's
        //    updates are emitted a second time — the same updates. Batch 2 is processed, then the process dies exactly
        //    when it commits its offsets to the group, after writing its commit points.
        await cluster.RestartAsync();
        var b = new Run(cluster, stateDir);
        await b.StartAsync();
        await b.ProcessedAsync(u[1] + (u[1] - u[0]));
        await ProduceAsync(2);
        await b.ProcessedAsync(u[2] + (u[1] - u[0]));
        await b.CrashAsync(atGroupCommit: true);
        Assert.Equal(inputsUpTo[0], await CommittedInputsAsync(cluster));

        // 3. The local state directory is lost: everything is restored from the changelog, and the input resumes from
        //    the commit point (after batch 2), ahead of the group's committed offsets: batch 2 is not processed again.
        Directory.Delete(stateDir, recursive: true);
        await cluster.RestartAsync();
        var c = new Run(cluster, stateDir);
        await c.StartAsync();
        await ProduceAsync(3);
        await c.ProcessedAsync(u[3] + (u[1] - u[0]));
        await c.CommittedAsync(inputsUpTo[3]);
        await c.App!.CloseAsync();

        // 4. A clean restart: the checkpoint says the local store is current; batch 4 completes the input.
        var d = new Run(cluster, stateDir);
        await d.StartAsync();
        await ProduceAsync(4);
        await d.ProcessedAsync(u[4] + (u[1] - u[0]));
        Assert.Equal(expectedStore, d.StoreContents());
        await d.App!.CloseAsync();

        var output = await cluster.ReadAllAsync("out");
        var actual = output.Select(r => (r.Key, r.Value)).ToList();
        var expected = expectedOutput.Select(r => (r.Key, r.Value)).ToList();
        Assert.Equal(LastPerKey(expected), LastPerKey(actual));

        // Every emitted update is one the failure-free run emits; the extra ones are exactly batch 1's updates again.
        var expectedUpdates = expected.Select(Show).ToList();
        var actualUpdates = actual.Select(Show).ToList();
        Assert.Empty(actualUpdates.Except(expectedUpdates));
        var extra = Multiset(actualUpdates);
        foreach (var e in expectedUpdates) { extra[e]--; }
        var batch1Updates = Multiset(expectedOutput.Skip(u[0]).Take(u[1] - u[0]).Select(r => Show((r.Key, r.Value))));
        Assert.Equal(batch1Updates.Where(e => e.Value > 0).OrderBy(e => e.Key), extra.Where(e => e.Value != 0).OrderBy(e => e.Key));
    }

    private static string Show((byte[]? Key, byte[]? Value) r) => $"{Text(r.Key)}={Text(r.Value)}";

    private static Dictionary<string, int> Multiset(IEnumerable<string> items)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var i in items) { d[i] = d.GetValueOrDefault(i) + 1; }
        return d;
    }
}

public sealed class EmbeddedRestartTests : RestartTests
{
    protected override async Task<StreamsCluster> StartClusterAsync() => await EmbeddedStreamsCluster.StartAsync();
}

public sealed class KafkaRestartTests : RestartTests
{
    protected override async Task<StreamsCluster> StartClusterAsync() => await KafkaStreamsCluster.StartAsync();
}
