namespace Rhei.Formats.SchemaRegistry;

/// <summary>The kinds of schema a registry holds (Confluent's <c>schemaType</c>).</summary>
public enum SchemaType
{
    Avro,
    Protobuf,
    Json,
}

/// <summary>Names of <see cref="SchemaType"/> on the wire: <c>AVRO</c>, <c>PROTOBUF</c>, <c>JSON</c>.</summary>
public static class SchemaTypes
{
    public static IReadOnlyList<string> Names { get; } = ["JSON", "PROTOBUF", "AVRO"];

    public static string Name(this SchemaType type) => type switch
    {
        SchemaType.Avro => "AVRO",
        SchemaType.Protobuf => "PROTOBUF",
        SchemaType.Json => "JSON",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Parses a <c>schemaType</c>; null or empty is AVRO, as in Confluent's API.</summary>
    public static bool TryParse(string? name, out SchemaType type)
    {
        switch (name?.ToUpperInvariant())
        {
            case null or "" or "AVRO":
                type = SchemaType.Avro;
                return true;
            case "PROTOBUF":
                type = SchemaType.Protobuf;
                return true;
            case "JSON":
                type = SchemaType.Json;
                return true;
            default:
                type = default;
                return false;
        }
    }
}
