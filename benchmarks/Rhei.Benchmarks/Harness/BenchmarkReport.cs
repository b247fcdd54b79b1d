namespace Rhei.Benchmarks.Harness;

/// <summary>One measured figure: its value and unit, and the wall and CPU time of the phase that produced it.</summary>
public sealed record Figure(string Name, double Value, string Unit, double WallSeconds, double CpuSeconds)
{
    /// <summary>A figure computed from a phase: operations (or bytes, when <paramref name="perByte"/>) per wall second.</summary>
    public static Figure Throughput(string name, PhaseResult phase, string unit, double scale = 1, bool perByte = false) =>
        new(name, (perByte ? phase.BytesPerSecond : phase.OperationsPerSecond) / scale, unit, phase.Wall.TotalSeconds, phase.Cpu.TotalSeconds);

    /// <summary>A figure of operations per CPU-second (the per-core figure).</summary>
    public static Figure PerCpuSecond(string name, PhaseResult phase, string unit) =>
        new(name, phase.OperationsPerCpuSecond, unit, phase.Wall.TotalSeconds, phase.Cpu.TotalSeconds);
}

/// <summary>
/// What a benchmark reports (see BENCHMARKS.md): its figure, the baseline measured in the same run, their ratio,
/// and CPU-seconds. A benchmark without a meaningful baseline says why in <see cref="NoBaselineReason"/>.
/// </summary>
public sealed record BenchmarkReport
{
    public required string Id { get; init; }

    public required string Description { get; init; }

    public required Figure Result { get; init; }

    /// <summary>The same-run baseline; <c>null</c> only with a <see cref="NoBaselineReason"/>.</summary>
    public Figure? Baseline { get; init; }

    public string? NoBaselineReason { get; init; }

    public LatencySummary? Latency { get; init; }

    public LatencySummary? BaselineLatency { get; init; }

    /// <summary>Settings of the run (sizes, counts, parameters), printed with the report.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Result / baseline; for "lower is better" units (latency) read it accordingly.</summary>
    public double? Ratio => Baseline is null || Baseline.Value == 0 ? null : Result.Value / Baseline.Value;

    /// <summary>CPU time the whole process used, warm-up included.</summary>
    public double ProcessCpuSeconds { get; init; }

    public double ProcessWallSeconds { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public int ProcessorCount { get; init; } = Environment.ProcessorCount;
}
