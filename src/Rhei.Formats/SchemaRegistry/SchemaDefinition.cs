namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// A schema's content as registered: its type, its text and its references. Two definitions are equal when all
/// three are (the registry gives equal definitions one id).
/// </summary>
public sealed class SchemaDefinition : IEquatable<SchemaDefinition>
{
    public SchemaDefinition(SchemaType type, string schema, IReadOnlyList<SchemaReference>? references = null)
    {
        Type = type;
        Schema = schema;
        References = references ?? [];
    }

    public SchemaType Type { get; }

    /// <summary>The schema text: Avro or JSON Schema JSON, or Protobuf <c>.proto</c> source.</summary>
    public string Schema { get; }

    public IReadOnlyList<SchemaReference> References { get; }

    public static SchemaDefinition Avro(string schema) => new(SchemaType.Avro, schema);

    public static SchemaDefinition Protobuf(string schema, IReadOnlyList<SchemaReference>? references = null) => new(SchemaType.Protobuf, schema, references);

    public static SchemaDefinition Json(string schema) => new(SchemaType.Json, schema);

    public bool Equals(SchemaDefinition? other) =>
        other is not null && Type == other.Type && Schema == other.Schema && References.SequenceEqual(other.References);

    public override bool Equals(object? obj) => obj is SchemaDefinition d && Equals(d);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.Add(Schema);
        foreach (var r in References)
        {
            hash.Add(r);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"{Type.Name()} {Schema}";
}
