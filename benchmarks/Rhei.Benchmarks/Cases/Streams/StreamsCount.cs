using Rhei.Benchmarks.Harness;
using Rhei.Streams;

namespace Rhei.Benchmarks.Cases.Streams;

/// <summary>
/// <c>streams-count</c>: count by key over a pre-filled input topic in embedded mode (in-memory store with its
/// changelog, record cache, output topic), in records per CPU-second of the process; baseline: a plain consumer
/// loop over the same records that decodes the key and counts it in a <see cref="Dictionary{TKey, TValue}"/>.
/// Parameters: <c>records</c> (10,000,000), <c>keys</c> (100,000), <c>partitions</c> (1), <c>threads</c> (1),
/// <c>cache</c> (cache.max.bytes.buffering, 10 MB), <c>commit</c> (commit.interval.ms, 2000).
/// </summary>
internal static class StreamsCount
{
    public static BenchmarkDefinition Definition { get; } = new(
        "streams-count",
        "Rhei.Streams count-by-key over 10M small records, embedded, records per CPU-second vs a Dictionary loop",
        RunAsync);

    internal static StreamsOptions Options(BenchmarkContext context, string appId, string stateDir) => new()
    {
        ApplicationId = appId,
        StateDir = stateDir,
        NumStreamThreads = context.GetInt("threads", 1),
        CacheMaxBytesBuffering = context.GetInt("cache", 10 * 1024 * 1024),
        CommitIntervalMs = context.GetInt("commit", 2000),
    };

    private static Topology Count(ProcessedCounter counter)
    {
        var b = new StreamsBuilder();
        b.Stream("in", new Consumed<string, long>(Serdes.String, Serdes.Int64))
            .Peek((_, _) => counter.Increment())
            .GroupByKey(new Grouped<string, long> { KeySerde = Serdes.String, ValueSerde = Serdes.Int64 })
            .Count("count", new Materialized<string, long?>("counts") { KeySerde = Serdes.String, ValueSerde = Serdes.NullableInt64 })
            .ToStream()
            .To("out", new Produced<string, long?>(Serdes.String, Serdes.NullableInt64));
        return b.Build();
    }

    private static async Task<BenchmarkReport> RunAsync(BenchmarkContext context)
    {
        var records = context.GetInt("records", 10_000_000);
        var keys = context.GetInt("keys", 100_000);
        var partitions = context.GetInt("partitions", 1);
        var ct = context.CancellationToken;
        await using var bench = await StreamsBench.StartAsync();
        await bench.CreateTopicAsync("in", partitions);
        await bench.CreateTopicAsync("out", partitions);
        context.Log($"filling the input topic with {records:#,0} records");
        await bench.FillAsync("in", records, keys, ct);

        var warmUp = Math.Min(records, 2_000_000);
        context.Log($"warm-up: baseline and application over {warmUp:#,0} records");
        long seen = 0;
        await bench.ReadAllAsync("in", r => { if (seen++ < warmUp) { CountKey(new Dictionary<string, long>(), r.Key!.Value.Span); } }, ct);
        var warmCounter = new ProcessedCounter();
        await StreamsBench.RunToEndAsync(new StreamsApp(Count(warmCounter), Options(context, "warmup", bench.StateDir("warmup")), bench.Clients), () => warmCounter.Count, warmUp, ct);

        context.Log("baseline: consumer loop, decode key, count in a Dictionary");
        var counts = new Dictionary<string, long>(keys);
        var baseline = await bench.ReadAllAsync("in", r => CountKey(counts, r.Key!.Value.Span), ct);
        if (counts.Count != keys) { throw new InvalidOperationException($"The baseline counted {counts.Count} keys, not {keys}."); }

        context.Log("application: count by key");
        var counter = new ProcessedCounter();
        var options = Options(context, "count", bench.StateDir("count"));
        var result = await StreamsBench.RunToEndAsync(new StreamsApp(Count(counter), options, bench.Clients), () => counter.Count, records, ct);

        return new BenchmarkReport
        {
            Id = Definition.Id,
            Description = Definition.Description,
            Parameters = StreamsBench.Settings(context, records, keys, partitions, options),
            Result = Figure.PerCpuSecond("count by key (StreamsApp)", result, "records/CPU-s"),
            Baseline = Figure.PerCpuSecond("consumer + Dictionary loop", baseline, "records/CPU-s"),
        };
    }

    private static void CountKey(Dictionary<string, long> counts, ReadOnlySpan<byte> key)
    {
        var k = System.Text.Encoding.UTF8.GetString(key);
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, k, out _);
        slot++;
    }
}
