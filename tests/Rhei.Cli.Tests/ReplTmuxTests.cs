using Rhei.Cli.Sql;

namespace Rhei.Cli.Tests;

/// <summary>The interactive shell in a real terminal (tmux): typing statements and commands, reading the screen.</summary>
public sealed class ReplTmuxTests : IAsyncLifetime
{
    private CliTestServer _server = null!;
    private string _home = null!;

    public async Task InitializeAsync()
    {
        _server = await CliTestServer.StartAsync();
        _home = TempDir.Create("rhei-cli-home-");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        TempDir.Delete(_home);
    }

    /// <summary>The shell's command line: <c>dotnet rhei.dll sql URL</c> with HOME (and so the history) in a temp dir.</summary>
    private string ShellCommand()
    {
        var dll = typeof(RheiCli).Assembly.Location;
        Assert.True(File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), $"no runtimeconfig beside {dll}");
        return $"env HOME='{_home}' DOTNET_NOLOGO=1 dotnet '{dll}' sql {_server.Url}";
    }

    [Fact]
    public async Task Statements_commands_history_and_spool_in_a_terminal()
    {
        await using var tmux = await Tmux.StartAsync(ShellCommand());
        await tmux.WaitForTextAsync(Repl.Prompt.TrimEnd());
        var banner = await tmux.ScreenAsync();
        Assert.Contains($"located at {_server.Url}", banner, StringComparison.Ordinal);

        // A statement over two lines: the continuation prompt, then the result table.
        await tmux.TypeLineAsync("CREATE STREAM TYPED (ID INT KEY, NAME STRING)");
        await tmux.WaitForTextAsync(Repl.ContinuationPrompt.Trim());
        await tmux.TypeLineAsync("  WITH (KAFKA_TOPIC='typed', VALUE_FORMAT='JSON', PARTITIONS=1);");
        await tmux.WaitForTextAsync("Stream created");

        await tmux.TypeLineAsync("SHOW STREAMS;");
        await tmux.WaitForAsync(s => s.Contains("| TYPED", StringComparison.Ordinal), "the stream in SHOW STREAMS");

        // An error is printed with the statement, and the shell goes on.
        await tmux.TypeLineAsync("DESCRIBE MISSING_ONE;");
        await tmux.WaitForTextAsync("Could not find STREAM/TABLE 'MISSING_ONE'");

        var spool = Path.Combine(_home, "spool.txt");
        await tmux.TypeLineAsync($"spool '{spool}'");
        await tmux.WaitForTextAsync("Session will be spooled to");
        await tmux.TypeLineAsync("SHOW STREAMS;");
        await tmux.WaitForTextAsync("| TYPED", count: 2);
        await tmux.TypeLineAsync("spool off");
        await tmux.WaitForTextAsync("Stopped spooling");
        var spooled = await File.ReadAllTextAsync(spool);
        Assert.Contains("ksql> SHOW STREAMS;", spooled, StringComparison.Ordinal);
        Assert.Contains("TYPED", spooled, StringComparison.Ordinal);

        await tmux.TypeLineAsync("history");
        await tmux.WaitForAsync(s => s.Contains("SHOW STREAMS;", StringComparison.Ordinal) && s.Contains("  1  CREATE STREAM TYPED", StringComparison.Ordinal), "the history");

        // Up arrow walks back through history, spool off, SHOW STREAMS; to the spool command.
        await tmux.KeysAsync("Up", "Up", "Up", "Up");
        await tmux.KeysAsync("Enter");
        await tmux.WaitForTextAsync("Session will be spooled to", count: 2);
        await tmux.TypeLineAsync("spool off");

        await tmux.TypeLineAsync("help");
        await tmux.WaitForTextAsync("Shell commands");

        // Ctrl+C at the prompt abandons the statement being typed; the shell stays.
        await tmux.KeysAsync("-l", "SHOW TAB");
        await tmux.KeysAsync("C-c");
        await tmux.WaitForTextAsync("^C");
        await tmux.TypeLineAsync("SHOW TABLES;");
        await tmux.WaitForTextAsync("Table Name");

        await tmux.TypeLineAsync("exit");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await tmux.IsRunningAsync() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(await tmux.IsRunningAsync(), "the shell did not exit on 'exit'");
        var history = await File.ReadAllLinesAsync(Path.Combine(_home, ".rhei", "history"));
        Assert.Contains("SHOW STREAMS;", history);
        Assert.Contains("help", history);
        Assert.Contains(history, h => h.StartsWith("CREATE STREAM TYPED (ID INT KEY, NAME STRING)\\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ctrl_c_stops_a_push_query_and_the_shell_goes_on()
    {
        await using var tmux = await Tmux.StartAsync(ShellCommand());
        await tmux.WaitForTextAsync(Repl.Prompt.TrimEnd());
        await tmux.TypeLineAsync("CREATE STREAM LIVE (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='live', VALUE_FORMAT='JSON', PARTITIONS=1);");
        await tmux.WaitForTextAsync("Stream created");
        await tmux.TypeLineAsync("INSERT INTO LIVE (ID, NAME) VALUES (7, 'first-row');");
        await tmux.WaitForTextAsync(Repl.Prompt.TrimEnd(), count: 3);
        await tmux.TypeLineAsync("SET 'auto.offset.reset' = 'earliest';");
        await tmux.WaitForTextAsync("Successfully changed local property");

        await tmux.TypeLineAsync("SELECT NAME, ID FROM LIVE EMIT CHANGES;");
        await tmux.WaitForTextAsync("first-row");

        // A row inserted while the query runs shows up on the screen.
        var (exit, output, error) = await Rhei.RunAsync("sql", _server.Url, "-e", "INSERT INTO LIVE (ID, NAME) VALUES (8, 'second-row');");
        Assert.True(exit == 0, output + error);
        await tmux.WaitForTextAsync("second-row");

        await tmux.KeysAsync("C-c");
        await tmux.WaitForTextAsync("Query terminated");
        Assert.True(await tmux.IsRunningAsync(), "Ctrl+C ended the shell instead of the query");

        await tmux.TypeLineAsync("SHOW STREAMS;");
        await tmux.WaitForAsync(s => s.Contains("| LIVE", StringComparison.Ordinal), "SHOW STREAMS after the query");
        await tmux.TypeLineAsync("exit");
    }
}
