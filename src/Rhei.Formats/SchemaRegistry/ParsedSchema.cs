namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// A registered schema parsed and validated by its type's parser (<see cref="SchemaParser"/>): what the registry
/// compares and checks for compatibility, and what the formats translate to SQL.
/// </summary>
public abstract class ParsedSchema
{
    public abstract SchemaType Type { get; }

    /// <summary>The schema in a normalized text (whitespace and formatting removed) used to find equal schemas.</summary>
    public abstract string Canonical { get; }

    /// <summary>
    /// Why data written with <paramref name="writer"/> cannot be read with this schema, one message per problem
    /// (empty when it can).
    /// </summary>
    public abstract IReadOnlyList<string> FindReadProblems(ParsedSchema writer);
}
