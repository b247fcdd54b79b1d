using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rhei.Formats.JsonSchema;

/// <summary>
/// A documented subset of Confluent's JSON Schema compatibility rules (can the reader accept every document the writer
/// accepts?): the types the writer allows must be allowed by the reader (integer widens to number; <c>oneOf</c> with
/// <c>null</c> is a nullable type); a property required by the reader must be a property of the writer; a reader with a
/// closed content model (<c>additionalProperties: false</c>) must define every writer property and the writer must be
/// closed too; enums must not lose values; items, properties and additionalProperties are compared recursively.
/// </summary>
public static class JsonSchemaCompatibility
{
    public static IReadOnlyList<string> FindReadProblems(JsonParsedSchema reader, JsonParsedSchema writer)
    {
        var problems = new List<string>();
        Compare(reader, reader.Root, writer, writer.Root, "#", problems, 0);
        return problems;
    }

    private static void Compare(JsonParsedSchema rs, JsonNode? r, JsonParsedSchema ws, JsonNode? w, string path, List<string> problems, int depth)
    {
        if (depth > 64)
        {
            return;
        }

        r = rs.Deref(r);
        w = ws.Deref(w);
        if (IsTrue(r) || w is null)
        {
            return;
        }

        if (IsFalse(r))
        {
            if (!IsFalse(w))
            {
                problems.Add(Problem("SCHEMA_NARROWED", path, "The new schema accepts nothing"));
            }

            return;
        }

        var (rNullable, rInner) = Unnull(rs, r);
        var (wNullable, wInner) = Unnull(ws, w);
        if (wNullable && !rNullable)
        {
            problems.Add(Problem("TYPE_NARROWED", path, "The new schema no longer accepts null"));
        }

        r = rInner;
        w = wInner;
        var rTypes = Types(r);
        var wTypes = Types(w);
        if (rTypes is not null && wTypes is not null)
        {
            foreach (var t in wTypes)
            {
                if (!rTypes.Contains(t) && !(t == "integer" && rTypes.Contains("number")))
                {
                    problems.Add(Problem("TYPE_CHANGED", path, $"The type changed from {string.Join("|", wTypes)} to {string.Join("|", rTypes)}"));
                    return;
                }
            }
        }
        else if (rTypes is not null && wTypes is null)
        {
            problems.Add(Problem("TYPE_NARROWED", path, $"The new schema restricts the type to {string.Join("|", rTypes)}"));
            return;
        }

        if (r is not JsonObject ro || w is not JsonObject wo)
        {
            return;
        }

        if (ro["enum"] is JsonArray re)
        {
            var rv = re.Select(x => x?.ToJsonString()).ToHashSet();
            if (wo["enum"] is not JsonArray we || we.Any(x => !rv.Contains(x?.ToJsonString())))
            {
                problems.Add(Problem("ENUM_ARRAY_NARROWED", path + "/enum", "The new schema's enum lacks values the old one allows"));
            }
        }

        var rProps = ro["properties"] as JsonObject;
        var wProps = wo["properties"] as JsonObject;
        var rClosed = IsFalse(ro["additionalProperties"]);
        var wClosed = IsFalse(wo["additionalProperties"]);
        if (rClosed && !wClosed)
        {
            problems.Add(Problem("ADDITIONAL_PROPERTIES_REMOVED", path + "/additionalProperties", "The new schema closes the content model the old one left open"));
        }

        if (ro["required"] is JsonArray required)
        {
            foreach (var name in required.Select(x => x?.GetValue<string>()).OfType<string>())
            {
                var inWriter = wProps?.ContainsKey(name) == true;
                var requiredInWriter = wo["required"] is JsonArray wr && wr.Any(x => x?.GetValue<string>() == name);
                if (!inWriter || !requiredInWriter)
                {
                    problems.Add(Problem("REQUIRED_PROPERTY_ADDED", $"{path}/properties/{name}", $"The property '{name}' is required in the new schema but not in the old one"));
                }
            }
        }

        if (wProps is not null)
        {
            foreach (var (name, wp) in wProps)
            {
                if (rProps is not null && rProps.TryGetPropertyValue(name, out var rp))
                {
                    Compare(rs, rp, ws, wp, $"{path}/properties/{name}", problems, depth + 1);
                }
                else if (rClosed)
                {
                    problems.Add(Problem("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", $"{path}/properties/{name}", $"The property '{name}' was removed from a closed content model"));
                }
                else if (ro["additionalProperties"] is JsonObject rAdditional)
                {
                    Compare(rs, rAdditional, ws, wp, $"{path}/properties/{name}", problems, depth + 1);
                }
            }
        }

        if (ro["items"] is { } ri && wo["items"] is { } wi)
        {
            Compare(rs, ri, ws, wi, path + "/items", problems, depth + 1);
        }

        if (ro["additionalProperties"] is JsonObject ra && wo["additionalProperties"] is JsonObject wa)
        {
            Compare(rs, ra, ws, wa, path + "/additionalProperties", problems, depth + 1);
        }
    }

    /// <summary>Splits <c>oneOf/anyOf: [{"type":"null"}, X]</c> (or <c>type: [null, t]</c>) into (nullable, X).</summary>
    internal static (bool Nullable, JsonNode? Inner) Unnull(JsonParsedSchema schema, JsonNode? node)
    {
        if (node is not JsonObject o)
        {
            return (false, node);
        }

        foreach (var key in (string[])["oneOf", "anyOf"])
        {
            if (o[key] is JsonArray branches && branches.Count == 2)
            {
                var a = schema.Deref(branches[0]);
                var b = schema.Deref(branches[1]);
                if (IsNullType(a))
                {
                    return (true, b);
                }

                if (IsNullType(b))
                {
                    return (true, a);
                }
            }
        }

        if (o["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null"))
        {
            return (true, node);
        }

        return (false, node);
    }

    private static bool IsNullType(JsonNode? node) => node is JsonObject o && o["type"] is JsonValue v && v.TryGetValue<string>(out var t) && t == "null";

    private static HashSet<string>? Types(JsonNode? node)
    {
        if (node is not JsonObject o)
        {
            return null;
        }

        return o["type"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var t) => [t],
            JsonArray a => [.. a.Select(x => x?.GetValue<string>()).OfType<string>().Where(t => t != "null")],
            _ => null,
        };
    }

    private static bool IsTrue(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static bool IsFalse(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.False;

    private static string Problem(string type, string path, string description) =>
        $"errorType:'{type}', description:'{description}', additionalInfo:'{path}'";
}
