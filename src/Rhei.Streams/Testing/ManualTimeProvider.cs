namespace Rhei.Streams.Testing;

/// <summary>A wall clock that only moves when told (the test driver's).</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualTimeProvider(long startMs)
        : this(DateTimeOffset.FromUnixTimeMilliseconds(startMs))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) { throw new ArgumentOutOfRangeException(nameof(by), "Time cannot go backwards."); }
        _now += by;
    }
}
