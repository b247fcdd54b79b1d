namespace Rhei.Formats.SchemaRegistry;

/// <summary>One version of a subject: its global id and its definition. Soft-deleted versions have <see cref="Deleted"/> set.</summary>
public sealed record RegisteredSchema(string Subject, int Version, int Id, SchemaDefinition Definition, bool Deleted = false)
{
    public SchemaType Type => Definition.Type;

    public string Schema => Definition.Schema;

    public IReadOnlyList<SchemaReference> References => Definition.References;
}
