using System.Text;
using Rhei.Sql.Parsing;

namespace Rhei.Cli.Sql;

/// <summary>
/// The interactive loop of <c>rhei sql</c>: banner, the <c>ksql&gt;</c> prompt, statements over several lines until a
/// <c>;</c>, the shell's own commands (help, history, spool, output, server, version, clear, exit), and history.
/// </summary>
internal sealed class Repl(SqlShell shell, LineEditor editor, CommandHistory history, Func<string, KsqlRestClient> connect)
{
    public const string Prompt = "ksql> ";
    public const string ContinuationPrompt = "   >> ";

    private static string CliVersion => VersionCommand.Version.Split('+')[0];

    private ResultPrinter Printer => shell.Printer;

    private TextWriter Out => shell.Output.Writer;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await BannerAsync(cancellationToken);
        var statement = new StringBuilder();
        while (!cancellationToken.IsCancellationRequested)
        {
            var prompt = statement.Length == 0 ? Prompt : ContinuationPrompt;
            var (outcome, line) = await Task.Factory.StartNew(
                () => editor.ReadLine(prompt), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            switch (outcome)
            {
                case LineOutcome.EndOfInput:
                    Out.WriteLine("Exiting Rhei.");
                    return 0;
                case LineOutcome.Interrupted:
                    statement.Clear();
                    continue;
            }

            if (statement.Length == 0)
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                var command = ShellCommand(line);
                if (command is not null)
                {
                    history.Add(line);
                    shell.Output.SpoolInput(line);
                    if (!await RunCommandAsync(command.Value.Name, command.Value.Argument, cancellationToken))
                    {
                        Out.WriteLine("Exiting Rhei.");
                        return 0;
                    }

                    continue;
                }
            }

            statement.Append(line).Append('\n');
            var text = statement.ToString();
            if (!IsComplete(text))
            {
                continue;
            }

            statement.Clear();
            history.Add(text);
            shell.Output.SpoolInput(text.TrimEnd());
            try
            {
                await shell.RunAsync(text, cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Printer.Error("Cancelled.");
            }

            Out.WriteLine();
            Out.Flush();
        }

        return 0;
    }

    /// <summary>True when <paramref name="text"/> ends its last statement with a semicolon (outside strings and comments).</summary>
    public static bool IsComplete(string text)
    {
        try
        {
            var statements = SqlScript.Split(text);
            return statements.Length == 0 || statements[^1].Text.TrimEnd().EndsWith(';');
        }
        catch (SqlParseException)
        {
            // An unterminated string, quoted name or comment: more lines to come.
            return false;
        }
    }

    /// <summary>The shell command on <paramref name="line"/> (name in lower case, argument), or null for SQL.</summary>
    public static (string Name, string Argument)? ShellCommand(string line)
    {
        var text = line.Trim().TrimEnd(';').Trim();
        var space = text.IndexOfAny([' ', '\t']);
        var name = (space < 0 ? text : text[..space]).ToLowerInvariant();
        var argument = space < 0 ? "" : text[(space + 1)..].Trim();
        return name switch
        {
            "help" or "history" or "exit" or "quit" or "version" or "clear" when argument.Length == 0 => (name, argument),
            "spool" or "output" or "server" => (name, argument),
            "run" when argument.StartsWith("script", StringComparison.OrdinalIgnoreCase)
                && argument.Length > 6 && char.IsWhiteSpace(argument[6]) => ("run script", argument[6..].Trim().Trim('\'', '"')),
            _ => null,
        };
    }

    /// <summary>Runs a shell command; false to leave the shell.</summary>
    private async Task<bool> RunCommandAsync(string name, string argument, CancellationToken cancellationToken)
    {
        switch (name)
        {
            case "exit" or "quit":
                return false;
            case "help":
                Out.WriteLine(HelpText);
                break;
            case "history":
                for (var i = 0; i < history.Entries.Count; i++)
                {
                    Out.WriteLine($"{i + 1,5}  {history.Entries[i].Replace("\n", "\n       ", StringComparison.Ordinal)}");
                }

                break;
            case "clear":
                Out.Write("\u001b[2J\u001b[H");
                break;
            case "version":
                Out.WriteLine($"CLI v{CliVersion}");
                await ServerLineAsync(cancellationToken);
                break;
            case "output":
                if (argument.Length == 0)
                {
                    Out.WriteLine($"Output format: {Printer.Format.ToString().ToUpperInvariant()}");
                }
                else if (Enum.TryParse<OutputFormat>(argument, ignoreCase: true, out var format))
                {
                    Printer.Format = format;
                    Out.WriteLine($"Output format set to {format.ToString().ToUpperInvariant()}");
                }
                else
                {
                    Printer.Error($"Unknown output format '{argument}': use JSON or TABULAR.");
                }

                break;
            case "run script":
                if (argument.Length == 0)
                {
                    Printer.Error("run script needs a file: run script 'statements.sql'");
                    break;
                }

                await shell.RunScriptAsync(argument, cancellationToken);
                break;
            case "spool":
                Spool(argument.Trim('\'', '"'));
                break;
            case "server":
                if (argument.Length > 0)
                {
                    if (!Uri.TryCreate(argument, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    {
                        Printer.Error($"'{argument}' is not an http:// URL.");
                        break;
                    }

                    shell.Client.Dispose();
                    shell.Client = connect(argument);
                }

                await ServerLineAsync(cancellationToken);
                break;
        }

        return true;
    }

    private void Spool(string argument)
    {
        if (argument.Length == 0)
        {
            Out.WriteLine(shell.Output.SpoolPath is { } current ? $"Spooling to {current}" : "Not spooling. Use: spool <file> | spool off");
            return;
        }

        if (argument.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            if (shell.Output.SpoolPath is null)
            {
                Out.WriteLine("Not spooling.");
                return;
            }

            var path = shell.Output.SpoolPath;
            shell.Output.StopSpool();
            Out.WriteLine($"Stopped spooling to {path}");
            return;
        }

        try
        {
            shell.Output.StartSpool(argument);
            Out.WriteLine($"Session will be spooled to {shell.Output.SpoolPath}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Printer.Error($"Cannot spool to '{argument}': {e.Message}");
        }
    }

    private async Task BannerAsync(CancellationToken cancellationToken)
    {
        Out.WriteLine();
        Out.WriteLine("  ~~~~  Rhei: streams, tables and SQL in one process");
        Out.WriteLine(" ~~~~~  ksqlDB-compatible shell");
        Out.WriteLine();
        Out.Write($"CLI v{CliVersion}, ");
        await ServerLineAsync(cancellationToken);
        Out.WriteLine();
        Out.WriteLine("Type 'help' for the shell's commands and how statements work; 'exit' or Ctrl+D to leave.");
        Out.WriteLine();
    }

    private async Task ServerLineAsync(CancellationToken cancellationToken)
    {
        try
        {
            var info = await shell.Client.GetServerInfoAsync(cancellationToken);
            Out.WriteLine($"Server v{info.Version} located at {shell.Client.Server}");
            Out.WriteLine($"Server Status: {info.ServerStatus}");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            Out.WriteLine($"Server located at {shell.Client.Server}");
            Printer.Error($"The server at {shell.Client.Server} does not answer ({e.Message}). Statements will fail until it does; " +
                "start it with 'rhei server' or point the shell elsewhere with 'server <url>'.");
        }
    }

    internal const string HelpText = """
        Statements end with a semicolon and may span several lines; the prompt changes to '   >>' until the ';'.
        Queries (SELECT ..., PRINT ...) stream their rows; a push query (EMIT CHANGES) runs until its LIMIT, or until
        Ctrl+C stops it (Ctrl+C stops the query, not the shell). Every other statement runs on the server.

        Handled by the shell itself:
          SET 'property' = 'value';   Sets a property for the statements that follow (sent with each of them).
          UNSET 'property';           Removes it.
          DEFINE name = 'value';      Defines a variable: ${name} in later statements is replaced by value.
          UNDEFINE name;              Removes it.   SHOW VARIABLES; lists the variables.
          RUN SCRIPT 'file.sql';      Runs the statements in a file.

        Shell commands (no semicolon needed):
          help                        This text.
          history                     The statements and commands entered so far (kept in ~/.rhei/history,
                                      or --history-file / RHEI_HISTORY_FILE).
          run script '<file>'         Runs the statements in a file (as RUN SCRIPT does).
          spool <file> | spool off    Copies everything shown (statements prefixed by 'ksql> ') into a file.
          output [json | tabular]     Shows or sets how results are printed.
          server [url]                Shows the server, or switches to another one.
          version                     The shell's and the server's versions.
          clear                       Clears the screen.
          exit | quit                 Leaves the shell (so does Ctrl+D on an empty line).

        Keys: arrows, Home/End, Ctrl+A/E, Ctrl+U/K/W, Up/Down walk through the history, Ctrl+L clears the screen,
        Ctrl+C abandons the statement being typed.
        """;
}
