using Rhei.Formats.Json;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.JsonSchema;

/// <summary>
/// JSON_SR: the JSON format behind Confluent's 5-byte header (magic byte 0 + schema id), with JSON Schemas in the
/// registry for inference and registration. Reading is JSON's (lenient names and coercions); the schema id in a
/// record is not needed to read it.
/// </summary>
public sealed class JsonSchemaFormat : SchemaRegistryFormat
{
    private static readonly IReadOnlySet<string> Properties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        FormatPropertyNames.SchemaId,
    };

    public JsonSchemaFormat(SchemaRegistryClient? client)
        : base("JSON_SR", client)
    {
    }

    public override SerdeFeatures SupportedFeatures => SerdeFeatures.WrapSingles | SerdeFeatures.UnwrapSingles | SerdeFeatures.SchemaInference;

    public override IReadOnlySet<string> SupportedProperties => Properties;

    public override SchemaType SchemaType => SchemaType.Json;

    public override SchemaDefinition ToDefinition(SerdeSchema schema, SerdeOptions options) =>
        SchemaDefinition.Json(JsonSchemaTranslator.ToJsonSchema(schema, schema.Count == 1 && options.UnwrapSingle));

    public override SerdeSchema ToColumns(ParsedSchema schema, SerdeTarget target, bool unwrapped, bool preserveNames, string? fullSchemaName)
    {
        try
        {
            return JsonSchemaTranslator.ToColumns((JsonParsedSchema)schema, unwrapped, preserveNames, SingleColumnName(target));
        }
        catch (FormatException e)
        {
            throw new FormatValidationException($"Unable to infer the {(target == SerdeTarget.Key ? "key" : "value")} columns from the JSON schema: {e.Message}", e.Message);
        }
    }

    public override RowSerializer CreateSerializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target, options.Features);
        var (id, _) = ResolveWriterSchema(schema, options);
        return new JsonRowSerializer(schema, options, SchemaRegistryFraming.Header(id));
    }

    public override RowDeserializer CreateDeserializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target, options.Features);
        return new JsonRowDeserializer(schema, options, schemaRegistryHeader: true);
    }

    protected override string? FindSchemaProblem(SerdeSchema schema, SerdeTarget target)
    {
        foreach (var column in schema)
        {
            if (Contains(column.Type, t => t is SqlMapType m && m.KeyType.BaseType != SqlBaseType.String))
            {
                return "JSON only supports MAP types with STRING keys";
            }
        }

        return null;
    }
}
