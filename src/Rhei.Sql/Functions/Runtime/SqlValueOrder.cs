using Rhei.Formats.Types;

namespace Rhei.Sql.Functions.Runtime;

/// <summary>
/// The natural order of primitive SQL values as ksqlDB (Java) compares them: numbers numerically
/// (NaN above everything, -0.0 below 0.0), strings by UTF-16 code unit, false before true, BYTES
/// lexicographically by signed byte then by length, dates and times chronologically. Nulls are not
/// ordered here; callers decide where they go.
/// </summary>
public sealed class SqlValueOrder : IComparer<object?>
{
    public static readonly SqlValueOrder Instance = new();

    public int Compare(object? x, object? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        return (x, y) switch
        {
            (int a, int b) => a.CompareTo(b),
            (long a, long b) => a.CompareTo(b),
            (double a, double b) => CompareDoubles(a, b),
            (decimal a, decimal b) => a.CompareTo(b),
            (string a, string b) => string.CompareOrdinal(a, b),
            (bool a, bool b) => a.CompareTo(b),
            (byte[] a, byte[] b) => CompareBytes(a, b),
            (DateOnly a, DateOnly b) => a.CompareTo(b),
            (TimeOnly a, TimeOnly b) => a.CompareTo(b),
            (DateTime a, DateTime b) => a.CompareTo(b),
            _ when IsNumber(x) && IsNumber(y) => CompareNumbers(x, y),
            _ => throw new SqlFunctionException($"Cannot compare {SqlValueComparer.Format(x)} and {SqlValueComparer.Format(y)}: only primitive values of one type are ordered."),
        };
    }

    /// <summary>True for the CLR types of BOOLEAN, numbers, STRING, BYTES, DATE, TIME and TIMESTAMP.</summary>
    public static bool IsOrdered(object value) =>
        value is int or long or double or decimal or string or bool or byte[] or DateOnly or TimeOnly or DateTime;

    /// <summary>Java's <c>Double.compare</c>: -0.0 before 0.0, NaN after everything.</summary>
    public static int CompareDoubles(double a, double b)
    {
        if (a < b)
        {
            return -1;
        }

        if (a > b)
        {
            return 1;
        }

        return Bits(a).CompareTo(Bits(b));

        static long Bits(double d) => double.IsNaN(d) ? 0x7ff8000000000000L : BitConverter.DoubleToInt64Bits(d);
    }

    private static bool IsNumber(object v) => v is int or long or double or decimal;

    private static int CompareNumbers(object x, object y)
    {
        if (x is double or float || y is double or float)
        {
            return CompareDoubles(
                Convert.ToDouble(x, System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToDouble(y, System.Globalization.CultureInfo.InvariantCulture));
        }

        return Convert.ToDecimal(x, System.Globalization.CultureInfo.InvariantCulture)
            .CompareTo(Convert.ToDecimal(y, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int CompareBytes(byte[] a, byte[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var c = ((sbyte)a[i]).CompareTo((sbyte)b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}
