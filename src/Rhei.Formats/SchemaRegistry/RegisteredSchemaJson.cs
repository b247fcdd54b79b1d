using System.Text;
using System.Text.Json;
using Rhei.Formats.Json;
using Rhei.Formats.Serde;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// JSON values ↔ framed records of a registered schema, for tools and test harnesses (the conformance runner writes
/// a case's inputs with the schemas the case registers, and reads outputs back as JSON). A record schema maps to a
/// JSON object of its fields; any other schema to the bare value. Field names are the schema's own.
/// </summary>
public static class RegisteredSchemaJson
{
    /// <summary>Encodes a JSON value (JSON's lenient coercions apply) with the schema of <paramref name="schemaId"/>; JSON null gives null bytes.</summary>
    /// <exception cref="SerdeException">The value does not fit the schema.</exception>
    public static byte[]? Encode(SchemaRegistryFormat format, int schemaId, string topic, SerdeTarget target, string json)
    {
        var (columns, unwrapped) = ColumnsOf(format, schemaId, target);
        var options = Options(format, columns, unwrapped, target, topic, schemaId);
        var jsonOptions = options with { Properties = new Dictionary<string, string>() };
        var row = new JsonRowDeserializer(columns, jsonOptions).Deserialize(Encoding.UTF8.GetBytes(json));
        return row is null ? null : format.CreateSerializer(columns, options).Serialize(row);
    }

    /// <summary>Decodes a framed record to JSON with the schema its header names (null bytes give null).</summary>
    public static string? Decode(SchemaRegistryFormat format, string topic, SerdeTarget target, byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        if (!SchemaRegistryFraming.TryReadHeader(bytes, out var id))
        {
            throw new SerdeException($"The record of topic {topic} does not start with the schema-registry header");
        }

        var (columns, unwrapped) = ColumnsOf(format, id, target);
        var options = Options(format, columns, unwrapped, target, topic, id);
        var row = format.CreateDeserializer(columns, options).Deserialize(bytes);
        if (row is null)
        {
            return "null";
        }

        var text = new JsonRowSerializer(columns, options with { Properties = new Dictionary<string, string>() }).Serialize(row);
        return text is null ? "null" : Encoding.UTF8.GetString(text);
    }

    private static (SerdeSchema Columns, bool Unwrapped) ColumnsOf(SchemaRegistryFormat format, int id, SerdeTarget target)
    {
        var parsed = format.Client.GetParsedSchema(id);
        try
        {
            return (format.ToColumns(parsed, target, unwrapped: false, preserveNames: true, fullSchemaName: null), false);
        }
        catch (FormatValidationException) when (format.Supports(SerdeFeatures.UnwrapSingles))
        {
            return (format.ToColumns(parsed, target, unwrapped: true, preserveNames: true, fullSchemaName: null), true);
        }
    }

    private static SerdeOptions Options(SchemaRegistryFormat format, SerdeSchema columns, bool unwrapped, SerdeTarget target, string topic, int id) =>
        new(target)
        {
            Topic = topic,
            Features = unwrapped ? SerdeFeatures.UnwrapSingles : columns.Count == 1 && format.Supports(SerdeFeatures.WrapSingles) ? SerdeFeatures.WrapSingles : SerdeFeatures.None,
            Properties = new Dictionary<string, string> { [FormatPropertyNames.SchemaId] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
}
