using Rhei.Formats.Types;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Binding;

/// <summary><c>x IS [NOT] NULL</c>.</summary>
public sealed record BoundIsNull(BoundExpression Operand, bool Negated = false) : BoundExpression
{
    public override SqlType? Type => SqlTypes.Boolean;

    public override IReadOnlyList<BoundExpression> Children => [Operand];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Operand = children[0] };

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append('(');
        Operand.WriteTo(writer);
        writer.Append(Negated ? " IS NOT NULL)" : " IS NULL)");
    }
}

/// <summary><c>x [NOT] BETWEEN min AND max</c> (inclusive; the three operands share one comparable type).</summary>
public sealed record BoundBetween(BoundExpression Value, BoundExpression Min, BoundExpression Max, bool Negated = false) : BoundExpression
{
    public override SqlType? Type => SqlTypes.Boolean;

    public override IReadOnlyList<BoundExpression> Children => [Value, Min, Max];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) =>
        this with { Value = children[0], Min = children[1], Max = children[2] };

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append('(');
        Value.WriteTo(writer);
        writer.Append(Negated ? " NOT BETWEEN " : " BETWEEN ");
        Min.WriteTo(writer);
        writer.Append(" AND ");
        Max.WriteTo(writer);
        writer.Append(')');
    }
}

/// <summary><c>x [NOT] LIKE pattern [ESCAPE 'c']</c> over STRINGs (<c>%</c> any run, <c>_</c> one character).</summary>
public sealed record BoundLike(BoundExpression Value, BoundExpression Pattern, char? Escape = null, bool Negated = false) : BoundExpression
{
    public override SqlType? Type => SqlTypes.Boolean;

    public override IReadOnlyList<BoundExpression> Children => [Value, Pattern];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Value = children[0], Pattern = children[1] };

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append('(');
        Value.WriteTo(writer);
        writer.Append(Negated ? " NOT LIKE " : " LIKE ");
        Pattern.WriteTo(writer);
        if (Escape is { } c)
        {
            writer.Append(" ESCAPE ").StringLiteral(c.ToString());
        }

        writer.Append(')');
    }
}

/// <summary><c>x [NOT] IN (v1, v2, ...)</c>; the value and the list share one type. True when some item equals the
/// value; NULL items never match; a NULL value matches nothing.</summary>
public sealed record BoundIn(BoundExpression Value, EquatableArray<BoundExpression> Values, bool Negated = false) : BoundExpression
{
    public override SqlType? Type => SqlTypes.Boolean;

    public override IReadOnlyList<BoundExpression> Children => [Value, .. Values];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) =>
        this with { Value = children[0], Values = [.. children.Skip(1)] };

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append('(');
        Value.WriteTo(writer);
        writer.Append(Negated ? " NOT IN (" : " IN (");
        WriteList(writer, Values);
        writer.Append("))");
    }
}
