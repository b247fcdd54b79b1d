using Rhei.Benchmarks.Harness;

namespace Rhei.Benchmarks.Cases;

/// <summary>
/// <c>selftest</c>: checks the harness. The figure and the baseline are the same memory-copy loop, so the ratio
/// shows how much two identical measurements in one run differ on this machine (the noise floor of every ratio).
/// </summary>
internal static class SelfTest
{
    public static BenchmarkDefinition Definition { get; } = new(
        "selftest",
        "memcpy loop measured against itself (harness check; the ratio is the run-to-run noise)",
        RunAsync);

    private static Task<BenchmarkReport> RunAsync(BenchmarkContext context)
    {
        var size = context.GetInt("bytes", 1 << 20);
        var source = new byte[size];
        var destination = new byte[size];
        Random.Shared.NextBytes(source);
        var recorder = new LatencyRecorder();
        var baselineRecorder = new LatencyRecorder();

        (long, long) Copy(LatencyRecorder into)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            source.AsSpan().CopyTo(destination);
            into.RecordSince(start);
            return (1, size);
        }

        context.Log($"warm-up {context.WarmUp.TotalSeconds:0.#} s");
        Phases.WarmUp(() => Copy(new LatencyRecorder()), context.WarmUp, context.CancellationToken);
        var half = context.Duration / 2;
        context.Log($"baseline {half.TotalSeconds:0.#} s");
        var baseline = Phases.Measure(() => Copy(baselineRecorder), half, context.CancellationToken);
        context.Log($"result {half.TotalSeconds:0.#} s");
        var result = Phases.Measure(() => Copy(recorder), half, context.CancellationToken);

        return Task.FromResult(new BenchmarkReport
        {
            Id = Definition.Id,
            Description = Definition.Description,
            Parameters = new Dictionary<string, string> { ["bytes per copy"] = size.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture) },
            Result = Figure.Throughput("memcpy", result, "GB/s", scale: 1e9, perByte: true),
            Latency = recorder.Summarize(),
            Baseline = Figure.Throughput("memcpy (same loop)", baseline, "GB/s", scale: 1e9, perByte: true),
            BaselineLatency = baselineRecorder.Summarize(),
        });
    }
}
