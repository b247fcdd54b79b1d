using System.Diagnostics;

namespace Rhei.Benchmarks.Harness;

/// <summary>Wall time and CPU time (all threads of this process) elapsed since <see cref="Start"/>.</summary>
public readonly struct CpuWallMeter
{
    private readonly long _startTimestamp;
    private readonly TimeSpan _startCpu;

    private CpuWallMeter(long startTimestamp, TimeSpan startCpu)
    {
        _startTimestamp = startTimestamp;
        _startCpu = startCpu;
    }

    public static CpuWallMeter Start() => new(Stopwatch.GetTimestamp(), ProcessCpu());

    /// <summary>Wall and CPU time since start. CPU time counts every thread, so it can exceed wall time.</summary>
    public (TimeSpan Wall, TimeSpan Cpu) Elapsed() =>
        (Stopwatch.GetElapsedTime(_startTimestamp), ProcessCpu() - _startCpu);

    /// <summary>CPU time this process has used since it started (user + kernel, all threads).</summary>
    public static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
