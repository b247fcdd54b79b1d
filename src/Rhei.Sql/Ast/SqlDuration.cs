namespace Rhei.Sql.Ast;

/// <summary>The time units of window sizes, join windows, timeouts and time-unit function arguments.</summary>
public enum SqlTimeUnit
{
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
}

public static class SqlTimeUnits
{
    /// <summary>The unit as SQL (always the plural keyword: <c>MILLISECONDS</c>, <c>SECONDS</c>, ...).</summary>
    public static string ToSql(this SqlTimeUnit unit) => unit switch
    {
        SqlTimeUnit.Millisecond => "MILLISECONDS",
        SqlTimeUnit.Second => "SECONDS",
        SqlTimeUnit.Minute => "MINUTES",
        SqlTimeUnit.Hour => "HOURS",
        _ => "DAYS",
    };

    public static TimeSpan ToTimeSpan(this SqlTimeUnit unit, long value) => unit switch
    {
        SqlTimeUnit.Millisecond => TimeSpan.FromMilliseconds(value),
        SqlTimeUnit.Second => TimeSpan.FromSeconds(value),
        SqlTimeUnit.Minute => TimeSpan.FromMinutes(value),
        SqlTimeUnit.Hour => TimeSpan.FromHours(value),
        _ => TimeSpan.FromDays(value),
    };

    /// <summary>The number of milliseconds in one unit.</summary>
    public static long Milliseconds(this SqlTimeUnit unit) => unit switch
    {
        SqlTimeUnit.Millisecond => 1,
        SqlTimeUnit.Second => 1000,
        SqlTimeUnit.Minute => 60_000,
        SqlTimeUnit.Hour => 3_600_000,
        _ => 86_400_000,
    };
}

/// <summary>An amount of time as written: <c>5 MINUTES</c> (value and unit are kept as written).</summary>
public readonly record struct SqlDuration(long Value, SqlTimeUnit Unit)
{
    /// <summary>The duration in milliseconds (saturating at <see cref="long.MaxValue"/>/<see cref="long.MinValue"/>).</summary>
    public long TotalMilliseconds
    {
        get
        {
            var unit = Unit.Milliseconds();
            if (Value > long.MaxValue / unit)
            {
                return long.MaxValue;
            }

            if (Value < long.MinValue / unit)
            {
                return long.MinValue;
            }

            return Value * unit;
        }
    }

    public TimeSpan ToTimeSpan() => TimeSpan.FromMilliseconds(TotalMilliseconds);

    public string ToSql() => $"{Value} {Unit.ToSql()}";

    public override string ToString() => ToSql();
}
