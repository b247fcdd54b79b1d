namespace Rhei.Sql.Ast;

/// <summary>
/// A function call <c>NAME(arg, ...)</c>. Arguments may be expressions, lambdas (<see cref="LambdaExpression"/>)
/// and time units (<see cref="TimeUnitExpression"/>). <c>COUNT(*)</c> has no arguments and <see cref="Star"/> set.
/// The <c>||</c> operator parses as a call of <c>CONCAT</c>, as in ksqlDB.
/// </summary>
public sealed record FunctionCall(string Name, EquatableArray<Expression> Arguments, bool Star = false) : Expression
{
    public override IEnumerable<SqlNode> Children => [.. Arguments];

    internal override void WriteTo(SqlWriter writer)
    {
        // A bare ARRAY/MAP/STRUCT followed by a parenthesis would read back as a constructor.
        if (Name is "ARRAY" or "MAP" or "STRUCT")
        {
            writer.Append('`').Append(Name).Append('`');
        }
        else
        {
            writer.Identifier(Name);
        }

        writer.Append('(');
        if (Star)
        {
            writer.Append('*');
        }
        else
        {
            writer.Nodes(Arguments);
        }

        writer.Append(')');
    }
}

/// <summary>A lambda function argument: <c>x =&gt; body</c> or <c>(x, y) =&gt; body</c>. Parameters are referenced in
/// the body as <see cref="LambdaVariable"/>.</summary>
public sealed record LambdaExpression(EquatableArray<string> Parameters, Expression Body) : Expression
{
    public override IEnumerable<SqlNode> Children => [Body];

    internal override void WriteTo(SqlWriter writer)
    {
        if (Parameters.Count == 1)
        {
            writer.Identifier(Parameters[0]);
        }
        else
        {
            writer.Append('(').Identifiers(Parameters).Append(')');
        }

        writer.Append(" => ").Node(Body);
    }
}

/// <summary>A time unit passed as a function argument (<c>TIMESTAMPADD(SECONDS, 5, ts)</c>).</summary>
public sealed record TimeUnitExpression(SqlTimeUnit Unit) : Expression
{
    internal override void WriteTo(SqlWriter writer) => writer.Append(Unit.ToSql());
}

/// <summary><c>CAST(value AS type)</c>.</summary>
public sealed record CastExpression(Expression Value, TypeSyntax Type) : Expression
{
    public override IEnumerable<SqlNode> Children => [Value, Type];

    internal override void WriteTo(SqlWriter writer) => writer.Append("CAST(").Node(Value).Append(" AS ").Node(Type).Append(')');
}
