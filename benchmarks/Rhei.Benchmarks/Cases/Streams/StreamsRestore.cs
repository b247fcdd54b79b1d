using System.Globalization;
using Rhei.Benchmarks.Harness;
using Rhei.Client;
using Rhei.Streams;
using Rhei.Streams.State;

namespace Rhei.Benchmarks.Cases.Streams;

/// <summary>
/// <c>streams-restore</c>: state restore from a changelog after the local state directory is lost (BENCHMARKS.md
/// B8), in embedded mode. A count-by-key application without a record cache runs over the input once (so its
/// store's changelog holds one record per input record) and closes cleanly; then a new instance of the same
/// application starts on an empty state directory and restores every store from the changelog. The figure is
/// changelog records applied per second (wall) and per CPU-second, from start until the instance is running with all
/// its tasks; baseline: a plain consumer reading the same changelog topic raw, doing nothing with the records.
/// Parameters: <c>records</c> (5,000,000), <c>keys</c> (1,000,000), <c>partitions</c> (1), <c>store</c>
/// (<c>inmemory</c> or <c>rocksdb</c>).
/// </summary>
internal static class StreamsRestore
{
    private const string AppId = "restore";

    public static BenchmarkDefinition Definition { get; } = new(
        "streams-restore",
        "Rhei.Streams state restore from the changelog after the state directory is lost, records/s vs reading the changelog raw",
        RunAsync);

    private static Topology Count(ProcessedCounter counter, StoreType storeType)
    {
        var b = new StreamsBuilder();
        b.Stream("in", new Consumed<string, long>(Serdes.String, Serdes.Int64))
            .Peek((_, _) => counter.Increment())
            .GroupByKey(new Grouped<string, long> { KeySerde = Serdes.String, ValueSerde = Serdes.Int64 })
            .Count("count", new Materialized<string, long?>("counts") { StoreType = storeType, KeySerde = Serdes.String, ValueSerde = Serdes.NullableInt64 });
        return b.Build();
    }

    private static StreamsOptions Options(string stateDir) => new()
    {
        ApplicationId = AppId,
        StateDir = stateDir,
        CacheMaxBytesBuffering = 0,
        CommitIntervalMs = 5000,
    };

    private static async Task<BenchmarkReport> RunAsync(BenchmarkContext context)
    {
        var records = context.GetInt("records", 5_000_000);
        var keys = context.GetInt("keys", 1_000_000);
        var partitions = context.GetInt("partitions", 1);
        var storeType = context.GetString("store", "inmemory") switch
        {
            "inmemory" => StoreType.InMemory,
            "rocksdb" => StoreType.RocksDb,
            var other => throw new ArgumentException($"Unknown store '{other}': use inmemory or rocksdb."),
        };
        var ct = context.CancellationToken;
        await using var bench = await StreamsBench.StartAsync();
        await bench.CreateTopicAsync("in", partitions);
        context.Log($"filling the input topic with {records:#,0} records");
        await bench.FillAsync("in", records, keys, ct);

        context.Log("writing the changelog: count by key without a cache over the input");
        var counter = new ProcessedCounter();
        await StreamsBench.RunToEndAsync(new StreamsApp(Count(counter, storeType), Options(bench.StateDir("first")), bench.Clients), () => counter.Count, records, ct);
        var changelog = AppId + "-counts-changelog";
        long changelogRecords;
        await using (var admin = bench.Clients.CreateAdmin())
        {
            var ends = await admin.ListOffsetsAsync(Enumerable.Range(0, partitions).Select(p => (new TopicPartition(changelog, p), OffsetSpec.Latest)), ct);
            changelogRecords = ends.Sum(e => e.Offset);
        }

        context.Log($"warm-up: read the changelog raw and restore it once ({changelogRecords:#,0} records)");
        await bench.ReadAllAsync(changelog, _ => { }, ct);
        await RestoreAsync(bench, storeType, "warmup", partitions, changelogRecords, keys, ct);

        context.Log("baseline: read the changelog raw");
        long bytes = 0;
        var baseline = await bench.ReadAllAsync(changelog, r => bytes += (r.Key?.Length ?? 0) + (r.Value?.Length ?? 0), ct);

        context.Log("restore: a new instance on an empty state directory");
        var result = await RestoreAsync(bench, storeType, "restore", partitions, changelogRecords, keys, ct);

        return new BenchmarkReport
        {
            Id = Definition.Id,
            Description = Definition.Description,
            Parameters = new Dictionary<string, string>
            {
                ["input records"] = records.ToString("#,0", CultureInfo.InvariantCulture),
                ["changelog records"] = changelogRecords.ToString("#,0", CultureInfo.InvariantCulture),
                ["changelog bytes (keys + values)"] = bytes.ToString("#,0", CultureInfo.InvariantCulture),
                ["distinct keys"] = keys.ToString("#,0", CultureInfo.InvariantCulture),
                ["partitions"] = partitions.ToString(CultureInfo.InvariantCulture),
                ["store"] = storeType.ToString(),
                ["restore records per wall second"] = (result.Operations / result.Wall.TotalSeconds).ToString("#,0", CultureInfo.InvariantCulture),
                ["mode"] = "embedded (in-process storage, no sockets)",
            },
            Result = Figure.PerCpuSecond("restore from changelog (StreamsApp start to running)", result, "records/CPU-s"),
            Baseline = Figure.PerCpuSecond("consumer reading the changelog raw", baseline, "records/CPU-s"),
        };
    }

    /// <summary>Starts an instance on an empty state directory and measures until it runs all its tasks with restored stores.</summary>
    private static async Task<PhaseResult> RestoreAsync(StreamsBench bench, StoreType storeType, string name, int partitions, long changelogRecords, int keys, CancellationToken ct)
    {
        var counter = new ProcessedCounter();
        await using var app = new StreamsApp(Count(counter, storeType), Options(bench.StateDir(name)), bench.Clients);
        var meter = CpuWallMeter.Start();
        await app.StartAsync(ct);
        while (app.State != StreamsState.Running || app.ActiveTasks.Count < partitions)
        {
            if (app.State == StreamsState.Error) { throw new InvalidOperationException("The application failed: " + app.Error?.Message, app.Error); }
            await Task.Delay(1, ct);
        }

        var (wall, cpu) = meter.Elapsed();
        var restoredKeys = app.LocalStores("counts").Sum(s => (long)((IKeyValueStore<string, ValueAndTimestamp<long?>>)s.Store).ApproximateNumEntries);
        if (counter.Count != 0) { throw new InvalidOperationException($"The restored instance processed {counter.Count} input records: it should resume at the end of its input."); }
        if (storeType == StoreType.InMemory && restoredKeys != keys) { throw new InvalidOperationException($"The restored store holds {restoredKeys} keys, not {keys}."); }
        await app.CloseAsync();
        return new PhaseResult(changelogRecords, 0, wall, cpu);
    }
}
