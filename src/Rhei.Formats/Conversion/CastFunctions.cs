using System.Globalization;
using Rhei.Formats.Types;

namespace Rhei.Formats.Conversion;

/// <summary>
/// The CAST implementations, one static method per (from, to) pair, callable from compiled expressions
/// (<see cref="SqlCast.BuildExpression"/> picks them). All take and return nullable values: NULL casts to NULL.
/// Numeric narrowing follows Java (truncation toward zero; BIGINT→INT keeps the low 32 bits; DOUBLE→INT
/// saturates, NaN is 0). Failures throw <see cref="FormatException"/> (text that is not a value of the type) or
/// <see cref="OverflowException"/> (a value that does not fit); ksqlDB turns both into NULL plus a processing-log entry.
/// </summary>
public static class CastFunctions
{
    // BOOLEAN
    public static string? BooleanToString(bool? v) => v is null ? null : v.Value ? "true" : "false";

    // INTEGER
    public static long? IntegerToBigInt(int? v) => v;

    public static double? IntegerToDouble(int? v) => v;

    public static decimal? IntegerToDecimal(int? v, int precision, int scale) =>
        v is null ? null : DecimalValues.Cast(v.Value, precision, scale);

    public static string? IntegerToString(int? v) => v?.ToString(CultureInfo.InvariantCulture);

    // BIGINT
    public static int? BigIntToInteger(long? v) => v is null ? null : unchecked((int)v.Value);

    public static double? BigIntToDouble(long? v) => v;

    public static decimal? BigIntToDecimal(long? v, int precision, int scale) =>
        v is null ? null : DecimalValues.Cast(v.Value, precision, scale);

    public static string? BigIntToString(long? v) => v?.ToString(CultureInfo.InvariantCulture);

    // DOUBLE
    public static int? DoubleToInteger(double? v) => v is null ? null : JavaDoubleToInt(v.Value);

    public static long? DoubleToBigInt(double? v) => v is null ? null : JavaDoubleToLong(v.Value);

    public static decimal? DoubleToDecimal(double? v, int precision, int scale) =>
        v is null ? null : DecimalValues.Cast(DecimalValues.FromDouble(v.Value), precision, scale);

    public static string? DoubleToString(double? v) => v is null ? null : JavaDouble.ToString(v.Value);

    // DECIMAL
    public static int? DecimalToInteger(decimal? v) => v is null ? null : DecimalValues.ToInt32Wrapping(v.Value);

    public static long? DecimalToBigInt(decimal? v) => v is null ? null : DecimalValues.ToInt64Wrapping(v.Value);

    public static double? DecimalToDouble(decimal? v) => v is null ? null : DecimalValues.ToDouble(v.Value);

    public static decimal? DecimalToDecimal(decimal? v, int precision, int scale) =>
        v is null ? null : DecimalValues.Cast(v.Value, precision, scale);

    public static string? DecimalToString(decimal? v) => v is null ? null : DecimalValues.ToPlainString(v.Value);

    // STRING
    /// <summary>True when the text is <c>true</c> in any case; any other text is false (ksqlDB's CAST rule).</summary>
    public static bool? StringToBoolean(string? v) => v is null ? null : v.Equals("true", StringComparison.OrdinalIgnoreCase);

    public static int? StringToInteger(string? v)
    {
        if (v is null)
        {
            return null;
        }

        return int.TryParse(JavaDouble.TrimJava(v), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw InvalidText(v, SqlBaseType.Integer);
    }

    public static long? StringToBigInt(string? v)
    {
        if (v is null)
        {
            return null;
        }

        return long.TryParse(JavaDouble.TrimJava(v), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? l
            : throw InvalidText(v, SqlBaseType.BigInt);
    }

    public static double? StringToDouble(string? v)
    {
        if (v is null)
        {
            return null;
        }

        return JavaDouble.TryParse(v, out var d) ? d : throw InvalidText(v, SqlBaseType.Double);
    }

    public static decimal? StringToDecimal(string? v, int precision, int scale)
    {
        if (v is null)
        {
            return null;
        }

        return DecimalValues.TryParse(JavaDouble.TrimJava(v), out var m)
            ? DecimalValues.Cast(m, precision, scale)
            : throw InvalidText(v, SqlBaseType.Decimal);
    }

    public static DateOnly? StringToDate(string? v) => v is null ? null : TemporalValues.ParseDate(v.Trim());

    public static TimeOnly? StringToTime(string? v) => v is null ? null : TemporalValues.ParseTime(v.Trim());

    public static DateTime? StringToTimestamp(string? v) => v is null ? null : TemporalValues.ParseTimestamp(v.Trim());

    // TIMESTAMP, DATE, TIME
    public static string? TimestampToString(DateTime? v) => v is null ? null : TemporalValues.FormatTimestamp(v.Value);

    public static DateOnly? TimestampToDate(DateTime? v) => v is null ? null : TemporalValues.DateOf(v.Value);

    public static TimeOnly? TimestampToTime(DateTime? v) => v is null ? null : TemporalValues.TimeOf(v.Value);

    public static string? DateToString(DateOnly? v) => v is null ? null : TemporalValues.FormatDate(v.Value);

    public static DateTime? DateToTimestamp(DateOnly? v) => v is null ? null : TemporalValues.StartOfDay(v.Value);

    public static string? TimeToString(TimeOnly? v) => v is null ? null : TemporalValues.FormatTime(v.Value);

    // ARRAY, MAP, STRUCT
    /// <summary>CAST of ARRAY, MAP or STRUCT to STRING: the Java text of the value (<c>[1, 3]</c>, <c>{a=1}</c>, <c>Struct{A=1}</c>).</summary>
    public static string? ComplexToString(object? v) => v is null ? null : SqlValueText.ToJavaString(v);

    public static List<object?>? ArrayToArray(List<object?>? v, Func<object?, object?> element)
    {
        if (v is null)
        {
            return null;
        }

        var result = new List<object?>(v.Count);
        foreach (var e in v)
        {
            result.Add(element(e));
        }

        return result;
    }

    public static Dictionary<object, object?>? MapToMap(Dictionary<object, object?>? v, Func<object?, object?> key, Func<object?, object?> value)
    {
        if (v is null)
        {
            return null;
        }

        var result = new Dictionary<object, object?>(v.Count, v.Comparer);
        foreach (var (k, e) in v)
        {
            var newKey = key(k);
            if (newKey is not null)
            {
                result[newKey] = value(e);
            }
        }

        return result;
    }

    /// <summary>
    /// CAST of a STRUCT to another STRUCT type: each target field takes the source field of the same name
    /// (case-sensitive) through its converter; target fields missing from the source are NULL.
    /// </summary>
    /// <param name="sourceIndexes">Per target field, the index of the source field, or -1.</param>
    public static SqlStruct? StructToStruct(SqlStruct? v, SqlStructType target, int[] sourceIndexes, Func<object?, object?>[] fields)
    {
        if (v is null)
        {
            return null;
        }

        var values = new object?[target.Fields.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var source = sourceIndexes[i];
            values[i] = source < 0 ? null : fields[i](v[source]);
        }

        return new SqlStruct(target, values);
    }

    /// <summary>Java's <c>(int) double</c>: truncation toward zero, saturating, NaN → 0.</summary>
    public static int JavaDoubleToInt(double d) =>
        double.IsNaN(d) ? 0 : d >= int.MaxValue ? int.MaxValue : d <= int.MinValue ? int.MinValue : (int)d;

    /// <summary>Java's <c>(long) double</c>: truncation toward zero, saturating, NaN → 0.</summary>
    public static long JavaDoubleToLong(double d) =>
        double.IsNaN(d) ? 0 : d >= 9.2233720368547758E18 ? long.MaxValue : d <= long.MinValue ? long.MinValue : (long)d;

    internal static FormatException InvalidText(string text, SqlBaseType type) =>
        new($"invalid input syntax for type {type.SqlName()}: \"{text}\".");
}
