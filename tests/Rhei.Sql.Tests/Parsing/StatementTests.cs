using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Parsing;

public sealed class StatementTests
{
    private static readonly SqlParserOptions TestOptions = new() { AllowTestStatements = true };

    [Fact]
    public void Create_stream_with_elements_constraints_and_properties()
    {
        var s = ParseAssert.Statement<CreateStream>(
            "CREATE OR REPLACE SOURCE STREAM IF NOT EXISTS pageviews (k STRING KEY, `viewTime` BIGINT, h ARRAY<STRUCT<key STRING, value BYTES>> HEADERS, "
            + "hk BYTES HEADER('abc'), size INT) WITH (kafka_topic='pv', 'value.format'='JSON', partitions=3, replicas=-1, wrap=true, x=1.5, y=null);");
        Assert.True(s.OrReplace && s.IsSource && s.IfNotExists);
        Assert.Equal("PAGEVIEWS", s.Name);
        Assert.Equal(SourceType.Stream, s.SourceType);
        Assert.Equal(
            [
                new TableElement("K", new PrimitiveTypeSyntax(SqlBaseType.String), ColumnConstraint.Key),
                new TableElement("viewTime", new PrimitiveTypeSyntax(SqlBaseType.BigInt)),
                new TableElement(
                    "H",
                    new ArrayTypeSyntax(new StructTypeSyntax([new StructFieldSyntax("KEY", new PrimitiveTypeSyntax(SqlBaseType.String)), new StructFieldSyntax("VALUE", new PrimitiveTypeSyntax(SqlBaseType.Bytes))])),
                    ColumnConstraint.Headers),
                new TableElement("HK", new PrimitiveTypeSyntax(SqlBaseType.Bytes), ColumnConstraint.Header, "abc"),
                new TableElement("SIZE", new PrimitiveTypeSyntax(SqlBaseType.Integer)),
            ],
            s.Elements);
        Assert.Equal(
            [
                new TableProperty("KAFKA_TOPIC", new StringLiteral("pv")),
                new TableProperty("value.format", new StringLiteral("JSON")),
                new TableProperty("PARTITIONS", new IntegerLiteral(3)),
                new TableProperty("REPLICAS", new IntegerLiteral(-1)),
                new TableProperty("WRAP", new BooleanLiteral(true)),
                new TableProperty("X", new DecimalLiteral("1.5")),
                new TableProperty("Y", new NullLiteral()),
            ],
            s.Properties);
        Assert.Equal((1, 47), (s.NamePosition.Line, s.NamePosition.Column));
        Assert.Equal((1, 58), (s.Elements[0].Position.Line, s.Elements[0].Position.Column));
    }

    [Fact]
    public void Create_table_with_primary_key_and_without_elements()
    {
        var t = ParseAssert.Statement<CreateTable>("CREATE TABLE users (id INT PRIMARY KEY, name STRING) WITH (kafka_topic='u', format='JSON')");
        Assert.Equal(ColumnConstraint.PrimaryKey, t.Elements[0].Constraint);
        Assert.False(t.IsSource);
        Assert.Empty(ParseAssert.Statement<CreateTable>("CREATE TABLE t WITH (kafka_topic='t', format='AVRO')").Elements);
    }

    [Fact]
    public void Create_as_select()
    {
        var csas = ParseAssert.Statement<CreateStreamAsSelect>(
            "CREATE STREAM purchases WITH (kafka_topic='p') AS SELECT *, TIMESTAMPTOSTRING(viewtime, 'yyyy-MM-dd HH:mm:ss.SSS') FROM pageviews EMIT CHANGES;");
        Assert.Equal("PURCHASES", csas.Name);
        Assert.Equal(ResultMaterialization.Changes, csas.Query.Emit);
        Assert.Single(csas.Properties);

        var ctas = ParseAssert.Statement<CreateTableAsSelect>("CREATE OR REPLACE TABLE IF NOT EXISTS t AS SELECT k, COUNT(*) FROM s GROUP BY k");
        Assert.True(ctas.OrReplace && ctas.IfNotExists);
        Assert.Equal(SourceType.Table, ctas.SourceType);

        var e = ParseAssert.Fails("CREATE SOURCE TABLE t AS SELECT * FROM s;");
        Assert.Equal((1, 23), (e.Line, e.Column));
    }

    [Fact]
    public void Insert_into_select_and_values()
    {
        var insert = ParseAssert.Statement<InsertInto>("INSERT INTO out WITH (query_id='q1') SELECT * FROM s");
        Assert.Equal("OUT", insert.Target);
        Assert.Single(insert.Properties);
        Assert.Equal((1, 13), (insert.TargetPosition.Line, insert.TargetPosition.Column));

        var values = ParseAssert.Statement<InsertValues>("INSERT INTO s (id, `Val`) VALUES (1, 'hello' + 'x');");
        Assert.Equal(["ID", "Val"], values.Columns);
        Assert.Equal(2, values.Values.Count);
        Assert.Empty(ParseAssert.Statement<InsertValues>("INSERT INTO s VALUES ()").Columns);
    }

    [Fact]
    public void Drop_statements()
    {
        Assert.Equal(new DropStream(true, "S", true), ParseAssert.Statement<DropStream>("DROP STREAM IF EXISTS s DELETE TOPIC"));
        Assert.Equal(new DropTable(false, "T", false), ParseAssert.Statement<DropTable>("DROP TABLE t"));
        Assert.Equal(new DropConnector(true, "C"), ParseAssert.Statement<DropConnector>("DROP CONNECTOR IF EXISTS c"));
        Assert.Equal(new DropType(false, "ADDRESS"), ParseAssert.Statement<DropType>("DROP TYPE address"));
    }

    [Fact]
    public void Connectors_and_types()
    {
        var c = ParseAssert.Statement<CreateConnector>(
            "CREATE SOURCE CONNECTOR IF NOT EXISTS `jdbc-connector` WITH ('connector.class'='JdbcSource', 'connection.url'='jdbc:x')");
        Assert.Equal((ConnectorType.Source, true, "jdbc-connector"), (c.Type, c.IfNotExists, c.Name));
        Assert.Equal(ConnectorType.Sink, ParseAssert.Statement<CreateConnector>("CREATE SINK CONNECTOR s WITH ('a'='b')").Type);

        var type = ParseAssert.Statement<CreateType>("CREATE TYPE ADDRESS AS STRUCT<number INTEGER, street VARCHAR, city VARCHAR>");
        Assert.Equal(
            SqlTypes.Struct(new SqlField("NUMBER", SqlTypes.Integer), new SqlField("STREET", SqlTypes.String), new SqlField("CITY", SqlTypes.String)),
            type.Type.ToSqlType());
    }

    [Fact]
    public void Alter_source_and_system()
    {
        var alter = ParseAssert.Statement<AlterSource>("ALTER STREAM s ADD COLUMN c1 INT, ADD c2 ARRAY<STRING>");
        Assert.Equal(SourceType.Stream, alter.SourceType);
        Assert.Equal(["C1", "C2"], alter.Columns.Select(c => c.Name));
        Assert.Equal(
            new AlterSystemProperty("auto.offset.reset", "earliest"),
            ParseAssert.Statement<AlterSystemProperty>("ALTER SYSTEM 'auto.offset.reset'='earliest'"));
    }

    [Fact]
    public void Properties_and_variables()
    {
        Assert.Equal(new SetProperty("auto.offset.reset", "earliest"), ParseAssert.Statement<SetProperty>("SET 'auto.offset.reset' = 'earliest';"));
        Assert.Equal(new UnsetProperty("auto.offset.reset"), ParseAssert.Statement<UnsetProperty>("UNSET 'auto.offset.reset'"));
        Assert.Equal(new DefineVariable("topicName", "'my_topic'"), ParseAssert.Statement<DefineVariable>("DEFINE topicName = '''my_topic''';"));
        Assert.Equal(new UndefineVariable("replica_count"), ParseAssert.Statement<UndefineVariable>("UNDEFINE replica_count"));
    }

    [Theory]
    [InlineData("SHOW PROPERTIES", typeof(ListProperties))]
    [InlineData("LIST TOPICS", typeof(ListTopics))]
    [InlineData("SHOW ALL TOPICS EXTENDED", typeof(ListTopics))]
    [InlineData("SHOW STREAMS EXTENDED", typeof(ListStreams))]
    [InlineData("LIST TABLES", typeof(ListTables))]
    [InlineData("SHOW FUNCTIONS", typeof(ListFunctions))]
    [InlineData("SHOW SOURCE CONNECTORS", typeof(ListConnectors))]
    [InlineData("list connectors", typeof(ListConnectors))]
    [InlineData("SHOW CONNECTOR PLUGINS", typeof(ListConnectorPlugins))]
    [InlineData("SHOW TYPES", typeof(ListTypes))]
    [InlineData("SHOW VARIABLES", typeof(ListVariables))]
    [InlineData("SHOW QUERIES EXTENDED", typeof(ListQueries))]
    [InlineData("DESCRIBE pageviews EXTENDED", typeof(DescribeSource))]
    [InlineData("DESCRIBE STREAMS", typeof(DescribeStreams))]
    [InlineData("DESCRIBE FUNCTION concat", typeof(DescribeFunction))]
    [InlineData("DESCRIBE CONNECTOR c", typeof(DescribeConnector))]
    [InlineData("TERMINATE ALL", typeof(TerminateQuery))]
    [InlineData("PAUSE CSAS_OUT_1", typeof(PauseQuery))]
    [InlineData("RESUME ALL", typeof(ResumeQuery))]
    [InlineData("EXPLAIN ctas_ip_sum", typeof(Explain))]
    [InlineData("EXPLAIN SELECT * FROM s EMIT CHANGES", typeof(Explain))]
    [InlineData("PRINT 'rider-locations' FROM BEGINNING INTERVAL 2 LIMIT 10", typeof(PrintTopic))]
    [InlineData("ASSERT TOPIC foo WITH (partitions=1) TIMEOUT 10 SECONDS", typeof(AssertTopic))]
    [InlineData("ASSERT NOT EXISTS SCHEMA SUBJECT 'foo-value' ID 5", typeof(AssertSchema))]
    public void Every_statement_kind_parses_and_round_trips(string sql, Type type) =>
        Assert.IsType(type, ParseAssert.Statement<Statement>(sql));

    [Fact]
    public void Statement_details()
    {
        Assert.Equal(new ListTopics(All: true, Extended: true), SqlParser.ParseStatement("SHOW ALL TOPICS EXTENDED"));
        Assert.Equal(new ListConnectors(ConnectorType.Source), SqlParser.ParseStatement("SHOW SOURCE CONNECTORS"));
        Assert.Equal(new DescribeSource("PAGEVIEWS", Extended: true), SqlParser.ParseStatement("DESCRIBE pageviews EXTENDED"));
        Assert.Equal(new DescribeSource("FUNCTION"), ParseAssert.Statement<DescribeSource>("DESCRIBE function"));
        Assert.Equal(new TerminateQuery(null), SqlParser.ParseStatement("TERMINATE ALL"));
        Assert.Equal(new TerminateQuery("CSAS_OUT_1"), SqlParser.ParseStatement("terminate csas_out_1"));
        Assert.Equal(new Explain(null, "CTAS_IP_SUM"), SqlParser.ParseStatement("EXPLAIN ctas_ip_sum"));
        Assert.IsType<Query>(((Explain)SqlParser.ParseStatement("EXPLAIN SELECT * FROM s")).Statement);
        Assert.Equal(new PrintTopic("rider-locations", true, 2, 10), SqlParser.ParseStatement("PRINT 'rider-locations' FROM BEGINNING SAMPLE 2 LIMIT 10"));

        // An unquoted PRINT topic keeps its case.
        Assert.Equal(new PrintTopic("pageViews"), ParseAssert.Statement<PrintTopic>("PRINT pageViews"));
        Assert.Equal(
            new AssertTopic(false, "foo", [new TableProperty("PARTITIONS", new IntegerLiteral(1))], new SqlDuration(10, SqlTimeUnit.Second)),
            SqlParser.ParseStatement("ASSERT TOPIC foo WITH (partitions=1) TIMEOUT 10 SECONDS"));
        Assert.Equal(new AssertSchema(true, "foo-value", 5), SqlParser.ParseStatement("ASSERT NOT EXISTS SCHEMA SUBJECT 'foo-value' ID 5"));
    }

    [Fact]
    public void Test_runner_statements_need_the_option()
    {
        Assert.Equal(
            new AssertValues("FOO", ["ID"], [new IntegerLiteral(123)]),
            ParseAssert.Statement<AssertValues>("ASSERT VALUES foo (id) VALUES (123)", TestOptions));
        Assert.Equal(
            new AssertTombstone("FOO", ["ID"], [new IntegerLiteral(1)]),
            ParseAssert.Statement<AssertTombstone>("ASSERT NULL VALUES foo (id) KEY (1)", TestOptions));
        Assert.Equal(SourceType.Table, ParseAssert.Statement<AssertSource>("ASSERT TABLE t (id INT PRIMARY KEY) WITH (kafka_topic='t')", TestOptions).SourceType);
        Assert.Equal(new RunScript("/tmp/q.sql"), ParseAssert.Statement<RunScript>("RUN SCRIPT '/tmp/q.sql'", TestOptions));

        var e = ParseAssert.Fails("ASSERT VALUES foo (id INT) VALUES (123);");
        Assert.Equal("Syntax error at or near 'VALUES' at line 1:8", e.ShortMessage);
        Assert.Equal("line 1:1: Syntax Error\nUnknown statement 'RUN'", ParseAssert.Fails("RUN SCRIPT 'foo';").Message);
    }
}
