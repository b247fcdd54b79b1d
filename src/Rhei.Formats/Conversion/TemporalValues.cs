using System.Globalization;

namespace Rhei.Formats.Conversion;

/// <summary>
/// DATE, TIME and TIMESTAMP values: their numeric wire forms (days since the epoch, milliseconds of the day,
/// milliseconds since the epoch, all UTC) and their text forms as ksqlDB casts them
/// (<c>yyyy-MM-dd</c>, <c>HH:mm:ss[.SSS]</c>, <c>yyyy-MM-ddTHH:mm:ss.SSS</c>), with ksqlDB's lenient parsing of
/// partial ISO-8601 strings.
/// </summary>
public static class TemporalValues
{
    public const long MillisPerDay = 86_400_000L;
    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    public static DateOnly DateFromEpochDays(long days)
    {
        var dayNumber = EpochDayNumber + days;
        if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
        {
            throw new OverflowException($"DATE value out of range: {days} days since 1970-01-01 (supported: years 1 to 9999)");
        }

        return DateOnly.FromDayNumber((int)dayNumber);
    }

    public static int ToEpochDays(DateOnly date) => date.DayNumber - EpochDayNumber;

    public static TimeOnly TimeFromMillis(long millisOfDay)
    {
        if (millisOfDay < 0 || millisOfDay >= MillisPerDay)
        {
            throw new OverflowException($"TIME value out of range: {millisOfDay} ms (must be 0 to 86399999 milliseconds since midnight)");
        }

        return new TimeOnly(millisOfDay * TimeSpan.TicksPerMillisecond);
    }

    public static int ToMillisOfDay(TimeOnly time) => (int)(time.Ticks / TimeSpan.TicksPerMillisecond);

    public static DateTime TimestampFromMillis(long epochMillis)
    {
        const long minMillis = -62_135_596_800_000L; // 0001-01-01T00:00:00Z
        const long maxMillis = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z
        if (epochMillis < minMillis || epochMillis > maxMillis)
        {
            throw new OverflowException($"TIMESTAMP value out of range: {epochMillis} ms since the epoch (supported: years 1 to 9999)");
        }

        return new DateTime(DateTime.UnixEpoch.Ticks + (epochMillis * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    public static long ToEpochMillis(DateTime timestamp)
    {
        var ticks = timestamp.Kind == DateTimeKind.Local ? timestamp.ToUniversalTime().Ticks : timestamp.Ticks;
        return Math.DivRem(ticks - DateTime.UnixEpoch.Ticks, TimeSpan.TicksPerMillisecond, out var rem) - (rem < 0 ? 1 : 0);
    }

    public static DateOnly DateOf(DateTime timestamp) => DateOnly.FromDateTime(timestamp);

    public static TimeOnly TimeOf(DateTime timestamp) =>
        new((timestamp.TimeOfDay.Ticks / TimeSpan.TicksPerMillisecond) * TimeSpan.TicksPerMillisecond);

    public static DateTime StartOfDay(DateOnly date) => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary><c>yyyy-MM-dd</c> (Java <c>LocalDate.toString()</c>).</summary>
    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary><c>HH:mm:ss</c>, with <c>.SSS</c> when the milliseconds are not zero.</summary>
    public static string FormatTime(TimeOnly time) =>
        time.Millisecond == 0 && time.Ticks % TimeSpan.TicksPerSecond == 0
            ? time.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            : time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.SSS</c> in UTC.</summary>
    public static string FormatTimestamp(DateTime timestamp) =>
        (timestamp.Kind == DateTimeKind.Local ? timestamp.ToUniversalTime() : timestamp)
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses a TIMESTAMP as ksqlDB's CAST does: <c>yyyy[-MM[-dd]][THH[:mm[:ss[.fff...]]]][zone]</c>, missing parts
    /// filled with their minimum, the zone <c>Z</c>, <c>±HH</c>, <c>±HHmm</c> or <c>±HH:mm</c> (UTC when absent).
    /// </summary>
    public static DateTime ParseTimestamp(string text)
    {
        if (!TryParseTimestamp(text, out var value, out var error))
        {
            throw new FormatException(
                $"Failed to parse timestamp '{text}': {error}. Partial timestamps are supported, but the text must be in " +
                "ISO-8601 form yyyy-MM-dd'T'HH:mm:ss.SSS with an optional time zone, e.g. 2022-04-28T21:44:47.943Z");
        }

        return value;
    }

    /// <summary>Parses a DATE: <c>yyyy-MM-dd</c>, or a partial <c>yyyy-MM</c> / <c>yyyy</c> (first day of the period).</summary>
    public static DateOnly ParseDate(string text)
    {
        var span = text.AsSpan();
        var pos = 0;
        if (!TryParseDatePart(span, ref pos, out var date, out var error) || pos != span.Length)
        {
            throw new FormatException(
                $"Failed to parse date '{text}': {error ?? "unexpected text after the date"}. Date strings must be in the format yyyy-MM-dd");
        }

        return date;
    }

    /// <summary>Parses a TIME as Java's <c>LocalTime.parse</c>: <c>HH:mm[:ss[.fffffffff]]</c> (truncated to milliseconds).</summary>
    public static TimeOnly ParseTime(string text)
    {
        var span = text.AsSpan();
        var pos = 0;
        if (!TryParseTimePart(span, ref pos, requireMinutes: true, out var time, out var error) || pos != span.Length)
        {
            throw new FormatException(
                $"Failed to parse time '{text}': {error ?? "unexpected text after the time"}. Time strings must be in the format HH:mm:ss[.SSS]");
        }

        return time;
    }

    public static bool TryParseTimestamp(string text, out DateTime value, out string? error)
    {
        value = default;
        var span = text.AsSpan();
        var pos = 0;
        if (!TryParseDatePart(span, ref pos, out var date, out error))
        {
            return false;
        }

        var time = TimeOnly.MinValue;
        if (pos < span.Length && span[pos] == 'T')
        {
            pos++;
            if (!TryParseTimePart(span, ref pos, requireMinutes: false, out time, out error))
            {
                return false;
            }
        }

        var offsetMinutes = 0;
        if (pos < span.Length)
        {
            if (!TryParseZone(span, ref pos, out offsetMinutes, out error))
            {
                return false;
            }
        }

        if (pos != span.Length)
        {
            error = $"unexpected text at position {pos}";
            return false;
        }

        var local = date.ToDateTime(time, DateTimeKind.Utc);
        var ticks = local.Ticks - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            error = "out of range";
            return false;
        }

        value = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static bool TryParseDatePart(ReadOnlySpan<char> s, ref int pos, out DateOnly date, out string? error)
    {
        date = default;
        error = null;
        if (!TryDigits(s, ref pos, 4, out var year))
        {
            error = "expected a 4-digit year";
            return false;
        }

        var month = 1;
        var day = 1;
        if (pos < s.Length && s[pos] == '-')
        {
            pos++;
            if (!TryDigits(s, ref pos, 2, out month))
            {
                error = "expected a 2-digit month";
                return false;
            }

            if (pos < s.Length && s[pos] == '-')
            {
                pos++;
                if (!TryDigits(s, ref pos, 2, out day))
                {
                    error = "expected a 2-digit day";
                    return false;
                }
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            error = "invalid date";
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryParseTimePart(ReadOnlySpan<char> s, ref int pos, bool requireMinutes, out TimeOnly time, out string? error)
    {
        time = default;
        error = null;
        if (!TryDigits(s, ref pos, 2, out var hour))
        {
            error = "expected a 2-digit hour";
            return false;
        }

        int minute = 0, second = 0;
        long fractionTicks = 0;
        if (pos < s.Length && s[pos] == ':')
        {
            pos++;
            if (!TryDigits(s, ref pos, 2, out minute))
            {
                error = "expected 2-digit minutes";
                return false;
            }

            if (pos < s.Length && s[pos] == ':')
            {
                pos++;
                if (!TryDigits(s, ref pos, 2, out second))
                {
                    error = "expected 2-digit seconds";
                    return false;
                }

                if (pos < s.Length && s[pos] == '.')
                {
                    pos++;
                    var start = pos;
                    long scale = TimeSpan.TicksPerSecond;
                    while (pos < s.Length && char.IsAsciiDigit(s[pos]) && pos - start < 9)
                    {
                        scale /= 10;
                        fractionTicks += (s[pos] - '0') * scale;
                        pos++;
                    }

                    if (pos == start)
                    {
                        error = "expected fraction digits";
                        return false;
                    }
                }
            }
        }
        else if (requireMinutes)
        {
            error = "expected HH:mm";
            return false;
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            error = "invalid time";
            return false;
        }

        var ticks = (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond) + fractionTicks;
        time = new TimeOnly(ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);
        return true;
    }

    private static bool TryParseZone(ReadOnlySpan<char> s, ref int pos, out int offsetMinutes, out string? error)
    {
        offsetMinutes = 0;
        error = null;
        if (s[pos] is 'Z' or 'z')
        {
            pos++;
            return true;
        }

        if (s[pos] is not ('+' or '-'))
        {
            error = $"unexpected text at position {pos}";
            return false;
        }

        var sign = s[pos] == '-' ? -1 : 1;
        pos++;
        if (!TryDigits(s, ref pos, 2, out var hours))
        {
            error = "expected a time zone offset";
            return false;
        }

        var minutes = 0;
        if (pos < s.Length && s[pos] == ':')
        {
            pos++;
        }

        if (pos < s.Length && char.IsAsciiDigit(s[pos]) && !TryDigits(s, ref pos, 2, out minutes))
        {
            error = "expected time zone offset minutes";
            return false;
        }

        if (hours > 18 || minutes > 59)
        {
            error = "invalid time zone offset";
            return false;
        }

        offsetMinutes = sign * ((hours * 60) + minutes);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, ref int pos, int count, out int value)
    {
        value = 0;
        if (pos + count > s.Length)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var c = s[pos + i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        pos += count;
        return true;
    }
}
