using System.Buffers;
using Rhei.Formats.Serde;

namespace Rhei.Formats.None;

/// <summary>
/// The NONE format: the key (or value) is not read at all. Only valid without columns; it writes null bytes and
/// ignores whatever bytes it is given.
/// </summary>
public sealed class NoneFormat : SerdeFormat
{
    public static readonly NoneFormat Instance = new();

    private NoneFormat()
        : base("NONE")
    {
    }

    public override SerdeFeatures SupportedFeatures => SerdeFeatures.None;

    public override RowSerializer CreateSerializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target);
        return new NoneSerializer(schema, options);
    }

    public override RowDeserializer CreateDeserializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target);
        return new NoneDeserializer(schema, options);
    }

    protected override string? FindSchemaProblem(SerdeSchema schema, SerdeTarget target) =>
        schema.Count == 0 ? null : $"The 'NONE' format can only be used when no columns are defined. Got: {schema.Describe(target)}";

    private sealed class NoneSerializer(SerdeSchema schema, SerdeOptions options) : RowSerializer(schema, options)
    {
        public override bool Serialize(ReadOnlySpan<object?> row, IBufferWriter<byte> output) => false;
    }

    private sealed class NoneDeserializer(SerdeSchema schema, SerdeOptions options) : RowDeserializer(schema, options)
    {
        public override bool Deserialize(ReadOnlySpan<byte> data, Span<object?> destination) => true;
    }
}
