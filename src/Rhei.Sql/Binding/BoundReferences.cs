using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Binding;

/// <summary>
/// A column of the row: <c>row[Column.Index]</c>. <see cref="Qualifier"/> is the source name the reference was
/// written with (printing only; not part of equality, so <c>INPUT.ID</c> and <c>ID</c> are the same expression).
/// </summary>
public sealed record BoundColumn(ScopeColumn Column, string? Qualifier = null) : BoundExpression
{
    public override SqlType? Type => Column.Type;

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this;

    public bool Equals(BoundColumn? other) => other is not null && Column.Equals(other.Column);

    public override int GetHashCode() => Column.GetHashCode();

    internal override void WriteTo(SqlWriter writer)
    {
        if (Column.Name != Column.SourceColumnName || Qualifier is null)
        {
            writer.Identifier(Column.Name);
        }
        else
        {
            writer.Identifier(Qualifier).Append('.').Identifier(Column.SourceColumnName);
        }
    }
}

/// <summary>A lambda parameter inside the lambda's body (<c>X</c> in <c>X =&gt; X + 1</c>), typed by the function's signature.</summary>
public sealed record BoundLambdaVariable(string Name, SqlType Type) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this;

    internal override void WriteTo(SqlWriter writer) => writer.Append(SqlIdentifiers.Format(Name));
}

/// <summary>A STRUCT field: <c>Base-&gt;FieldName</c>; NULL when the struct is NULL.</summary>
public sealed record BoundDereference(BoundExpression Base, string FieldName, int FieldIndex, SqlType Type) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    public override IReadOnlyList<BoundExpression> Children => [Base];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Base = children[0] };

    internal override void WriteTo(SqlWriter writer)
    {
        Base.WriteAsPostfixBase(writer);
        writer.Append("->").Identifier(FieldName);
    }
}

/// <summary>
/// <c>Base[Index]</c>: an ARRAY element (1-based, negative from the end, NULL when out of range) or a MAP value
/// (NULL when the key is absent).
/// </summary>
public sealed record BoundSubscript(BoundExpression Base, BoundExpression Index, SqlType Type) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    public override IReadOnlyList<BoundExpression> Children => [Base, Index];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Base = children[0], Index = children[1] };

    internal override void WriteTo(SqlWriter writer)
    {
        Base.WriteAsPostfixBase(writer);
        writer.Append('[');
        Index.WriteTo(writer);
        writer.Append(']');
    }
}

/// <summary>
/// A conversion to <see cref="Type"/>: an explicit <c>CAST(x AS T)</c>, or an implicit one the binder inserted
/// (numeric widening, a function argument's target type, a CASE branch to the common type), which prints as its operand.
/// </summary>
public sealed record BoundCast(BoundExpression Operand, SqlType Type, bool IsImplicit = false) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    public override IReadOnlyList<BoundExpression> Children => [Operand];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Operand = children[0] };

    internal override void WriteTo(SqlWriter writer)
    {
        if (IsImplicit)
        {
            Operand.WriteTo(writer);
            return;
        }

        writer.Append("CAST(");
        Operand.WriteTo(writer);
        writer.Append(" AS ").Append(Type!.ToString()).Append(')');
    }
}
