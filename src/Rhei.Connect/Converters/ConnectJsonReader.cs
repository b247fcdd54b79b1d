using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Rhei.Connect.Data;
using Rhei.Formats.Conversion;
using Rhei.Formats.Types;

namespace Rhei.Connect.Converters;

/// <summary>
/// Reads JSON into Connect values: with Kafka Connect's schema (the <c>schemas.enable</c> envelope) into typed
/// values, or schemaless (objects become ordered maps, integers <c>long</c>, other numbers <c>double</c>).
/// </summary>
internal static class ConnectJsonReader
{
    public static SqlType ReadSchema(JsonElement schema)
    {
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        var name = schema.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        switch (name)
        {
            case "org.apache.kafka.connect.data.Decimal":
                var parameters = schema.TryGetProperty("parameters", out var p) ? p : default;
                var scale = ReadIntParameter(parameters, "scale", 0);
                var precision = Math.Min(ReadIntParameter(parameters, "connect.decimal.precision", 28), 28);
                return SqlTypes.Decimal(Math.Max(precision, scale), scale);
            case "org.apache.kafka.connect.data.Date":
                return SqlTypes.Date;
            case "org.apache.kafka.connect.data.Time":
                return SqlTypes.Time;
            case "org.apache.kafka.connect.data.Timestamp":
                return SqlTypes.Timestamp;
        }

        return type switch
        {
            "boolean" => SqlTypes.Boolean,
            "int8" or "int16" or "int32" => SqlTypes.Integer,
            "int64" => SqlTypes.BigInt,
            "float32" or "float64" => SqlTypes.Double,
            "string" => SqlTypes.String,
            "bytes" => SqlTypes.Bytes,
            "array" => SqlTypes.Array(ReadSchema(schema.GetProperty("items"))),
            "map" => SqlTypes.Map(ReadSchema(schema.GetProperty("keys")), ReadSchema(schema.GetProperty("values"))),
            "struct" => new SqlStructType([.. schema.GetProperty("fields").EnumerateArray()
                .Select(f => new SqlField(f.GetProperty("field").GetString() ?? "", ReadSchema(f)))]),
            _ => throw new ConnectDataException($"Unknown schema type: {type ?? "(none)"} in a JsonConverter schema."),
        };
    }

    public static object? ReadTyped(JsonElement element, SqlType type)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        switch (type)
        {
            case SqlStructType st:
                var values = new object?[st.Fields.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = element.TryGetProperty(st.Fields[i].Name, out var fv) ? ReadTyped(fv, st.Fields[i].Type) : null;
                }

                return new SqlStruct(st, values);
            case SqlArrayType at:
                return element.EnumerateArray().Select(e => ReadTyped(e, at.ElementType)).ToList();
            case SqlMapType mt:
                var map = new Dictionary<object, object?>();
                foreach (var prop in element.EnumerateObject())
                {
                    map[prop.Name] = ReadTyped(prop.Value, mt.ValueType);
                }

                return map;
            case SqlDecimalType dt:
                if (element.ValueKind == JsonValueKind.Number)
                {
                    return element.GetDecimal();
                }

                var bytes = element.GetBytesFromBase64();
                var unscaled = new BigInteger(bytes, isUnsigned: false, isBigEndian: true);
                return (decimal)unscaled / (decimal)BigInteger.Pow(10, dt.Scale);
        }

        return type.BaseType switch
        {
            SqlBaseType.Boolean => element.GetBoolean(),
            SqlBaseType.Integer => element.GetInt32(),
            SqlBaseType.BigInt => element.GetInt64(),
            SqlBaseType.Double => element.ValueKind == JsonValueKind.String
                ? double.Parse(element.GetString()!, CultureInfo.InvariantCulture)
                : element.GetDouble(),
            SqlBaseType.String => element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText(),
            SqlBaseType.Bytes => element.GetBytesFromBase64(),
            SqlBaseType.Date => TemporalValues.DateFromEpochDays(element.GetInt64()),
            SqlBaseType.Time => TemporalValues.TimeFromMillis(element.GetInt64()),
            SqlBaseType.Timestamp => TemporalValues.TimestampFromMillis(element.GetInt64()),
            _ => element.GetRawText(),
        };
    }

    public static object? ReadSchemaless(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
        JsonValueKind.Array => element.EnumerateArray().Select(ReadSchemaless).ToList(),
        JsonValueKind.Object => ReadObject(element),
        _ => element.GetRawText(),
    };

    private static Dictionary<string, object?> ReadObject(JsonElement element)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var prop in element.EnumerateObject())
        {
            map[prop.Name] = ReadSchemaless(prop.Value);
        }

        return map;
    }

    private static int ReadIntParameter(JsonElement parameters, string name, int fallback)
    {
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty(name, out var v))
        {
            return fallback;
        }

        return v.ValueKind == JsonValueKind.Number ? v.GetInt32() : int.Parse(v.GetString() ?? "0", CultureInfo.InvariantCulture);
    }
}
