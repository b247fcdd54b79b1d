using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Parsing;

public sealed class TypeTests
{
    [Theory]
    [InlineData("BOOLEAN", "BOOLEAN")]
    [InlineData("int", "INTEGER")]
    [InlineData("INTEGER", "INTEGER")]
    [InlineData("BIGINT", "BIGINT")]
    [InlineData("double", "DOUBLE")]
    [InlineData("STRING", "STRING")]
    [InlineData("varchar", "STRING")]
    [InlineData("VARCHAR(STRING)", "STRING")]
    [InlineData("BYTES", "BYTES")]
    [InlineData("DATE", "DATE")]
    [InlineData("TIME", "TIME")]
    [InlineData("TIMESTAMP", "TIMESTAMP")]
    [InlineData("DECIMAL(4, 2)", "DECIMAL(4, 2)")]
    [InlineData("ARRAY<MAP<STRING, ARRAY<INT>>>", "ARRAY<MAP<STRING, ARRAY<INTEGER>>>")]
    [InlineData("STRUCT<a INT, `b` STRUCT<c DOUBLE>>", "STRUCT<`A` INTEGER, `b` STRUCT<`C` DOUBLE>>")]
    [InlineData("STRUCT<>", "STRUCT<>")]
    public void Types_parse_print_and_convert(string sql, string expected)
    {
        var type = SqlParser.ParseType(sql);
        Assert.Equal(expected, type.ToSql());
        Assert.Equal(type, SqlParser.ParseType(type.ToSql()));
        Assert.Equal(expected, type.ToSqlType().ToString());
    }

    [Fact]
    public void Custom_types_resolve_through_the_given_resolver()
    {
        var type = SqlParser.ParseType("ARRAY<address>");
        Assert.Equal(new ArrayTypeSyntax(new CustomTypeSyntax("ADDRESS")), type);
        var address = SqlTypes.Struct(new SqlField("CITY", SqlTypes.String));
        Assert.Equal(SqlTypes.Array(address), type.ToSqlType(name => name == "ADDRESS" ? address : null));
        var e = Assert.Throws<KeyNotFoundException>(() => type.ToSqlType());
        Assert.Contains("CREATE TYPE ADDRESS", e.Message, StringComparison.Ordinal);
        Assert.Equal("`ARRAY`", new CustomTypeSyntax("ARRAY").ToSql());
        Assert.Equal(new CustomTypeSyntax("map"), SqlParser.ParseType(new CustomTypeSyntax("map").ToSql()));
    }

    [Theory]
    [InlineData("NULL", 1, 1)]
    [InlineData("ARRAY<NULL>", 1, 7)]
    [InlineData("STRUCT<fo NULL>", 1, 11)]
    [InlineData("STRING (KEY)", 1, 9)]
    [InlineData("DECIMAL", 1, 8)]
    [InlineData("MAP<STRING INT>", 1, 12)]
    public void Invalid_types_fail_at_the_offending_token(string sql, int line, int column)
    {
        var e = Assert.Throws<SqlParseException>(() => SqlParser.ParseType(sql));
        Assert.Equal((line, column), (e.Line, e.Column));
    }
}
