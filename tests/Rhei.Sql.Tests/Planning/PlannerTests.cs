using Rhei.Formats.Serde;
using Rhei.Sql.Ast;
using Rhei.Sql.Execution;
using Rhei.Sql.Functions;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;

namespace Rhei.Sql.Tests.Planning;

/// <summary>
/// The planner's stages for representative queries, as EXPLAIN shows them (logical plan, stream plan, topology),
/// compared with golden files (<c>UPDATE_GOLDEN=1</c> rewrites them), plus its ksqlDB error messages.
/// </summary>
public class PlannerTests
{
    private static readonly FunctionRegistry Functions = FunctionRegistry.CreateBuiltIn();

    private static PlannedQuery Plan(string sql)
    {
        var statement = (CreateAsSelect)SqlParser.ParseStatement(sql);
        var target = new QueryTarget(statement.Name, statement.SourceType, WithProperties.From(statement.Properties, createAs: true), null);
        return new QueryPlanner(new TestCatalog(), Functions, FormatRegistry.CreateDefault(), new KsqlConfig()).Plan(statement.Query, target, sql);
    }

    private static string Explain(string sql)
    {
        var planned = Plan(sql);
        var topology = new TopologyBuilder(FormatRegistry.CreateDefault(), new KsqlConfig()).Build(planned.Root);
        return $"{sql}\n\nSink schema: {planned.Sink.Schema}\n\nLogical plan:\n{planned.LogicalPlan}\n\nStream plan:\n{planned.ExecutionPlan}\nTopology:\n{topology.Describe()}";
    }

    [Theory]
    [InlineData("project_filter", "CREATE STREAM BIG_ORDERS AS SELECT ORDERID, UCASE(ITEM) AS ITEM, PRICE * 2 FROM ORDERS WHERE PRICE > 10;")]
    [InlineData("partition_by", "CREATE STREAM BY_USER AS SELECT * FROM ORDERS PARTITION BY USERID;")]
    [InlineData("group_by", "CREATE TABLE REVENUE AS SELECT USERID, COUNT(*) AS N, SUM(PRICE) AS TOTAL FROM ORDERS GROUP BY USERID HAVING SUM(PRICE) > 100;")]
    [InlineData("windowed_aggregate", "CREATE TABLE PER_MINUTE AS SELECT USERID, COUNT(*) AS N, WINDOWSTART AS WS FROM CLICKS WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY USERID EMIT FINAL;")]
    [InlineData("stream_table_join", "CREATE STREAM ENRICHED AS SELECT O.USERID, O.ORDERID, O.ITEM, U.NAME FROM ORDERS O JOIN USERS U ON O.USERID = U.USERID;")]
    [InlineData("stream_stream_join", "CREATE STREAM PAIRS AS SELECT * FROM ORDERS O LEFT JOIN CLICKS C WITHIN 10 SECONDS ON O.USERID = C.USERID;")]
    [InlineData("table_function", "CREATE STREAM TAGS AS SELECT USERID, EXPLODE(TAGS) AS TAG FROM CLICKS;")]
    public void Explain_matches_golden(string name, string sql) => Golden.Verify(name, Explain(sql));

    [Theory]
    [InlineData("CREATE STREAM O AS SELECT ITEM FROM ORDERS;", "The query used to build `O` must include the key column ORDERID in its projection (eg, SELECT ORDERID...).")]
    [InlineData("CREATE TABLE O AS SELECT COUNT(*) AS N FROM ORDERS GROUP BY USERID;", "The query used to build `O` must include the grouping expression USERID in its projection (eg, SELECT USERID...).")]
    [InlineData("CREATE TABLE O AS SELECT USERID, ITEM, COUNT(*) AS N FROM ORDERS GROUP BY USERID;", "Non-aggregate SELECT expression(s) not part of GROUP BY: ITEM")]
    [InlineData("CREATE STREAM O AS SELECT ORDERID, PRICE AS ROWTIME FROM ORDERS;", "`ROWTIME` is a reserved column name. You cannot use it as an alias for a column.")]
    [InlineData("CREATE STREAM O AS SELECT * FROM USERS U JOIN ORDERS O ON U.USERID = O.USERID;", "Invalid join order: table-stream joins are not supported; only stream-table joins. Got USERS [INNER] JOIN ORDERS.")]
    [InlineData("CREATE STREAM O AS SELECT * FROM ORDERS O JOIN USERS U ON O.USERID = U.NAME;", "Invalid join condition: stream-table joins require to join on the table's primary key. Got O.USERID = U.NAME.")]
    [InlineData("CREATE STREAM O AS SELECT * FROM ORDERS O JOIN CLICKS C ON O.USERID = C.USERID;", "Stream-Stream joins must have a WITHIN clause specified.")]
    [InlineData("CREATE TABLE O AS SELECT USERID, COUNT(*) FROM ORDERS GROUP BY USERID EMIT FINAL;", "EMIT FINAL is only supported for windowed aggregations.")]
    [InlineData("CREATE STREAM O AS SELECT ORDERID, ITEM FROM ORDERS WHERE ITEM + 1;", "Error processing expression")]
    public void Errors_use_ksqlDB_messages(string sql, string message)
    {
        var e = Assert.ThrowsAny<KsqlException>(() => Plan(sql));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_names_follow_select_order()
    {
        var planned = Plan("CREATE TABLE O AS SELECT USERID, COUNT(*), SUM(PRICE) + 1 FROM ORDERS GROUP BY USERID;");
        Assert.Equal("`USERID` STRING KEY, `KSQL_COL_0` BIGINT, `KSQL_COL_1` DOUBLE", planned.Sink.Schema.ToString());
    }

    [Fact]
    public void Join_columns_are_prefixed_only_when_their_names_clash()
    {
        var planned = Plan("CREATE STREAM O AS SELECT O.USERID, ITEM, NAME, O.ROWTIME FROM ORDERS O JOIN USERS U ON O.USERID = U.USERID;");
        Assert.Equal("`O_USERID` STRING KEY, `ITEM` STRING, `NAME` STRING, `O_ROWTIME` BIGINT", planned.Sink.Schema.ToString());
    }

    [Fact]
    public void Sink_inherits_formats_and_uses_the_default_key_format_for_new_keys()
    {
        var planned = Plan("CREATE STREAM O WITH (VALUE_FORMAT='DELIMITED') AS SELECT USERID, ITEM FROM ORDERS PARTITION BY USERID;");
        Assert.Equal("KAFKA", planned.Sink.Topic.KeyFormat.Name);
        Assert.Equal("DELIMITED", planned.Sink.Topic.ValueFormat.Name);
        Assert.Equal("O", planned.Sink.KafkaTopicName);
    }
}
