using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Parsing;

public sealed class QueryTests
{
    [Fact]
    public void Select_items_star_qualified_star_struct_star_and_aliases()
    {
        var q = ParseAssert.Statement<Query>("SELECT *, l.*, v1->a->*, a AS x, b y, c FROM s");
        Assert.Equal(
            [
                new AllColumns(),
                new AllColumns("L"),
                new AllStructFields(new DereferenceExpression(new ColumnReference("V1"), "A")),
                new SingleColumn(new ColumnReference("A"), "X"),
                new SingleColumn(new ColumnReference("B"), "Y"),
                new SingleColumn(new ColumnReference("C")),
            ],
            q.Select);
        Assert.Equal("SELECT *, L.*, V1->A->*, A AS X, B AS Y, C FROM S", q.ToSql());
    }

    [Fact]
    public void All_clauses_in_order()
    {
        var q = ParseAssert.Statement<Query>(
            "SELECT k, COUNT(*) FROM s WINDOW TUMBLING (SIZE 5 MINUTES) WHERE v > 0 GROUP BY k HAVING COUNT(*) > 1 EMIT CHANGES LIMIT 10;");
        Assert.Equal(new TumblingWindow(new SqlDuration(5, SqlTimeUnit.Minute)), q.Window);
        Assert.NotNull(q.Where);
        Assert.Equal([new ColumnReference("K")], q.GroupBy!.Value);
        Assert.Null(q.PartitionBy);
        Assert.NotNull(q.Having);
        Assert.Equal(ResultMaterialization.Changes, q.Emit);
        Assert.Equal(10, q.Limit);

        var pull = ParseAssert.Statement<Query>("SELECT * FROM t WHERE k = 'usa'");
        Assert.Null(pull.Emit);
        Assert.Equal(ResultMaterialization.Final, ParseAssert.Statement<Query>("SELECT * FROM t EMIT FINAL").Emit);
    }

    [Fact]
    public void Partition_by_and_group_by_lists()
    {
        Assert.Equal(
            [new ColumnReference("A"), new ColumnReference("B")],
            ParseAssert.Statement<Query>("SELECT * FROM s PARTITION BY a, b").PartitionBy!.Value);
        Assert.Equal(
            [new ColumnReference("F3"), new ColumnReference("F2"), new ColumnReference("F1")],
            ParseAssert.Statement<Query>("SELECT * FROM s GROUP BY (f3, f2, f1)").GroupBy!.Value);
        Assert.Equal(
            [new IsNullPredicate(new ColumnReference("NAME"))],
            ParseAssert.Statement<Query>("SELECT * FROM s GROUP BY (name IS NULL)").GroupBy!.Value);
        Assert.Equal(
            [new ArithmeticBinaryExpression(ArithmeticOperator.Multiply, new ArithmeticBinaryExpression(ArithmeticOperator.Add, new ColumnReference("A"), new IntegerLiteral(1)), new IntegerLiteral(2)), new ColumnReference("B")],
            ParseAssert.Statement<Query>("SELECT * FROM s GROUP BY (a + 1) * 2, b").GroupBy!.Value);
        Assert.Empty(ParseAssert.Statement<Query>("SELECT * FROM s PARTITION BY ()").PartitionBy!.Value);
    }

    [Fact]
    public void Non_reserved_clause_words_are_not_taken_as_aliases()
    {
        var q = ParseAssert.Statement<Query>("SELECT * FROM s emit changes");
        Assert.Null(q.From.Source.Alias);
        Assert.Null(ParseAssert.Statement<Query>("SELECT * FROM s partition by a").From.Source.Alias);
        Assert.Equal("ORDER", ParseAssert.Statement<Query>("SELECT * FROM s order").From.Source.Alias);
        Assert.Equal("EMIT", ParseAssert.Statement<Query>("SELECT * FROM s emit").From.Source.Alias);
    }

    [Fact]
    public void N_way_joins_with_windows_and_grace()
    {
        var q = ParseAssert.Statement<Query>(
            "SELECT * FROM a JOIN b WITHIN 10 SECONDS ON a.id = b.id "
            + "LEFT OUTER JOIN c AS cc WITHIN (1 SECOND, 2 MINUTES) GRACE PERIOD 1 HOUR ON a.id = cc.id "
            + "RIGHT JOIN d ON a.id = d.id FULL OUTER JOIN e ON a.id = e.id INNER JOIN f ON a.id = f.id");
        var joins = q.From.Joins;
        Assert.Equal([JoinType.Inner, JoinType.Left, JoinType.Right, JoinType.Full, JoinType.Inner], joins.Select(j => j.Type));
        Assert.Equal(new WithinClause(new SqlDuration(10, SqlTimeUnit.Second), new SqlDuration(10, SqlTimeUnit.Second)), joins[0].Within);
        Assert.Equal(
            new WithinClause(new SqlDuration(1, SqlTimeUnit.Second), new SqlDuration(2, SqlTimeUnit.Minute), new SqlDuration(1, SqlTimeUnit.Hour)),
            joins[1].Within);
        Assert.Equal(new AliasedSource("C", "CC"), joins[1].Source);
        Assert.Equal("CC", joins[1].Source.EffectiveName);
        Assert.Null(joins[2].Within);
        Assert.Contains("LEFT OUTER JOIN C AS CC WITHIN (1 SECONDS, 2 MINUTES) GRACE PERIOD 1 HOURS ON (A.ID = CC.ID)", q.ToSql(), StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_with_retention_grace_and_every_unit_spelling()
    {
        Assert.Equal(
            new HoppingWindow(new SqlDuration(30, SqlTimeUnit.Second), new SqlDuration(10, SqlTimeUnit.Second), new SqlDuration(1, SqlTimeUnit.Day), new SqlDuration(2, SqlTimeUnit.Hour)),
            ParseAssert.Statement<Query>("SELECT * FROM s WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECOND, RETENTION 1 DAY, GRACE PERIOD 2 HOURS) GROUP BY k").Window);
        Assert.Equal(
            new SessionWindow(new SqlDuration(60, SqlTimeUnit.Second), null, new SqlDuration(0, SqlTimeUnit.Millisecond)),
            ParseAssert.Statement<Query>("SELECT * FROM s WINDOW SESSION (60 SECONDS, GRACE PERIOD 0 MILLISECONDS) GROUP BY k").Window);
        Assert.Equal(
            new TumblingWindow(new SqlDuration(1, SqlTimeUnit.Millisecond), new SqlDuration(3, SqlTimeUnit.Minute)),
            ParseAssert.Statement<Query>("SELECT * FROM s WINDOW TUMBLING (SIZE 1 MILLISECOND, RETENTION 3 minute) GROUP BY k").Window);

        // ksqlDB allows (and ignores) a window name.
        Assert.IsType<SessionWindow>(ParseAssert.Statement<Query>("SELECT * FROM s WINDOW w SESSION (1 SECONDS) GROUP BY k").Window);
        Assert.Equal(90_000, new SqlDuration(90, SqlTimeUnit.Second).TotalMilliseconds);
        Assert.Equal(TimeSpan.FromDays(2), new SqlDuration(2, SqlTimeUnit.Day).ToTimeSpan());
    }

    [Fact]
    public void A_window_before_the_joins_means_the_same_as_one_after_them()
    {
        var slide = ParseAssert.Statement<Query>(
            "SELECT country, COUNT(*), SUM(order_total) FROM purchases WINDOW TUMBLING (SIZE 5 MINUTES) "
            + "LEFT JOIN user_profiles ON purchases.user_id = user_profiles.id GROUP BY country EMIT CHANGES");
        var standard = ParseAssert.Statement<Query>(
            "SELECT country, COUNT(*), SUM(order_total) FROM purchases "
            + "LEFT JOIN user_profiles ON purchases.user_id = user_profiles.id WINDOW TUMBLING (SIZE 5 MINUTES) GROUP BY country EMIT CHANGES");
        Assert.Equal(standard, slide);

        var e = ParseAssert.Fails(
            "SELECT * FROM a WINDOW TUMBLING (SIZE 1 SECOND) JOIN b ON a.x = b.x WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY a.x;");
        Assert.Contains("at most one WINDOW", e.Message, StringComparison.Ordinal);
    }
}
