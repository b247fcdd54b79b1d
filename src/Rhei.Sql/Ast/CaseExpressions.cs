namespace Rhei.Sql.Ast;

/// <summary><c>WHEN operand THEN result</c> of a CASE expression (the operand is a condition in a searched CASE,
/// a value to compare with in a simple CASE).</summary>
public sealed record WhenClause(Expression Operand, Expression Result) : SqlNode
{
    public override IEnumerable<SqlNode> Children => [Operand, Result];

    internal override void WriteTo(SqlWriter writer) => writer.Append("WHEN ").Node(Operand).Append(" THEN ").Node(Result);
}

/// <summary><c>CASE WHEN cond THEN r ... [ELSE d] END</c>.</summary>
public sealed record SearchedCaseExpression(EquatableArray<WhenClause> WhenClauses, Expression? DefaultValue) : Expression
{
    public override IEnumerable<SqlNode> Children => [.. WhenClauses, .. Optional(DefaultValue)];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("(CASE ").Nodes(WhenClauses, " ");
        if (DefaultValue is not null)
        {
            writer.Append(" ELSE ").Node(DefaultValue);
        }

        writer.Append(" END)");
    }
}

/// <summary><c>CASE operand WHEN v THEN r ... [ELSE d] END</c>.</summary>
public sealed record SimpleCaseExpression(Expression Operand, EquatableArray<WhenClause> WhenClauses, Expression? DefaultValue) : Expression
{
    public override IEnumerable<SqlNode> Children => [Operand, .. WhenClauses, .. Optional(DefaultValue)];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("(CASE ").Node(Operand).Append(' ').Nodes(WhenClauses, " ");
        if (DefaultValue is not null)
        {
            writer.Append(" ELSE ").Node(DefaultValue);
        }

        writer.Append(" END)");
    }
}
