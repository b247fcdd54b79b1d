using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Parsing;

/// <summary>Parse helpers that also check the round trip <c>Parse(Print(ast)) == ast</c> on every use.</summary>
internal static class ParseAssert
{
    public static T Statement<T>(string sql, SqlParserOptions? options = null)
        where T : Statement
    {
        var statement = SqlParser.ParseStatement(sql, options);
        RoundTrips(statement, options);
        return Assert.IsAssignableFrom<T>(statement);
    }

    public static T Expression<T>(string sql)
        where T : Expression
    {
        var expression = SqlParser.ParseExpression(sql);
        var printed = expression.ToSql();
        Assert.Equal(expression, SqlParser.ParseExpression(printed));
        return Assert.IsAssignableFrom<T>(expression);
    }

    public static void RoundTrips(Statement statement, SqlParserOptions? options = null)
    {
        var printed = statement.ToSql();
        var reparsed = SqlParser.ParseStatement(printed, options);
        Assert.Equal(statement, reparsed);
        Assert.Equal(printed, reparsed.ToSql());
    }

    public static SqlParseException Fails(string sql, SqlParserOptions? options = null) =>
        Assert.Throws<SqlParseException>(() => SqlParser.ParseScript(sql, options));
}
