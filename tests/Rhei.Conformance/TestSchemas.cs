using System.Text.Json;
using Rhei.Formats.SchemaRegistry;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Conformance;

/// <summary>
/// The schemas a case registers before its statements run (its <c>topics</c> section): Avro and JSON schemas as JSON,
/// Protobuf schemas as <c>.proto</c> text, under <c>topic-key</c> / <c>topic-value</c>, with the ids the case asks for.
/// </summary>
internal static class TestSchemas
{
    public static async Task RegisterAsync(SchemaStore store, JsonElement topic, IReadOnlyList<string> statements)
    {
        var name = topic.GetProperty("name").GetString()!;
        foreach (var (part, isKey) in new[] { ("key", true), ("value", false) })
        {
            if (!topic.TryGetProperty(part + "Schema", out var schema) || schema.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var format = FormatOf(topic, part, name, isKey, statements, schema);
            var definition = format switch
            {
                "PROTOBUF" or "PROTOBUF_NOSR" => SchemaDefinition.Protobuf(schema.ValueKind == JsonValueKind.String ? schema.GetString()! : schema.GetRawText()),
                "JSON_SR" => SchemaDefinition.Json(schema.GetRawText()),
                _ => SchemaDefinition.Avro(schema.GetRawText()),
            };
            int? id = topic.TryGetProperty(part + "SchemaId", out var idElement) && idElement.ValueKind == JsonValueKind.Number ? idElement.GetInt32() : null;
            await store.RegisterAsync(SchemaRegistryClient.Subject(name, isKey), definition, id);
        }
    }

    private static string FormatOf(JsonElement topic, string part, string name, bool isKey, IReadOnlyList<string> statements, JsonElement schema)
    {
        foreach (var property in new[] { part + "Format", "format" })
        {
            if (topic.TryGetProperty(property, out var f) && f.ValueKind == JsonValueKind.String)
            {
                return f.GetString()!.ToUpperInvariant();
            }
        }

        foreach (var text in statements)
        {
            try
            {
                if (SqlParser.ParseStatement(text) is CreateSource create)
                {
                    var props = create.Properties.ToDictionary(p => p.Name.ToUpperInvariant(), p => p.Value.Value as string);
                    var topicName = props.GetValueOrDefault("KAFKA_TOPIC") ?? create.Name;
                    if (topicName == name)
                    {
                        var format = props.GetValueOrDefault(isKey ? "KEY_FORMAT" : "VALUE_FORMAT") ?? props.GetValueOrDefault("FORMAT");
                        if (format is not null)
                        {
                            return format.ToUpperInvariant();
                        }
                    }
                }
            }
            catch (SqlParseException)
            {
            }
        }

        if (schema.ValueKind == JsonValueKind.String && schema.GetString()!.TrimStart().StartsWith("syntax", StringComparison.Ordinal))
        {
            return "PROTOBUF";
        }

        if (schema.ValueKind == JsonValueKind.Object && (schema.TryGetProperty("properties", out _) || schema.TryGetProperty("oneOf", out _) || schema.TryGetProperty("$schema", out _)
            || (schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is "object" or "integer" or "number" or "boolean")))
        {
            return "JSON_SR";
        }

        return "AVRO";
    }
}
