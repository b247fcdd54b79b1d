namespace Rhei.Benchmarks.Harness;

/// <summary>What one measured phase did: how many operations and bytes, in how much wall and CPU time.</summary>
public readonly record struct PhaseResult(long Operations, long Bytes, TimeSpan Wall, TimeSpan Cpu)
{
    public double OperationsPerSecond => Operations / Wall.TotalSeconds;

    /// <summary>Operations per CPU-second: the per-core figure that compares with other systems' published ones.</summary>
    public double OperationsPerCpuSecond => Operations / Math.Max(Cpu.TotalSeconds, 1e-9);

    public double BytesPerSecond => Bytes / Wall.TotalSeconds;
}
