namespace Rhei.Connect.Datagen.Nexmark;

/// <summary>A SplitMix64 stream: tiny state, so each event can have its own, seeded from the run's seed and its number.</summary>
internal struct SplitMix
{
    private ulong _state;

    public SplitMix(ulong seed)
    {
        _state = seed;
    }

    public static SplitMix ForEvent(long seed, long eventNumber)
    {
        var s = new SplitMix((ulong)seed ^ ((ulong)eventNumber * 0xD1B54A32D192ED03UL));
        s.NextUInt64();
        return s;
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>[0, bound), bound &gt; 0.</summary>
    public long Next(long bound) => (long)Math.BigMul(NextUInt64(), (ulong)bound, out _);

    public int Next(int bound) => (int)Next((long)bound);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
