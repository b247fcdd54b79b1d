using System.CommandLine;

namespace Rhei.Cli.Sql;

/// <summary>
/// <c>rhei sql [URL] [-e statements | -f FILE] [--output json|tabular] [--define name=value]...</c>: ksqlDB's CLI for
/// Rhei (or any ksqlDB server). Without <c>-e</c> or <c>-f</c> it is interactive.
/// </summary>
internal static class SqlCommand
{
    public const string DefaultServer = "http://127.0.0.1:8088";

    public static Command Create(CliContext context)
    {
        var server = new Argument<string>("server")
        {
            Description = "The server's REST API.",
            DefaultValueFactory = _ => DefaultServer,
            HelpName = "URL",
        };
        var execute = new Option<string?>("--execute", "-e")
        {
            Description = "Runs these statements and exits (exit status 1 if one fails).",
            HelpName = "STATEMENTS",
        };
        var file = new Option<string?>("--file", "-f")
        {
            Description = "Runs the statements in this file and exits (exit status 1 if one fails).",
            HelpName = "FILE",
        };
        var output = new Option<OutputFormat>("--output")
        {
            Description = "How results are printed.",
            DefaultValueFactory = _ => OutputFormat.Tabular,
        };
        var define = new Option<string[]>("--define", "-d")
        {
            Description = "Defines a variable for ${name} substitution, as DEFINE does. Repeatable.",
            HelpName = "NAME=VALUE",
        };
        var historyFile = new Option<string?>("--history-file")
        {
            Description = "Where the shell keeps the statements typed (default: ~/.rhei/history; RHEI_HISTORY_FILE overrides it too).",
            HelpName = "FILE",
        };
        var requestTimeout = new Option<int>("--request-timeout")
        {
            Description = "Seconds to wait for the server to answer a statement.",
            DefaultValueFactory = _ => 120,
        };

        var command = new InteractiveCommand("sql", "The interactive SQL shell (ksqlDB's CLI) for a Rhei server.");
        command.Arguments.Add(server);
        command.Options.Add(execute);
        command.Options.Add(file);
        command.Options.Add(output);
        command.Options.Add(define);
        command.Options.Add(historyFile);
        command.Options.Add(requestTimeout);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var url = parseResult.GetValue(server)!;
            if (!Uri.TryCreate(url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https"))
            {
                context.Error.WriteLine($"rhei sql: '{url}' is not a server URL; give one like {DefaultServer}.");
                return 1;
            }

            var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var definition in parseResult.GetValue(define) ?? [])
            {
                var equals = definition.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    context.Error.WriteLine($"rhei sql: --define '{definition}' is not NAME=VALUE.");
                    return 1;
                }

                variables[definition[..equals].Trim()] = definition[(equals + 1)..];
            }

            var statements = parseResult.GetValue(execute);
            var scriptFile = parseResult.GetValue(file);
            if (statements is not null && scriptFile is not null)
            {
                context.Error.WriteLine("rhei sql: give either -e or -f, not both.");
                return 1;
            }

            var options = new SqlShellOptions(
                uri, parseResult.GetValue(output), variables, TimeSpan.FromSeconds(parseResult.GetValue(requestTimeout)))
            {
                HistoryFile = parseResult.GetValue(historyFile),
            };
            return await RunAsync(context, options, statements, scriptFile, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(
        CliContext context, SqlShellOptions options, string? statements, string? scriptFile, CancellationToken cancellationToken)
    {
        var interactiveSession = statements is null && scriptFile is null;
        var isTerminal = context.HandleTermination && !Console.IsOutputRedirected;
        using var output = new ShellOutput(context.Output, isTerminal);
        var printer = new ResultPrinter(output) { Format = options.Output };
        var shell = new SqlShell(Connect(options.Server.ToString(), options.RequestTimeout), output, printer)
        {
            PushQueryDuration = options.PushQueryDuration,
            EchoStatements = options.EchoStatements,
        };
        foreach (var (name, value) in options.Variables)
        {
            shell.Variables[name] = value;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler? onCancel = null;
        if (context.HandleTermination)
        {
            // Ctrl+C stops the running query; otherwise it ends a script run. At the prompt, the line editor reads it.
            onCancel = (_, e) =>
            {
                e.Cancel = true;
                if (!shell.InterruptQuery() && !interactiveSession)
                {
                    stop.Cancel();
                }
            };
            Console.CancelKeyPress += onCancel;
        }

        try
        {
            if (!interactiveSession)
            {
                var ok = statements is not null
                    ? await shell.RunAsync(statements, stop.Token)
                    : await shell.RunScriptAsync(scriptFile!, stop.Token);
                return ok ? 0 : 1;
            }

            var history = new CommandHistory(options.HistoryFile ?? HistoryPath(context));
            var editor = new LineEditor(history, output.Writer, isTerminal && !Console.IsInputRedirected);
            var repl = new Repl(shell, editor, history, url => Connect(url, options.RequestTimeout));
            return await repl.RunAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
        finally
        {
            if (onCancel is not null)
            {
                Console.CancelKeyPress -= onCancel;
            }

            shell.Client.Dispose();
        }
    }

    private static KsqlRestClient Connect(string url, TimeSpan requestTimeout)
    {
        var uri = new Uri(url.EndsWith('/') ? url : url + "/");
        return new KsqlRestClient(uri, requestTimeout);
    }

    /// <summary><c>RHEI_HISTORY_FILE</c>, else <c>~/.rhei/history</c> (<c>HOME</c> from the environment).</summary>
    private static string HistoryPath(CliContext context)
    {
        if (context.Environment.TryGetValue("RHEI_HISTORY_FILE", out var file) && file.Length > 0)
        {
            return file;
        }

        var home = context.Environment.TryGetValue("HOME", out var h) && h.Length > 0
            ? h
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".rhei", "history");
    }
}

/// <summary>What <c>rhei sql</c> was started with.</summary>
internal sealed record SqlShellOptions(Uri Server, OutputFormat Output, IReadOnlyDictionary<string, string> Variables, TimeSpan RequestTimeout)
{
    /// <summary>How long each push query runs; null: until its LIMIT or Ctrl+C.</summary>
    public TimeSpan? PushQueryDuration { get; init; }

    /// <summary>Print each statement (after <c>ksql&gt; </c>) before its result, as <c>rhei run</c> does.</summary>
    public bool EchoStatements { get; init; }

    /// <summary>The interactive shell's history file; null: <c>RHEI_HISTORY_FILE</c> or <c>~/.rhei/history</c>.</summary>
    public string? HistoryFile { get; init; }
}
