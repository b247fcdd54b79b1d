using System.Globalization;

namespace Rhei.Sql.Functions.Runtime;

/// <summary>
/// Parses text with a <see cref="JavaDateTimeFormat"/> the way Java's <c>DateTimeFormatter</c> does:
/// case-insensitively, the whole text must be consumed, two-letter numeric fields take exactly two
/// digits, a variable-width number leaves room for the fixed-width numbers right after it
/// (<c>yyyyMMdd</c>), <c>S</c>×n takes exactly n fraction digits, <c>yy</c> is 2000-2099.
/// </summary>
public static class JavaDateTimeParser
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="SqlFunctionException"/> when it does not match.</summary>
    public static ParsedDateTime Parse(JavaDateTimeFormat format, string text)
    {
        var fields = new ParsedDateTime();
        var pos = 0;
        if (!ParseTokens(format.Tokens, text, ref pos, fields) || pos != text.Length)
        {
            throw new SqlFunctionException(
                pos < text.Length
                    ? $"Text '{text}' could not be parsed at index {pos}"
                    : $"Text '{text}' could not be parsed: it does not match the pattern '{format.Pattern}'");
        }

        return fields;
    }

    private static bool ParseTokens(DateTimeToken[] tokens, string text, ref int pos, ParsedDateTime fields)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            switch (tokens[i])
            {
                case LiteralToken l:
                    if (pos + l.Text.Length > text.Length || string.Compare(text, pos, l.Text, 0, l.Text.Length, StringComparison.OrdinalIgnoreCase) != 0)
                    {
                        return false;
                    }

                    pos += l.Text.Length;
                    break;
                case OptionalToken o:
                    var saved = fields.Clone();
                    var start = pos;
                    if (!ParseTokens(o.Inner, text, ref pos, fields))
                    {
                        pos = start;
                        fields.CopyFrom(saved);
                    }

                    break;
                case FieldToken f:
                    if (!ParseField(tokens, i, f, text, ref pos, fields))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    /// <summary>Digits a numeric field takes: (min, max); max 0 = not numeric in this form.</summary>
    private static (int Min, int Max) Width(FieldToken f) => f.Letter switch
    {
        'y' or 'u' => f.Count == 2 ? (2, 2) : (1, 10),
        'M' or 'L' or 'Q' or 'q' or 'e' or 'c' => f.Count <= 2 ? (f.Count, 2) : (0, 0),
        'd' or 'h' or 'K' or 'k' or 'H' or 'm' or 's' => (f.Count, 2),
        'D' => f.Count == 3 ? (3, 3) : (f.Count, 3),
        'S' => (f.Count, f.Count),
        'A' or 'n' or 'N' => (f.Count, 19),
        _ => (0, 0),
    };

    private static bool IsFixedWidthNumber(DateTimeToken t) => t is FieldToken f && Width(f) is var (min, max) && max > 0 && min == max;

    private static bool ParseField(DateTimeToken[] tokens, int index, FieldToken f, string text, ref int pos, ParsedDateTime fields)
    {
        var (min, max) = Width(f);
        if (max > 0)
        {
            var negative = false;
            if (f.Letter is 'y' or 'u' && f.Count != 2 && pos < text.Length && text[pos] is '-' or '+')
            {
                negative = text[pos] == '-';
                pos++;
            }

            var available = 0;
            while (pos + available < text.Length && char.IsAsciiDigit(text[pos + available]))
            {
                available++;
            }

            if (min != max)
            {
                // Adjacent value parsing: leave the digits the following fixed-width fields need.
                var reserved = 0;
                for (var j = index + 1; j < tokens.Length && IsFixedWidthNumber(tokens[j]); j++)
                {
                    reserved += Width((FieldToken)tokens[j]).Max;
                }

                available = Math.Min(available, Math.Max(0, available - reserved));
            }

            var take = Math.Min(available, max);
            if (take < Math.Max(min, 1))
            {
                return false;
            }

            var digits = text.AsSpan(pos, take);
            pos += take;
            if (f.Letter == 'S')
            {
                var nanos = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
                for (var k = take; k < 9; k++)
                {
                    nanos *= 10;
                }

                return fields.Set(ref fields.NanoOfSecond, nanos);
            }

            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            if (negative)
            {
                value = -value;
            }

            return f.Letter switch
            {
                'y' => fields.Set(ref fields.YearOfEra, f.Count == 2 ? 2000 + value : value),
                'u' => fields.Set(ref fields.Year, f.Count == 2 ? 2000 + value : value),
                'M' or 'L' => fields.Set(ref fields.Month, value),
                'Q' or 'q' => fields.Set(ref fields.Quarter, value),
                'e' or 'c' => fields.Set(ref fields.DayOfWeek, value == 1 ? 7 : value - 1),
                'd' => fields.Set(ref fields.Day, value),
                'D' => fields.Set(ref fields.DayOfYear, value),
                'h' => fields.Set(ref fields.ClockHourOfAmPm, value),
                'K' => fields.Set(ref fields.HourOfAmPm, value),
                'k' => fields.Set(ref fields.ClockHourOfDay, value),
                'H' => fields.Set(ref fields.HourOfDay, value),
                'm' => fields.Set(ref fields.Minute, value),
                's' => fields.Set(ref fields.Second, value),
                'A' => fields.Set(ref fields.MilliOfDay, value),
                'n' => fields.Set(ref fields.NanoOfSecond, value),
                'N' => fields.Set(ref fields.NanoOfDay, value),
                _ => false,
            };
        }

        switch (f.Letter)
        {
            case 'G':
                var era = MatchText(text, ref pos, ["Anno Domini", "Before Christ", "AD", "BC", "A", "B"]);
                return era >= 0 && fields.Set(ref fields.Era, era is 0 or 2 or 4 ? 1 : 0);
            case 'M':
            case 'L':
                var month = MatchText(text, ref pos, [.. JavaDateTimeFormat.MonthsLong, .. JavaDateTimeFormat.MonthsShort]);
                return month >= 0 && fields.Set(ref fields.Month, (month % 12) + 1);
            case 'E':
            case 'e':
            case 'c':
                var day = MatchText(text, ref pos, [.. JavaDateTimeFormat.DaysLong, .. JavaDateTimeFormat.DaysShort]);
                return day >= 0 && fields.Set(ref fields.DayOfWeek, (day % 7) + 1);
            case 'Q':
            case 'q':
                var q = MatchText(text, ref pos, [.. JavaDateTimeFormat.QuartersLong, "Q1", "Q2", "Q3", "Q4"]);
                return q >= 0 && fields.Set(ref fields.Quarter, (q % 4) + 1);
            case 'a':
                var ampm = MatchText(text, ref pos, ["AM", "PM"]);
                return ampm >= 0 && fields.Set(ref fields.AmPm, ampm);
            case 'V':
            case 'z':
                return ParseZone(text, ref pos, fields);
            case 'O':
                return ParseLocalizedOffset(text, ref pos, fields);
            case 'X':
            case 'x':
            case 'Z':
                return ParseOffset(text, ref pos, fields, allowZ: f.Letter == 'X' || (f.Letter == 'Z' && f.Count == 5), localized: f.Letter == 'Z' && f.Count == 4);
            default:
                return false;
        }
    }

    private static int MatchText(string text, ref int pos, string[] candidates)
    {
        var best = -1;
        var bestLength = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            var c = candidates[i];
            if (c.Length > bestLength && pos + c.Length <= text.Length && string.Compare(text, pos, c, 0, c.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                best = i;
                bestLength = c.Length;
            }
        }

        if (best >= 0)
        {
            pos += bestLength;
        }

        return best;
    }

    private static bool ParseZone(string text, ref int pos, ParsedDateTime fields)
    {
        var end = pos;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '/' or '_' or '-' or '+' or ':' or '~' or '.'))
        {
            end++;
        }

        // Take the longest prefix that names a zone (the text may run into following literals).
        for (var len = end - pos; len > 0; len--)
        {
            var zone = TimeZones.FromText(text.Substring(pos, len));
            if (zone is not null)
            {
                pos += len;
                fields.Zone = zone;
                return true;
            }
        }

        return false;
    }

    private static bool ParseLocalizedOffset(string text, ref int pos, ParsedDateTime fields)
    {
        if (pos + 3 > text.Length || string.Compare(text, pos, "GMT", 0, 3, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }

        pos += 3;
        if (pos >= text.Length || text[pos] is not ('+' or '-'))
        {
            fields.Offset = TimeSpan.Zero;
            return true;
        }

        return ParseOffset(text, ref pos, fields, allowZ: false, localized: false);
    }

    private static bool ParseOffset(string text, ref int pos, ParsedDateTime fields, bool allowZ, bool localized)
    {
        if (localized)
        {
            return ParseLocalizedOffset(text, ref pos, fields);
        }

        if (pos < text.Length && text[pos] is 'Z' or 'z' && allowZ)
        {
            pos++;
            fields.Offset = TimeSpan.Zero;
            return true;
        }

        if (pos >= text.Length || text[pos] is not ('+' or '-'))
        {
            return false;
        }

        var sign = text[pos] == '-' ? -1 : 1;
        var p = pos + 1;
        if (!TwoDigits(text, ref p, out var hours))
        {
            // One-digit hours appear in localized offsets ("GMT+8").
            if (p < text.Length && char.IsAsciiDigit(text[p]))
            {
                hours = text[p] - '0';
                p++;
            }
            else
            {
                return false;
            }
        }

        var minutes = 0;
        var seconds = 0;
        var q = p;
        var colon = q < text.Length && text[q] == ':';
        if (colon)
        {
            q++;
        }

        if (TwoDigits(text, ref q, out minutes))
        {
            p = q;
            var r = p;
            if (colon ? r < text.Length && text[r] == ':' : true)
            {
                if (colon)
                {
                    r++;
                }

                if (TwoDigits(text, ref r, out seconds))
                {
                    p = r;
                }
            }
        }
        else
        {
            minutes = 0;
        }

        if (hours > 18 || minutes > 59 || seconds > 59)
        {
            return false;
        }

        pos = p;
        fields.Offset = new TimeSpan(hours, minutes, seconds) * sign;
        return true;
    }

    private static bool TwoDigits(string text, ref int pos, out int value)
    {
        value = 0;
        if (pos + 2 > text.Length || !char.IsAsciiDigit(text[pos]) || !char.IsAsciiDigit(text[pos + 1]))
        {
            return false;
        }

        value = ((text[pos] - '0') * 10) + (text[pos + 1] - '0');
        pos += 2;
        return true;
    }
}
