using System.Diagnostics;
using System.Numerics;

namespace Rhei.Benchmarks.Harness;

/// <summary>
/// A log-bucket latency histogram in the manner of HdrHistogram: values in nanoseconds fall into buckets of
/// 128 distinct sub-buckets per power of two, so any recorded value is reported within 1 % and recording is a couple of
/// arithmetic operations with no allocation. Not thread-safe: give each thread its own and <see cref="Add"/> them.
/// </summary>
public sealed class LatencyRecorder
{
    private const int SubBucketBits = 8;
    private const int SubBuckets = 1 << SubBucketBits;
    private readonly long[] _counts = new long[(64 - SubBucketBits + 1) * SubBuckets];

    public long Count { get; private set; }

    public long MinNanos { get; private set; } = long.MaxValue;

    public long MaxNanos { get; private set; }

    private double _sumNanos;

    public double MeanNanos => Count == 0 ? 0 : _sumNanos / Count;

    /// <summary>Records one latency given in nanoseconds (negative values count as 0).</summary>
    public void RecordNanos(long nanos)
    {
        nanos = Math.Max(0, nanos);
        _counts[BucketOf(nanos)]++;
        Count++;
        _sumNanos += nanos;
        MinNanos = Math.Min(MinNanos, nanos);
        MaxNanos = Math.Max(MaxNanos, nanos);
    }

    /// <summary>Records the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/> value).</summary>
    public void RecordSince(long startTimestamp) =>
        RecordNanos((long)((Stopwatch.GetTimestamp() - startTimestamp) * (1e9 / Stopwatch.Frequency)));

    /// <summary>Adds another recorder's values to this one.</summary>
    public void Add(LatencyRecorder other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
        _sumNanos += other._sumNanos;
        MinNanos = Math.Min(MinNanos, other.MinNanos);
        MaxNanos = Math.Max(MaxNanos, other.MaxNanos);
    }

    /// <summary>The value at <paramref name="percentile"/> (0-100), in nanoseconds: the upper edge of its bucket, capped at the maximum.</summary>
    public long PercentileNanos(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }
        var rank = (long)Math.Ceiling(percentile / 100.0 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(UpperEdge(i), MaxNanos);
            }
        }
        return MaxNanos;
    }

    /// <summary>p50, p99, p99.9, min, max and mean, in milliseconds.</summary>
    public LatencySummary Summarize() => new(
        Count,
        PercentileNanos(50) / 1e6,
        PercentileNanos(99) / 1e6,
        PercentileNanos(99.9) / 1e6,
        Count == 0 ? 0 : MinNanos / 1e6,
        MaxNanos / 1e6,
        MeanNanos / 1e6);

    private static int BucketOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }
        var magnitude = 63 - BitOperations.LeadingZeroCount((ulong)value);   // >= SubBucketBits
        var shift = magnitude - SubBucketBits + 1;
        var sub = (int)(value >> shift);                                       // in [SubBuckets/2, SubBuckets)
        return shift * SubBuckets + sub;
    }

    private static long UpperEdge(int bucket)
    {
        var shift = bucket / SubBuckets;
        var sub = bucket % SubBuckets;
        return shift == 0 ? sub : (((long)sub + 1) << shift) - 1;
    }
}

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50Ms, double P99Ms, double P999Ms, double MinMs, double MaxMs, double MeanMs);
