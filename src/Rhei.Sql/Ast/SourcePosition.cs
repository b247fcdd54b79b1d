using System.Diagnostics.CodeAnalysis;

namespace Rhei.Sql.Ast;

/// <summary>
/// Where a token or node starts in the SQL text: 1-based line and 1-based column (the column counts
/// UTF-16 characters from the start of the line, as ksqlDB reports them). <see cref="None"/> (0:0) means
/// unknown, for nodes built in code.
/// </summary>
/// <remarks>
/// Positions are metadata, not content: two positions always compare equal, so that AST records compare
/// by what they say and not by where they were written (<c>Parse(Print(ast)) == ast</c>). Compare
/// <see cref="Line"/> and <see cref="Column"/> directly, or use <see cref="SameAs"/>, when the location matters.
/// </remarks>
[SuppressMessage(
    "Usage",
    "CA2231:Overload operator equals on overriding value type Equals",
    Justification = "Equals only serves AST record equality; == would read as a location comparison, which is SameAs.")]
public readonly struct SourcePosition : IEquatable<SourcePosition>
{
    public SourcePosition(int line, int column)
    {
        Line = line;
        Column = column;
    }

    public static SourcePosition None => default;

    public int Line { get; }

    public int Column { get; }

    public bool IsKnown => Line > 0;

    /// <summary>True when both positions denote the same line and column.</summary>
    public bool SameAs(SourcePosition other) => Line == other.Line && Column == other.Column;

    /// <summary>Always true: positions never take part in AST equality (see the type's remarks).</summary>
    public bool Equals(SourcePosition other) => true;

    public override bool Equals(object? obj) => obj is SourcePosition;

    public override int GetHashCode() => 0;

    public override string ToString() => IsKnown ? $"line {Line}:{Column}" : "unknown position";
}
