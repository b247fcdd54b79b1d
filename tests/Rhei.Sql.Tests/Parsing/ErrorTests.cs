using System.Runtime.ExceptionServices;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Tests.Parsing;

public sealed class ErrorTests
{
    [Theory]
    [InlineData("SELECT * FROM;", 1, 14, "Syntax Error\nExpecting IDENTIFIER")]
    [InlineData("SELECT FROM s;", 1, 8, "reserved keyword 'FROM'")]
    [InlineData("SELECT a FROM s WHERE;", 1, 22, "Expecting an expression")]
    [InlineData("CREATE STREAM s (a INT KEY b INT);", 1, 28, "Syntax Error\nExpecting {',', ')'}")]
    [InlineData("CREATE STREAM s (K STRING (KEY)) WITH (kafka_topic='input');", 1, 28, "Syntax Error\nExpecting {'STRING', INTEGER_VALUE}")]
    [InlineData("SELECT * FROM s GROUP BY f3, (f2, f1);", 1, 33, "Syntax Error\nmissing ')' at ','")]
    [InlineData("SELECT * FROM s WINDOW TUMBLING (SIZE 5 WEEKS);", 1, 41, "Expecting {'MILLISECONDS', 'SECONDS', 'MINUTES', 'HOURS', 'DAYS'}")]
    [InlineData("SELECT * FROM s LIMIT heh;", 1, 23, "Syntax Error\nExpecting INTEGER_VALUE")]
    [InlineData("SELECT * FROM s WHERE a IN ( );", 1, 30, "Expecting an expression")]
    [InlineData("SELECT * FROM s EMIT NOW;", 1, 22, "Syntax Error\n")]
    [InlineData("SELECT * FROM s GROUP BY a EMIT NOW;", 1, 33, "Expecting {'CHANGES', 'FINAL'}")]
    [InlineData("FOO BAR;", 1, 1, "Syntax Error\nUnknown statement 'FOO'")]
    [InlineData("SELECT * FROM s ORDER BY x;", 1, 23, "Syntax Error\n")]
    [InlineData("SELECT CAST(a AS NULL) FROM s;", 1, 18, "Expecting a type")]
    [InlineData("SELECT a,\n  b +\n  FROM s;", 3, 3, "reserved keyword 'FROM'")]
    public void Syntax_errors_report_line_column_and_what_was_expected(string sql, int line, int column, string message)
    {
        var e = ParseAssert.Fails(sql);
        Assert.True(e.IsSyntaxError);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Contains(message, e.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal($"line {line}:{column}: {e.ErrorMessage}", e.Message);
        Assert.Equal($"Syntax error at or near '{e.OffendingText}' at line {line}:{column}", e.ShortMessage);
    }

    [Fact]
    public void Errors_in_later_statements_count_lines_from_the_start_of_the_script()
    {
        var e = ParseAssert.Fails("CREATE STREAM s (id INT KEY) WITH (kafka_topic='s');\nCREATE STREAM o AS SELECT ID, cast(f0 as NULL) FROM s;");
        Assert.Equal("Syntax error at or near 'NULL' at line 2:42", e.ShortMessage);
    }

    [Fact]
    public void Literal_errors_come_after_syntax_errors_and_use_ksqlDBs_column()
    {
        var e = ParseAssert.Fails("CREATE STREAM I (K STRING KEY) WITH (kafka_topic='i');\nCREATE STREAM O AS select K, 1.7976931348623159E308 FROM I;");
        Assert.Equal("line 2:31: Number overflows DOUBLE: 1.7976931348623159E308", e.Message);
        Assert.False(e.IsSyntaxError);
        Assert.Equal(e.Message, e.ShortMessage);

        // A syntax error later in the same statement wins.
        var syntax = ParseAssert.Fails("SELECT 1.8E308 FROM s WHERE;");
        Assert.True(syntax.IsSyntaxError);
    }

    [Fact]
    public void The_parser_is_linear_in_long_flat_lists()
    {
        var columns = string.Join(", ", Enumerable.Range(0, 20_000).Select(i => $"c{i}"));
        var query = Assert.IsType<Query>(SqlParser.ParseStatement($"SELECT {columns} FROM s"));
        Assert.Equal(20_000, query.Select.Count);
    }

    public static TheoryData<string> DeepInputs() =>
    [
        new string('(', 20_000) + "1" + new string(')', 20_000),
        string.Concat(Enumerable.Repeat("NOT ", 20_000)) + "a",
        string.Concat(Enumerable.Repeat("- ", 20_000)) + "a",
        string.Concat(Enumerable.Repeat("f(", 20_000)) + "1" + new string(')', 20_000),
        "a" + string.Concat(Enumerable.Repeat("[1]", 20_000)),
        "a" + string.Concat(Enumerable.Repeat("->b", 20_000)),
        string.Join(" + ", Enumerable.Repeat("1", 20_000)),
        string.Join(" OR ", Enumerable.Repeat("a = 1", 20_000)),
        string.Concat(Enumerable.Repeat("CASE WHEN a THEN ", 20_000)) + "1" + string.Concat(Enumerable.Repeat(" END", 20_000)),
        string.Concat(Enumerable.Repeat("ARRAY[", 20_000)) + new string(']', 20_000),
        string.Concat(Enumerable.Repeat("CAST(", 20_000)) + "1" + string.Concat(Enumerable.Repeat(" AS INT)", 20_000)),
        string.Concat(Enumerable.Repeat("f(x => ", 20_000)) + "1" + new string(')', 20_000),
    ];

    [Theory]
    [MemberData(nameof(DeepInputs))]
    public void Deep_nesting_is_a_clean_error_not_a_stack_overflow(string expression)
    {
        var e = OnSmallStack(() => Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement($"SELECT {expression} FROM s")));
        Assert.Contains("The statement nests expressions", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_types_are_a_clean_error_too()
    {
        var type = string.Concat(Enumerable.Repeat("ARRAY<", 20_000)) + "INT" + new string('>', 20_000);
        var e = OnSmallStack(() => Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement($"CREATE STREAM s (a {type}) WITH (kafka_topic='s');")));
        Assert.Contains("The statement nests expressions", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> InputsAtTheLimit() =>
    [
        new string('(', 390) + "1" + new string(')', 390),
        string.Concat(Enumerable.Repeat("NOT ", 390)) + "a",
        string.Concat(Enumerable.Repeat("- ", 390)) + "a",
        string.Concat(Enumerable.Repeat("f(", 390)) + "1" + new string(')', 390),
        string.Join(" + ", Enumerable.Repeat("1", 390)),
        string.Join(" OR ", Enumerable.Repeat("a = 1", 390)),
        "a" + string.Concat(Enumerable.Repeat("->b[1]", 195)),
    ];

    /// <summary>
    /// What the depth limit lets through parses again from its printed form (where every operation is parenthesized),
    /// and can be printed, compared and hashed, on a thread with .NET's default 1.5 MB stack.
    /// </summary>
    [Theory]
    [MemberData(nameof(InputsAtTheLimit))]
    public void Nesting_within_the_limit_round_trips_on_a_default_size_stack(string expression)
    {
        OnSmallStack(() =>
        {
            var statement = SqlParser.ParseStatement($"SELECT {expression} FROM s");
            var again = SqlParser.ParseStatement(statement.ToSql());
            Assert.Equal(statement, again);
            Assert.Equal(statement.GetHashCode(), again.GetHashCode());
            return statement;
        });
    }

    [Fact]
    public void The_limit_is_on_the_depth_of_the_tree()
    {
        Assert.Equal(400, AstDepth.Of(SqlParser.ParseExpression(string.Concat(Enumerable.Repeat("NOT ", 399)) + "a")));
        var e = Assert.Throws<SqlParseException>(() => SqlParser.ParseExpression(string.Concat(Enumerable.Repeat("NOT ", 400)) + "a"));
        Assert.Contains("deeper than 400 levels", e.Message, StringComparison.Ordinal);

        // Parentheses add nothing.
        Assert.Equal(1, AstDepth.Of(SqlParser.ParseExpression(new string('(', 300) + "a" + new string(')', 300))));
        Assert.Equal(3, AstDepth.Of(SqlParser.ParseExpression("f(a + 1)")));
    }

    [Fact]
    public void The_depth_limit_is_configurable()
    {
        var options = new SqlParserOptions { MaxDepth = 10 };
        Assert.Throws<SqlParseException>(() => SqlParser.ParseExpression(string.Join(" + ", Enumerable.Repeat("1", 11)), options));
        Assert.IsType<ArithmeticBinaryExpression>(SqlParser.ParseExpression(string.Join(" + ", Enumerable.Repeat("1", 10)), options));
    }

    private static T OnSmallStack<T>(Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = action();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            },
            maxStackSize: 1536 * 1024);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
