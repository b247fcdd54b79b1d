using System.Globalization;
using Rhei.Formats.Types;

namespace Rhei.Formats.Conversion;

/// <summary>
/// DECIMAL values as ksqlDB treats them (Java <c>BigDecimal</c> semantics on .NET <see cref="decimal"/>): precision and
/// scale of a value, rescaling with HALF_UP rounding, the overflow and "fit" checks with ksqlDB's messages, and
/// the text forms (plain, Java <c>toString</c>, fixed scale). A .NET decimal holds at most 28-29 significant digits
/// and a scale of at most 28; wider DECIMAL types are accepted, and their text is padded to the declared scale.
/// </summary>
public static class DecimalValues
{
    /// <summary>The largest scale a <see cref="decimal"/> can carry.</summary>
    public const int MaxClrScale = 28;

    private static readonly decimal[] ZeroWithScale = BuildZeros();
    private static readonly decimal[] PowersOfTen = BuildPowers();
    private static readonly UInt128[] PowersOfTen128 = BuildPowers128();

    /// <summary>The number of digits of the unscaled value (<c>BigDecimal.precision()</c>; 1 for zero).</summary>
    public static int Precision(decimal value)
    {
        var unscaled = Unscaled(value);
        var digits = 1;
        while (digits < PowersOfTen128.Length && unscaled >= PowersOfTen128[digits])
        {
            digits++;
        }

        return digits;
    }

    /// <summary>The DECIMAL type of a literal value: DECIMAL(max(precision, scale), scale).</summary>
    public static SqlDecimalType TypeOf(decimal value)
    {
        int scale = value.Scale;
        return new SqlDecimalType(Math.Max(Precision(value), Math.Max(scale, 1)), scale);
    }

    /// <summary>Checks DECIMAL(precision, scale) parameters as ksqlDB does; throws <see cref="ArgumentException"/>.</summary>
    public static void ValidateType(int precision, int scale)
    {
        if (precision < 1)
        {
            throw new ArgumentException($"DECIMAL precision must be >= 1: DECIMAL({precision},{scale})");
        }

        if (scale < 0)
        {
            throw new ArgumentException($"DECIMAL scale must be >= 0: DECIMAL({precision},{scale})");
        }

        if (precision < scale)
        {
            throw new ArgumentException($"DECIMAL precision must be >= scale: DECIMAL({precision},{scale})");
        }
    }

    /// <summary>Sets the scale, rounding HALF_UP when it shrinks and padding zeros when it grows (up to 28).</summary>
    public static decimal SetScale(decimal value, int scale)
    {
        var target = Math.Min(scale, MaxClrScale);
        if (value.Scale > target)
        {
            value = decimal.Round(value, target, MidpointRounding.AwayFromZero);
        }

        return Pad(value, target);
    }

    /// <summary>
    /// ksqlDB's CAST to DECIMAL(precision, scale): rescale HALF_UP, then fail with "Numeric field overflow" when the
    /// value needs more integer digits than precision - scale.
    /// </summary>
    public static decimal Cast(decimal value, int precision, int scale)
    {
        var scaled = SetScale(value, scale);
        EnsureMax(scaled, precision, scale);
        return scaled;
    }

    /// <summary>
    /// ksqlDB's fit check for decoded data: the value must fit DECIMAL(precision, scale) without rounding; it is
    /// returned at the type's scale.
    /// </summary>
    public static decimal EnsureFit(decimal value, int precision, int scale)
    {
        EnsureMax(value, precision, scale);
        var target = Math.Min(scale, MaxClrScale);
        if (value.Scale > target && decimal.Round(value, target) != value)
        {
            throw new OverflowException(
                $"Cannot fit decimal '{ToPlainString(value)}' into DECIMAL({precision}, {scale}) without rounding. " +
                $"(Requires {Precision(value)},{value.Scale})");
        }

        return SetScale(value, scale);
    }

    /// <summary>Throws when |value| ≥ 10^(precision - scale).</summary>
    public static void EnsureMax(decimal value, int precision, int scale)
    {
        var digits = precision - scale;
        if (digits >= PowersOfTen.Length)
        {
            return;
        }

        if (Math.Abs(value) >= PowersOfTen[Math.Max(digits, 0)])
        {
            throw new OverflowException(
                $"Numeric field overflow: A field with precision {precision} and scale {scale} must round to an " +
                $"absolute value less than 10^{digits}. Got {ToPlainString(value)}");
        }
    }

    /// <summary>The value without exponent, at its own scale (<c>BigDecimal.toPlainString()</c>).</summary>
    public static string ToPlainString(decimal value)
    {
        Span<char> buffer = stackalloc char[64];
        TryFormat(value, value.Scale, buffer, out var n);
        return new string(buffer[..n]);
    }

    /// <summary>
    /// Plain text of the value at exactly <paramref name="scale"/> decimals (rounding HALF_UP when the value has more),
    /// padding zeros beyond .NET's 28 when the declared scale is larger. Needs up to 32 + scale chars.
    /// </summary>
    public static bool TryFormat(decimal value, int scale, Span<char> destination, out int written)
    {
        var v = SetScale(value, scale);
        if (v == 0m)
        {
            v = Pad(0m, v.Scale); // no negative zero in Java
        }

        if (!v.TryFormat(destination, out written, default, CultureInfo.InvariantCulture))
        {
            return false;
        }

        var pad = scale - v.Scale;
        if (pad > 0)
        {
            if (written + pad + 1 > destination.Length)
            {
                written = 0;
                return false;
            }

            if (v.Scale == 0)
            {
                destination[written++] = '.';
            }

            destination.Slice(written, pad).Fill('0');
            written += pad;
        }

        return true;
    }

    /// <summary>UTF-8 version of <see cref="TryFormat(decimal, int, Span{char}, out int)"/>.</summary>
    public static bool TryFormat(decimal value, int scale, Span<byte> destination, out int written)
    {
        Span<char> chars = stackalloc char[40 + Math.Max(scale, 0)];
        if (!TryFormat(value, scale, chars, out var n) || n > destination.Length)
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

    /// <summary>Java's <c>BigDecimal.toString()</c>: plain, or scientific (<c>1E-7</c>) when the adjusted exponent is below -6.</summary>
    public static string ToJavaString(decimal value)
    {
        if (value == 0m)
        {
            value = Pad(0m, value.Scale);
        }

        var scale = value.Scale;
        var unscaled = Unscaled(value).ToString(CultureInfo.InvariantCulture);
        var adjusted = -scale + (unscaled.Length - 1);
        if (adjusted >= -6)
        {
            return ToPlainString(value);
        }

        var sign = value < 0 ? "-" : "";
        var mantissa = unscaled.Length > 1 ? unscaled[..1] + "." + unscaled[1..] : unscaled;
        return $"{sign}{mantissa}E{adjusted}";
    }

    /// <summary>
    /// Parses Java <c>BigDecimal</c> text: optional sign, digits with an optional point (<c>.5</c>, <c>5.</c>), an
    /// optional exponent; no whitespace. The scale of the text is kept (<c>1.10</c> has scale 2).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0;
        var i = 0;
        if (i < text.Length && text[i] is '+' or '-')
        {
            i++;
        }

        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            var expDigits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                expDigits++;
            }

            if (expDigits == 0)
            {
                return false;
            }
        }

        return i == text.Length &&
            decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out decimal value)
    {
        Span<char> chars = utf8.Length <= 128 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        for (var i = 0; i < utf8.Length; i++)
        {
            chars[i] = (char)utf8[i];
        }

        return TryParse(chars, out value);
    }

    /// <summary>Java <c>BigDecimal.intValue()</c>: drops the fraction, keeps the low 32 bits.</summary>
    public static int ToInt32Wrapping(decimal value) => unchecked((int)ToInt64Wrapping(value));

    /// <summary>Java <c>BigDecimal.longValue()</c>: drops the fraction, keeps the low 64 bits.</summary>
    public static long ToInt64Wrapping(decimal value)
    {
        var truncated = decimal.Truncate(value);
        if (truncated >= long.MinValue && truncated <= long.MaxValue)
        {
            return (long)truncated;
        }

        return unchecked((long)(ulong)((System.Numerics.BigInteger)truncated & ulong.MaxValue));
    }

    /// <summary>The correctly rounded double of a decimal (Java <c>BigDecimal.doubleValue()</c>).</summary>
    public static double ToDouble(decimal value)
    {
        Span<char> buffer = stackalloc char[40];
        value.TryFormat(buffer, out var n, default, CultureInfo.InvariantCulture);
        return double.Parse(buffer[..n], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Java <c>BigDecimal.valueOf(double)</c>: the decimal of the double's Java text (throws for NaN/Infinity/out of range).</summary>
    public static decimal FromDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new FormatException($"Cannot convert {JavaDouble.ToString(value)} to DECIMAL");
        }

        Span<char> buffer = stackalloc char[JavaDouble.MaxLength];
        JavaDouble.TryFormat(value, buffer, out var n);
        if (!decimal.TryParse(buffer[..n], NumberStyles.Float, CultureInfo.InvariantCulture, out var result))
        {
            throw new OverflowException($"Numeric field overflow: {new string(buffer[..n])} does not fit a DECIMAL value");
        }

        // Double.toString always has a fraction digit ("10.0"); BigDecimal.valueOf keeps it, so does this.
        return result;
    }

    private static decimal Pad(decimal value, int scale)
    {
        if (value.Scale >= scale)
        {
            return value;
        }

        var padded = value + ZeroWithScale[scale];
        return padded;
    }

    private static UInt128 Unscaled(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        return ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
    }

    private static decimal[] BuildZeros()
    {
        var zeros = new decimal[MaxClrScale + 1];
        for (byte s = 0; s <= MaxClrScale; s++)
        {
            zeros[s] = new decimal(0, 0, 0, false, s);
        }

        return zeros;
    }

    private static decimal[] BuildPowers()
    {
        var powers = new decimal[29];
        var p = 1m;
        for (var i = 0; i < powers.Length; i++)
        {
            powers[i] = p;
            if (i < powers.Length - 1)
            {
                p *= 10m;
            }
        }

        return powers;
    }

    private static UInt128[] BuildPowers128()
    {
        var powers = new UInt128[31];
        UInt128 p = 1;
        for (var i = 0; i < powers.Length; i++)
        {
            powers[i] = p;
            p *= 10;
        }

        return powers;
    }
}
