using System.Buffers;
using System.Buffers.Text;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using Rhei.Engine.Queries;
using Rhei.Formats.Types;

namespace Rhei.Server.Rest;

/// <summary>
/// SQL values as ksqlDB's REST API writes them in rows: numbers as numbers (DOUBLE with a fraction, DECIMAL with its
/// scale), BYTES as base64, DATE/TIME/TIMESTAMP as ISO-8601 text, ARRAY as arrays, MAP and STRUCT as objects.
/// </summary>
internal static class RowJson
{
    /// <summary>Writes a row's columns array.</summary>
    public static void WriteRow(Utf8JsonWriter writer, in QueryRow row) => WriteRow(writer, row.Values);

    public static void WriteRow(Utf8JsonWriter writer, object?[] values)
    {
        writer.WriteStartArray();
        foreach (var value in values)
        {
            WriteValue(writer, value);
        }

        writer.WriteEndArray();
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case double d:
                WriteDouble(writer, d);
                break;
            case decimal m:
                writer.WriteRawValue(m.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case TimeOnly time:
                writer.WriteStringValue(time.ToString(time.Millisecond == 0 ? "HH:mm:ss" : "HH:mm:ss.fff", CultureInfo.InvariantCulture));
                break;
            case DateTime timestamp:
                writer.WriteStringValue(timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture));
                break;
            case SqlStruct st:
                writer.WriteStartObject();
                for (var i = 0; i < st.Type.Fields.Length; i++)
                {
                    writer.WritePropertyName(st.Type.Fields[i].Name);
                    WriteValue(writer, st[i]);
                }

                writer.WriteEndObject();
                break;
            case IDictionary map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "null");
                    WriteValue(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case IList list:
                writer.WriteStartArray();
                foreach (var element in list)
                {
                    WriteValue(writer, element);
                }

                writer.WriteEndArray();
                break;
            case float f:
                WriteDouble(writer, f);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double d)
    {
        if (!double.IsFinite(d))
        {
            writer.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
            return;
        }

        // As Java prints doubles: a whole number keeps ".0".
        Span<byte> buffer = stackalloc byte[32];
        if (Utf8Formatter.TryFormat(d, buffer, out var written))
        {
            var text = buffer[..written];
            if (text.IndexOfAny((byte)'.', (byte)'E', (byte)'e') < 0 && written + 2 <= buffer.Length)
            {
                buffer[written++] = (byte)'.';
                buffer[written++] = (byte)'0';
            }

            writer.WriteRawValue(buffer[..written], skipInputValidation: true);
            return;
        }

        writer.WriteNumberValue(d);
    }
}
