namespace Rhei.Sql.Functions.Runtime;

/// <summary>
/// The fields <see cref="JavaDateTimeParser"/> found in a text, and their resolution into a date, a time
/// or an instant with ksqlDB's defaults (year 1970, January, day 1, midnight, the function's zone).
/// </summary>
public sealed class ParsedDateTime
{
    // A plain field bag: the parser fills it through ref Set calls.
    internal long? Era;
    internal long? YearOfEra;
    internal long? Year;
    internal long? Month;
    internal long? Day;
    internal long? DayOfYear;
    internal long? DayOfWeek;
    internal long? Quarter;
    internal long? AmPm;
    internal long? HourOfDay;
    internal long? ClockHourOfDay;
    internal long? HourOfAmPm;
    internal long? ClockHourOfAmPm;
    internal long? Minute;
    internal long? Second;
    internal long? NanoOfSecond;
    internal long? MilliOfDay;
    internal long? NanoOfDay;
    internal TimeSpan? Offset;
    internal TimeZoneInfo? Zone;

    /// <summary>Sets a field; a second, different value for the same field is a parse failure.</summary>
    internal bool Set(ref long? field, long value)
    {
        if (field is { } existing && existing != value)
        {
            return false;
        }

        field = value;
        return true;
    }

    internal ParsedDateTime Clone() => (ParsedDateTime)MemberwiseClone();

    internal void CopyFrom(ParsedDateTime o)
    {
        Era = o.Era; YearOfEra = o.YearOfEra; Year = o.Year; Month = o.Month; Day = o.Day; DayOfYear = o.DayOfYear;
        DayOfWeek = o.DayOfWeek; Quarter = o.Quarter; AmPm = o.AmPm; HourOfDay = o.HourOfDay; ClockHourOfDay = o.ClockHourOfDay;
        HourOfAmPm = o.HourOfAmPm; ClockHourOfAmPm = o.ClockHourOfAmPm; Minute = o.Minute; Second = o.Second;
        NanoOfSecond = o.NanoOfSecond; MilliOfDay = o.MilliOfDay; NanoOfDay = o.NanoOfDay; Offset = o.Offset; Zone = o.Zone;
    }

    /// <summary>The date (defaults: 1970, January, day 1). A day-of-month past the month's end is clamped, as Java's smart resolver does.</summary>
    public DateOnly ResolveDate()
    {
        long year;
        if (Year is { } y)
        {
            year = y;
        }
        else if (YearOfEra is { } yoe)
        {
            year = Era == 0 ? 1 - yoe : yoe;
        }
        else
        {
            year = 1970;
        }

        if (year is < 1 or > 9999)
        {
            throw Invalid($"Year {year} is out of range");
        }

        DateOnly date;
        if (DayOfYear is { } doy && Month is null && Day is null)
        {
            var days = DateTime.IsLeapYear((int)year) ? 366 : 365;
            if (doy < 1 || doy > days)
            {
                throw Invalid($"Invalid day of year {doy}");
            }

            date = new DateOnly((int)year, 1, 1).AddDays((int)doy - 1);
        }
        else
        {
            var month = Month ?? (Quarter is { } q ? ((q - 1) * 3) + 1 : 1);
            var day = Day ?? 1;
            if (month is < 1 or > 12)
            {
                throw Invalid($"Invalid value for MonthOfYear: {month}");
            }

            if (day is < 1 or > 31)
            {
                throw Invalid($"Invalid value for DayOfMonth: {day}");
            }

            var last = DateTime.DaysInMonth((int)year, (int)month);
            date = new DateOnly((int)year, (int)month, (int)Math.Min(day, last));
            if (DayOfYear is { } doy2 && doy2 != date.DayOfYear)
            {
                throw Invalid("Conflict found: day of year differs from the date");
            }
        }

        if (DayOfWeek is { } dow)
        {
            var actual = date.DayOfWeek == System.DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;
            if (actual != dow)
            {
                throw Invalid($"Conflict found: {date:yyyy-MM-dd} is not a {JavaDateTimeFormat.DaysLong[dow - 1]}");
            }
        }

        return date;
    }

    /// <summary>The time of day (default midnight).</summary>
    public TimeOnly ResolveTime() => new(ResolveTimeTicks(out _));

    /// <summary>The time of day in ticks; <paramref name="nextDay"/> is true for <c>24:00</c> (clock-hour 24 with nothing else).</summary>
    private long ResolveTimeTicks(out bool nextDay)
    {
        nextDay = false;
        long hour;
        if (HourOfDay is { } h)
        {
            hour = h;
        }
        else if (ClockHourOfDay is { } k)
        {
            hour = k == 24 ? 0 : k;
        }
        else if (HourOfAmPm is { } ka)
        {
            hour = ka + ((AmPm ?? 0) * 12);
        }
        else if (ClockHourOfAmPm is { } ha)
        {
            if (ha is < 1 or > 12)
            {
                throw Invalid($"Invalid value for ClockHourOfAmPm: {ha}");
            }

            hour = (ha % 12) + ((AmPm ?? 0) * 12);
        }
        else if (MilliOfDay is { } ms)
        {
            return CheckedTicks(ms * TimeSpan.TicksPerMillisecond);
        }
        else if (NanoOfDay is { } ns)
        {
            return CheckedTicks(ns / 100);
        }
        else
        {
            hour = 0;
        }

        var minute = Minute ?? 0;
        var second = Second ?? 0;
        var nanos = NanoOfSecond ?? 0;
        if (hour is < 0 or > 23)
        {
            throw Invalid($"Invalid value for HourOfDay: {hour}");
        }

        if (minute is < 0 or > 59)
        {
            throw Invalid($"Invalid value for MinuteOfHour: {minute}");
        }

        if (second is < 0 or > 59)
        {
            throw Invalid($"Invalid value for SecondOfMinute: {second}");
        }

        if (nanos is < 0 or > 999_999_999)
        {
            throw Invalid($"Invalid value for NanoOfSecond: {nanos}");
        }

        return (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond) + (nanos / 100);
    }

    private static long CheckedTicks(long ticks) =>
        ticks is < 0 or >= TimeSpan.TicksPerDay ? throw Invalid("Invalid time of day") : ticks;

    /// <summary>
    /// The instant (UTC, truncated to milliseconds): the parsed offset or zone wins over
    /// <paramref name="defaultZone"/>.
    /// </summary>
    public DateTime ResolveInstant(TimeZoneInfo defaultZone)
    {
        var local = ResolveDate().ToDateTime(TimeOnly.MinValue).AddTicks(ResolveTimeTicks(out _));
        DateTime utc;
        if (Offset is { } offset)
        {
            utc = DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
        }
        else
        {
            utc = TimeZones.ToUtc(local, Zone ?? defaultZone);
        }

        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    private static SqlFunctionException Invalid(string message) => new(message);
}
