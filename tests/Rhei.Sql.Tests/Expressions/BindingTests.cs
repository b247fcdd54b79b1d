using Rhei.Formats.Types;
using Rhei.Sql.Binding;
using Rhei.Sql.Compilation;
using Rhei.Sql.Parsing;
using static Rhei.Sql.Tests.Expressions.ExpressionTestKit;

namespace Rhei.Sql.Tests.Expressions;

/// <summary>Name resolution, aggregate and table function calls, printing, naming, rewriting and equality of bound trees.</summary>
public class BindingTests
{
    private static readonly ExpressionScope JoinScope = new(
    [
        new ScopeColumn("I1_FOO", SqlTypes.Integer, 0, "I1") { SourceColumnName = "FOO" },
        new ScopeColumn("I1_BAR", SqlTypes.Integer, 1, "I1") { SourceColumnName = "BAR" },
        new ScopeColumn("I2_BAR", SqlTypes.String, 2, "I2") { SourceColumnName = "BAR" },
        new ScopeColumn("I2_ONLY", SqlTypes.Double, 3, "I2") { SourceColumnName = "ONLY" },
    ]);

    private static BoundExpression BindIn(ExpressionScope scope, string sql, BindOptions? options = null) =>
        Binder.Bind(SqlParser.ParseExpression(sql), scope, options);

    [Theory]
    [InlineData("I1.FOO", 0)]
    [InlineData("FOO", 0)]
    [InlineData("I1.BAR", 1)]
    [InlineData("I2.BAR", 2)]
    [InlineData("ONLY", 3)]
    [InlineData("I2_ONLY", 3)]
    [InlineData("I1_BAR", 1)]
    public void ResolvesQualifiedAndUnqualifiedNames(string sql, int index)
    {
        var bound = Assert.IsType<BoundColumn>(BindIn(JoinScope, sql));
        Assert.Equal(index, bound.Column.Index);
    }

    [Theory]
    [InlineData("BAR", null, "Column 'BAR' is ambiguous. Could be I1.BAR or I2.BAR.")]
    [InlineData("BOB", "WHERE", "WHERE column 'BOB' cannot be resolved.")]
    [InlineData("I1.BOB", "SELECT", "SELECT column 'I1.BOB' cannot be resolved.")]
    [InlineData("I1.ONLY", "SELECT", "SELECT column 'I1.ONLY' cannot be resolved.")]
    [InlineData("NOPE", null, "Column 'NOPE' cannot be resolved.")]
    [InlineData("UNKNOWN.FOO", "SELECT", "'UNKNOWN' is not a valid stream/table name or alias.")]
    public void NameErrors(string sql, string? clause, string message)
    {
        var ex = Assert.Throws<SqlBindingException>(() => BindIn(JoinScope, sql, new BindOptions { Clause = clause }));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void UnquotedNamesAreUpperCasedQuotedOnesAreNot()
    {
        Assert.Equal(0, ((BoundColumn)BindIn(JoinScope, "foo")).Column.Index);
        Assert.Throws<SqlBindingException>(() => BindIn(JoinScope, "`foo`"));
    }

    [Fact]
    public void AmbiguityCarriesThePosition()
    {
        var ex = Assert.Throws<SqlBindingException>(() => BindIn(JoinScope, "FOO + \n  BAR"));
        Assert.Equal("Line: 2, Col: 3: Column 'BAR' is ambiguous. Could be I1.BAR or I2.BAR.", ex.MessageWithPosition);
    }

    [Fact]
    public void JoinColumnsPrintWithTheirRowNames()
    {
        var ex = Assert.Throws<SqlBindingException>(() => BindIn(JoinScope, "I1.BAR > I2.BAR"));
        Assert.Equal("Cannot compare I1_BAR (INTEGER) to I2_BAR (STRING) with GREATER_THAN.", ex.Message);
        Assert.Equal("I1_BAR", ExpressionNames.DefaultName(BindIn(JoinScope, "I1.BAR")));
    }

    [Theory]
    [InlineData("SUM(I)", "SUM(I)", "INTEGER")]
    [InlineData("SUM(L)", "SUM(L)", "BIGINT")]
    [InlineData("COUNT(*)", "COUNT(*)", "BIGINT")]
    [InlineData("COUNT(S)", "COUNT(S)", "BIGINT")]
    [InlineData("AVG(D)", "AVG(D)", "DOUBLE")]
    [InlineData("MAX(M)", "MAX(M)", "DECIMAL(4, 2)")]
    [InlineData("TOPK(I, 3)", "TOPK(I, 3)", "ARRAY<INTEGER>")]
    [InlineData("COLLECT_LIST(S)", "COLLECT_LIST(S)", "ARRAY<STRING>")]
    [InlineData("SUM(I) * 2", "(SUM(I) * 2)", "INTEGER")]
    [InlineData("SUM(I + L)", "SUM((I + L))", "BIGINT")]
    public void AggregatesBindWhenAllowed(string sql, string printed, string type)
    {
        var bound = Bind(sql, new BindOptions { AllowAggregates = true, Clause = "SELECT" });
        Assert.Equal(printed, bound.ToSql());
        Assert.Equal(type, bound.Type!.ToString());
        Assert.True(bound.ContainsAggregate);
        Assert.False(bound.IsConstant);
    }

    [Fact]
    public void AggregateCallExposesItsParts()
    {
        var call = Assert.IsType<BoundAggregateCall>(Bind("TOPK(I, 3)", new BindOptions { AllowAggregates = true }));
        Assert.Equal("TOPK", call.Name);
        Assert.Equal([3], call.InitArguments);
        Assert.Equal("I", Assert.Single(call.ColumnArguments).ToSql());
        var aggregator = call.CreateAggregator();
        var acc = aggregator.Initialize();
        foreach (var v in new object?[] { 5, 1, 9, 7 })
        {
            acc = aggregator.Aggregate(v, acc);
        }

        Assert.Equal("[INT 9, INT 7, INT 5]", Describe(aggregator.Map(acc)));

        var count = Assert.IsType<BoundAggregateCall>(Bind("COUNT(*)", new BindOptions { AllowAggregates = true }));
        Assert.True(count.Star);
        Assert.Single(count.ColumnArguments);
    }

    [Fact]
    public void PlannerReplacesAggregatesWithColumns()
    {
        var bound = Bind("SUM(I) * 2 + COUNT(*)", new BindOptions { AllowAggregates = true });
        var calls = bound.AggregateCalls();
        Assert.Equal(["SUM(I)", "COUNT(*)"], calls.Select(c => c.ToSql()));

        // The aggregated row: [SUM, COUNT].
        var columns = calls.Select((c, i) => new ScopeColumn($"KSQL_AGG_VARIABLE_{i}", c.Type!, i)).ToList();
        var rewritten = bound.Rewrite(e => e is BoundAggregateCall a ? new BoundColumn(columns[calls.ToList().IndexOf(a)]) : null);
        Assert.False(rewritten.ContainsAggregate);
        Assert.Equal("((KSQL_AGG_VARIABLE_0 * 2) + KSQL_AGG_VARIABLE_1)", rewritten.ToSql());
        Assert.Equal(25L, ExpressionCompiler.Compile(rewritten)([10, 5L]));
    }

    [Theory]
    [InlineData("SUM(I)", "WHERE", "WHERE does not support aggregate functions: SUM is an aggregate function.")]
    [InlineData("SUM(I)", "GROUP BY", "GROUP BY does not support aggregate functions: SUM is an aggregate function.")]
    [InlineData("I + COUNT(*)", null, "This expression does not support aggregate functions: COUNT is an aggregate function.")]
    [InlineData("MIN(NOPE) < 15000", "WHERE", "WHERE column 'NOPE' cannot be resolved.")]
    public void AggregatesAreRejectedWhereNotAllowed(string sql, string? clause, string message) =>
        Assert.Equal(message, BindError(sql, new BindOptions { Clause = clause }));

    [Theory]
    [InlineData("SUM(COUNT(I))", "Aggregate functions can not be nested: SUM(COUNT(I))")]
    [InlineData("SUM(COUNT())", "Aggregate functions can not be nested: SUM(COUNT())")]
    [InlineData("EARLIEST_BY_OFFSET(I, I)", "Parameter 2 passed to function EARLIEST_BY_OFFSET must be a literal constant, but was expression: 'I'")]
    [InlineData("TOPK(I, I2)", "Parameter 2 passed to function TOPK must be a literal constant, but was expression: 'I2'")]
    public void AggregateErrors(string sql, string message) =>
        Assert.Equal(message, BindError(sql, new BindOptions { AllowAggregates = true }));

    [Fact]
    public void TableFunctionsBindWhenAllowed()
    {
        var bound = Assert.IsType<BoundTableFunctionCall>(Bind("EXPLODE(A)", new BindOptions { AllowTableFunctions = true }));
        Assert.Equal("INTEGER", bound.Type!.ToString());
        Assert.True(bound.ContainsTableFunction);
        var values = ExpressionCompiler.Compile(bound)(Row);
        Assert.Equal("[INT 1, INT 2, INT 3]", Describe(values));
    }

    [Theory]
    [InlineData("I", "I")]
    [InlineData("T.I", "I")]
    [InlineData("ST->NAME", "NAME")]
    [InlineData("ST->SUB->X", "X")]
    [InlineData("I + 1", null)]
    [InlineData("ABS(I)", null)]
    [InlineData("A[1]", null)]
    [InlineData("CAST(I AS STRING)", null)]
    public void DefaultNames(string sql, string? name)
    {
        Assert.Equal(name, ExpressionNames.DefaultName(Bind(sql)));
        Assert.Equal(name, ExpressionNames.DefaultName(SqlParser.ParseExpression(sql)));
    }

    [Fact]
    public void GeneratedNames() => Assert.Equal("KSQL_COL_3", ExpressionNames.GeneratedName(3));

    [Theory]
    [InlineData("i+1", "(I + 1)")]
    [InlineData("I + L", "(I + L)")]
    [InlineData("T.I * 2", "(T.I * 2)")]
    [InlineData("substring(s, 7, 3)", "SUBSTRING(S, 7, 3)")]
    [InlineData("'it''s'", "'it''s'")]
    [InlineData("1.50 + D", "(1.50 + D)")]
    [InlineData("ARRAY[1, I]", "ARRAY[1, I]")]
    [InlineData("MAP('a' := I)", "MAP('a':=I)")]
    [InlineData("STRUCT(F0 := I)", "STRUCT(F0:=I)")]
    [InlineData("st->sub->x", "ST->SUB->X")]
    [InlineData("a[-1]", "A[-1]")]
    [InlineData("NOT b AND i BETWEEN 1 AND 2", "((NOT B) AND (I BETWEEN 1 AND 2))")]
    [InlineData("s NOT LIKE '%x' ESCAPE '!'", "(S NOT LIKE '%x' ESCAPE '!')")]
    [InlineData("i IN (1, 2)", "(I IN (1, 2))")]
    [InlineData("n IS NOT NULL", "(N IS NOT NULL)")]
    [InlineData("CAST(i AS decimal(4,1))", "CAST(I AS DECIMAL(4, 1))")]
    [InlineData("CASE WHEN b THEN 1 ELSE 2 END", "(CASE WHEN B THEN 1 ELSE 2 END)")]
    [InlineData("CASE i WHEN 1 THEN 'a' END", "(CASE I WHEN 1 THEN 'a' END)")]
    [InlineData("-i", "-I")]
    [InlineData("ts > '2020-01-01'", "(TS > '2020-01-01')")]
    [InlineData("i IS DISTINCT FROM n", "(I IS DISTINCT FROM N)")]
    [InlineData("DATEADD(DAYS, 1, dt)", "DATEADD(DAYS, 1, DT)")]
    public void PrintsAsKsqlDbDoes(string sql, string printed) => Assert.Equal(printed, Bind(sql).ToSql());

    [Fact]
    public void EqualityIgnoresQualifiersAndPositions()
    {
        Assert.Equal(Bind("T.I + 1"), Bind("I   +   1"));
        Assert.Equal(Bind("SUBSTRING(S, 1)"), Bind("substring(T.S, 1)"));
        Assert.NotEqual(Bind("I + 1"), Bind("I + 2"));
        Assert.Equal(Bind("SUBSTRING(S, 1)").GetHashCode(), Bind("substring(T.S, 1)").GetHashCode());
    }

    [Fact]
    public void ReferencesAndConstancy()
    {
        var bound = Bind("I + ABS(I2) + ST->AGE");
        Assert.Equal(["I", "I2", "ST"], bound.References().Select(c => c.Name));
        Assert.False(bound.IsConstant);
        Assert.True(Bind("1 + ABS(-2)").IsConstant);
        Assert.True(Bind("TRANSFORM(ARRAY[1], x => x + 1)").References().Count == 0);
    }

    [Fact]
    public void RewriteSubstitutesGroupByExpressions()
    {
        // GROUP BY (I + 1): the SELECT expression (I + 1) * 2 reads the key column instead.
        var key = new ScopeColumn("KSQL_COL_0", SqlTypes.Integer, 0);
        var groupBy = Bind("I + 1");
        var select = Bind("(T.I + 1) * 2");
        var rewritten = select.Rewrite(e => e.Equals(groupBy) ? new BoundColumn(key) : null);
        Assert.Equal("(KSQL_COL_0 * 2)", rewritten.ToSql());
        Assert.Equal(16, ExpressionCompiler.Compile(rewritten)([8]));
        Assert.Same(select, select.Rewrite(_ => null));
    }

    [Fact]
    public void ImplicitCastsAreExplicitInTheTreeButNotInTheText()
    {
        var bound = (BoundArithmetic)Bind("I + L");
        var cast = Assert.IsType<BoundCast>(bound.Left);
        Assert.True(cast.IsImplicit);
        Assert.Equal(SqlTypes.BigInt, cast.Type);
        Assert.Equal("(I + L)", bound.ToSql());

        // Literals are converted when bound, not per row.
        var literal = Assert.IsType<BoundLiteral>(((BoundArithmetic)Bind("L + 1")).Right);
        Assert.Equal(1L, literal.Value);
    }

    [Fact]
    public void NullTypeHelpers()
    {
        Assert.Null(Bind("NULL").Type);
        Assert.Equal(
            "Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).",
            ExpressionBinder.CannotInferNullType().Message);
        Assert.Equal(SqlTypes.Boolean, Binder.BindPredicate(SqlParser.ParseExpression("NULL"), Scope).Type);
    }

    [Fact]
    public void CustomTypes()
    {
        Assert.Equal(PersonType, Binder.ResolveType(SqlParser.ParseType("PERSON")));
        Assert.Equal(SqlTypes.Array(PersonType), Binder.ResolveType(SqlParser.ParseType("ARRAY<PERSON>")));
        Assert.Throws<SqlBindingException>(() => Binder.ResolveType(SqlParser.ParseType("STRUCT<A INT, A INT>")));
    }
}
