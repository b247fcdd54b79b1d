using System.Globalization;
using System.Text;
using Rhei.Formats.Types;

namespace Rhei.Sql.Functions.Runtime;

/// <summary>
/// Text renderings that ksqlDB's output depends on and that differ from .NET's defaults: Java's
/// <c>Double.toString</c> (<c>1.0</c>, <c>1.0E7</c>, <c>1.234E-5</c>) and <c>String.valueOf</c> of SQL values.
/// </summary>
public static class JavaText
{
    /// <summary>A double as Java's <c>Double.toString</c> prints it (shortest round-trip digits).</summary>
    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var abs = Math.Abs(value);
        var (digits, point) = ShortestDigits(abs);
        var sb = new StringBuilder(24);
        if (value < 0)
        {
            sb.Append('-');
        }

        if (abs >= 1e-3 && abs < 1e7)
        {
            if (point <= 0)
            {
                sb.Append("0.").Append('0', -point).Append(digits);
            }
            else if (point >= digits.Length)
            {
                sb.Append(digits).Append('0', point - digits.Length).Append(".0");
            }
            else
            {
                sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
            }
        }
        else
        {
            sb.Append(digits[0]).Append('.');
            if (digits.Length > 1)
            {
                sb.Append(digits, 1, digits.Length - 1);
            }
            else
            {
                sb.Append('0');
            }

            sb.Append('E').Append((point - 1).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>The significant digits of a positive double and the position of the decimal point (value = 0.digits × 10^point).</summary>
    private static (string Digits, int Point) ShortestDigits(double abs)
    {
        var s = abs.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = s.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }

        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? s : s[..dot];
        var frac = dot < 0 ? "" : s[(dot + 1)..];
        var digits = intPart + frac;
        var point = intPart.Length + exponent;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
            point--;
        }

        digits = digits[lead..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, point);
    }

    /// <summary>A DECIMAL value as Java's <c>BigDecimal.toPlainString</c> prints it.</summary>
    public static string FormatDecimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A value as ksqlDB renders it when it turns a value into text (<c>String.valueOf</c>): <c>null</c>,
    /// <c>true</c>, <c>1.0</c>, ISO dates and times, <c>[a, b]</c> for arrays, <c>{k=v}</c> for maps,
    /// <c>Struct{A=1}</c> for structs.
    /// </summary>
    public static string ToJavaString(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        decimal m => FormatDecimal(m),
        byte[] b => Convert.ToBase64String(b),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => FormatTime(t),
        DateTime ts => FormatTimestamp(ts),
        List<object?> list => "[" + string.Join(", ", list.Select(ToJavaString)) + "]",
        Dictionary<object, object?> map => "{" + string.Join(", ", map.Select(kv => ToJavaString(kv.Key) + "=" + ToJavaString(kv.Value))) + "}",
        SqlStruct st => "Struct{" + string.Join(",", st.Type.Fields.Select((f, i) => (f, v: st[i])).Where(x => x.v is not null).Select(x => x.f.Name + "=" + ToJavaString(x.v))) + "}",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>A TIME as Java's <c>LocalTime.toString</c>: <c>HH:mm</c>, <c>HH:mm:ss</c> or <c>HH:mm:ss.SSS</c>.</summary>
    public static string FormatTime(TimeOnly t)
    {
        var ticksInSecond = t.Ticks % TimeSpan.TicksPerSecond;
        if (ticksInSecond == 0)
        {
            return t.Second == 0
                ? t.ToString("HH:mm", CultureInfo.InvariantCulture)
                : t.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        }

        if (ticksInSecond % TimeSpan.TicksPerMillisecond == 0)
        {
            return t.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        }

        return ticksInSecond % 10 == 0
            ? t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture)
            : t.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
    }

    /// <summary>A TIMESTAMP as ksqlDB prints it: <c>yyyy-MM-ddTHH:mm:ss.SSS</c> (UTC).</summary>
    public static string FormatTimestamp(DateTime ts) => ts.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
