using System.Text.Json;
using System.Text.Json.Nodes;
using Rhei.Formats.SchemaRegistry;

namespace Rhei.Formats.JsonSchema;

/// <summary>A JSON Schema document (an object or a boolean), kept as a <see cref="JsonNode"/>; local <c>$ref</c>s are resolved on use.</summary>
public sealed class JsonParsedSchema : ParsedSchema
{
    private JsonParsedSchema(JsonNode root)
    {
        Root = root;
        Canonical = root.ToJsonString();
    }

    public JsonNode Root { get; }

    public override SchemaType Type => SchemaType.Json;

    public override string Canonical { get; }

    public static JsonParsedSchema Parse(string text)
    {
        var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 256 })
            ?? throw new FormatException("A JSON schema cannot be null.");
        if (node is not JsonObject && node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new FormatException("A JSON schema must be an object or a boolean.");
        }

        return new JsonParsedSchema(node);
    }

    /// <summary>Follows a <c>$ref</c> within this document (<c>#/definitions/x</c>, <c>#/$defs/x</c>, <c>#</c>).</summary>
    public JsonNode? Deref(JsonNode? node, int depth = 0)
    {
        while (node is JsonObject o && o["$ref"] is JsonValue refValue && refValue.TryGetValue<string>(out var reference) && depth++ < 64)
        {
            if (!reference.StartsWith('#'))
            {
                throw new FormatException($"Only local references are supported: {reference}");
            }

            JsonNode? target = Root;
            foreach (var part in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = Uri.UnescapeDataString(part).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                target = target is JsonObject to ? to[name] : null;
            }

            node = target ?? throw new FormatException($"The reference {reference} points nowhere.");
        }

        return node;
    }

    public override IReadOnlyList<string> FindReadProblems(ParsedSchema writer) =>
        writer is JsonParsedSchema w ? JsonSchemaCompatibility.FindReadProblems(this, w) : ["errorType:'TYPE_CHANGED', description:'The writer schema is not a JSON schema'"];

    public override string ToString() => Canonical;
}
