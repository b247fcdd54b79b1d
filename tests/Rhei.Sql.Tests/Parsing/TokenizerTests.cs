using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Parsing;

public sealed class TokenizerTests
{
    private static List<SqlToken> Tokens(string sql) => [.. SqlTokenizer.Tokenize(sql).Where(t => t.Kind != SqlTokenKind.EndOfInput)];

    [Fact]
    public void Unquoted_words_are_upper_cased_and_keywords_recognized()
    {
        var tokens = Tokens("select Foo_1 from `Mixed Case` \"Dq\"\"x\"");
        Assert.Equal(SqlKeyword.Select, tokens[0].Keyword);
        Assert.Equal("select", tokens[0].Text);
        Assert.Equal(("FOO_1", SqlKeyword.None), (tokens[1].Value, tokens[1].Keyword));
        Assert.Equal(SqlKeyword.From, tokens[2].Keyword);
        Assert.Equal((SqlTokenKind.QuotedIdentifier, "Mixed Case"), (tokens[3].Kind, tokens[3].Value));
        Assert.Equal((SqlTokenKind.QuotedIdentifier, "Dq\"x"), (tokens[4].Kind, tokens[4].Value));
    }

    [Fact]
    public void Strings_unescape_doubled_quotes_and_back_quotes_likewise()
    {
        var tokens = Tokens("'You can call me ''Stu''' `a``b` ''");
        Assert.Equal("You can call me 'Stu'", tokens[0].Value);
        Assert.Equal("a`b", tokens[1].Value);
        Assert.Equal((SqlTokenKind.String, ""), (tokens[2].Kind, tokens[2].Value));
    }

    [Theory]
    [InlineData("5", SqlTokenKind.Integer)]
    [InlineData("7.2", SqlTokenKind.Decimal)]
    [InlineData("0.0087", SqlTokenKind.Decimal)]
    [InlineData("1.", SqlTokenKind.Decimal)]
    [InlineData(".5", SqlTokenKind.Decimal)]
    [InlineData("1e-3", SqlTokenKind.Double)]
    [InlineData("1.332434e+2", SqlTokenKind.Double)]
    [InlineData("2E10", SqlTokenKind.Double)]
    public void Numbers_take_the_documented_forms(string text, SqlTokenKind kind)
    {
        var token = Assert.Single(Tokens(text));
        Assert.Equal((kind, text), (token.Kind, token.Text));
    }

    [Fact]
    public void A_word_starting_with_digits_is_an_identifier_when_longer_than_the_number()
    {
        var tokens = Tokens("1abc 1e5 1e 12_x");
        Assert.Equal((SqlTokenKind.Identifier, "1ABC"), (tokens[0].Kind, tokens[0].Value));
        Assert.Equal(SqlTokenKind.Double, tokens[1].Kind);
        Assert.Equal((SqlTokenKind.Identifier, "1E"), (tokens[2].Kind, tokens[2].Value));
        Assert.Equal((SqlTokenKind.Identifier, "12_X"), (tokens[3].Kind, tokens[3].Value));
    }

    [Fact]
    public void Operators_are_single_tokens()
    {
        var kinds = Tokens("-> => || <> != <= >= := ( ) [ ] , . ; * + - / % = < >").Select(t => t.Kind);
        Assert.Equal(
            [
                SqlTokenKind.Arrow, SqlTokenKind.Lambda, SqlTokenKind.Concat, SqlTokenKind.NotEqual, SqlTokenKind.NotEqual,
                SqlTokenKind.LessThanOrEqual, SqlTokenKind.GreaterThanOrEqual, SqlTokenKind.Assign, SqlTokenKind.LeftParen,
                SqlTokenKind.RightParen, SqlTokenKind.LeftBracket, SqlTokenKind.RightBracket, SqlTokenKind.Comma, SqlTokenKind.Dot,
                SqlTokenKind.Semicolon, SqlTokenKind.Asterisk, SqlTokenKind.Plus, SqlTokenKind.Minus, SqlTokenKind.Slash,
                SqlTokenKind.Percent, SqlTokenKind.Equal, SqlTokenKind.LessThan, SqlTokenKind.GreaterThan,
            ],
            kinds);
    }

    [Fact]
    public void Comments_are_skipped_and_positions_count_lines_and_columns()
    {
        var tokens = Tokens("-- a comment\nSELECT /* multi\nline */ x -- tail\n  FROM t");
        Assert.Equal(["SELECT", "X", "FROM", "T"], tokens.Select(t => t.Value));
        Assert.Equal((2, 1), (tokens[0].Position.Line, tokens[0].Position.Column));
        Assert.Equal((3, 9), (tokens[1].Position.Line, tokens[1].Position.Column));
        Assert.Equal((4, 3), (tokens[2].Position.Line, tokens[2].Position.Column));
    }

    [Fact]
    public void Variable_references_are_tokens()
    {
        var token = Assert.Single(Tokens("${my_var}"));
        Assert.Equal((SqlTokenKind.Variable, "my_var"), (token.Kind, token.Value));
    }

    [Theory]
    [InlineData("SELECT 'abc", 1, 8, "Unterminated string literal")]
    [InlineData("SELECT `abc", 1, 8, "Unterminated quoted identifier")]
    [InlineData("SELECT\n  /* abc", 2, 3, "Unterminated comment")]
    [InlineData("SELECT #", 1, 8, "Unexpected character '#'")]
    [InlineData("SELECT ${1x}", 1, 8, "Invalid variable reference")]
    [InlineData("SELECT ``", 1, 8, "cannot be empty")]
    public void Lexical_errors_say_what_and_where(string sql, int line, int column, string message)
    {
        var e = Assert.Throws<SqlParseException>(() => SqlTokenizer.Tokenize(sql));
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"line {line}:{column}: Syntax Error", e.Message, StringComparison.Ordinal);
    }
}
