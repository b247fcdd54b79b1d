using System.Numerics;

namespace Rhei.Connect.Datagen;

/// <summary>
/// xoshiro256** seeded by SplitMix64: fast, and the same sequence for the same seed on every machine and runtime
/// (unlike <see cref="Random"/>, whose algorithm may change). Not for security.
/// </summary>
public sealed class FastRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public FastRandom(long seed)
    {
        var x = (ulong)seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A number in [0, <paramref name="bound"/>) (bound &gt; 0), by Lemire's multiply-shift.</summary>
    public long Next(long bound) => (long)Math.BigMul(NextUInt64(), (ulong)bound, out _);

    public int Next(int bound) => (int)Next((long)bound);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>] inclusive.</summary>
    public long NextInRange(long min, long max) => min + Next(max - min + 1);

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool NextBool() => (NextUInt64() & 1) == 1;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
