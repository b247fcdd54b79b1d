using Rhei.Formats.Serde;

namespace Rhei.Formats.Protobuf;

/// <summary>
/// PROTOBUF_NOSR: protobuf messages without a schema registry and without framing; the message type is the one
/// generated from the SQL schema (so writers and readers must agree on the columns). Property:
/// <c>nullableRepresentation</c>.
/// </summary>
public sealed class ProtobufNoSrFormat : SerdeFormat
{
    public static readonly ProtobufNoSrFormat Instance = new();

    private static readonly IReadOnlySet<string> Properties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ProtobufProperties.NullableRepresentation,
        ProtobufProperties.UnwrapPrimitives,
    };

    private ProtobufNoSrFormat()
        : base("PROTOBUF_NOSR")
    {
    }

    public override SerdeFeatures SupportedFeatures => SerdeFeatures.WrapSingles;

    public override IReadOnlySet<string> SupportedProperties => Properties;

    public override RowSerializer CreateSerializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target, options.Features);
        return new ProtobufRowSerializer(schema, options, MessageOf(schema, options), []);
    }

    public override RowDeserializer CreateDeserializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target, options.Features);
        return new ProtobufRowDeserializer(schema, options, MessageOf(schema, options));
    }

    /// <summary>The message generated for a SQL schema.</summary>
    public static ProtoMessage MessageOf(SerdeSchema schema, SerdeOptions options)
    {
        var text = ProtobufSchemaTranslator.ToProto(schema, null, ProtobufProperties.Parse(options.GetProperty(ProtobufProperties.NullableRepresentation)));
        return ProtobufParsedSchema.Parse(text).File.Messages[0];
    }

    protected override void CheckProperties(IReadOnlyDictionary<string, string> properties)
    {
        foreach (var (name, value) in properties)
        {
            if (string.Equals(name, ProtobufProperties.NullableRepresentation, StringComparison.OrdinalIgnoreCase))
            {
                ProtobufProperties.Parse(value);
            }
        }
    }

    protected override string? FindSchemaProblem(SerdeSchema schema, SerdeTarget target) =>
        ProtobufSchemaTranslator.FindProblem(schema)?.Replace("PROTOBUF format", "PROTOBUF_NOSR format", StringComparison.Ordinal);
}
