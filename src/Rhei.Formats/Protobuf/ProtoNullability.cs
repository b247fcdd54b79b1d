namespace Rhei.Formats.Protobuf;

/// <summary>
/// How generated Protobuf schemas carry SQL NULL (<c>KEY_/VALUE_PROTOBUF_NULLABLE_REPRESENTATION</c>): not at all (a
/// null scalar is written as its default), as proto3 <c>optional</c> fields, or as <c>google.protobuf.*Value</c> wrappers.
/// </summary>
public enum ProtoNullability
{
    None,
    Optional,
    Wrapper,
}

/// <summary>The Protobuf format properties.</summary>
public static class ProtobufProperties
{
    /// <summary><c>optional</c> or <c>wrapper</c> (from KEY_/VALUE_PROTOBUF_NULLABLE_REPRESENTATION).</summary>
    public const string NullableRepresentation = "nullableRepresentation";

    /// <summary>Read <c>google.protobuf.*Value</c> wrappers as their primitive (always done; accepted for ksqlDB compatibility).</summary>
    public const string UnwrapPrimitives = "unwrapPrimitives";

    public static ProtoNullability Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "NONE" => ProtoNullability.None,
        "OPTIONAL" => ProtoNullability.Optional,
        "WRAPPER" => ProtoNullability.Wrapper,
        _ => throw new Serde.FormatValidationException(
            $"Invalid value for {NullableRepresentation}: '{value}'. Valid values are OPTIONAL and WRAPPER."),
    };
}
