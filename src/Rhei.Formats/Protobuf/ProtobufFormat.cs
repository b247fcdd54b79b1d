using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;

namespace Rhei.Formats.Protobuf;

/// <summary>
/// PROTOBUF: protobuf messages framed with the schema id and the message indexes (Confluent's wire format), schemas as
/// <c>.proto</c> text in the registry. Keys and values are always messages of their columns (no unwrapping).
/// Properties: <c>fullSchemaName</c> (the message to use or to generate), <c>schemaId</c>,
/// <c>nullableRepresentation</c> (<c>optional</c> or <c>wrapper</c>), <c>unwrapPrimitives</c>.
/// </summary>
public sealed class ProtobufFormat : SchemaRegistryFormat
{
    internal static readonly IReadOnlySet<string> Properties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        FormatPropertyNames.FullSchemaName,
        FormatPropertyNames.SchemaId,
        ProtobufProperties.NullableRepresentation,
        ProtobufProperties.UnwrapPrimitives,
    };

    public ProtobufFormat(SchemaRegistryClient? client)
        : base("PROTOBUF", client)
    {
    }

    public override SerdeFeatures SupportedFeatures => SerdeFeatures.WrapSingles | SerdeFeatures.SchemaInference;

    public override IReadOnlySet<string> SupportedProperties => Properties;

    public override SchemaType SchemaType => SchemaType.Protobuf;

    public override SchemaDefinition ToDefinition(SerdeSchema schema, SerdeOptions options) =>
        SchemaDefinition.Protobuf(ProtobufSchemaTranslator.ToProto(
            schema, options.GetProperty(FormatPropertyNames.FullSchemaName), ProtobufProperties.Parse(options.GetProperty(ProtobufProperties.NullableRepresentation))));

    public override SerdeSchema ToColumns(ParsedSchema schema, SerdeTarget target, bool unwrapped, bool preserveNames, string? fullSchemaName)
    {
        var message = ((ProtobufParsedSchema)schema).FindMessage(fullSchemaName);
        try
        {
            var columns = ProtobufSchemaTranslator.ToColumns(message, preserveNames);
            return unwrapped ? SerdeSchema.Of((SingleColumnName(target), new Types.SqlStructType([.. columns.Select(c => new Types.SqlField(c.Name, c.Type))]))) : columns;
        }
        catch (FormatException e)
        {
            throw new FormatValidationException($"Unable to infer the {(target == SerdeTarget.Key ? "key" : "value")} columns from the Protobuf schema: {e.Message}", e.Message);
        }
    }

    public override RowSerializer CreateSerializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target, options.Features);
        var (id, parsed) = ResolveWriterSchema(schema, options);
        var proto = (ProtobufParsedSchema)parsed;
        var message = FindMessage(proto, options);
        return new ProtobufRowSerializer(schema, options, message, [.. SchemaRegistryFraming.Header(id), .. SchemaRegistryFraming.MessageIndexes(proto.MessageIndexes(message))]);
    }

    public override RowDeserializer CreateDeserializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target, options.Features);
        return new ProtobufRowDeserializer(schema, options, Client);
    }

    protected override void CheckProperties(IReadOnlyDictionary<string, string> properties)
    {
        base.CheckProperties(properties);
        foreach (var (name, value) in properties)
        {
            if (string.Equals(name, ProtobufProperties.NullableRepresentation, StringComparison.OrdinalIgnoreCase))
            {
                ProtobufProperties.Parse(value);
            }
        }
    }

    protected override string? FindSchemaProblem(SerdeSchema schema, SerdeTarget target) => ProtobufSchemaTranslator.FindProblem(schema);

    private static ProtoMessage FindMessage(ProtobufParsedSchema proto, SerdeOptions options)
    {
        var name = SchemaIdOf(options) is null ? null : options.GetProperty(FormatPropertyNames.FullSchemaName);
        try
        {
            return proto.FindMessage(name);
        }
        catch (KeyNotFoundException e)
        {
            throw new FormatValidationException(e.Message);
        }
    }
}
