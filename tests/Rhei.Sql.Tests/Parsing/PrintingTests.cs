using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Parsing;

public sealed class PrintingTests
{
    [Theory]
    [InlineData("COL_1", "COL_1")]
    [InlineData("_X", "_X")]
    [InlineData("lower", "`lower`")]
    [InlineData("Mixed", "`Mixed`")]
    [InlineData("WITH SPACE", "`WITH SPACE`")]
    [InlineData("my-topic", "`my-topic`")]
    [InlineData("1ABC", "`1ABC`")]
    [InlineData("a`b", "`a``b`")]
    [InlineData("FROM", "`FROM`")]
    [InlineData("SELECT", "`SELECT`")]
    [InlineData("KEY", "KEY")]
    [InlineData("TIMESTAMP", "TIMESTAMP")]
    [InlineData("SIZE", "SIZE")]
    public void Identifiers_are_quoted_only_when_needed(string name, string expected)
    {
        Assert.Equal(expected, SqlIdentifiers.Format(name));
        Assert.Equal(new ColumnReference(name), SqlParser.ParseExpression(expected));
    }

    [Fact]
    public void Statements_print_in_a_canonical_form()
    {
        Assert.Equal(
            "CREATE STREAM PURCHASES WITH (KAFKA_TOPIC='p', 'value.format'='JSON', PARTITIONS=3) AS "
            + "SELECT P.*, (P.PRICE * 1.10) AS GROSS FROM PAGEVIEWS AS P LEFT OUTER JOIN USERS AS U ON (P.USERID = U.ID) "
            + "WHERE ((P.PRICE > 0) AND (U.REGION IN ('EU', 'US'))) PARTITION BY P.USERID EMIT CHANGES",
            SqlParser.ParseStatement(
                "create stream purchases with (kafka_topic='p', 'value.format'='JSON', partitions=3) as "
                + "select p.*, p.price * 1.10 gross from pageviews p left join users u on p.userid = u.id "
                + "where p.price > 0 and u.region in ('EU', 'US') partition by p.userid emit changes;").ToSql());
        Assert.Equal(
            "CREATE TABLE T (ID INTEGER PRIMARY KEY, `Name` STRING, H BYTES HEADER('k')) WITH (FORMAT='JSON')",
            SqlParser.ParseStatement("CREATE TABLE t (id INT PRIMARY KEY, `Name` VARCHAR, h BYTES HEADER('k')) WITH (format='JSON')").ToSql());
        Assert.Equal(
            "SELECT K, COUNT(*) FROM S WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS, GRACE PERIOD 1 MINUTES) GROUP BY K EMIT FINAL",
            SqlParser.ParseStatement("SELECT k, COUNT(*) FROM s WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS, GRACE PERIOD 1 MINUTE) GROUP BY k EMIT FINAL").ToSql());
    }

    [Fact]
    public void Expressions_print_like_ksqlDBs_messages()
    {
        // The forms ksqlDB's error messages quote: "Got ((L.A = R.A) AND (L.A = R.A))", "MAP('a':=VAL1)", "STRUCT(F0:=VAL1)".
        Assert.Equal("((L.A = R.A) AND (L.A = R.A))", SqlParser.ParseExpression("L.A = R.A AND L.A = R.A").ToString());
        Assert.Equal("MAP('a':=VAL1)", SqlParser.ParseExpression("MAP('a' := val1)").ToString());
        Assert.Equal("STRUCT(F0:=VAL1)", SqlParser.ParseExpression("STRUCT(f0 := val1)").ToString());
        Assert.Equal("ARRAY_LENGTH(VAL0)", SqlParser.ParseExpression("array_length(val0)").ToString());
        Assert.Equal("(T.ID = 0)", SqlParser.ParseExpression("t.id = 0").ToString());
    }

    [Fact]
    public void Positions_do_not_take_part_in_equality()
    {
        var a = SqlParser.ParseExpression("a + 1");
        var b = SqlParser.ParseExpression("\n\n   a   +   1");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.Position.SameAs(b.Position));
        Assert.Equal(new ColumnReference("A"), ((ArithmeticBinaryExpression)b).Left);
    }

    [Fact]
    public void Children_list_the_direct_sub_nodes()
    {
        var query = (Query)SqlParser.ParseStatement("SELECT f(a, x => x + b) FROM s JOIN t ON s.k = t.k WHERE c > 1 GROUP BY d");
        Assert.Equal(
            ["A", "B", "C", "D", "K", "K"],
            Descendants(query).OfType<ColumnReference>().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Single(Descendants(query).OfType<LambdaVariable>());
        Assert.Equal(4, query.Children.Count());
    }

    private static IEnumerable<SqlNode> Descendants(SqlNode node) => node.Children.SelectMany(c => Descendants(c).Prepend(c));
}
