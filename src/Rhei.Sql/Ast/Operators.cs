namespace Rhei.Sql.Ast;

public enum ArithmeticUnaryOperator
{
    Minus,
    Plus,
}

/// <summary><c>-x</c> or <c>+x</c> (a minus directly before a number is part of the literal instead).</summary>
public sealed record ArithmeticUnaryExpression(ArithmeticUnaryOperator Operator, Expression Operand) : Expression
{
    public override IEnumerable<SqlNode> Children => [Operand];

    internal override void WriteTo(SqlWriter writer)
    {
        var operand = Operand.ToSql();
        writer.Append(Operator == ArithmeticUnaryOperator.Minus ? "-" : "+");
        if (operand.StartsWith('-'))
        {
            // Keep "- -x" apart: "--" starts a comment.
            writer.Append(' ').Append(operand);
        }
        else if (Operator == ArithmeticUnaryOperator.Minus && (char.IsAsciiDigit(operand[0]) || operand[0] == '.'))
        {
            // "-5" and "-5[1]" would read back with the literal -5, not as minus applied to 5 or 5[1].
            writer.Append('(').Append(operand).Append(')');
        }
        else
        {
            writer.Append(operand);
        }
    }
}

public enum ArithmeticOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulus,
}

/// <summary><c>left op right</c> for <c>+ - * / %</c> (<c>+</c> also concatenates strings).</summary>
public sealed record ArithmeticBinaryExpression(ArithmeticOperator Operator, Expression Left, Expression Right) : Expression
{
    public override IEnumerable<SqlNode> Children => [Left, Right];

    public static string Symbol(ArithmeticOperator op) => op switch
    {
        ArithmeticOperator.Add => "+",
        ArithmeticOperator.Subtract => "-",
        ArithmeticOperator.Multiply => "*",
        ArithmeticOperator.Divide => "/",
        _ => "%",
    };

    internal override void WriteTo(SqlWriter writer) =>
        writer.Append('(').Node(Left).Append(' ').Append(Symbol(Operator)).Append(' ').Node(Right).Append(')');
}

public enum ComparisonOperator
{
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    IsDistinctFrom,
    IsNotDistinctFrom,
}

/// <summary>A comparison: <c>= &lt;&gt; != &lt; &lt;= &gt; &gt;=</c>, <c>IS [NOT] DISTINCT FROM</c>.</summary>
public sealed record ComparisonExpression(ComparisonOperator Operator, Expression Left, Expression Right) : Expression
{
    public override IEnumerable<SqlNode> Children => [Left, Right];

    public static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "<>",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.IsDistinctFrom => "IS DISTINCT FROM",
        _ => "IS NOT DISTINCT FROM",
    };

    internal override void WriteTo(SqlWriter writer) =>
        writer.Append('(').Node(Left).Append(' ').Append(Symbol(Operator)).Append(' ').Node(Right).Append(')');
}

public enum LogicalOperator
{
    And,
    Or,
}

/// <summary><c>left AND right</c>, <c>left OR right</c>.</summary>
public sealed record LogicalBinaryExpression(LogicalOperator Operator, Expression Left, Expression Right) : Expression
{
    public override IEnumerable<SqlNode> Children => [Left, Right];

    internal override void WriteTo(SqlWriter writer) =>
        writer.Append('(').Node(Left).Append(Operator == LogicalOperator.And ? " AND " : " OR ").Node(Right).Append(')');
}

/// <summary><c>NOT operand</c>.</summary>
public sealed record NotExpression(Expression Operand) : Expression
{
    public override IEnumerable<SqlNode> Children => [Operand];

    internal override void WriteTo(SqlWriter writer) => writer.Append("(NOT ").Node(Operand).Append(')');
}
