namespace Rhei.Sql.Ast;

/// <summary>A column: <c>NAME</c>, or <c>SOURCE.NAME</c> when qualified by a source name or alias.</summary>
public sealed record ColumnReference(string? Source, string Name) : Expression
{
    public ColumnReference(string name)
        : this(null, name)
    {
    }

    public bool IsQualified => Source is not null;

    internal override void WriteTo(SqlWriter writer)
    {
        if (Source is not null)
        {
            writer.Identifier(Source).Append('.').Identifier(Name);
        }
        else if (Name == "ARRAY")
        {
            // ARRAY followed by '[' would read back as an array constructor.
            writer.Append("`ARRAY`");
        }
        else
        {
            writer.Identifier(Name);
        }
    }
}

/// <summary>A reference to a lambda parameter inside the lambda's body (<c>x</c> in <c>x =&gt; x + 1</c>).</summary>
public sealed record LambdaVariable(string Name) : Expression
{
    internal override void WriteTo(SqlWriter writer) => writer.Append(Name == "ARRAY" ? "`ARRAY`" : Parsing.SqlIdentifiers.Format(Name));
}

/// <summary>A struct field: <c>base-&gt;FIELD</c>.</summary>
public sealed record DereferenceExpression(Expression Base, string FieldName) : Expression
{
    public override IEnumerable<SqlNode> Children => [Base];

    internal override void WriteTo(SqlWriter writer)
    {
        Base.WriteAsPostfixBase(writer);
        writer.Append("->").Identifier(FieldName);
    }
}

/// <summary>An array element or map value: <c>base[index]</c> (arrays are 1-based; negative indexes count from the end).</summary>
public sealed record SubscriptExpression(Expression Base, Expression Index) : Expression
{
    public override IEnumerable<SqlNode> Children => [Base, Index];

    internal override void WriteTo(SqlWriter writer)
    {
        Base.WriteAsPostfixBase(writer);
        writer.Append('[').Node(Index).Append(']');
    }
}
