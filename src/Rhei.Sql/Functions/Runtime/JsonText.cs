using System.Globalization;
using System.Text;
using System.Text.Json;
using Rhei.Formats.Types;

namespace Rhei.Sql.Functions.Runtime;

/// <summary>
/// JSON parsing and printing for the JSON functions, matching the Jackson behaviour ksqlDB shows:
/// parsing reads the first JSON value and ignores anything after it; printing is compact
/// (<c>{"a":1,"b":[1,2]}</c>), keeps number text as written and escapes only what JSON requires.
/// </summary>
public static class JsonText
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = false, MaxDepth = 512 };

    /// <summary>Parses the first JSON value of <paramref name="text"/>; false when there is none.</summary>
    public static bool TryParse(string? text, out JsonElement element)
    {
        element = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = DocumentOptions.MaxDepth });
            using var doc = JsonDocument.ParseValue(ref reader);
            element = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The element as compact JSON text.</summary>
    public static string Compact(JsonElement element)
    {
        var sb = new StringBuilder();
        Write(sb, element);
        return sb.ToString();
    }

    /// <summary>A string element's value unquoted; any other element as compact JSON (Jackson's <c>asText</c>/<c>toString</c> split).</summary>
    public static string TextOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : Compact(element);

    public static void Write(StringBuilder sb, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in element.EnumerateObject())
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, p.Name);
                    sb.Append(':');
                    Write(sb, p.Value);
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!firstItem)
                    {
                        sb.Append(',');
                    }

                    firstItem = false;
                    Write(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(sb, element.GetString()!);
                break;
            case JsonValueKind.Number:
                sb.Append(element.GetRawText());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    /// <summary>A JSON string literal, escaping quotes, backslashes and control characters only.</summary>
    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>
    /// A SQL value as JSON (TO_JSON_STRING): numbers as Java prints them, BYTES as base64, DATE as
    /// <c>"yyyy-MM-dd"</c>, TIME as <c>LocalTime</c> text, TIMESTAMP as <c>"yyyy-MM-ddTHH:mm:ss.SSS"</c>,
    /// maps and structs as objects.
    /// </summary>
    public static void WriteValue(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case int i:
                sb.Append(i.ToString(CultureInfo.InvariantCulture));
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                if (double.IsNaN(d) || double.IsInfinity(d))
                {
                    WriteString(sb, JavaText.FormatDouble(d));
                }
                else
                {
                    sb.Append(JavaText.FormatDouble(d));
                }

                break;
            case decimal m:
                sb.Append(JavaText.FormatDecimal(m));
                break;
            case byte[] bytes:
                WriteString(sb, Convert.ToBase64String(bytes));
                break;
            case DateOnly date:
                WriteString(sb, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case TimeOnly time:
                WriteString(sb, JavaText.FormatTime(time));
                break;
            case DateTime ts:
                WriteString(sb, JavaText.FormatTimestamp(ts));
                break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    WriteValue(sb, list[i]);
                }

                sb.Append(']');
                break;
            case Dictionary<object, object?> map:
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in map)
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, JavaText.ToJavaString(k));
                    sb.Append(':');
                    WriteValue(sb, v);
                }

                sb.Append('}');
                break;
            case SqlStruct st:
                sb.Append('{');
                for (var i = 0; i < st.Type.Fields.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    WriteString(sb, st.Type.Fields[i].Name);
                    sb.Append(':');
                    WriteValue(sb, st[i]);
                }

                sb.Append('}');
                break;
            default:
                WriteString(sb, JavaText.ToJavaString(value));
                break;
        }
    }
}
