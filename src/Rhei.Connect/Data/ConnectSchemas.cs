using System.Collections;
using System.Globalization;
using Rhei.Formats.Conversion;
using Rhei.Formats.Types;

namespace Rhei.Connect.Data;

/// <summary>Schemas for schemaless values, and values coerced to a schema.</summary>
public static class ConnectSchemas
{
    /// <summary>The SQL type of a value by its CLR type (a map of string keys becomes a STRUCT of its entries).</summary>
    public static SqlType Infer(object? value) => value switch
    {
        null => SqlTypes.String,
        bool => SqlTypes.Boolean,
        int or short or byte => SqlTypes.Integer,
        long => SqlTypes.BigInt,
        double or float => SqlTypes.Double,
        decimal m => DecimalValues.TypeOf(m),
        string => SqlTypes.String,
        byte[] => SqlTypes.Bytes,
        DateOnly => SqlTypes.Date,
        TimeOnly => SqlTypes.Time,
        DateTime or DateTimeOffset => SqlTypes.Timestamp,
        SqlStruct s => s.Type,
        IDictionary<string, object?> map => new SqlStructType([.. map.Select(kv => new SqlField(kv.Key, Infer(kv.Value)))]),
        IList list => SqlTypes.Array(list.Count > 0 ? Infer(list[0]) : SqlTypes.String),
        _ => SqlTypes.String,
    };

    /// <summary>A value as the CLR type of <paramref name="type"/> (maps to structs, numbers widened or narrowed, ...).</summary>
    public static object? Coerce(object? value, SqlType type)
    {
        if (value is null)
        {
            return null;
        }

        switch (type)
        {
            case SqlStructType st:
                if (value is SqlStruct s && s.Type.Equals(st))
                {
                    return s;
                }

                var values = new object?[st.Fields.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = ConnectStructs.TryGetField(value, st.Fields[i].Name, out _, out var fv) ? Coerce(fv, st.Fields[i].Type) : null;
                }

                return new SqlStruct(st, values);
            case SqlArrayType at when value is IEnumerable e and not string:
                return e.Cast<object?>().Select(x => Coerce(x, at.ElementType)).ToList();
        }

        var inv = CultureInfo.InvariantCulture;
        return type.BaseType switch
        {
            SqlBaseType.Boolean => value is string bs ? bool.Parse(bs) : Convert.ToBoolean(value, inv),
            SqlBaseType.Integer => Convert.ToInt32(value, inv),
            SqlBaseType.BigInt => value is DateTime dt ? TemporalValues.ToEpochMillis(dt) : Convert.ToInt64(value, inv),
            SqlBaseType.Double => Convert.ToDouble(value, inv),
            SqlBaseType.Decimal => value is double d ? (decimal)d : Convert.ToDecimal(value, inv),
            SqlBaseType.String => value as string ?? ConnectText.Format(value),
            SqlBaseType.Bytes => value is string b64 ? Convert.FromBase64String(b64) : (byte[])value,
            SqlBaseType.Date => value switch
            {
                DateOnly dd => dd,
                DateTime ddt => DateOnly.FromDateTime(ddt),
                string ds => TemporalValues.ParseDate(ds),
                _ => TemporalValues.DateFromEpochDays(Convert.ToInt64(value, inv)),
            },
            SqlBaseType.Time => value switch
            {
                TimeOnly t => t,
                TimeSpan ts => TimeOnly.FromTimeSpan(ts),
                string tsx => TemporalValues.ParseTime(tsx),
                _ => TemporalValues.TimeFromMillis(Convert.ToInt64(value, inv)),
            },
            SqlBaseType.Timestamp => value switch
            {
                DateTime t => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc),
                DateTimeOffset o => o.UtcDateTime,
                string ts => TemporalValues.ParseTimestamp(ts),
                _ => TemporalValues.TimestampFromMillis(Convert.ToInt64(value, inv)),
            },
            _ => value,
        };
    }
}
