using Rhei.Sql.Functions.Runtime;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>
/// Date and time functions. TIMESTAMP values are instants (UTC, millisecond precision); formats use
/// Java's <c>DateTimeFormatter</c> patterns (<see cref="JavaDateTimeFormat"/>); time zones are Java zone
/// ids (<see cref="TimeZones"/>), UTC when omitted. A NULL argument gives NULL; text that does not match
/// the format, or an unknown zone, is an error.
/// </summary>
public static class DateTimeFunctions
{
    private const long MillisPerDay = 86_400_000;

    /// <summary>Milliseconds since the epoch → TIMESTAMP.</summary>
    public static DateTime FromEpochMillis(long millis)
    {
        if (millis < -62_135_596_800_000 || millis > 253_402_300_799_999)
        {
            throw new SqlFunctionException($"Timestamp {millis} is out of the supported range (years 1 to 9999).");
        }

        return DateTime.UnixEpoch.AddTicks(millis * TimeSpan.TicksPerMillisecond);
    }

    /// <summary>TIMESTAMP → milliseconds since the epoch (sub-millisecond ticks dropped toward negative infinity).</summary>
    public static long ToEpochMillis(DateTime ts) => FloorDiv(ts.Ticks - DateTime.UnixEpoch.Ticks, TimeSpan.TicksPerMillisecond);

    private static long FloorDiv(long a, long b)
    {
        var q = Math.DivRem(a, b, out var r);
        return r < 0 ? q - 1 : q;
    }

    public static DateOnly FromEpochDays(long days)
    {
        if (days < -719_162 || days > 2_932_896)
        {
            throw new SqlFunctionException($"Date {days} days from the epoch is out of the supported range (years 1 to 9999).");
        }

        return DateOnly.FromDayNumber((int)(days + 719_162));
    }

    public static int ToEpochDays(DateOnly date) => date.DayNumber - 719_162;

    private static TimeZoneInfo Zone(string? id) => id is null ? TimeZoneInfo.Utc : TimeZones.Resolve(id);

    public static DateTime? ConvertTz(DateTime? timestamp, string? fromZone, string? toZone)
    {
        if (timestamp is not { } ts || fromZone is null || toZone is null)
        {
            return null;
        }

        var utc = TimeZones.ToUtc(ts, TimeZones.Resolve(fromZone));
        return DateTime.SpecifyKind(TimeZones.ToLocal(utc, TimeZones.Resolve(toZone)), DateTimeKind.Utc);
    }

    public static DateOnly? DateAdd(IntervalUnit unit, int? interval, DateOnly? date) =>
        interval is { } i && date is { } d ? ShiftDate(d, unit, i) : null;

    public static DateOnly? DateSub(IntervalUnit unit, int? interval, DateOnly? date) =>
        interval is { } i && date is { } d ? ShiftDate(d, unit, -(long)i) : null;

    private static DateOnly ShiftDate(DateOnly date, IntervalUnit unit, long amount)
    {
        var millis = (ToEpochDays(date) * MillisPerDay) + IntervalUnits.ToMilliseconds(unit, amount);
        return FromEpochDays(FloorDiv(millis, MillisPerDay));
    }

    public static TimeOnly? TimeAdd(IntervalUnit unit, int? interval, TimeOnly? time) =>
        interval is { } i && time is { } t ? ShiftTime(t, unit, i) : null;

    public static TimeOnly? TimeSub(IntervalUnit unit, int? interval, TimeOnly? time) =>
        interval is { } i && time is { } t ? ShiftTime(t, unit, -(long)i) : null;

    private static TimeOnly ShiftTime(TimeOnly time, IntervalUnit unit, long amount)
    {
        var millis = (time.Ticks / TimeSpan.TicksPerMillisecond) + (IntervalUnits.ToMilliseconds(unit, amount) % MillisPerDay);
        millis = ((millis % MillisPerDay) + MillisPerDay) % MillisPerDay;
        return new TimeOnly(millis * TimeSpan.TicksPerMillisecond);
    }

    public static DateTime? TimestampAdd(IntervalUnit unit, int? interval, DateTime? timestamp) => TimestampAdd(unit, (long?)interval, timestamp);

    public static DateTime? TimestampAdd(IntervalUnit unit, long? interval, DateTime? timestamp) =>
        interval is { } i && timestamp is { } ts ? FromEpochMillis(ToEpochMillis(ts) + IntervalUnits.ToMilliseconds(unit, i)) : null;

    public static DateTime? TimestampSub(IntervalUnit unit, int? interval, DateTime? timestamp) => TimestampSub(unit, (long?)interval, timestamp);

    public static DateTime? TimestampSub(IntervalUnit unit, long? interval, DateTime? timestamp) =>
        interval is { } i && timestamp is { } ts ? FromEpochMillis(ToEpochMillis(ts) - IntervalUnits.ToMilliseconds(unit, i)) : null;

    public static string? FormatDate(DateOnly? date, string? format) =>
        date is { } d && format is not null ? JavaDateTimeFormat.Get(format).Format(d) : null;

    public static string? FormatTime(TimeOnly? time, string? format) =>
        time is { } t && format is not null ? JavaDateTimeFormat.Get(format).Format(t) : null;

    public static string? FormatTimestamp(DateTime? timestamp, string? format) => FormatTimestamp(timestamp, format, "UTC");

    public static string? FormatTimestamp(DateTime? timestamp, string? format, string? zone) =>
        timestamp is { } ts && format is not null && zone is not null ? JavaDateTimeFormat.Get(format).Format(ts, Zone(zone)) : null;

    public static DateOnly? ParseDate(string? text, string? format) =>
        text is null || format is null ? null : JavaDateTimeParser.Parse(JavaDateTimeFormat.Get(format), text).ResolveDate();

    public static TimeOnly? ParseTime(string? text, string? format)
    {
        if (text is null || format is null)
        {
            return null;
        }

        var t = JavaDateTimeParser.Parse(JavaDateTimeFormat.Get(format), text).ResolveTime();
        return new TimeOnly(t.Ticks - (t.Ticks % TimeSpan.TicksPerMillisecond));
    }

    public static DateTime? ParseTimestamp(string? text, string? format) => ParseTimestamp(text, format, "UTC");

    public static DateTime? ParseTimestamp(string? text, string? format, string? zone) =>
        text is null || format is null || zone is null
            ? null
            : JavaDateTimeParser.Parse(JavaDateTimeFormat.Get(format), text).ResolveInstant(Zone(zone));

    public static DateOnly? FromDays(int? days) => days is { } d ? FromEpochDays(d) : null;

    public static DateTime? FromUnixTime(long? millis) => millis is { } m ? FromEpochMillis(m) : null;

    /// <summary>UNIX_DATE(): today's date (UTC, from the registry's clock) in days since the epoch.</summary>
    public static int? UnixDate(TimeProvider clock) => (int)Math.Floor(clock.GetUtcNow().ToUnixTimeMilliseconds() / (double)MillisPerDay);

    public static int? UnixDate(DateOnly? date) => date is { } d ? ToEpochDays(d) : null;

    /// <summary>UNIX_TIMESTAMP(): the current time (from the registry's clock) in milliseconds since the epoch.</summary>
    public static long? UnixTimestamp(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public static long? UnixTimestamp(DateTime? timestamp) => timestamp is { } ts ? ToEpochMillis(ts) : null;

    /// <summary>DATETOSTRING(days since epoch, format) (deprecated: FORMAT_DATE).</summary>
    public static string? DateToString(int? days, string? format) =>
        days is { } d && format is not null ? JavaDateTimeFormat.Get(format).Format(FromEpochDays(d)) : null;

    /// <summary>STRINGTODATE(text, format) → days since epoch (deprecated: PARSE_DATE).</summary>
    public static int? StringToDate(string? text, string? format) => ParseDate(text, format) is { } d ? ToEpochDays(d) : null;

    /// <summary>STRINGTOTIMESTAMP(text, format[, zone]) → milliseconds since epoch (deprecated: PARSE_TIMESTAMP).</summary>
    public static long? StringToTimestamp(string? text, string? format) => StringToTimestamp(text, format, "UTC");

    public static long? StringToTimestamp(string? text, string? format, string? zone) =>
        ParseTimestamp(text, format, zone) is { } ts ? ToEpochMillis(ts) : null;

    /// <summary>TIMESTAMPTOSTRING(millis, format[, zone]) (deprecated: FORMAT_TIMESTAMP).</summary>
    public static string? TimestampToString(long? millis, string? format) => TimestampToString(millis, format, "UTC");

    public static string? TimestampToString(long? millis, string? format, string? zone) =>
        millis is { } m && format is not null && zone is not null ? JavaDateTimeFormat.Get(format).Format(FromEpochMillis(m), Zone(zone)) : null;
}
