using Rhei.Formats.Types;

namespace Rhei.Sql.Binding;

/// <summary>
/// A column an expression can reference: its name, type, and where its value sits in the row the compiled
/// delegate receives (<c>row[Index]</c>). <paramref name="Source"/> is the stream/table name or alias that
/// qualifies it (<c>I1</c> in <c>I1.BAR</c>), null when it cannot be qualified.
/// </summary>
/// <param name="Name">The column's name in the row, as printed (upper case unless quoted): <c>BAR</c>, or for a
/// join's output row the prefixed name ksqlDB gives it (<c>I1_BAR</c>).</param>
/// <param name="Type">The column's SQL type.</param>
/// <param name="Index">The column's position in the row array.</param>
/// <param name="Source">The source name or alias that qualifies the column, or null.</param>
public sealed record ScopeColumn(string Name, SqlType Type, int Index, string? Source = null)
{
    /// <summary>
    /// The name references use to find the column: <c>BAR</c> for both <c>BAR</c> and <c>I1.BAR</c>. Defaults to
    /// <see cref="Name"/>; a planner that renames a join's columns (<c>I1_BAR</c>) sets it to the source column's name.
    /// An unqualified reference matches either this or <see cref="Name"/>.
    /// </summary>
    public string SourceColumnName { get; init; } = Name;

    /// <summary><c>SOURCE.NAME</c> (or just the name) as ksqlDB prints a column in messages.</summary>
    public string QualifiedName => Source is null ? SourceColumnName : Source + "." + SourceColumnName;
}
