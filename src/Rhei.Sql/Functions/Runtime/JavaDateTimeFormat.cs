using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Rhei.Sql.Functions.Runtime;

/// <summary>
/// A date-time pattern in Java's <c>DateTimeFormatter</c> syntax (what ksqlDB's FORMAT_*, PARSE_*,
/// TIMESTAMPTOSTRING and friends take), compiled once and used to format and parse with Java's meaning of
/// every letter: <c>G u y D M L d Q q E e c a h K k H m s S A n N V z O X x Z</c>, <c>'quoted'</c> text,
/// <c>''</c> for a quote and <c>[optional]</c> sections; English names; parsing is case-insensitive.
/// </summary>
public sealed class JavaDateTimeFormat
{
    private static readonly ConcurrentDictionary<string, JavaDateTimeFormat> Cache = new(StringComparer.Ordinal);

    internal static readonly string[] MonthsShort = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    internal static readonly string[] MonthsLong = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    internal static readonly string[] DaysShort = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    internal static readonly string[] DaysLong = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    internal static readonly string[] QuartersLong = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"];

    private JavaDateTimeFormat(string pattern, DateTimeToken[] tokens)
    {
        Pattern = pattern;
        Tokens = tokens;
    }

    public string Pattern { get; }

    internal DateTimeToken[] Tokens { get; }

    /// <summary>Compiles (and caches) a pattern; throws <see cref="SqlFunctionException"/> for an invalid one.</summary>
    public static JavaDateTimeFormat Get(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        var compiled = new JavaDateTimeFormat(pattern, Compile(pattern));
        if (Cache.Count > 10_000)
        {
            Cache.Clear();
        }

        Cache[pattern] = compiled;
        return compiled;
    }

    /// <summary>Formats a date (no time or zone fields available).</summary>
    public string Format(DateOnly date) =>
        Format(new TemporalValue(date.ToDateTime(TimeOnly.MinValue), true, false, null, null, default));

    /// <summary>Formats a time of day (no date or zone fields available).</summary>
    public string Format(TimeOnly time) =>
        Format(new TemporalValue(DateTime.MinValue.Add(time.ToTimeSpan()), false, true, null, null, default));

    /// <summary>Formats an instant as seen in a zone (every field available).</summary>
    public string Format(DateTime utc, TimeZoneInfo zone)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        var local = TimeZones.ToLocal(utc, zone);
        return Format(new TemporalValue(local, true, true, zone.GetUtcOffset(utc), zone, utc));
    }

    private string Format(in TemporalValue value)
    {
        var sb = new StringBuilder(Pattern.Length + 8);
        foreach (var token in Tokens)
        {
            FormatToken(sb, token, value);
        }

        return sb.ToString();
    }

    private static void FormatToken(StringBuilder sb, DateTimeToken token, in TemporalValue v)
    {
        switch (token)
        {
            case LiteralToken l:
                sb.Append(l.Text);
                break;
            case OptionalToken o:
                var inner = new StringBuilder();
                try
                {
                    foreach (var t in o.Inner)
                    {
                        FormatToken(inner, t, v);
                    }

                    sb.Append(inner);
                }
                catch (SqlFunctionException)
                {
                    // An optional section whose fields are unavailable is left out, as in Java.
                }

                break;
            case FieldToken f:
                FormatField(sb, f.Letter, f.Count, v);
                break;
        }
    }

    private static void FormatField(StringBuilder sb, char letter, int count, in TemporalValue v)
    {
        var local = v.Local;
        switch (letter)
        {
            case 'G':
                v.RequireDate(letter);
                sb.Append(count switch { 4 => "Anno Domini", 5 => "A", _ => "AD" });
                break;
            case 'y':
            case 'u':
                v.RequireDate(letter);
                AppendYear(sb, local.Year, count);
                break;
            case 'M':
            case 'L':
                v.RequireDate(letter);
                AppendText(sb, local.Month, count, MonthsShort, MonthsLong);
                break;
            case 'd':
                v.RequireDate(letter);
                AppendNumber(sb, local.Day, count);
                break;
            case 'D':
                v.RequireDate(letter);
                AppendNumber(sb, local.DayOfYear, count);
                break;
            case 'Q':
            case 'q':
                v.RequireDate(letter);
                var quarter = ((local.Month - 1) / 3) + 1;
                sb.Append(count switch
                {
                    1 or 2 => quarter.ToString(count == 2 ? "00" : "0", CultureInfo.InvariantCulture),
                    3 => "Q" + quarter.ToString(CultureInfo.InvariantCulture),
                    4 => QuartersLong[quarter - 1],
                    _ => quarter.ToString(CultureInfo.InvariantCulture),
                });
                break;
            case 'E':
                v.RequireDate(letter);
                AppendDayName(sb, local.DayOfWeek, Math.Max(count, 3));
                break;
            case 'e':
            case 'c':
                v.RequireDate(letter);
                if (count <= 2)
                {
                    AppendNumber(sb, (int)local.DayOfWeek + 1, count);
                }
                else
                {
                    AppendDayName(sb, local.DayOfWeek, count);
                }

                break;
            case 'a':
                v.RequireTime(letter);
                sb.Append(local.Hour < 12 ? "AM" : "PM");
                break;
            case 'h':
                v.RequireTime(letter);
                AppendNumber(sb, local.Hour % 12 == 0 ? 12 : local.Hour % 12, count);
                break;
            case 'K':
                v.RequireTime(letter);
                AppendNumber(sb, local.Hour % 12, count);
                break;
            case 'k':
                v.RequireTime(letter);
                AppendNumber(sb, local.Hour == 0 ? 24 : local.Hour, count);
                break;
            case 'H':
                v.RequireTime(letter);
                AppendNumber(sb, local.Hour, count);
                break;
            case 'm':
                v.RequireTime(letter);
                AppendNumber(sb, local.Minute, count);
                break;
            case 's':
                v.RequireTime(letter);
                AppendNumber(sb, local.Second, count);
                break;
            case 'S':
                v.RequireTime(letter);
                var nanos = (local.Ticks % TimeSpan.TicksPerSecond * 100).ToString("000000000", CultureInfo.InvariantCulture);
                sb.Append(nanos, 0, count);
                break;
            case 'A':
                v.RequireTime(letter);
                AppendNumber(sb, local.TimeOfDay.Ticks / TimeSpan.TicksPerMillisecond, count);
                break;
            case 'n':
                v.RequireTime(letter);
                AppendNumber(sb, local.Ticks % TimeSpan.TicksPerSecond * 100, count);
                break;
            case 'N':
                v.RequireTime(letter);
                AppendNumber(sb, local.TimeOfDay.Ticks * 100, count);
                break;
            case 'V':
                sb.Append(v.RequireZone(letter).Id);
                break;
            case 'z':
                var zone = v.RequireZone(letter);
                sb.Append(count == 4 ? TimeZones.LongName(zone, v.Utc) : TimeZones.ShortName(zone, v.Utc));
                break;
            case 'O':
                AppendLocalizedOffset(sb, v.RequireOffset(letter), count == 4);
                break;
            case 'X':
                AppendOffset(sb, v.RequireOffset(letter), count, zeroAsZ: true);
                break;
            case 'x':
                AppendOffset(sb, v.RequireOffset(letter), count, zeroAsZ: false);
                break;
            case 'Z':
                var offset = v.RequireOffset(letter);
                if (count <= 3)
                {
                    AppendOffset(sb, offset, 2, zeroAsZ: false);
                }
                else if (count == 4)
                {
                    AppendLocalizedOffset(sb, offset, full: true);
                }
                else
                {
                    AppendOffset(sb, offset, 5, zeroAsZ: true);
                }

                break;
            default:
                throw new SqlFunctionException($"Unsupported pattern letter: {letter}");
        }
    }

    private static void AppendYear(StringBuilder sb, int year, int count)
    {
        if (count == 2)
        {
            sb.Append((Math.Abs(year) % 100).ToString("00", CultureInfo.InvariantCulture));
            return;
        }

        var digits = Math.Abs(year).ToString(CultureInfo.InvariantCulture);
        if (year < 0)
        {
            sb.Append('-');
        }
        else if (count >= 4 && digits.Length > count)
        {
            sb.Append('+');
        }

        sb.Append('0', Math.Max(0, count - digits.Length)).Append(digits);
    }

    private static void AppendNumber(StringBuilder sb, long value, int minWidth)
    {
        var digits = value.ToString(CultureInfo.InvariantCulture);
        sb.Append('0', Math.Max(0, minWidth - digits.Length)).Append(digits);
    }

    private static void AppendText(StringBuilder sb, int month, int count, string[] shortNames, string[] longNames)
    {
        switch (count)
        {
            case 1:
            case 2:
                AppendNumber(sb, month, count);
                break;
            case 3:
                sb.Append(shortNames[month - 1]);
                break;
            case 4:
                sb.Append(longNames[month - 1]);
                break;
            default:
                sb.Append(longNames[month - 1][0]);
                break;
        }
    }

    private static void AppendDayName(StringBuilder sb, DayOfWeek day, int count)
    {
        var index = day == DayOfWeek.Sunday ? 6 : (int)day - 1;
        sb.Append(count switch
        {
            4 => DaysLong[index],
            5 => DaysLong[index][..1],
            _ => DaysShort[index],
        });
    }

    private static void AppendLocalizedOffset(StringBuilder sb, TimeSpan offset, bool full)
    {
        sb.Append("GMT");
        if (offset == TimeSpan.Zero)
        {
            return;
        }

        var a = offset.Duration();
        sb.Append(offset < TimeSpan.Zero ? '-' : '+');
        if (full)
        {
            sb.Append(a.Hours.ToString("00", CultureInfo.InvariantCulture)).Append(':').Append(a.Minutes.ToString("00", CultureInfo.InvariantCulture));
            if (a.Seconds != 0)
            {
                sb.Append(':').Append(a.Seconds.ToString("00", CultureInfo.InvariantCulture));
            }
        }
        else
        {
            sb.Append(a.Hours.ToString(CultureInfo.InvariantCulture));
            if (a.Minutes != 0 || a.Seconds != 0)
            {
                sb.Append(':').Append(a.Minutes.ToString("00", CultureInfo.InvariantCulture));
            }

            if (a.Seconds != 0)
            {
                sb.Append(':').Append(a.Seconds.ToString("00", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>ISO offsets as X/x print them: 1 = +HH[mm], 2 = +HHmm, 3 = +HH:mm, 4 = +HHmm[ss], 5 = +HH:mm[:ss].</summary>
    private static void AppendOffset(StringBuilder sb, TimeSpan offset, int count, bool zeroAsZ)
    {
        if (offset == TimeSpan.Zero && zeroAsZ)
        {
            sb.Append('Z');
            return;
        }

        var a = offset.Duration();
        sb.Append(offset < TimeSpan.Zero ? '-' : '+').Append(a.Hours.ToString("00", CultureInfo.InvariantCulture));
        var colon = count is 3 or 5 ? ":" : "";
        switch (count)
        {
            case 1:
                if (a.Minutes != 0)
                {
                    sb.Append(a.Minutes.ToString("00", CultureInfo.InvariantCulture));
                }

                break;
            case 2:
            case 3:
                sb.Append(colon).Append(a.Minutes.ToString("00", CultureInfo.InvariantCulture));
                break;
            default:
                sb.Append(colon).Append(a.Minutes.ToString("00", CultureInfo.InvariantCulture));
                if (a.Seconds != 0)
                {
                    sb.Append(colon).Append(a.Seconds.ToString("00", CultureInfo.InvariantCulture));
                }

                break;
        }
    }

    private static DateTimeToken[] Compile(string pattern)
    {
        var stack = new Stack<List<DateTimeToken>>();
        var current = new List<DateTimeToken>();
        var literal = new StringBuilder();

        void FlushLiteral()
        {
            if (literal.Length > 0)
            {
                current.Add(new LiteralToken(literal.ToString()));
                literal.Clear();
            }
        }

        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (char.IsAsciiLetter(c))
            {
                var start = i;
                while (i < pattern.Length && pattern[i] == c)
                {
                    i++;
                }

                var count = i - start;
                Validate(pattern, c, count);
                FlushLiteral();
                current.Add(new FieldToken(c, count));
                continue;
            }

            switch (c)
            {
                case '\'':
                    var end = i + 1;
                    var text = new StringBuilder();
                    while (true)
                    {
                        if (end >= pattern.Length)
                        {
                            throw new SqlFunctionException($"Pattern ends with an incomplete string literal: {pattern}");
                        }

                        if (pattern[end] == '\'')
                        {
                            if (end + 1 < pattern.Length && pattern[end + 1] == '\'')
                            {
                                text.Append('\'');
                                end += 2;
                                continue;
                            }

                            break;
                        }

                        text.Append(pattern[end]);
                        end++;
                    }

                    literal.Append(end == i + 1 ? "'" : text.ToString());
                    i = end + 1;
                    continue;
                case '[':
                    FlushLiteral();
                    stack.Push(current);
                    current = [];
                    break;
                case ']':
                    if (stack.Count == 0)
                    {
                        throw new SqlFunctionException($"Pattern invalid as it contains ] without previous [: {pattern}");
                    }

                    FlushLiteral();
                    var inner = current;
                    current = stack.Pop();
                    current.Add(new OptionalToken([.. inner]));
                    break;
                case '{':
                case '}':
                case '#':
                    throw new SqlFunctionException($"Pattern includes reserved character: '{c}'");
                default:
                    literal.Append(c);
                    break;
            }

            i++;
        }

        FlushLiteral();
        while (stack.Count > 0)
        {
            var inner = current;
            current = stack.Pop();
            current.Add(new OptionalToken([.. inner]));
        }

        return [.. current];
    }

    private static void Validate(string pattern, char letter, int count)
    {
        var max = letter switch
        {
            'G' or 'M' or 'L' or 'Q' or 'q' or 'E' or 'e' or 'c' or 'X' or 'x' or 'Z' => 5,
            'y' or 'u' => 19,
            'D' => 3,
            'd' or 'h' or 'K' or 'k' or 'H' or 'm' or 's' => 2,
            'a' => 1,
            'S' => 9,
            'A' or 'n' or 'N' => 19,
            'V' => 2,
            'z' => 4,
            'O' => 4,
            _ => throw new SqlFunctionException($"Unknown or unsupported pattern letter: {letter} in '{pattern}'"),
        };
        if (count > max || (letter == 'V' && count != 2) || (letter == 'O' && count is not (1 or 4)))
        {
            throw new SqlFunctionException($"Too many pattern letters: {letter} in '{pattern}'");
        }
    }

    /// <summary>A value being formatted: local date-time plus which parts exist.</summary>
    private readonly record struct TemporalValue(DateTime Local, bool HasDate, bool HasTime, TimeSpan? Offset, TimeZoneInfo? Zone, DateTime Utc)
    {
        public void RequireDate(char letter)
        {
            if (!HasDate)
            {
                throw Unsupported(letter);
            }
        }

        public void RequireTime(char letter)
        {
            if (!HasTime)
            {
                throw Unsupported(letter);
            }
        }

        public TimeZoneInfo RequireZone(char letter) => Zone ?? throw Unsupported(letter);

        public TimeSpan RequireOffset(char letter) => Offset ?? throw Unsupported(letter);

        private static SqlFunctionException Unsupported(char letter) =>
            new($"Unsupported field for pattern letter '{letter}': the value has no such field.");
    }
}

internal abstract record DateTimeToken;

internal sealed record LiteralToken(string Text) : DateTimeToken;

internal sealed record FieldToken(char Letter, int Count) : DateTimeToken;

internal sealed record OptionalToken(DateTimeToken[] Inner) : DateTimeToken;
