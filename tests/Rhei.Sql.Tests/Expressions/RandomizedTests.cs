using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Compilation;
using Rhei.Sql.Parsing;
using static Rhei.Sql.Tests.Expressions.ExpressionTestKit;

namespace Rhei.Sql.Tests.Expressions;

/// <summary>
/// Random INTEGER/BOOLEAN expressions, compiled, checked against a small reference interpreter of ksqlDB's
/// semantics (Java integer arithmetic, comparisons false on NULL, three-valued logic) on random rows.
/// Seeded, so failures reproduce.
/// </summary>
public class RandomizedTests
{
    private static readonly string[] Columns = ["A", "B", "C"];

    private static readonly ExpressionScope IntScope = ExpressionScope.Of(("A", SqlTypes.Integer), ("B", SqlTypes.Integer), ("C", SqlTypes.Integer));

    private static readonly int[] Interesting = [0, 1, -1, 2, 7, -13, 123, int.MaxValue, int.MinValue, 46341];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void IntegerExpressionsMatchTheReference(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 80; n++)
        {
            var expression = IntExpression(random, 4);
            var sql = expression.ToSql();
            var bound = Binder.Bind(SqlParser.ParseExpression(sql), IntScope);
            Assert.Equal(SqlTypes.Integer, bound.Type);
            var compiled = ExpressionCompiler.Compile(bound);
            var errors = new List<ExpressionError>();
            var guarded = ExpressionCompiler.Compile(bound, errors.Add);
            for (var r = 0; r < 20; r++)
            {
                var row = RandomRow(random);
                var expected = Try(() => EvalInt(expression, row));
                var actual = Try(() => (int?)compiled(row));
                Assert.True(Equals(expected, actual), $"{sql} on [{string.Join(", ", row)}]: expected {expected}, got {actual}");
                Assert.Equal(expected is Type ? null : expected, guarded(row));
            }
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void ConditionsMatchTheReference(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 50; n++)
        {
            var expression = BoolExpression(random, 3);
            var sql = expression.ToSql();
            var bound = Binder.Bind(SqlParser.ParseExpression(sql), IntScope);
            var value = ExpressionCompiler.Compile(bound, _ => { });
            var predicate = ExpressionCompiler.CompilePredicate(bound, _ => { });
            for (var r = 0; r < 20; r++)
            {
                var row = RandomRow(random);
                object? expected;
                try
                {
                    expected = EvalBool(expression, row);
                }
                catch (ArithmeticException)
                {
                    // A failing condition is false; its value is NULL.
                    Assert.False(predicate(row), sql);
                    continue;
                }

                Assert.True(Equals(expected, value(row)), $"{sql} on [{string.Join(", ", row)}]: expected {expected ?? "NULL"}, got {value(row) ?? "NULL"}");
                Assert.Equal(expected is true, predicate(row));
            }
        }
    }

    [Fact]
    public void ConstantExpressionsFoldToTheSameValue()
    {
        var random = new Random(99);
        for (var n = 0; n < 200; n++)
        {
            var expression = IntExpression(random, 4, constantsOnly: true);
            var expected = Try(() => EvalInt(expression, []));
            var bound = Binder.Bind(SqlParser.ParseExpression(expression.ToSql()), ExpressionScope.Empty);
            var actual = Try(() => (int?)ExpressionCompiler.EvaluateConstant(bound));
            Assert.True(Equals(expected, actual), $"{expression.ToSql()}: expected {expected}, got {actual}");
            var compiled = Try(() => (int?)ExpressionCompiler.Compile(bound)([]));
            Assert.True(Equals(expected, compiled), $"{expression.ToSql()} compiled: expected {expected}, got {compiled}");
        }
    }

    private static object?[] RandomRow(Random random) =>
        [.. Columns.Select(_ => random.Next(6) == 0 ? (object?)null : random.Next(3) == 0 ? Interesting[random.Next(Interesting.Length)] : random.Next(-20, 20))];

    private static Expression IntExpression(Random random, int depth, bool constantsOnly = false)
    {
        if (depth == 0 || random.Next(4) == 0)
        {
            if (!constantsOnly && random.Next(2) == 0)
            {
                return new ColumnReference(Columns[random.Next(Columns.Length)]);
            }

            var value = random.Next(3) == 0 ? Interesting[random.Next(Interesting.Length)] : random.Next(-5, 10);
            return value < 0 ? new ArithmeticUnaryExpression(ArithmeticUnaryOperator.Minus, new IntegerLiteral(value == int.MinValue ? int.MinValue : -value))
                : new IntegerLiteral(value);
        }

        return random.Next(8) switch
        {
            0 => new ArithmeticUnaryExpression(ArithmeticUnaryOperator.Minus, IntExpression(random, depth - 1, constantsOnly)),
            1 => new SearchedCaseExpression(
                [new WhenClause(BoolExpression(random, 1, constantsOnly), IntExpression(random, depth - 1, constantsOnly))],
                random.Next(2) == 0 ? null : IntExpression(random, depth - 1, constantsOnly)),
            _ => new ArithmeticBinaryExpression(
                (ArithmeticOperator)random.Next(5), IntExpression(random, depth - 1, constantsOnly), IntExpression(random, depth - 1, constantsOnly)),
        };
    }

    private static Expression BoolExpression(Random random, int depth, bool constantsOnly = false)
    {
        if (depth == 0 || random.Next(3) == 0)
        {
            return random.Next(5) switch
            {
                0 => new IsNullPredicate(IntExpression(random, 1, constantsOnly), random.Next(2) == 0),
                1 => new BetweenPredicate(IntExpression(random, 1, constantsOnly), IntExpression(random, 0, constantsOnly), IntExpression(random, 0, constantsOnly), random.Next(2) == 0),
                2 => new InPredicate(IntExpression(random, 1, constantsOnly), [IntExpression(random, 0, constantsOnly), IntExpression(random, 0, constantsOnly), new IntegerLiteral(random.Next(5))], random.Next(2) == 0),
                _ => new ComparisonExpression((ComparisonOperator)random.Next(8), IntExpression(random, 2, constantsOnly), IntExpression(random, 2, constantsOnly)),
            };
        }

        return random.Next(3) switch
        {
            0 => new NotExpression(BoolExpression(random, depth - 1, constantsOnly)),
            _ => new LogicalBinaryExpression((LogicalOperator)random.Next(2), BoolExpression(random, depth - 1, constantsOnly), BoolExpression(random, depth - 1, constantsOnly)),
        };
    }

    private static object? Try(Func<object?> f)
    {
        try
        {
            return f();
        }
        catch (ArithmeticException e)
        {
            return e.GetType();
        }
    }

    private static int? EvalInt(Expression e, object?[] row) => e switch
    {
        IntegerLiteral i => i.IntValue,
        ColumnReference c => (int?)row[Array.IndexOf(Columns, c.Name)],
        ArithmeticUnaryExpression u => EvalInt(u.Operand, row) is { } v ? unchecked(-v) : null,
        SearchedCaseExpression s => EvalBool(s.WhenClauses[0].Operand, row) == true
            ? EvalInt(s.WhenClauses[0].Result, row)
            : s.DefaultValue is null ? null : EvalInt(s.DefaultValue, row),
        ArithmeticBinaryExpression b => Arithmetic(b.Operator, EvalInt(b.Left, row), EvalInt(b.Right, row)),
        _ => throw new InvalidOperationException(e.ToSql()),
    };

    private static int? Arithmetic(ArithmeticOperator op, int? left, int? right)
    {
        if (left is not { } a || right is not { } b)
        {
            return null;
        }

        return op switch
        {
            ArithmeticOperator.Add => unchecked(a + b),
            ArithmeticOperator.Subtract => unchecked(a - b),
            ArithmeticOperator.Multiply => unchecked(a * b),
            ArithmeticOperator.Divide => b == 0 ? throw new ArithmeticException() : b == -1 ? unchecked(-a) : a / b,
            _ => b == 0 ? throw new ArithmeticException() : b == -1 ? 0 : a % b,
        };
    }

    private static bool? EvalBool(Expression e, object?[] row)
    {
        switch (e)
        {
            case NotExpression n:
                return !EvalBool(n.Operand, row);
            case LogicalBinaryExpression l:
                {
                    var a = EvalBool(l.Left, row);
                    if (l.Operator == LogicalOperator.And)
                    {
                        if (a == false)
                        {
                            return false;
                        }

                        var b = EvalBool(l.Right, row);
                        return b == false ? false : a is null || b is null ? null : true;
                    }
                    else
                    {
                        if (a == true)
                        {
                            return true;
                        }

                        var b = EvalBool(l.Right, row);
                        return b == true ? true : a is null || b is null ? null : false;
                    }
                }

            case IsNullPredicate isNull:
                return EvalInt(isNull.Value, row) is null != isNull.Negated;
            case BetweenPredicate between:
                {
                    var v = EvalInt(between.Value, row);
                    var min = EvalInt(between.Min, row);
                    var max = EvalInt(between.Max, row);
                    if (v is null || min is null || max is null)
                    {
                        return false;
                    }

                    return (v >= min && v <= max) != between.Negated;
                }

            case InPredicate inPredicate:
                {
                    var v = EvalInt(inPredicate.Value, row);
                    var items = inPredicate.Values.Select(x => EvalInt(x, row)).ToList();
                    if (v is null)
                    {
                        return false;
                    }

                    return items.Contains(v) != inPredicate.Negated;
                }

            case ComparisonExpression c:
                {
                    var a = EvalInt(c.Left, row);
                    var b = EvalInt(c.Right, row);
                    return c.Operator switch
                    {
                        ComparisonOperator.IsDistinctFrom => a != b,
                        ComparisonOperator.IsNotDistinctFrom => a == b,
                        _ when a is null || b is null => false,
                        ComparisonOperator.Equal => a == b,
                        ComparisonOperator.NotEqual => a != b,
                        ComparisonOperator.LessThan => a < b,
                        ComparisonOperator.LessThanOrEqual => a <= b,
                        ComparisonOperator.GreaterThan => a > b,
                        _ => a >= b,
                    };
                }

            default:
                throw new InvalidOperationException(e.ToSql());
        }
    }
}
