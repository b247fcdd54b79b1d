using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Parsing;

public sealed class ExpressionTests
{
    private static string Printed(string sql) => ParseAssert.Expression<Expression>(sql).ToSql();

    [Theory]
    [InlineData("a OR b AND c", "(A OR (B AND C))")]
    [InlineData("a AND b OR c", "((A AND B) OR C)")]
    [InlineData("NOT a AND b", "((NOT A) AND B)")]
    [InlineData("NOT a = b", "(NOT (A = B))")]
    [InlineData("a = 1 AND NOT b IS NULL", "((A = 1) AND (NOT (B IS NULL)))")]
    [InlineData("a + b * c", "(A + (B * C))")]
    [InlineData("a * b + c", "((A * B) + C)")]
    [InlineData("a - b - c", "((A - B) - C)")]
    [InlineData("a / b % c", "((A / B) % C)")]
    [InlineData("-a * b", "(-A * B)")]
    [InlineData("- (a + b)", "-(A + B)")]
    [InlineData("a - -b", "(A - -B)")]
    [InlineData("- -a", "- -A")]
    [InlineData("+a", "+A")]
    [InlineData("a || b + c", "CONCAT(A, (B + C))")]
    [InlineData("a + b || c", "CONCAT((A + B), C)")]
    [InlineData("a + b = c * d", "((A + B) = (C * D))")]
    [InlineData("a BETWEEN 1 AND 2 AND b", "((A BETWEEN 1 AND 2) AND B)")]
    [InlineData("(a OR b) AND c", "((A OR B) AND C)")]
    public void Precedence_follows_ksqlDB(string sql, string expected) => Assert.Equal(expected, Printed(sql));

    [Fact]
    public void Only_one_predicate_per_value_expression()
    {
        var e = Assert.Throws<SqlParseException>(() => SqlParser.ParseExpression("a = b = c"));
        Assert.Equal((1, 7), (e.Line, e.Column));
    }

    [Fact]
    public void Integer_literals_are_INT_when_they_fit_else_BIGINT()
    {
        Assert.Equal(2147483647, ParseAssert.Expression<IntegerLiteral>("2147483647").IntValue);
        Assert.Equal(-2147483648, ParseAssert.Expression<IntegerLiteral>("-2147483648").IntValue);
        Assert.Equal(2147483648L, ParseAssert.Expression<BigIntLiteral>("2147483648").LongValue);
        Assert.Equal(long.MinValue, ParseAssert.Expression<BigIntLiteral>("-9223372036854775808").LongValue);
        var e = Assert.Throws<SqlParseException>(() => SqlParser.ParseExpression("9223372036854775808"));
        Assert.Contains("out of the range of BIGINT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decimal_literals_keep_their_scale()
    {
        var d = ParseAssert.Expression<DecimalLiteral>("1.50");
        Assert.Equal(("1.50", 3, 2), (d.Text, d.Precision, d.Scale));
        Assert.Equal(1.50m, d.Value);
        Assert.Equal("0.5", ParseAssert.Expression<DecimalLiteral>(".5").Text);
        Assert.Equal(("1.", 0), (ParseAssert.Expression<DecimalLiteral>("1.").Text, ParseAssert.Expression<DecimalLiteral>("1.").Scale));
        Assert.Equal(("0.05", 1, 2), (ParseAssert.Expression<DecimalLiteral>("0.05").Text, 1, ParseAssert.Expression<DecimalLiteral>("0.05").Scale));
        Assert.Equal(1, ParseAssert.Expression<DecimalLiteral>("0.05").Precision);
        Assert.Equal("-12.5", ParseAssert.Expression<DecimalLiteral>("-012.5").Text);
        Assert.Equal(
            "123456789012345678901234567890.12",
            ParseAssert.Expression<DecimalLiteral>("123456789012345678901234567890.12").Value);
    }

    [Fact]
    public void Exponent_literals_are_DOUBLE_and_print_back_as_DOUBLE()
    {
        Assert.Equal(1000.0, ParseAssert.Expression<DoubleLiteral>("1e3").DoubleValue);
        Assert.Equal(-0.015, ParseAssert.Expression<DoubleLiteral>("-1.5E-2").DoubleValue);
        Assert.Equal("1000E0", new DoubleLiteral(1000).ToSql());
        Assert.Equal(1.7976931348623157E308, ParseAssert.Expression<DoubleLiteral>("1.7976931348623157E308").DoubleValue);
        var e = Assert.Throws<SqlParseException>(() => SqlParser.ParseExpression("1.8E308"));
        Assert.Equal("Number overflows DOUBLE: 1.8E308", e.ErrorMessage);
    }

    [Fact]
    public void Other_literals()
    {
        Assert.IsType<NullLiteral>(SqlParser.ParseExpression("null"));
        Assert.True(ParseAssert.Expression<BooleanLiteral>("TRUE").BooleanValue);
        Assert.False(ParseAssert.Expression<BooleanLiteral>("false").BooleanValue);
        Assert.Equal("it's", ParseAssert.Expression<StringLiteral>("'it''s'").Text);
        Assert.Equal("'it''s'", new StringLiteral("it's").ToSql());
    }

    [Fact]
    public void Column_references_plain_qualified_and_quoted()
    {
        Assert.Equal(new ColumnReference("COL"), ParseAssert.Expression<ColumnReference>("col"));
        Assert.Equal(new ColumnReference("S", "COL"), ParseAssert.Expression<ColumnReference>("s.col"));
        Assert.Equal(new ColumnReference("s", "Col"), ParseAssert.Expression<ColumnReference>("`s`.\"Col\""));
        Assert.Equal("`s`.`Col`", new ColumnReference("s", "Col").ToSql());
        Assert.Equal(new ColumnReference("KEY"), ParseAssert.Expression<ColumnReference>("key"));
        Assert.Equal(new ColumnReference("TIMESTAMP"), ParseAssert.Expression<ColumnReference>("timestamp"));
    }

    [Fact]
    public void Struct_dereference_and_subscripts_chain()
    {
        var e = ParseAssert.Expression<DereferenceExpression>("s.a->b['k'][1]->c");
        Assert.Equal(
            new DereferenceExpression(
                new SubscriptExpression(
                    new SubscriptExpression(new DereferenceExpression(new ColumnReference("S", "A"), "B"), new StringLiteral("k")),
                    new IntegerLiteral(1)),
                "C"),
            e);
        Assert.Equal("S.A->B['k'][1]->C", e.ToSql());
    }

    [Fact]
    public void Function_calls_with_star_no_arguments_and_time_units()
    {
        Assert.Equal(new FunctionCall("COUNT", [], Star: true), ParseAssert.Expression<FunctionCall>("count(*)"));
        Assert.Equal(new FunctionCall("COUNT", []), ParseAssert.Expression<FunctionCall>("COUNT()"));
        var add = ParseAssert.Expression<FunctionCall>("TIMESTAMPADD(milliseconds, 5, ts)");
        Assert.Equal(new TimeUnitExpression(SqlTimeUnit.Millisecond), add.Arguments[0]);
        Assert.Equal(new TimeUnitExpression(SqlTimeUnit.Day), ParseAssert.Expression<FunctionCall>("DATEADD(DAYS, 1, d)").Arguments[0]);

        // SECOND is non-reserved: a column, as in ksqlDB.
        Assert.Equal(new ColumnReference("SECOND"), ParseAssert.Expression<FunctionCall>("f(second)").Arguments[0]);
        Assert.Equal("`myFn`(1)", ParseAssert.Expression<FunctionCall>("`myFn`(1)").ToSql());
    }

    [Fact]
    public void Lambdas_bind_their_parameters_as_lambda_variables()
    {
        var call = ParseAssert.Expression<FunctionCall>("REDUCE(arr, 0, (s, x) => s + x * y)");
        var lambda = Assert.IsType<LambdaExpression>(call.Arguments[2]);
        Assert.Equal(["S", "X"], lambda.Parameters);
        Assert.Equal(
            new ArithmeticBinaryExpression(
                ArithmeticOperator.Add,
                new LambdaVariable("S"),
                new ArithmeticBinaryExpression(ArithmeticOperator.Multiply, new LambdaVariable("X"), new ColumnReference("Y"))),
            lambda.Body);

        var single = ParseAssert.Expression<FunctionCall>("filter(v, x => x > 5)");
        Assert.Equal("FILTER(V, X => (X > 5))", single.ToSql());

        // Nested lambdas see the outer parameters; outside the lambda the name is a column again.
        var nested = ParseAssert.Expression<FunctionCall>("TRANSFORM(m, (k, v) => FILTER(v, y => y > k), x)");
        Assert.Equal(new ColumnReference("X"), nested.Arguments[2]);
        Assert.Contains("(Y > K)", nested.ToSql(), StringComparison.Ordinal);
        var inner = (FunctionCall)((LambdaExpression)nested.Arguments[1]).Body;
        Assert.Equal(
            new ComparisonExpression(ComparisonOperator.GreaterThan, new LambdaVariable("Y"), new LambdaVariable("K")),
            ((LambdaExpression)inner.Arguments[1]).Body);
    }

    [Fact]
    public void Predicates()
    {
        Assert.Equal(
            new BetweenPredicate(new ColumnReference("A"), new IntegerLiteral(1), new IntegerLiteral(5), Negated: true),
            ParseAssert.Expression<BetweenPredicate>("a NOT BETWEEN 1 AND 5"));
        Assert.Equal(
            new LikePredicate(new ColumnReference("A"), new StringLiteral("%x\\_"), '\\', Negated: true),
            ParseAssert.Expression<LikePredicate>("a NOT LIKE '%x\\_' ESCAPE '\\'"));
        Assert.Equal(
            new InPredicate(new ColumnReference("A"), [new IntegerLiteral(1), new ColumnReference("B")], Negated: true),
            ParseAssert.Expression<InPredicate>("a NOT IN (1, b)"));
        Assert.Equal(new IsNullPredicate(new ColumnReference("A"), Negated: true), ParseAssert.Expression<IsNullPredicate>("a IS NOT NULL"));
        Assert.Equal(
            ComparisonOperator.IsNotDistinctFrom,
            ParseAssert.Expression<ComparisonExpression>("a IS NOT DISTINCT FROM b").Operator);
        Assert.Equal(ComparisonOperator.IsDistinctFrom, ParseAssert.Expression<ComparisonExpression>("a IS DISTINCT FROM b").Operator);
        Assert.Equal(ComparisonOperator.NotEqual, ParseAssert.Expression<ComparisonExpression>("a != b").Operator);
        Assert.Equal("(A <> B)", ParseAssert.Expression<ComparisonExpression>("a != b").ToSql());

        var e = Assert.Throws<SqlParseException>(() => SqlParser.ParseExpression("a LIKE 'x' ESCAPE 'ab'"));
        Assert.Contains("exactly one character", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Case_expressions()
    {
        var searched = ParseAssert.Expression<SearchedCaseExpression>("CASE WHEN a < 2 THEN 'sm' WHEN a < 4 THEN 'md' ELSE 'lg' END");
        Assert.Equal(2, searched.WhenClauses.Count);
        Assert.Equal(new StringLiteral("lg"), searched.DefaultValue);
        Assert.Equal("(CASE WHEN (A < 2) THEN 'sm' WHEN (A < 4) THEN 'md' ELSE 'lg' END)", searched.ToSql());

        var simple = ParseAssert.Expression<SimpleCaseExpression>("CASE a + 1 WHEN 1 THEN 'one' END");
        Assert.Equal(new ArithmeticBinaryExpression(ArithmeticOperator.Add, new ColumnReference("A"), new IntegerLiteral(1)), simple.Operand);
        Assert.Null(simple.DefaultValue);
    }

    [Fact]
    public void Cast_and_constructors()
    {
        var cast = ParseAssert.Expression<CastExpression>("CAST(a AS DECIMAL(10, 2))");
        Assert.Equal(new DecimalTypeSyntax(10, 2), cast.Type);

        var array = ParseAssert.Expression<CreateArrayExpression>("ARRAY[1, null, a]");
        Assert.Equal(3, array.Values.Count);
        Assert.Empty(ParseAssert.Expression<CreateArrayExpression>("ARRAY[]").Values);

        var map = ParseAssert.Expression<CreateMapExpression>("MAP('a' := 1, 'b' := v * 2)");
        Assert.Equal("MAP('a':=1, 'b':=(V * 2))", map.ToSql());

        var structure = ParseAssert.Expression<CreateStructExpression>("STRUCT(f1 := v1, `f2` := 'x')");
        Assert.Equal(["F1", "f2"], structure.Fields.Select(f => f.Name));
        Assert.Equal("STRUCT(F1:=V1, `f2`:='x')", structure.ToSql());

        // Without the constructor's bracket, ARRAY/MAP/STRUCT are ordinary names.
        Assert.Equal(new ColumnReference("MAP"), ParseAssert.Expression<SubscriptExpression>("map['k']").Base);
        Assert.Equal("`ARRAY`[1]", new SubscriptExpression(new ColumnReference("ARRAY"), new IntegerLiteral(1)).ToSql());
    }

    [Fact]
    public void Positions_point_at_the_start_of_each_node()
    {
        var comparison = ParseAssert.Expression<ComparisonExpression>("x +\n  t.id = tt.iid");
        Assert.Equal((1, 1), (comparison.Position.Line, comparison.Position.Column));
        var right = Assert.IsType<ColumnReference>(comparison.Right);
        Assert.Equal((2, 10), (right.Position.Line, right.Position.Column));
        var left = Assert.IsType<ArithmeticBinaryExpression>(comparison.Left);
        Assert.Equal((2, 3), (left.Right.Position.Line, left.Right.Position.Column));
    }

    [Fact]
    public void Printing_parenthesizes_prefix_operators_under_postfix_ones()
    {
        var e = new SubscriptExpression(new ArithmeticUnaryExpression(ArithmeticUnaryOperator.Minus, new ColumnReference("A")), new IntegerLiteral(1));
        Assert.Equal("(-A)[1]", e.ToSql());
        Assert.Equal(e, SqlParser.ParseExpression(e.ToSql()));
    }
}
