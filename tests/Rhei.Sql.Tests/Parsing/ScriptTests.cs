using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Parsing;

public sealed class ScriptTests
{
    [Fact]
    public void Split_cuts_at_semicolons_outside_strings_names_and_comments()
    {
        var sql = "SELECT ';' FROM s; -- a; comment\nSELECT `a;b` /* ; */ FROM t;;\n  SHOW STREAMS";
        var parts = SqlScript.Split(sql);
        Assert.Equal(["SELECT ';' FROM s;", "SELECT `a;b` /* ; */ FROM t;", "SHOW STREAMS"], parts.Select(p => p.Text));
        Assert.Equal((2, 1), (parts[1].Position.Line, parts[1].Position.Column));
        Assert.Equal((3, 3), (parts[2].Position.Line, parts[2].Position.Column));
        Assert.Equal(sql.IndexOf("SHOW", StringComparison.Ordinal), parts[2].Offset);
        Assert.Empty(SqlScript.Split("  -- only a comment\n ; ;"));
    }

    [Fact]
    public void ParseScript_keeps_each_statements_text_and_position()
    {
        var parsed = SqlParser.ParseScript("CREATE STREAM s (id INT KEY) WITH (kafka_topic='s');\n  SELECT * FROM s EMIT CHANGES;\nSHOW TOPICS");
        Assert.Equal(3, parsed.Length);
        Assert.Equal("SELECT * FROM s EMIT CHANGES;", parsed[1].Text);
        Assert.Equal((2, 3), (parsed[1].Position.Line, parsed[1].Position.Column));
        Assert.Equal((2, 17), (((Query)parsed[1].Statement).From.Source.Position.Line, ((Query)parsed[1].Statement).From.Source.Position.Column));
        Assert.Equal("SHOW TOPICS", parsed[2].Text);
    }

    [Fact]
    public void The_talks_four_statements_parse()
    {
        var parsed = SqlParser.ParseScript("""
            CREATE SOURCE CONNECTOR orders_src WITH ('connector.class'='JdbcSource', 'connection.url'='jdbc:postgresql://db/shop');
            CREATE STREAM purchases AS SELECT *, TIMESTAMPTOSTRING(viewtime, 'yyyy-MM-dd HH:mm:ss.SSS') AS ts FROM pageviews;
            CREATE TABLE orders_by_country AS SELECT country, COUNT(*), SUM(order_total) FROM purchases
              LEFT JOIN user_profiles ON purchases.user_id = user_profiles.id WINDOW TUMBLING (SIZE 5 MINUTES) GROUP BY country EMIT CHANGES;
            SELECT * FROM orders_by_country WHERE country = 'usa';
            """);
        Assert.Equal([typeof(CreateConnector), typeof(CreateStreamAsSelect), typeof(CreateTableAsSelect), typeof(Query)], parsed.Select(p => p.Statement.GetType()));
        foreach (var p in parsed)
        {
            ParseAssert.RoundTrips(p.Statement);
        }
    }

    [Fact]
    public void ParseStatement_accepts_exactly_one_statement()
    {
        Assert.IsType<ListStreams>(SqlParser.ParseStatement("SHOW STREAMS;"));
        var e = Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement("SHOW STREAMS; SHOW TABLES;"));
        Assert.Equal((1, 15), (e.Line, e.Column));
        Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement("  "));
    }
}
