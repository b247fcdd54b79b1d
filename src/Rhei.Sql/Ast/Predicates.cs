namespace Rhei.Sql.Ast;

/// <summary><c>value [NOT] BETWEEN min AND max</c>.</summary>
public sealed record BetweenPredicate(Expression Value, Expression Min, Expression Max, bool Negated = false) : Expression
{
    public override IEnumerable<SqlNode> Children => [Value, Min, Max];

    internal override void WriteTo(SqlWriter writer) =>
        writer.Append('(').Node(Value).Append(Negated ? " NOT BETWEEN " : " BETWEEN ").Node(Min).Append(" AND ").Node(Max).Append(')');
}

/// <summary><c>value [NOT] LIKE pattern [ESCAPE 'c']</c>.</summary>
public sealed record LikePredicate(Expression Value, Expression Pattern, char? Escape = null, bool Negated = false) : Expression
{
    public override IEnumerable<SqlNode> Children => [Value, Pattern];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append('(').Node(Value).Append(Negated ? " NOT LIKE " : " LIKE ").Node(Pattern);
        if (Escape is { } c)
        {
            writer.Append(" ESCAPE ").StringLiteral(c.ToString());
        }

        writer.Append(')');
    }
}

/// <summary><c>value [NOT] IN (v1, v2, ...)</c>.</summary>
public sealed record InPredicate(Expression Value, EquatableArray<Expression> Values, bool Negated = false) : Expression
{
    public override IEnumerable<SqlNode> Children => [Value, .. Values];

    internal override void WriteTo(SqlWriter writer) =>
        writer.Append('(').Node(Value).Append(Negated ? " NOT IN (" : " IN (").Nodes(Values).Append("))");
}

/// <summary><c>value IS [NOT] NULL</c>.</summary>
public sealed record IsNullPredicate(Expression Value, bool Negated = false) : Expression
{
    public override IEnumerable<SqlNode> Children => [Value];

    internal override void WriteTo(SqlWriter writer) =>
        writer.Append('(').Node(Value).Append(Negated ? " IS NOT NULL)" : " IS NULL)");
}
