using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.JsonSchema;

/// <summary>
/// SQL schemas to JSON Schemas the way Kafka Connect's JSON Schema converter writes them for ksqlDB (objects with
/// <c>connect.index</c>ed properties, nullable values as <c>oneOf: [{"type":"null"}, T]</c>, <c>connect.type</c>
/// for int32/int64/float64/bytes/map, Connect's logical-type titles for DECIMAL, DATE, TIME and TIMESTAMP), and JSON
/// Schemas to SQL columns (schema inference).
/// </summary>
public static class JsonSchemaTranslator
{
    private const string DecimalTitle = "org.apache.kafka.connect.data.Decimal";
    private const string DateTitle = "org.apache.kafka.connect.data.Date";
    private const string TimeTitle = "org.apache.kafka.connect.data.Time";
    private const string TimestampTitle = "org.apache.kafka.connect.data.Timestamp";

    public static string ToJsonSchema(SerdeSchema schema, bool unwrapped)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            if (unwrapped && schema.Count == 1)
            {
                WriteNullable(w, schema[0].Type, null);
            }
            else
            {
                WriteObject(w, schema.Select(c => new SqlField(c.Name, c.Type)));
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteObject(Utf8JsonWriter w, IEnumerable<SqlField> fields)
    {
        w.WriteStartObject();
        w.WriteString("type", "object");
        w.WriteStartObject("properties");
        var index = 0;
        foreach (var f in fields)
        {
            w.WritePropertyName(f.Name);
            WriteNullable(w, f.Type, index++);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, SqlType type, int? index)
    {
        w.WriteStartObject();
        if (index is { } i)
        {
            w.WriteNumber("connect.index", i);
        }

        w.WriteStartArray("oneOf");
        w.WriteStartObject();
        w.WriteString("type", "null");
        w.WriteEndObject();
        WriteType(w, type);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteType(Utf8JsonWriter w, SqlType type)
    {
        switch (type)
        {
            case SqlStructType s:
                WriteObject(w, s.Fields);
                return;
            case SqlArrayType a:
                w.WriteStartObject();
                w.WriteString("type", "array");
                w.WritePropertyName("items");
                WriteNullable(w, a.ElementType, null);
                w.WriteEndObject();
                return;
            case SqlMapType m:
                w.WriteStartObject();
                w.WriteString("type", "object");
                w.WritePropertyName("additionalProperties");
                WriteNullable(w, m.ValueType, null);
                w.WriteString("connect.type", "map");
                w.WriteEndObject();
                return;
            case SqlDecimalType d:
                w.WriteStartObject();
                w.WriteString("type", "number");
                w.WriteString("title", DecimalTitle);
                w.WriteNumber("connect.version", 1);
                w.WriteString("connect.type", "bytes");
                w.WriteStartObject("connect.parameters");
                w.WriteString("scale", d.Scale.ToString(CultureInfo.InvariantCulture));
                w.WriteString("connect.decimal.precision", d.Precision.ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
                w.WriteEndObject();
                return;
        }

        w.WriteStartObject();
        switch (type.BaseType)
        {
            case SqlBaseType.Boolean:
                w.WriteString("type", "boolean");
                break;
            case SqlBaseType.Integer:
                w.WriteString("type", "integer");
                w.WriteString("connect.type", "int32");
                break;
            case SqlBaseType.BigInt:
                w.WriteString("type", "integer");
                w.WriteString("connect.type", "int64");
                break;
            case SqlBaseType.Double:
                w.WriteString("type", "number");
                w.WriteString("connect.type", "float64");
                break;
            case SqlBaseType.String:
                w.WriteString("type", "string");
                break;
            case SqlBaseType.Bytes:
                w.WriteString("type", "string");
                w.WriteString("connect.type", "bytes");
                break;
            case SqlBaseType.Date:
                Logical(w, DateTitle, "int32");
                break;
            case SqlBaseType.Time:
                Logical(w, TimeTitle, "int32");
                break;
            case SqlBaseType.Timestamp:
                Logical(w, TimestampTitle, "int64");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }

        w.WriteEndObject();
    }

    private static void Logical(Utf8JsonWriter w, string title, string connectType)
    {
        w.WriteString("type", "integer");
        w.WriteString("title", title);
        w.WriteNumber("connect.version", 1);
        w.WriteString("connect.type", connectType);
    }

    // ---- JSON Schema → SQL ----

    /// <summary>The columns of a key or value from its JSON schema: the object's properties, or one column for an unwrapped schema.</summary>
    /// <exception cref="FormatException">A construct SQL cannot represent.</exception>
    public static SerdeSchema ToColumns(JsonParsedSchema schema, bool unwrapped, bool preserveNames, string singleColumnName)
    {
        var type = ToSql(schema, schema.Root, preserveNames, 0);
        if (unwrapped)
        {
            return SerdeSchema.Of((singleColumnName, type));
        }

        if (type is not SqlStructType st)
        {
            throw new FormatException($"The schema is of type {type}, not an object: set WRAP_SINGLE_VALUE=false to read it as one column");
        }

        return new SerdeSchema(st.Fields.Select(f => new SerdeColumn(f.Name, f.Type)));
    }

    public static SqlType ToSql(JsonParsedSchema schema, JsonNode? node, bool preserveNames, int depth)
    {
        if (depth > 64)
        {
            throw new FormatException("The JSON schema is nested too deeply (or is recursive)");
        }

        node = schema.Deref(node);
        var (_, inner) = JsonSchemaCompatibility.Unnull(schema, node);
        node = schema.Deref(inner);
        if (node is not JsonObject o)
        {
            throw new FormatException("A JSON schema without a type (true, or {}) has no SQL type");
        }

        var title = o["title"] is JsonValue t && t.TryGetValue<string>(out var ts) ? ts : null;
        var connectType = o["connect.type"] is JsonValue ct && ct.TryGetValue<string>(out var cts) ? cts : null;
        switch (title)
        {
            case DecimalTitle:
                {
                    var parameters = o["connect.parameters"] as JsonObject;
                    var precision = Int(parameters?["connect.decimal.precision"]) ?? 64;
                    var scale = Int(parameters?["scale"]) ?? 0;
                    return SqlTypes.Decimal(precision, scale);
                }

            case DateTitle:
                return SqlTypes.Date;
            case TimeTitle:
                return SqlTypes.Time;
            case TimestampTitle:
                return SqlTypes.Timestamp;
        }

        var type = o["type"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonArray a when a.Select(x => x?.GetValue<string>()).Where(x => x != "null").ToList() is [var single] => single,
            null when o["properties"] is not null => "object",
            null when o["enum"] is not null => "string",
            _ => null,
        };
        switch (type)
        {
            case "boolean":
                return SqlTypes.Boolean;
            case "integer":
                return connectType is "int8" or "int16" or "int32" ? SqlTypes.Integer : SqlTypes.BigInt;
            case "number":
                return SqlTypes.Double;
            case "string":
                return connectType == "bytes" ? SqlTypes.Bytes : SqlTypes.String;
            case "array":
                return SqlTypes.Array(ToSql(schema, o["items"] ?? throw new FormatException("An array schema needs \"items\""), preserveNames, depth + 1));
            case "object":
                {
                    if (connectType == "map" || (o["properties"] is null && o["additionalProperties"] is JsonObject))
                    {
                        var values = o["additionalProperties"] as JsonObject ?? throw new FormatException("A map schema needs an \"additionalProperties\" schema");
                        return SqlTypes.Map(SqlTypes.String, ToSql(schema, values, preserveNames, depth + 1));
                    }

                    var properties = (o["properties"] as JsonObject)?.ToList() ?? [];
                    var ordered = properties
                        .Select((p, i) => (p.Key, p.Value, Index: Int((schema.Deref(p.Value) as JsonObject)?["connect.index"]) ?? int.MaxValue, Position: i))
                        .OrderBy(p => p.Index)
                        .ThenBy(p => p.Position);
                    return new SqlStructType([.. ordered.Select(p => new SqlField(preserveNames ? p.Key : p.Key.ToUpperInvariant(), ToSql(schema, p.Value, preserveNames, depth + 1)))]);
                }

            default:
                throw new FormatException($"The JSON schema type '{type ?? o.ToJsonString()}' has no SQL type (unions of several types are not supported)");
        }
    }

    private static int? Int(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    };
}
