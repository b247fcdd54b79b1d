namespace Rhei.Benchmarks.Harness;

/// <summary>
/// Runs a benchmark's work loop for a warm-up and for a measured phase. The loop body is called repeatedly
/// and returns how many operations and bytes one call did; the time is checked between calls, so one call
/// should take well under the phase's length.
/// </summary>
public static class Phases
{
    /// <summary>
    /// Runs <paramref name="iteration"/> until <paramref name="duration"/> has passed, unmeasured: JIT tiering,
    /// caches, page cache and pools reach their steady state.
    /// </summary>
    public static void WarmUp(Func<(long Operations, long Bytes)> iteration, TimeSpan duration, CancellationToken cancellationToken) =>
        Measure(iteration, duration, cancellationToken);

    /// <summary>Runs <paramref name="iteration"/> until <paramref name="duration"/> has passed and measures it.</summary>
    public static PhaseResult Measure(Func<(long Operations, long Bytes)> iteration, TimeSpan duration, CancellationToken cancellationToken)
    {
        long operations = 0, bytes = 0;
        var meter = CpuWallMeter.Start();
        var deadline = DateTime.UtcNow + duration;
        do
        {
            var (ops, b) = iteration();
            operations += ops;
            bytes += b;
        }
        while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested);
        var (wall, cpu) = meter.Elapsed();
        return new PhaseResult(operations, bytes, wall, cpu);
    }

    /// <summary>Asynchronous form of <see cref="Measure"/>, for work that awaits (network, disk).</summary>
    public static async Task<PhaseResult> MeasureAsync(
        Func<CancellationToken, Task<(long Operations, long Bytes)>> iteration, TimeSpan duration, CancellationToken cancellationToken)
    {
        long operations = 0, bytes = 0;
        var meter = CpuWallMeter.Start();
        var deadline = DateTime.UtcNow + duration;
        do
        {
            var (ops, b) = await iteration(cancellationToken);
            operations += ops;
            bytes += b;
        }
        while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested);
        var (wall, cpu) = meter.Elapsed();
        return new PhaseResult(operations, bytes, wall, cpu);
    }

    /// <summary>Asynchronous warm-up.</summary>
    public static Task WarmUpAsync(
        Func<CancellationToken, Task<(long Operations, long Bytes)>> iteration, TimeSpan duration, CancellationToken cancellationToken) =>
        MeasureAsync(iteration, duration, cancellationToken);
}
