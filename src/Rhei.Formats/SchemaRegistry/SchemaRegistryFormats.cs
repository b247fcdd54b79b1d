using Rhei.Formats.Avro;
using Rhei.Formats.JsonSchema;
using Rhei.Formats.Protobuf;
using Rhei.Formats.Serde;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>Adds the schema-registry formats to a <see cref="FormatRegistry"/>.</summary>
public static class SchemaRegistryFormats
{
    /// <summary>
    /// Registers AVRO, PROTOBUF and JSON_SR on <paramref name="client"/> (null: the formats exist but fail with a
    /// clear message when used, as without <c>ksql.schema.registry.url</c>) and PROTOBUF_NOSR.
    /// </summary>
    public static FormatRegistry AddTo(FormatRegistry registry, SchemaRegistryClient? client)
    {
        registry.Register(new AvroFormat(client));
        registry.Register(new ProtobufFormat(client));
        registry.Register(ProtobufNoSrFormat.Instance);
        registry.Register(new JsonSchemaFormat(client));
        return registry;
    }
}
