namespace Rhei.Sql.Functions;

/// <summary>
/// The time unit keyword passed to DATEADD, TIMEADD, TIMESTAMPADD and their SUB twins
/// (<c>DATEADD(DAYS, 3, d)</c>). The expression compiler passes it as a constant.
/// </summary>
public enum IntervalUnit
{
    Nanoseconds,
    Microseconds,
    Milliseconds,
    Seconds,
    Minutes,
    Hours,
    Days,
}

/// <summary>Conversions of <see cref="IntervalUnit"/> amounts.</summary>
public static class IntervalUnits
{
    /// <summary>Parses a unit keyword (<c>DAYS</c>, <c>day</c>, <c>MILLISECONDS</c>, ...), case-insensitively; singular forms are accepted.</summary>
    public static bool TryParse(string text, out IntervalUnit unit)
    {
        var t = text.Trim().ToUpperInvariant();
        if (t.EndsWith('S'))
        {
            t = t[..^1];
        }

        switch (t)
        {
            case "NANOSECOND": unit = IntervalUnit.Nanoseconds; return true;
            case "MICROSECOND": unit = IntervalUnit.Microseconds; return true;
            case "MILLISECOND": unit = IntervalUnit.Milliseconds; return true;
            case "SECOND": unit = IntervalUnit.Seconds; return true;
            case "MINUTE": unit = IntervalUnit.Minutes; return true;
            case "HOUR": unit = IntervalUnit.Hours; return true;
            case "DAY": unit = IntervalUnit.Days; return true;
            default: unit = default; return false;
        }
    }

    /// <summary>
    /// <paramref name="amount"/> units in milliseconds, truncated toward zero for units finer than a
    /// millisecond (as <c>java.util.concurrent.TimeUnit.toMillis</c> does); saturates on overflow.
    /// </summary>
    public static long ToMilliseconds(IntervalUnit unit, long amount)
    {
        try
        {
            return unit switch
            {
                IntervalUnit.Nanoseconds => amount / 1_000_000,
                IntervalUnit.Microseconds => amount / 1_000,
                IntervalUnit.Milliseconds => amount,
                IntervalUnit.Seconds => checked(amount * 1_000),
                IntervalUnit.Minutes => checked(amount * 60_000),
                IntervalUnit.Hours => checked(amount * 3_600_000),
                IntervalUnit.Days => checked(amount * 86_400_000),
                _ => throw new ArgumentOutOfRangeException(nameof(unit)),
            };
        }
        catch (OverflowException)
        {
            return amount < 0 ? long.MinValue : long.MaxValue;
        }
    }
}
