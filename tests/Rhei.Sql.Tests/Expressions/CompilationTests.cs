using Rhei.Formats.Types;
using Rhei.Sql.Binding;
using Rhei.Sql.Compilation;
using Rhei.Sql.Functions;
using Rhei.Sql.Parsing;
using static Rhei.Sql.Tests.Expressions.ExpressionTestKit;

namespace Rhei.Sql.Tests.Expressions;

/// <summary>The error path (NULL or false plus a report), projections, constant evaluation and folding.</summary>
public class CompilationTests
{
    [Fact]
    public void FailingColumnIsNullAndReported()
    {
        var errors = new List<ExpressionError>();
        var projection = ExpressionCompiler.CompileProjection([Bind("I"), Bind("I / Z"), Bind("S"), Bind("CAST(S AS INT)")], errors.Add);
        var output = projection(Row);
        Assert.Equal([7, null, "hello", null], output);
        Assert.Equal(2, errors.Count);

        Assert.Equal(1, errors[0].ColumnIndex);
        Assert.Equal("(I / Z)", errors[0].ExpressionText);
        Assert.IsType<ArithmeticException>(errors[0].Exception);
        Assert.Equal("Error computing expression (I / Z) for column KSQL_COL_0 with index 1: / by zero", errors[0].Message("KSQL_COL_0"));
        Assert.Same(Row.Length == errors[0].Row.Length ? errors[0].Row : null, errors[0].Row);

        Assert.Equal(3, errors[1].ColumnIndex);
        Assert.Equal("invalid input syntax for type INTEGER: \"hello\".", errors[1].Exception.Message);
    }

    [Fact]
    public void FailingConstructorElementsAreNullOnTheirOwn()
    {
        var errors = new List<ExpressionError>();
        var projection = ExpressionCompiler.CompileProjection(
            [Bind("ARRAY[44, STRINGTODATE(S, 'yyyyMMdd')]"), Bind("STRUCT(F1 := 'moo', F2 := I / Z)"), Bind("MAP('a' := I / Z, 'b' := 1)")],
            errors.Add);
        var output = projection(Row);
        Assert.Equal("[INT 44, NULL]", Describe(output[0]));
        Assert.Equal("STRUCT{F1=STRING moo, F2=NULL}", Describe(output[1]));
        Assert.Equal("MAP{STRING a=NULL, STRING b=INT 1}", Describe(output[2]));
        Assert.Equal([0, 1, 2], errors.Select(e => e.ColumnIndex));
        Assert.Equal(["STRINGTODATE(S, 'yyyyMMdd')", "(I / Z)", "(I / Z)"], errors.Select(e => e.ExpressionText));
    }

    [Fact]
    public void FailuresInsideLambdasAreReported()
    {
        var errors = new List<ExpressionError>();
        var scope = ExpressionScope.Of(("XS", SqlTypes.Array(SqlTypes.Integer)), ("K", SqlTypes.Integer));
        var detached = ExpressionCompiler.Compile(
            Binder.Bind(SqlParser.ParseExpression("TRANSFORM(XS, x => ARRAY[10 / x])"), scope), errors.Add);
        Assert.Equal("[[INT 10], [NULL]]", Describe(detached([L(1, 0), 3])));
        var closing = ExpressionCompiler.Compile(
            Binder.Bind(SqlParser.ParseExpression("TRANSFORM(XS, x => ARRAY[K / x])"), scope), errors.Add);
        Assert.Equal("[[INT 3], [NULL]]", Describe(closing([L(1, 0), 3])));
        Assert.Equal(2, errors.Count);
        Assert.Empty(errors[0].Row);
        Assert.Equal(2, errors[1].Row.Length);
    }

    [Fact]
    public void OtherRowsAreUnaffected()
    {
        var errors = new List<ExpressionError>();
        var scope = ExpressionScope.Of(("A", SqlTypes.Integer), ("B", SqlTypes.Integer));
        var projection = ExpressionCompiler.CompileProjection(
            [Binder.Bind(SqlParser.ParseExpression("A / B"), scope), Binder.Bind(SqlParser.ParseExpression("A % B"), scope)],
            errors.Add);
        Assert.Equal([5, 0], projection([10, 2]));
        Assert.Equal([null, null], projection([10, 0]));
        Assert.Equal([-3, -1], projection([-10, 3]));
        Assert.Equal([null, null], projection([null, 0]));
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void FailingPredicateIsFalseAndReported()
    {
        var errors = new List<ExpressionError>();
        var predicate = ExpressionCompiler.CompilePredicate(Bind("I / Z > 1 OR TS > S"), errors.Add);
        Assert.False(predicate(Row));
        var error = Assert.Single(errors);
        Assert.Equal(-1, error.ColumnIndex);
        Assert.Equal("Error computing expression (((I / Z) > 1) OR (TS > S)): / by zero", error.Message());
    }

    [Fact]
    public void FailingTimestampTextIsReported()
    {
        var errors = new List<ExpressionError>();
        var predicate = ExpressionCompiler.CompilePredicate(Bind("TS > S"), errors.Add);
        Assert.False(predicate(Row));
        Assert.StartsWith("Failed to parse timestamp 'hello'", Assert.Single(errors).Exception.Message);
    }

    [Fact]
    public void FunctionErrorsAreReported()
    {
        var errors = new List<ExpressionError>();
        var scope = ExpressionScope.Of(("M", SqlTypes.Map(SqlTypes.String, SqlTypes.Integer)));
        var compiled = ExpressionCompiler.Compile(
            Binder.Bind(SqlParser.ParseExpression("TRANSFORM(M, (k, v) => 'same', (k, v) => v)"), scope), errors.Add);
        Assert.Null(compiled([new Dictionary<object, object?> { ["a"] = 1, ["b"] = 2 }]));
        Assert.IsType<SqlFunctionException>(Assert.Single(errors).Exception);
        Assert.Equal("MAP{STRING same=INT 1}", Describe(compiled([new Dictionary<object, object?> { ["a"] = 1 }])));
    }

    [Fact]
    public void WithoutHandlerErrorsPropagate()
    {
        var compiled = ExpressionCompiler.Compile(Bind("I / Z"));
        Assert.Throws<ArithmeticException>(() => compiled(Row));
    }

    [Fact]
    public void ExpressionsThatCannotFailAreNotGuarded()
    {
        Assert.False(ExpressionCompiler.CanFail(Bind("I + L > 3 AND S LIKE 'h%'")));
        Assert.False(ExpressionCompiler.CanFail(Bind("L % 123 = 0")));
        Assert.True(ExpressionCompiler.CanFail(Bind("L % I = 0")));
        Assert.False(ExpressionCompiler.CanFail(Bind("D / 0")));
        Assert.True(ExpressionCompiler.CanFail(Bind("I / Z")));
        Assert.True(ExpressionCompiler.CanFail(Bind("UCASE(S)")));
        Assert.True(ExpressionCompiler.CanFail(Bind("CAST(S AS INT)")));
        Assert.True(ExpressionCompiler.CanFail(Bind("M + M")));
        Assert.False(ExpressionCompiler.CanFail(Bind("CAST(I AS STRING)")));
    }

    [Fact]
    public void EvaluationDoesNotAllocateBeyondTheOutput()
    {
        var row = Row;
        var predicate = ExpressionCompiler.CompilePredicate(Bind("L2 % 123 = 0 AND I BETWEEN 1 AND 10 AND S LIKE 'h%' AND I IN (1, 7, 9)"), _ => { });
        var projection = ExpressionCompiler.CompileProjection([Bind("I = 7"), Bind("L"), Bind("B AND NB"), Bind("ST->NAME")], _ => { });
        var into = ExpressionCompiler.CompileProjectionInto([Bind("I = 7"), Bind("L"), Bind("ST->NAME")], _ => { });
        var output = new object?[3];
        for (var i = 0; i < 100; i++)
        {
            predicate(row);
            projection(row);
            into(row, output);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(predicate(row));
        }

        var afterPredicate = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            into(row, output);
        }

        var afterInto = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            projection(row);
        }

        var afterProjection = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, afterPredicate - before);
        Assert.Equal(0, afterInto - afterPredicate);

        // Only the output array: 24 bytes of header and length plus 4 references.
        Assert.True(afterProjection - afterInto <= 1000 * 56, $"{(afterProjection - afterInto) / 1000.0} bytes per row");
    }

    [Fact]
    public void ProjectionIntoReusesTheOutputArray()
    {
        var projection = ExpressionCompiler.CompileProjectionInto([Bind("I + 1"), Bind("S")]);
        var output = new object?[3];
        projection(Row, output);
        Assert.Equal([8, "hello", null], output);
    }

    [Fact]
    public void PassThroughColumnsKeepTheirObjects()
    {
        var row = Row;
        var output = ExpressionCompiler.CompileProjection([Bind("A"), Bind("ST"), Bind("L")])(row);
        Assert.Same(row[Array.FindIndex(Columns, c => c.Name == "A")], output[0]);
        Assert.Same(row[Array.FindIndex(Columns, c => c.Name == "ST")], output[1]);
        Assert.Same(row[Array.FindIndex(Columns, c => c.Name == "L")], output[2]);
    }

    [Fact]
    public void NexmarkQueriesCompile()
    {
        // q1: SELECT auction, bidder, 0.908 * price AS price, date_time, extra FROM bid; q2: WHERE auction % 123 = 0.
        var scope = ExpressionScope.Of(
            ("AUCTION", SqlTypes.BigInt), ("BIDDER", SqlTypes.BigInt), ("PRICE", SqlTypes.BigInt),
            ("CHANNEL", SqlTypes.String), ("URL", SqlTypes.String), ("DATE_TIME", SqlTypes.Timestamp), ("EXTRA", SqlTypes.String));
        var q1 = ExpressionCompiler.CompileProjection(
            [.. new[] { "auction", "bidder", "0.908 * price", "date_time", "extra" }.Select(s => Binder.Bind(SqlParser.ParseExpression(s), scope))]);
        var q2 = ExpressionCompiler.CompilePredicate(Binder.BindPredicate(SqlParser.ParseExpression("auction % 123 = 0"), scope));
        var ts = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        object?[] bid = [246L, 7L, 1000L, "c", "u", ts, "x"];
        Assert.Equal([246L, 7L, 908.000m, ts, "x"], q1(bid));
        Assert.Equal("DECIMAL 908.000", Describe(q1(bid)[2]));
        Assert.True(q2(bid));
        Assert.False(q2([247L, 7L, 1000L, "c", "u", ts, "x"]));
        Assert.False(q2([null, 7L, 1000L, "c", "u", ts, "x"]));
    }

    [Theory]
    [InlineData("1 + 2", "INT 3")]
    [InlineData("'a' + 'b'", "STRING ab")]
    [InlineData("CAST('2020-01-01' AS TIMESTAMP)", "TIMESTAMP 2020-01-01T00:00:00.000")]
    [InlineData("ARRAY[1, 2]", "[INT 1, INT 2]")]
    [InlineData("MAP('k' := STRUCT(A := 1))", "MAP{STRING k=STRUCT{A=INT 1}}")]
    [InlineData("NULL", "NULL")]
    [InlineData("CAST(NULL AS INT)", "NULL")]
    [InlineData("-5.50", "DECIMAL -5.50")]
    [InlineData("UCASE('x')", "STRING X")]
    [InlineData("TRANSFORM(ARRAY[1, 2], x => x * 10)", "[INT 10, INT 20]")]
    [InlineData("FROM_UNIXTIME(1000)", "TIMESTAMP 1970-01-01T00:00:01.000")]
    public void EvaluatesConstants(string sql, string expected) =>
        Assert.Equal(expected, Describe(ExpressionCompiler.EvaluateConstant(Binder.Bind(SqlParser.ParseExpression(sql), ExpressionScope.Empty))));

    [Theory]
    [InlineData("CAST('hello' AS INT)", "invalid input syntax for type INTEGER: \"hello\".")]
    [InlineData("1 / 0", "/ by zero")]
    [InlineData("CAST(123.45 AS DECIMAL(3, 1))", "Numeric field overflow")]
    public void ConstantErrorsAreThrown(string sql, string message)
    {
        var bound = Binder.Bind(SqlParser.ParseExpression(sql), ExpressionScope.Empty);
        var ex = Assert.ThrowsAny<Exception>(() => ExpressionCompiler.EvaluateConstant(bound));
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void ConstantEvaluationRejectsColumns() =>
        Assert.Throws<ArgumentException>(() => ExpressionCompiler.EvaluateConstant(Bind("I + 1")));

    [Fact]
    public void AggregatesMustBeReplacedBeforeCompiling() =>
        Assert.Throws<InvalidOperationException>(() => ExpressionCompiler.Compile(Bind("SUM(I)", new BindOptions { AllowAggregates = true })));

    [Fact]
    public void ConstantSubtreesAreFoldedButRandomIsNot()
    {
        var tree = ExpressionCompiler.BuildTree(Bind("I + (2 * 3)")).ToString();
        Assert.Contains("6", tree, StringComparison.Ordinal);
        var random = ExpressionCompiler.Compile(Bind("RANDOM()"));
        var values = Enumerable.Range(0, 10).Select(_ => random(Row)).Distinct().Count();
        Assert.True(values > 1);
    }

    [Fact]
    public void DelegatesAreThreadSafe()
    {
        var projection = ExpressionCompiler.CompileProjection([Bind("S LIKE SPAT"), Bind("I IN (1, 7)"), Bind("TRANSFORM(A, x => x + I)")]);
        Parallel.For(0, 2000, i =>
        {
            var output = projection(Row);
            Assert.Equal(true, output[0]);
            Assert.Equal(true, output[1]);
            Assert.Equal("[INT 8, INT 9, INT 10]", Describe(output[2]));
        });
    }

    [Fact]
    public void ClosingLambdasAndConstantLambdas()
    {
        var scope = ExpressionScope.Of(("XS", SqlTypes.Array(SqlTypes.Integer)), ("K", SqlTypes.Integer));
        var closing = ExpressionCompiler.Compile(Binder.Bind(SqlParser.ParseExpression("TRANSFORM(XS, x => x * K)"), scope));
        Assert.Equal("[INT 2, INT 4]", Describe(closing([L(1, 2), 2])));
        Assert.Equal("[INT 3, INT 6]", Describe(closing([L(1, 2), 3])));
        var constant = ExpressionCompiler.Compile(Binder.Bind(SqlParser.ParseExpression("TRANSFORM(XS, x => x * 2)"), scope));
        Assert.Equal("[INT 2, NULL]", Describe(constant([L(1, null), 3])));
    }
}
