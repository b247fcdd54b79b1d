using Rhei.Sql.Ast;
using Rhei.Sql.Binding;

namespace Rhei.Sql.Planning;

/// <summary>
/// One column of the SELECT list after <c>*</c> expansion: its expression (parsed, and bound once planned), the alias
/// written (if any) or the name a star expansion gives it, and where it was written.
/// </summary>
internal sealed record SelectEntry(Expression Expression, string? Alias, string? ExpandedName, SourcePosition Position)
{
    public BoundExpression? Bound { get; init; }

    /// <summary>The output column name, once assigned.</summary>
    public string? Name { get; init; }

    public bool FromStar => ExpandedName is not null;
}
