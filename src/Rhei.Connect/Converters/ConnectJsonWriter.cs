using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Rhei.Connect.Data;
using Rhei.Formats.Conversion;
using Rhei.Formats.Types;

namespace Rhei.Connect.Converters;

/// <summary>
/// Writes Connect values as JSON: structs and maps as objects, TIMESTAMP as epoch milliseconds, DATE as epoch days,
/// TIME as milliseconds of the day, BYTES as Base64, DECIMAL as a number (<see cref="DecimalFormat.Numeric"/>) or as
/// Base64 of the unscaled two's-complement bytes (Kafka's <c>decimal.format=BASE64</c>); and Kafka Connect's JSON
/// schema for the <c>schemas.enable</c> envelope.
/// </summary>
internal static class ConnectJsonWriter
{
    public static void WriteValue(Utf8JsonWriter writer, SqlType? schema, object? value, DecimalFormat decimalFormat)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case int i:
                writer.WriteNumberValue(i);
                return;
            case long l:
                writer.WriteNumberValue(l);
                return;
            case short sh:
                writer.WriteNumberValue(sh);
                return;
            case byte by:
                writer.WriteNumberValue(by);
                return;
            case double d:
                WriteDouble(writer, d);
                return;
            case float f:
                WriteDouble(writer, f);
                return;
            case decimal m:
                if (decimalFormat == DecimalFormat.Base64)
                {
                    var scale = schema is SqlDecimalType dt ? dt.Scale : m.Scale;
                    writer.WriteBase64StringValue(UnscaledBytes(m, scale));
                }
                else
                {
                    var scale = schema is SqlDecimalType dt ? dt.Scale : m.Scale;
                    writer.WriteRawValue(DecimalValues.ToPlainString(DecimalValues.SetScale(m, scale)), skipInputValidation: true);
                }

                return;
            case DateTime ts:
                writer.WriteNumberValue(TemporalValues.ToEpochMillis(ts));
                return;
            case DateTimeOffset dto:
                writer.WriteNumberValue(dto.ToUnixTimeMilliseconds());
                return;
            case DateOnly date:
                writer.WriteNumberValue(TemporalValues.ToEpochDays(date));
                return;
            case TimeOnly time:
                writer.WriteNumberValue(TemporalValues.ToMillisOfDay(time));
                return;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                return;
            case ReadOnlyMemory<byte> mem:
                writer.WriteBase64StringValue(mem.Span);
                return;
            case SqlStruct st:
                writer.WriteStartObject();
                for (var f = 0; f < st.Type.Fields.Length; f++)
                {
                    writer.WritePropertyName(st.Type.Fields[f].Name);
                    WriteValue(writer, st.Type.Fields[f].Type, st[f], decimalFormat);
                }

                writer.WriteEndObject();
                return;
            case IDictionary map:
                var valueType = (schema as SqlMapType)?.ValueType;
                writer.WriteStartObject();
                foreach (DictionaryEntry e in map)
                {
                    writer.WritePropertyName(ConnectText.Format(e.Key));
                    WriteValue(writer, valueType, e.Value, decimalFormat);
                }

                writer.WriteEndObject();
                return;
            case IEnumerable list:
                var elementType = (schema as SqlArrayType)?.ElementType;
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, elementType, item, decimalFormat);
                }

                writer.WriteEndArray();
                return;
            default:
                writer.WriteStringValue(ConnectText.Format(value));
                return;
        }
    }

    /// <summary>Kafka Connect's JSON schema of a type (<c>{"type":"struct","fields":[...],"optional":false}</c>).</summary>
    public static void WriteSchema(Utf8JsonWriter writer, SqlType schema, string? fieldName, bool optional, string? name = null)
    {
        writer.WriteStartObject();
        switch (schema)
        {
            case SqlStructType st:
                writer.WriteString("type", "struct");
                writer.WriteStartArray("fields");
                foreach (var f in st.Fields)
                {
                    WriteSchema(writer, f.Type, f.Name, optional: true);
                }

                writer.WriteEndArray();
                break;
            case SqlArrayType at:
                writer.WriteString("type", "array");
                writer.WritePropertyName("items");
                WriteSchema(writer, at.ElementType, null, optional: true);
                break;
            case SqlMapType mt:
                writer.WriteString("type", "map");
                writer.WritePropertyName("keys");
                WriteSchema(writer, mt.KeyType, null, optional: false);
                writer.WritePropertyName("values");
                WriteSchema(writer, mt.ValueType, null, optional: true);
                break;
            case SqlDecimalType dt:
                writer.WriteString("type", "bytes");
                writer.WriteString("name", "org.apache.kafka.connect.data.Decimal");
                writer.WriteNumber("version", 1);
                writer.WriteStartObject("parameters");
                writer.WriteString("scale", dt.Scale.ToString(CultureInfo.InvariantCulture));
                writer.WriteString("connect.decimal.precision", dt.Precision.ToString(CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                break;
            default:
                var (type, logical) = schema.BaseType switch
                {
                    SqlBaseType.Boolean => ("boolean", null),
                    SqlBaseType.Integer => ("int32", null),
                    SqlBaseType.BigInt => ("int64", null),
                    SqlBaseType.Double => ("float64", null),
                    SqlBaseType.Bytes => ("bytes", null),
                    SqlBaseType.Date => ("int32", "org.apache.kafka.connect.data.Date"),
                    SqlBaseType.Time => ("int32", "org.apache.kafka.connect.data.Time"),
                    SqlBaseType.Timestamp => ("int64", "org.apache.kafka.connect.data.Timestamp"),
                    _ => ("string", (string?)null),
                };
                writer.WriteString("type", type);
                if (logical is not null)
                {
                    writer.WriteString("name", logical);
                    writer.WriteNumber("version", 1);
                }

                break;
        }

        writer.WriteBoolean("optional", optional);
        if (name is not null && schema is SqlStructType)
        {
            writer.WriteString("name", name);
        }

        if (fieldName is not null)
        {
            writer.WriteString("field", fieldName);
        }

        writer.WriteEndObject();
    }

    /// <summary>The value's unscaled integer at <paramref name="scale"/>, big-endian two's complement (Kafka Connect's Decimal).</summary>
    public static byte[] UnscaledBytes(decimal value, int scale)
    {
        var scaled = DecimalValues.SetScale(value, scale);
        var bits = decimal.GetBits(scaled);
        var magnitude = new BigInteger(new ReadOnlySpan<byte>([
            .. BitConverter.GetBytes(bits[0]), .. BitConverter.GetBytes(bits[1]), .. BitConverter.GetBytes(bits[2]), 0]), isUnsigned: true, isBigEndian: false);
        if (scaled < 0)
        {
            magnitude = -magnitude;
        }

        return magnitude.ToByteArray(isUnsigned: false, isBigEndian: true);
    }

    private static void WriteDouble(Utf8JsonWriter writer, double d)
    {
        if (double.IsFinite(d))
        {
            Span<byte> buffer = stackalloc byte[JavaDouble.MaxLength];
            JavaDouble.TryFormat(d, buffer, out var n);
            writer.WriteRawValue(buffer[..n], skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(JavaDouble.ToString(d));
        }
    }
}

/// <summary>How JSON writes DECIMAL values (Kafka's JsonConverter <c>decimal.format</c>).</summary>
public enum DecimalFormat
{
    /// <summary>A JSON number (<c>12.50</c>): what ksqlDB's JSON format reads.</summary>
    Numeric,

    /// <summary>Base64 of the unscaled bytes: Kafka's JsonConverter default.</summary>
    Base64,
}
