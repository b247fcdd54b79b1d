using Rhei.Formats.Types;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Binding;

/// <summary>
/// <c>Left op Right</c> for <c>+ - * / %</c>. Both operands have been converted to the operation's type
/// (INTEGER, BIGINT, DOUBLE, or DECIMAL each with its own precision and scale) or are both STRING for <c>+</c>
/// (concatenation). <see cref="Type"/> is the result type (for DECIMAL, ksqlDB's precision/scale rule).
/// </summary>
public sealed record BoundArithmetic(ArithmeticOperator Operator, BoundExpression Left, BoundExpression Right, SqlType Type) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    public override IReadOnlyList<BoundExpression> Children => [Left, Right];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Left = children[0], Right = children[1] };

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append('(');
        Left.WriteTo(writer);
        writer.Append(' ').Append(ArithmeticBinaryExpression.Symbol(Operator)).Append(' ');
        Right.WriteTo(writer);
        writer.Append(')');
    }
}

/// <summary>Unary minus of a number (unary plus binds to its operand).</summary>
public sealed record BoundNegate(BoundExpression Operand) : BoundExpression
{
    public override SqlType? Type => Operand.Type;

    public override IReadOnlyList<BoundExpression> Children => [Operand];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Operand = children[0] };

    internal override void WriteTo(SqlWriter writer)
    {
        var operand = Operand.ToSql();
        writer.Append('-');
        if (operand.StartsWith('-'))
        {
            writer.Append(' ');
        }

        writer.Append(operand);
    }
}

/// <summary>
/// A comparison. Both operands have the same comparable type (the binder widened numbers and coerced string
/// literals). <c>= &lt;&gt; &lt; ...</c> are false when an operand is NULL; <c>IS [NOT] DISTINCT FROM</c> treats
/// NULLs as equal values.
/// </summary>
public sealed record BoundComparison(ComparisonOperator Operator, BoundExpression Left, BoundExpression Right) : BoundExpression
{
    public override SqlType? Type => SqlTypes.Boolean;

    public override IReadOnlyList<BoundExpression> Children => [Left, Right];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Left = children[0], Right = children[1] };

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append('(');
        Left.WriteTo(writer);
        writer.Append(' ').Append(ComparisonExpression.Symbol(Operator)).Append(' ');
        Right.WriteTo(writer);
        writer.Append(')');
    }
}

/// <summary><c>AND</c> / <c>OR</c> with SQL's three-valued logic.</summary>
public sealed record BoundLogical(LogicalOperator Operator, BoundExpression Left, BoundExpression Right) : BoundExpression
{
    public override SqlType? Type => SqlTypes.Boolean;

    public override IReadOnlyList<BoundExpression> Children => [Left, Right];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Left = children[0], Right = children[1] };

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append('(');
        Left.WriteTo(writer);
        writer.Append(Operator == LogicalOperator.And ? " AND " : " OR ");
        Right.WriteTo(writer);
        writer.Append(')');
    }
}

/// <summary><c>NOT x</c> (NULL stays NULL).</summary>
public sealed record BoundNot(BoundExpression Operand) : BoundExpression
{
    public override SqlType? Type => SqlTypes.Boolean;

    public override IReadOnlyList<BoundExpression> Children => [Operand];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Operand = children[0] };

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("(NOT ");
        Operand.WriteTo(writer);
        writer.Append(')');
    }
}
