using System.Text.Json;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>The JSON shapes of Confluent's API for schemas: <c>{"schema": "...", "schemaType": "PROTOBUF", "references": [...]}</c>.</summary>
public static class SchemaRegistryJson
{
    /// <exception cref="SchemaRegistryException">42201 for a missing schema, 422 for an unknown schema type.</exception>
    public static SchemaDefinition ReadDefinition(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String)
        {
            throw SchemaRegistryException.InvalidSchema("Invalid schema: the request has no \"schema\" string");
        }

        string? typeName = e.TryGetProperty("schemaType", out var st) && st.ValueKind == JsonValueKind.String ? st.GetString() : null;
        if (!SchemaTypes.TryParse(typeName, out var type))
        {
            throw new SchemaRegistryException(422, 422, $"Invalid schema type {typeName}; the types are {string.Join(", ", SchemaTypes.Names)}");
        }

        var references = new List<SchemaReference>();
        if (e.TryGetProperty("references", out var refs) && refs.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in refs.EnumerateArray())
            {
                if (!r.TryGetProperty("name", out var n) || !r.TryGetProperty("subject", out var s) || !r.TryGetProperty("version", out var v) || !v.TryGetInt32(out var version))
                {
                    throw SchemaRegistryException.InvalidSchema("Invalid schema: a reference needs a name, a subject and a version");
                }

                references.Add(new SchemaReference(n.GetString()!, s.GetString()!, version));
            }
        }

        return new SchemaDefinition(type, schema.GetString()!, references);
    }

    /// <summary>Writes <c>schemaType</c> (except for AVRO), <c>references</c> (when any) and, if asked, <c>schema</c>, inside an object.</summary>
    public static void WriteDefinitionFields(Utf8JsonWriter w, SchemaDefinition definition, bool includeSchema = true)
    {
        if (definition.Type != SchemaType.Avro)
        {
            w.WriteString("schemaType", definition.Type.Name());
        }

        if (definition.References.Count > 0)
        {
            w.WriteStartArray("references");
            foreach (var r in definition.References)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Name);
                w.WriteString("subject", r.Subject);
                w.WriteNumber("version", r.Version);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (includeSchema)
        {
            w.WriteString("schema", definition.Schema);
        }
    }

    public static void WriteDefinition(Utf8JsonWriter w, SchemaDefinition definition, bool includeSchema)
    {
        w.WriteStartObject();
        WriteDefinitionFields(w, definition, includeSchema);
        w.WriteEndObject();
    }

    /// <summary><c>{"subject","version","id","schemaType"?,"references"?,"schema"}</c>.</summary>
    public static void WriteRegistered(Utf8JsonWriter w, RegisteredSchema s)
    {
        w.WriteStartObject();
        w.WriteString("subject", s.Subject);
        w.WriteNumber("version", s.Version);
        w.WriteNumber("id", s.Id);
        WriteDefinitionFields(w, s.Definition);
        w.WriteEndObject();
    }
}
