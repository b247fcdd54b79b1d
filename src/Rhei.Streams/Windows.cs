namespace Rhei.Streams;

/// <summary>
/// Hopping (or, with advance = size, tumbling) time windows aligned to the epoch: [start, start + size).
/// A record at exactly a window's end belongs to the next window.
/// </summary>
public sealed record TimeWindows
{
    private TimeWindows(long sizeMs, long advanceMs, long graceMs)
    {
        if (sizeMs <= 0) { throw new ArgumentOutOfRangeException(nameof(sizeMs), "A window size must be positive."); }
        if (advanceMs <= 0 || advanceMs > sizeMs) { throw new ArgumentOutOfRangeException(nameof(advanceMs), "A window advance must be positive and at most the window size."); }
        if (graceMs < 0) { throw new ArgumentOutOfRangeException(nameof(graceMs), "A grace period cannot be negative."); }
        SizeMs = sizeMs;
        AdvanceMs = advanceMs;
        GraceMs = graceMs;
    }

    public long SizeMs { get; }

    public long AdvanceMs { get; }

    public long GraceMs { get; }

    public static TimeWindows OfSizeAndGrace(TimeSpan size, TimeSpan grace) => new(Ms(size), Ms(size), Ms(grace));

    public static TimeWindows OfSizeWithNoGrace(TimeSpan size) => new(Ms(size), Ms(size), 0);

    /// <summary>Makes hopping windows that start every <paramref name="advance"/>.</summary>
    public TimeWindows AdvanceBy(TimeSpan advance) => new(SizeMs, Ms(advance), GraceMs);

    /// <summary>Start times of the windows containing <paramref name="timestamp"/>, ascending.</summary>
    internal int WindowsFor(long timestamp, Span<long> starts)
    {
        var first = Math.Max(0, timestamp - SizeMs + AdvanceMs) / AdvanceMs * AdvanceMs;
        var n = 0;
        for (var s = first; s <= timestamp && n < starts.Length; s += AdvanceMs) { starts[n++] = s; }
        return n;
    }

    internal int MaxWindowsPerRecord => (int)((SizeMs + AdvanceMs - 1) / AdvanceMs);

    internal static long Ms(TimeSpan t) => (long)t.TotalMilliseconds;
}

/// <summary>Session windows: records of a key closer than the inactivity gap merge into one session [first, last].</summary>
public sealed record SessionWindows
{
    private SessionWindows(long gapMs, long graceMs)
    {
        if (gapMs <= 0) { throw new ArgumentOutOfRangeException(nameof(gapMs), "A session inactivity gap must be positive."); }
        if (graceMs < 0) { throw new ArgumentOutOfRangeException(nameof(graceMs), "A grace period cannot be negative."); }
        GapMs = gapMs;
        GraceMs = graceMs;
    }

    public long GapMs { get; }

    public long GraceMs { get; }

    public static SessionWindows OfInactivityGapAndGrace(TimeSpan gap, TimeSpan grace) => new(TimeWindows.Ms(gap), TimeWindows.Ms(grace));

    public static SessionWindows OfInactivityGapWithNoGrace(TimeSpan gap) => new(TimeWindows.Ms(gap), 0);
}

/// <summary>
/// The window of a stream-stream join: a right record joins a left record with timestamp t when its own
/// timestamp is in [t − before, t + after]. Grace bounds how late a record may come; left/outer joins emit
/// their unmatched records when the window closes.
/// </summary>
public sealed record JoinWindows
{
    private JoinWindows(long beforeMs, long afterMs, long graceMs)
    {
        if (beforeMs + afterMs < 0) { throw new ArgumentOutOfRangeException(nameof(beforeMs), "A join window's size (before + after) cannot be negative."); }
        if (graceMs < 0) { throw new ArgumentOutOfRangeException(nameof(graceMs), "A grace period cannot be negative."); }
        BeforeMs = beforeMs;
        AfterMs = afterMs;
        GraceMs = graceMs;
    }

    public long BeforeMs { get; }

    public long AfterMs { get; }

    public long GraceMs { get; }

    public static JoinWindows OfTimeDifferenceAndGrace(TimeSpan difference, TimeSpan grace) => new(TimeWindows.Ms(difference), TimeWindows.Ms(difference), TimeWindows.Ms(grace));

    public static JoinWindows OfTimeDifferenceWithNoGrace(TimeSpan difference) => new(TimeWindows.Ms(difference), TimeWindows.Ms(difference), 0);

    public JoinWindows Before(TimeSpan before) => new(TimeWindows.Ms(before), AfterMs, GraceMs);

    public JoinWindows After(TimeSpan after) => new(BeforeMs, TimeWindows.Ms(after), GraceMs);
}
