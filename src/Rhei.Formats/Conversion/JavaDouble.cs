using System.Globalization;

namespace Rhei.Formats.Conversion;

/// <summary>
/// DOUBLE text as ksqlDB (Java) writes and reads it: <c>Double.toString</c> (<c>1.0</c>, <c>1.5</c>,
/// <c>1.0E10</c>, <c>1.0E-4</c>, <c>NaN</c>, <c>Infinity</c>) and <c>Double.parseDouble</c>. Formatting picks the
/// shortest digits that round-trip (with at least two significant digits when Java would print them), then lays them
/// out as Java does: plain notation for 10^-3 ≤ |d| &lt; 10^7, computerized scientific notation otherwise.
/// </summary>
public static class JavaDouble
{
    /// <summary>Enough room for any formatted double ("-2.2250738585072014E-308" is 24 chars).</summary>
    public const int MaxLength = 32;

    public static string ToString(double value)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        TryFormat(value, buffer, out var written);
        return new string(buffer[..written]);
    }

    /// <summary>Writes the Java text of <paramref name="value"/> as ASCII bytes (for JSON and DELIMITED output).</summary>
    public static bool TryFormat(double value, Span<byte> destination, out int written)
    {
        Span<char> chars = stackalloc char[MaxLength];
        TryFormat(value, chars, out var n);
        if (n > destination.Length)
        {
            written = 0;
            return false;
        }

        for (var i = 0; i < n; i++)
        {
            destination[i] = (byte)chars[i];
        }

        written = n;
        return true;
    }

    public static bool TryFormat(double value, Span<char> destination, out int written)
    {
        written = 0;
        if (destination.Length < MaxLength)
        {
            return false;
        }

        if (double.IsNaN(value))
        {
            return Put("NaN", destination, out written);
        }

        if (double.IsPositiveInfinity(value))
        {
            return Put("Infinity", destination, out written);
        }

        if (double.IsNegativeInfinity(value))
        {
            return Put("-Infinity", destination, out written);
        }

        if (value == 0)
        {
            return Put(double.IsNegative(value) ? "-0.0" : "0.0", destination, out written);
        }

        // Significant digits and the decimal exponent of the first digit (value = 0.d1d2... * 10^(point)).
        Span<char> digits = stackalloc char[MaxLength];
        var digitCount = Digits(value, "R", digits, out var point);
        if (digitCount == 1)
        {
            // Java prints at least two significant digits and picks the two-digit decimal closest to the exact
            // binary value when it still reads back as the same double (4.9E-324, not 5.0E-324).
            Span<char> two = stackalloc char[MaxLength];
            var twoCount = Digits(value, "E1", two, out var twoPoint);
            if (twoCount == 2 && ReadsBackAs(value, two[..twoCount], twoPoint))
            {
                two[..twoCount].CopyTo(digits);
                digitCount = twoCount;
                point = twoPoint;
            }
        }

        var pos = 0;
        if (value < 0)
        {
            destination[pos++] = '-';
        }

        var exponent = point - 1; // scientific exponent: value = d1.d2d3... * 10^exponent
        if (exponent is >= -3 and < 7)
        {
            if (exponent >= 0)
            {
                for (var i = 0; i <= exponent; i++)
                {
                    destination[pos++] = i < digitCount ? digits[i] : '0';
                }

                destination[pos++] = '.';
                if (digitCount > exponent + 1)
                {
                    for (var i = exponent + 1; i < digitCount; i++)
                    {
                        destination[pos++] = digits[i];
                    }
                }
                else
                {
                    destination[pos++] = '0';
                }
            }
            else
            {
                destination[pos++] = '0';
                destination[pos++] = '.';
                for (var i = 0; i < -exponent - 1; i++)
                {
                    destination[pos++] = '0';
                }

                for (var i = 0; i < digitCount; i++)
                {
                    destination[pos++] = digits[i];
                }
            }
        }
        else
        {
            destination[pos++] = digits[0];
            destination[pos++] = '.';
            if (digitCount > 1)
            {
                for (var i = 1; i < digitCount; i++)
                {
                    destination[pos++] = digits[i];
                }
            }
            else
            {
                destination[pos++] = '0';
            }

            destination[pos++] = 'E';
            exponent.TryFormat(destination[pos..], out var e, default, CultureInfo.InvariantCulture);
            pos += e;
        }

        written = pos;
        return true;
    }

    /// <summary>
    /// Java's <c>Double.parseDouble</c>: surrounding whitespace ignored, optional sign, <c>NaN</c>, <c>Infinity</c>,
    /// decimal digits with optional point and exponent, an optional <c>d</c>/<c>f</c> suffix.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        text = TrimJava(text);
        if (text.Length > 1 && text[^1] is 'd' or 'D' or 'f' or 'F' && (char.IsAsciiDigit(text[^2]) || text[^2] == '.'))
        {
            text = text[..^1];
        }

        if (text.Length == 0)
        {
            value = 0;
            return false;
        }

        var body = text[0] is '+' or '-' ? text[1..] : text;
        if (body.SequenceEqual("NaN"))
        {
            value = double.NaN;
            return true;
        }

        if (body.SequenceEqual("Infinity"))
        {
            value = text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        foreach (var c in body)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'))
            {
                value = 0;
                return false;
            }
        }

        return double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out double value)
    {
        Span<char> chars = utf8.Length <= 128 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] > 0x7F)
            {
                value = 0;
                return false;
            }

            chars[i] = (char)utf8[i];
        }

        return TryParse(chars, out value);
    }

    /// <summary>Java's <c>String.trim()</c>: drops chars &lt;= ' ' at both ends.</summary>
    internal static ReadOnlySpan<char> TrimJava(ReadOnlySpan<char> text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && text[start] <= ' ')
        {
            start++;
        }

        while (end > start && text[end - 1] <= ' ')
        {
            end--;
        }

        return text[start..end];
    }

    private static bool Put(string s, Span<char> destination, out int written)
    {
        s.AsSpan().CopyTo(destination);
        written = s.Length;
        return true;
    }

    /// <summary>Formats |value| with a .NET format and extracts its significant digits and the position of the point.</summary>
    private static int Digits(double value, string format, Span<char> digits, out int point)
    {
        Span<char> text = stackalloc char[MaxLength];
        Math.Abs(value).TryFormat(text, out var n, format, CultureInfo.InvariantCulture);
        text = text[..n];

        var count = 0;
        var intDigits = 0;
        var seenPoint = false;
        var exponent = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                seenPoint = true;
            }
            else if (c is 'E' or 'e')
            {
                exponent = int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                digits[count++] = c;
                if (!seenPoint)
                {
                    intDigits++;
                }
            }
        }

        point = intDigits + exponent;
        var lead = 0;
        while (lead < count - 1 && digits[lead] == '0')
        {
            lead++;
            point--;
        }

        if (lead > 0)
        {
            digits[lead..count].CopyTo(digits);
            count -= lead;
        }

        while (count > 1 && digits[count - 1] == '0')
        {
            count--;
        }

        return count;
    }

    private static bool ReadsBackAs(double value, ReadOnlySpan<char> digits, int point)
    {
        Span<char> text = stackalloc char[MaxLength];
        var pos = 0;
        text[pos++] = '0';
        text[pos++] = '.';
        digits.CopyTo(text[pos..]);
        pos += digits.Length;
        text[pos++] = 'E';
        point.TryFormat(text[pos..], out var e, default, CultureInfo.InvariantCulture);
        pos += e;
        return double.TryParse(text[..pos], NumberStyles.Float, CultureInfo.InvariantCulture, out var back) && back == Math.Abs(value);
    }
}
