using Avro;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Avro;

/// <summary>
/// AVRO: Avro binary framed with the schema id (magic byte 0 + 4-byte id). Every SQL type is supported (MAP keys must
/// be STRING); single values and keys can be wrapped in a record or written alone. Reads use the writer's schema
/// (by the id in each record) resolved onto the SQL schema; writes use the schema registered for the sink or the one of
/// KEY_/VALUE_SCHEMA_ID. Properties: <c>fullSchemaName</c> (the record's name), <c>schemaId</c>.
/// </summary>
public sealed class AvroFormat : SchemaRegistryFormat
{
    private static readonly IReadOnlySet<string> Properties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        FormatPropertyNames.FullSchemaName,
        FormatPropertyNames.SchemaId,
    };

    public AvroFormat(SchemaRegistryClient? client)
        : base("AVRO", client)
    {
    }

    public override SerdeFeatures SupportedFeatures => SerdeFeatures.WrapSingles | SerdeFeatures.UnwrapSingles | SerdeFeatures.SchemaInference;

    public override IReadOnlySet<string> SupportedProperties => Properties;

    public override SchemaType SchemaType => SchemaType.Avro;

    public override SchemaDefinition ToDefinition(SerdeSchema schema, SerdeOptions options) =>
        SchemaDefinition.Avro(AvroSchemaTranslator.ToAvro(schema, IsUnwrapped(schema, options), options.GetProperty(FormatPropertyNames.FullSchemaName)).ToString());

    public override SerdeSchema ToColumns(ParsedSchema schema, SerdeTarget target, bool unwrapped, bool preserveNames, string? fullSchemaName)
    {
        var avro = ((AvroParsedSchema)schema).Schema;
        try
        {
            return AvroSchemaTranslator.ToColumns(avro, unwrapped, preserveNames, SingleColumnName(target));
        }
        catch (FormatException e)
        {
            throw new FormatValidationException($"Unable to infer the {(target == SerdeTarget.Key ? "key" : "value")} columns from the Avro schema: {e.Message}", e.Message);
        }
    }

    public override RowSerializer CreateSerializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target, options.Features);
        var (id, parsed) = ResolveWriterSchema(schema, options);
        return new AvroRowSerializer(schema, options, ((AvroParsedSchema)parsed).Schema, id, IsUnwrapped(schema, options));
    }

    public override RowDeserializer CreateDeserializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target, options.Features);
        return new AvroRowDeserializer(schema, options, Client, IsUnwrapped(schema, options));
    }

    protected override string? FindSchemaProblem(SerdeSchema schema, SerdeTarget target)
    {
        foreach (var column in schema)
        {
            if (Contains(column.Type, t => t is SqlMapType m && m.KeyType.BaseType != SqlBaseType.String))
            {
                return "Avro only supports MAPs with STRING keys";
            }
        }

        return AvroSchemaTranslator.FindNameProblem(schema, unwrapped: target == SerdeTarget.Key && schema.Count == 1);
    }

    private static bool IsUnwrapped(SerdeSchema schema, SerdeOptions options) => schema.Count == 1 && options.UnwrapSingle;
}
