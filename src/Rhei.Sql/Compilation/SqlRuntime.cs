using Rhei.Formats.Conversion;
using Rhei.Formats.Types;

namespace Rhei.Sql.Compilation;

/// <summary>
/// The operations compiled expressions call per row where a single IL operator is not enough: Java's integer
/// division and remainder, DECIMAL arithmetic at a result scale, 1-based array access, map and struct access.
/// Null in, null out, unless stated otherwise.
/// </summary>
internal static class SqlRuntime
{
    public static int? Divide(int? a, int? b)
    {
        if (!a.HasValue || !b.HasValue)
        {
            return null;
        }

        var d = b.GetValueOrDefault();
        return d switch
        {
            0 => throw DivisionByZero(),
            -1 => unchecked(-a.GetValueOrDefault()),
            _ => a.GetValueOrDefault() / d,
        };
    }

    public static long? Divide(long? a, long? b)
    {
        if (!a.HasValue || !b.HasValue)
        {
            return null;
        }

        var d = b.GetValueOrDefault();
        return d switch
        {
            0 => throw DivisionByZero(),
            -1 => unchecked(-a.GetValueOrDefault()),
            _ => a.GetValueOrDefault() / d,
        };
    }

    public static int? Remainder(int? a, int? b)
    {
        if (!a.HasValue || !b.HasValue)
        {
            return null;
        }

        var d = b.GetValueOrDefault();
        return d switch
        {
            0 => throw DivisionByZero(),
            -1 => 0,
            _ => a.GetValueOrDefault() % d,
        };
    }

    public static long? Remainder(long? a, long? b)
    {
        if (!a.HasValue || !b.HasValue)
        {
            return null;
        }

        var d = b.GetValueOrDefault();
        return d switch
        {
            0 => throw DivisionByZero(),
            -1 => 0,
            _ => a.GetValueOrDefault() % d,
        };
    }

    public static decimal? DecimalAdd(decimal? a, decimal? b, int scale) =>
        a.HasValue && b.HasValue ? DecimalValues.SetScale(a.GetValueOrDefault() + b.GetValueOrDefault(), scale) : null;

    public static decimal? DecimalSubtract(decimal? a, decimal? b, int scale) =>
        a.HasValue && b.HasValue ? DecimalValues.SetScale(a.GetValueOrDefault() - b.GetValueOrDefault(), scale) : null;

    public static decimal? DecimalMultiply(decimal? a, decimal? b, int scale) =>
        a.HasValue && b.HasValue ? DecimalValues.SetScale(a.GetValueOrDefault() * b.GetValueOrDefault(), scale) : null;

    public static decimal? DecimalDivide(decimal? a, decimal? b, int scale)
    {
        if (!a.HasValue || !b.HasValue)
        {
            return null;
        }

        var d = b.GetValueOrDefault();
        if (d == 0m)
        {
            throw new ArithmeticException(a.GetValueOrDefault() == 0m ? "Division undefined" : "Division by zero");
        }

        return DecimalValues.SetScale(a.GetValueOrDefault() / d, scale);
    }

    public static decimal? DecimalRemainder(decimal? a, decimal? b, int scale)
    {
        if (!a.HasValue || !b.HasValue)
        {
            return null;
        }

        var d = b.GetValueOrDefault();
        if (d == 0m)
        {
            throw new ArithmeticException(a.GetValueOrDefault() == 0m ? "Division undefined" : "Division by zero");
        }

        return DecimalValues.SetScale(a.GetValueOrDefault() % d, scale);
    }

    public static string? Concat(string? a, string? b) => a is null || b is null ? null : string.Concat(a, b);

    /// <summary>Orders two STRINGs as Java's <c>String.compareTo</c> does (UTF-16 code units).</summary>
    public static int CompareStrings(string a, string b) => string.CompareOrdinal(a, b);

    /// <summary>Orders two BYTES values as Java's <c>ByteBuffer.compareTo</c> does (signed bytes, then length).</summary>
    public static int CompareBytes(byte[] a, byte[] b)
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

    /// <summary>Structural equality of two non-null values (arrays, maps, structs, bytes by content).</summary>
    public static bool ValueEquals(object a, object b) => SqlValueComparer.Instance.Equals(a, b);

    /// <summary><c>list[index]</c> with SQL's 1-based index, negative from the end; NULL when out of range.</summary>
    public static object? ArrayElement(List<object?>? list, int? index)
    {
        if (list is null || !index.HasValue)
        {
            return null;
        }

        var i = index.GetValueOrDefault();
        var position = i > 0 ? i - 1 : list.Count + i;
        return (uint)position < (uint)list.Count ? list[position] : null;
    }

    public static object? ArrayElement(List<object?>? list, long? index)
    {
        if (list is null || !index.HasValue)
        {
            return null;
        }

        var i = index.GetValueOrDefault();
        var position = i > 0 ? i - 1 : list.Count + i;
        return position >= 0 && position < list.Count ? list[(int)position] : null;
    }

    public static object? MapValue(Dictionary<object, object?>? map, object? key) =>
        map is null || key is null ? null : map.TryGetValue(key, out var value) ? value : null;

    public static object? StructField(SqlStruct? value, int index) => value?[index];

    /// <summary>
    /// A MAP from constructor entries; later keys replace earlier ones. A NULL key cannot be held: in a STRING-keyed
    /// map it becomes the text <c>null</c> (how ksqlDB's maps serialize a null key), in other maps the entry is dropped.
    /// </summary>
    public static Dictionary<object, object?> CreateMap(object?[] keys, object?[] values, bool stringKeys)
    {
        var map = new Dictionary<object, object?>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] is { } key)
            {
                map[key] = values[i];
            }
            else if (stringKeys)
            {
                map["null"] = values[i];
            }
        }

        return map;
    }

    private static readonly object True = true;
    private static readonly object False = false;

    /// <summary>A BOOLEAN as a shared boxed object (no allocation per row).</summary>
    public static object? BoxBoolean(bool? value) => value.HasValue ? (value.GetValueOrDefault() ? True : False) : null;

    /// <summary>Reports a failed evaluation to the handler.</summary>
    public static void Report(Action<ExpressionError> handler, string text, int column, object?[] row, Exception exception) =>
        handler(new ExpressionError(text, exception, column, row));

    private static ArithmeticException DivisionByZero() => new("/ by zero");
}
