using Rhei.Cli.Run;
using Rhei.Cli.Sql;
using Rhei.Sql.Parsing;

namespace Rhei.Cli.Tests;

/// <summary>The parts of the shell that need no server: statement ends, shell commands, history, durations.</summary>
public sealed class ShellUnitTests
{
    [Theory]
    [InlineData("SHOW STREAMS;", true)]
    [InlineData("SHOW STREAMS", false)]
    [InlineData("CREATE STREAM S (A INT)\n  WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON')\n", false)]
    [InlineData("CREATE STREAM S (A INT)\n  WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');\n", true)]
    [InlineData("SELECT 'a;b' FROM S", false)]
    [InlineData("SELECT 'it''s;' FROM S;", true)]
    [InlineData("SELECT 'unterminated; FROM S;", false)]
    [InlineData("SELECT `odd;name` FROM S", false)]
    [InlineData("SELECT * FROM S; -- a comment;", true)]
    [InlineData("SELECT * FROM S /* not yet; */", false)]
    [InlineData("SELECT * FROM S /* open comment;", false)]
    [InlineData("SHOW STREAMS; SHOW TABLES", false)]
    [InlineData("SHOW STREAMS; SHOW TABLES;", true)]
    public void A_statement_is_complete_when_it_ends_with_a_semicolon_outside_strings_and_comments(string text, bool complete) =>
        Assert.Equal(complete, Repl.IsComplete(text));

    [Fact]
    public void The_splitter_keeps_each_statement_with_its_semicolon_and_position()
    {
        var statements = SqlScript.Split("SHOW STREAMS;\nCREATE STREAM S (A INT)\n WITH (KAFKA_TOPIC='x;y', VALUE_FORMAT='JSON');\n");
        Assert.Equal(2, statements.Length);
        Assert.Equal("SHOW STREAMS;", statements[0].Text.Trim());
        Assert.StartsWith("CREATE STREAM S", statements[1].Text.Trim(), StringComparison.Ordinal);
        Assert.Contains("'x;y'", statements[1].Text, StringComparison.Ordinal);
        Assert.Equal(2, statements[1].Position.Line);
    }

    [Theory]
    [InlineData("help", "help", "")]
    [InlineData("  HELP  ", "help", "")]
    [InlineData("exit", "exit", "")]
    [InlineData("quit;", "quit", "")]
    [InlineData("history", "history", "")]
    [InlineData("spool '/tmp/out.txt'", "spool", "'/tmp/out.txt'")]
    [InlineData("spool off", "spool", "off")]
    [InlineData("output json", "output", "json")]
    [InlineData("run script '/tmp/a.sql'", "run script", "/tmp/a.sql")]
    [InlineData("RUN SCRIPT '/tmp/a.sql';", "run script", "/tmp/a.sql")]
    public void Shell_commands_are_recognised(string line, string name, string argument)
    {
        var command = Repl.ShellCommand(line);
        Assert.NotNull(command);
        Assert.Equal((name, argument), command.Value);
    }

    [Theory]
    [InlineData("SHOW STREAMS;")]
    [InlineData("help me")]
    [InlineData("exitcode;")]
    [InlineData("SELECT * FROM runs;")]
    [InlineData("running")]
    public void Statements_are_not_shell_commands(string line) => Assert.Null(Repl.ShellCommand(line));

    [Fact]
    public void History_survives_a_restart_with_multi_line_entries_and_skips_repeats()
    {
        var directory = TempDir.Create("rhei-cli-history-");
        try
        {
            var path = Path.Combine(directory, "nested", "history");
            var first = new CommandHistory(path);
            first.Add("SHOW STREAMS;");
            first.Add("SHOW STREAMS;");
            first.Add("CREATE STREAM S (A INT)\n  WITH (KAFKA_TOPIC='a\\b', VALUE_FORMAT='JSON');\n");
            first.Add("   ");
            first.Add("help");

            var second = new CommandHistory(path);
            Assert.Equal(
                ["SHOW STREAMS;", "CREATE STREAM S (A INT)\n  WITH (KAFKA_TOPIC='a\\b', VALUE_FORMAT='JSON');", "help"],
                second.Entries);
        }
        finally
        {
            TempDir.Delete(directory);
        }
    }

    [Fact]
    public void History_keeps_the_latest_entries_only()
    {
        var history = new CommandHistory(null);
        for (var i = 0; i < CommandHistory.MaxEntries + 5; i++)
        {
            history.Add($"SELECT {i};");
        }

        Assert.Equal(CommandHistory.MaxEntries, history.Entries.Count);
        Assert.Equal("SELECT 5;", history.Entries[0]);
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2", 2_000)]
    public void Durations_parse(string text, long milliseconds)
    {
        Assert.True(RunCommand.TryParseDuration(text, out var duration));
        Assert.Equal(milliseconds, (long)duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-3s")]
    public void Bad_durations_do_not_parse(string text) => Assert.False(RunCommand.TryParseDuration(text, out _));
}
