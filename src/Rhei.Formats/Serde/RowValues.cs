using Rhei.Formats.Conversion;
using Rhei.Formats.Types;

namespace Rhei.Formats.Serde;

/// <summary>
/// Reads column values for serializers, accepting any CLR numeric of a compatible kind (an <c>int</c> in a BIGINT
/// column, a <c>long</c> holding a TIMESTAMP's epoch milliseconds) so that small mismatches upstream do not fail.
/// </summary>
internal static class RowValues
{
    public static int ToInt32(object value, SqlType type) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        short s => s,
        byte b => b,
        _ => throw Mismatch(value, type),
    };

    public static long ToInt64(object value, SqlType type) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        _ => throw Mismatch(value, type),
    };

    public static double ToDouble(object value, SqlType type) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        decimal m => DecimalValues.ToDouble(m),
        _ => throw Mismatch(value, type),
    };

    public static decimal ToDecimal(object value, SqlType type) => value switch
    {
        decimal m => m,
        int i => i,
        long l => l,
        _ => throw Mismatch(value, type),
    };

    public static bool ToBoolean(object value, SqlType type) => value is bool b ? b : throw Mismatch(value, type);

    public static string ToStringValue(object value, SqlType type) => value as string ?? throw Mismatch(value, type);

    public static byte[] ToBytes(object value, SqlType type) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.ToArray(),
        _ => throw Mismatch(value, type),
    };

    public static int ToEpochDays(object value, SqlType type) => value switch
    {
        DateOnly d => TemporalValues.ToEpochDays(d),
        int i => i,
        DateTime dt => TemporalValues.ToEpochDays(DateOnly.FromDateTime(dt)),
        _ => throw Mismatch(value, type),
    };

    public static int ToMillisOfDay(object value, SqlType type) => value switch
    {
        TimeOnly t => TemporalValues.ToMillisOfDay(t),
        int i => i,
        _ => throw Mismatch(value, type),
    };

    public static long ToEpochMillis(object value, SqlType type) => value switch
    {
        DateTime dt => TemporalValues.ToEpochMillis(dt),
        long l => l,
        int i => i,
        DateTimeOffset dto => dto.ToUnixTimeMilliseconds(),
        _ => throw Mismatch(value, type),
    };

    public static InvalidCastException Mismatch(object value, SqlType type) =>
        new($"Value of type {value.GetType().Name} is not valid for a column of type {type}");
}
