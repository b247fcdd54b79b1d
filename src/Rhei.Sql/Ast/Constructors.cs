namespace Rhei.Sql.Ast;

/// <summary><c>ARRAY[v1, v2, ...]</c>.</summary>
public sealed record CreateArrayExpression(EquatableArray<Expression> Values) : Expression
{
    public override IEnumerable<SqlNode> Children => [.. Values];

    internal override void WriteTo(SqlWriter writer) => writer.Append("ARRAY[").Nodes(Values).Append(']');
}

/// <summary>One <c>key := value</c> of a MAP constructor.</summary>
public sealed record MapEntry(Expression Key, Expression Value) : SqlNode
{
    public override IEnumerable<SqlNode> Children => [Key, Value];

    internal override void WriteTo(SqlWriter writer) => writer.Node(Key).Append(":=").Node(Value);
}

/// <summary><c>MAP(k1 := v1, ...)</c>.</summary>
public sealed record CreateMapExpression(EquatableArray<MapEntry> Entries) : Expression
{
    public override IEnumerable<SqlNode> Children => [.. Entries];

    internal override void WriteTo(SqlWriter writer) => writer.Append("MAP(").Nodes(Entries).Append(')');
}

/// <summary>One <c>NAME := value</c> of a STRUCT constructor.</summary>
public sealed record StructFieldValue(string Name, Expression Value) : SqlNode
{
    public override IEnumerable<SqlNode> Children => [Value];

    internal override void WriteTo(SqlWriter writer) => writer.Identifier(Name).Append(":=").Node(Value);
}

/// <summary><c>STRUCT(F1 := v1, ...)</c>.</summary>
public sealed record CreateStructExpression(EquatableArray<StructFieldValue> Fields) : Expression
{
    public override IEnumerable<SqlNode> Children => [.. Fields];

    internal override void WriteTo(SqlWriter writer) => writer.Append("STRUCT(").Nodes(Fields).Append(')');
}
