using System.Runtime.InteropServices;
using System.Text;
using Rhei.Benchmarks.Harness;
using Rhei.Streams;

namespace Rhei.Benchmarks.Cases.Streams;

/// <summary>
/// <c>streams-window</c>: a tumbling-window count (60-second windows, no grace, in-memory window store with its
/// changelog, record cache, output topic) over a pre-filled input topic in embedded mode, in records per CPU-second
/// of the process; baseline: a plain consumer loop over the same records counting (key, window start) in a
/// <see cref="Dictionary{TKey, TValue}"/>. Timestamps are 1 ms apart, so 10M records span about 167 windows.
/// Parameters as <c>streams-count</c>, plus <c>window</c> (size in seconds, 60).
/// </summary>
internal static class StreamsWindow
{
    public static BenchmarkDefinition Definition { get; } = new(
        "streams-window",
        "Rhei.Streams tumbling-window count over 10M small records, embedded, records per CPU-second vs a Dictionary loop",
        RunAsync);

    private static Topology WindowCount(ProcessedCounter counter, TimeSpan size)
    {
        var b = new StreamsBuilder();
        b.Stream("in", new Consumed<string, long>(Serdes.String, Serdes.Int64))
            .Peek((_, _) => counter.Increment())
            .GroupByKey(new Grouped<string, long> { KeySerde = Serdes.String, ValueSerde = Serdes.Int64 })
            .WindowedBy(TimeWindows.OfSizeWithNoGrace(size))
            .Count("window-count", new Materialized<string, long?>("window-counts") { KeySerde = Serdes.String, ValueSerde = Serdes.NullableInt64 })
            .ToStream()
            .To("out", new Produced<Windowed<string>, long?>(WindowedSerdes.TimeWindowed(Serdes.String, (long)size.TotalMilliseconds), Serdes.NullableInt64));
        return b.Build();
    }

    private static async Task<BenchmarkReport> RunAsync(BenchmarkContext context)
    {
        var records = context.GetInt("records", 10_000_000);
        var keys = context.GetInt("keys", 100_000);
        var partitions = context.GetInt("partitions", 1);
        var size = TimeSpan.FromSeconds(context.GetInt("window", 60));
        var sizeMs = (long)size.TotalMilliseconds;
        var ct = context.CancellationToken;
        await using var bench = await StreamsBench.StartAsync();
        await bench.CreateTopicAsync("in", partitions);
        await bench.CreateTopicAsync("out", partitions);
        context.Log($"filling the input topic with {records:#,0} records");
        await bench.FillAsync("in", records, keys, ct);

        var warmUp = Math.Min(records, 2_000_000);
        context.Log($"warm-up: baseline and application over {warmUp:#,0} records");
        long seen = 0;
        var scratch = new Dictionary<(string, long), long>();
        await bench.ReadAllAsync("in", r => { if (seen++ < warmUp) { CountWindow(scratch, r.Key!.Value.Span, r.Timestamp, sizeMs); } }, ct);
        var warmCounter = new ProcessedCounter();
        await StreamsBench.RunToEndAsync(new StreamsApp(WindowCount(warmCounter, size), StreamsCount.Options(context, "warmup", bench.StateDir("warmup")), bench.Clients), () => warmCounter.Count, warmUp, ct);

        context.Log("baseline: consumer loop, decode key, count (key, window) in a Dictionary");
        var counts = new Dictionary<(string, long), long>();
        var baseline = await bench.ReadAllAsync("in", r => CountWindow(counts, r.Key!.Value.Span, r.Timestamp, sizeMs), ct);

        context.Log("application: tumbling-window count");
        var counter = new ProcessedCounter();
        var options = StreamsCount.Options(context, "window", bench.StateDir("window"));
        var result = await StreamsBench.RunToEndAsync(new StreamsApp(WindowCount(counter, size), options, bench.Clients), () => counter.Count, records, ct);

        var settings = StreamsBench.Settings(context, records, keys, partitions, options);
        settings["window"] = $"tumbling {size.TotalSeconds:0} s, no grace ({counts.Count:#,0} key-windows)";
        return new BenchmarkReport
        {
            Id = Definition.Id,
            Description = Definition.Description,
            Parameters = settings,
            Result = Figure.PerCpuSecond("windowed count (StreamsApp)", result, "records/CPU-s"),
            Baseline = Figure.PerCpuSecond("consumer + Dictionary loop", baseline, "records/CPU-s"),
        };
    }

    private static void CountWindow(Dictionary<(string, long), long> counts, ReadOnlySpan<byte> key, long timestamp, long sizeMs)
    {
        var k = Encoding.UTF8.GetString(key);
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, (k, timestamp - (timestamp % sizeMs)), out _);
        slot++;
    }
}
