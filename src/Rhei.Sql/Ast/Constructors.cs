namespace Rhei.Sql.Ast;

/// <summary><c>ARRAY[v1, v2, ...]</c>.</summary>
public sealed record CreateArrayExpression(EquatableArray<Expression> Values) : Expression
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("ARRAY[").Nodes(Values).Append(']');
}

/// <summary>One <c>key := value</c> of a MAP constructor.</summary>
public sealed record MapEntry(Expression Key, Expression Value) : SqlNode
{
    internal override void WriteTo(SqlWriter writer) => writer.Node(Key).Append(":=").Node(Value);
}

/// <summary><c>MAP(k1 := v1, ...)</c>.</summary>
public sealed record CreateMapExpression(EquatableArray<MapEntry> Entries) : Expression
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("MAP(").Nodes(Entries).Append(')');
}

/// <summary>One <c>NAME := value</c> of a STRUCT constructor.</summary>
public sealed record StructFieldValue(string Name, Expression Value) : SqlNode
{
    internal override void WriteTo(SqlWriter writer) => writer.Identifier(Name).Append(":=").Node(Value);
}

/// <summary><c>STRUCT(F1 := v1, ...)</c>.</summary>
public sealed record CreateStructExpression(EquatableArray<StructFieldValue> Fields) : Expression
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("STRUCT(").Nodes(Fields).Append(')');
}
