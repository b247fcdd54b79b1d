using System.Text.Json;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Cli.Sql;

/// <summary>
/// Runs SQL the way ksqlDB's CLI does: SET, UNSET, DEFINE, UNDEFINE, SHOW VARIABLES and RUN SCRIPT are handled here
/// (properties and variables go with every request); queries stream from <c>/query-stream</c>; every other statement
/// goes to <c>/ksql</c>, one at a time, stopping at the first that fails.
/// </summary>
internal sealed class SqlShell(KsqlRestClient client, ShellOutput output, ResultPrinter printer)
{
    private const int MaxScriptDepth = 16;
    private CancellationTokenSource? _query;
    private int _scriptDepth;

    public KsqlRestClient Client { get; set; } = client;

    public ResultPrinter Printer => printer;

    public ShellOutput Output => output;

    /// <summary>Property overrides sent with every statement (SET / UNSET).</summary>
    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Variables sent with every statement for <c>${name}</c> substitution (DEFINE / UNDEFINE).</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a push query runs before the shell closes it; null: until it ends or is interrupted.</summary>
    public TimeSpan? PushQueryDuration { get; set; }

    /// <summary>Print each statement (after <c>ksql&gt; </c>) before running it.</summary>
    public bool EchoStatements { get; set; }

    /// <summary>True while a query streams (Ctrl+C then stops the query, not the shell).</summary>
    public bool IsQueryRunning => _query is not null;

    /// <summary>Stops the running query, if any; true when there was one.</summary>
    public bool InterruptQuery()
    {
        var query = _query;
        if (query is null)
        {
            return false;
        }

        try
        {
            query.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        return true;
    }

    /// <summary>Runs every statement of <paramref name="sql"/> in order; false when one failed (the rest did not run).</summary>
    public async Task<bool> RunAsync(string sql, CancellationToken cancellationToken)
    {
        IReadOnlyList<SqlStatementText> statements;
        try
        {
            statements = SqlScript.Split(sql);
        }
        catch (SqlParseException e)
        {
            printer.Error(e.Message);
            return false;
        }

        foreach (var statement in statements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (EchoStatements)
            {
                output.Writer.WriteLine();
                output.Writer.WriteLine("ksql> " + statement.Text);
            }

            if (!await RunStatementAsync(statement.Text, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<bool> RunStatementAsync(string text, CancellationToken cancellationToken)
    {
        Statement? statement;
        try
        {
            statement = SqlParser.ParseStatement(text, new SqlParserOptions { Variables = Variables, AllowTestStatements = true });
        }
        catch (SqlParseException)
        {
            // The server reports the error, in its words and with its position.
            statement = null;
        }

        try
        {
            switch (statement)
            {
                case SetProperty set:
                    printer.Message(Properties.TryGetValue(set.Name, out var old)
                        ? $"Successfully changed local property '{set.Name}' from '{old}' to '{set.Value}'."
                        : $"Successfully changed local property '{set.Name}' to '{set.Value}'.");
                    Properties[set.Name] = set.Value;
                    return true;
                case UnsetProperty unset:
                    if (Properties.Remove(unset.Name, out var was))
                    {
                        printer.Message($"Successfully unset local property '{unset.Name}' (value was '{was}').");
                    }
                    else
                    {
                        printer.Message($"Property '{unset.Name}' was not set locally; nothing to unset.");
                    }

                    return true;
                case DefineVariable define:
                    Variables[define.Name] = define.Value;
                    return true;
                case UndefineVariable undefine:
                    if (!Variables.Remove(undefine.Name))
                    {
                        printer.Message($"Variable '{undefine.Name}' is not defined; nothing to undefine.");
                    }

                    return true;
                case ListVariables:
                    printer.Table(["Variable Name", "Value"], Variables.Select(v => new[] { v.Key, v.Value }));
                    return true;
                case RunScript run:
                    return await RunScriptAsync(run.Path, cancellationToken);
                case Query query:
                    return await QueryAsync(text, query.Emit is not null, cancellationToken);
                case PrintTopic:
                    return await QueryAsync(text, push: true, cancellationToken);
                default:
                    return await ExecuteAsync(text, cancellationToken);
            }
        }
        catch (HttpRequestException e)
        {
            printer.Error($"Could not reach the server at {Client.Server}: {e.Message}");
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            printer.Error($"The server at {Client.Server} did not answer within {Client.RequestTimeout.TotalSeconds:0} s.");
            return false;
        }
    }

    private async Task<bool> ExecuteAsync(string text, CancellationToken cancellationToken)
    {
        var result = await Client.ExecuteAsync(text, Properties, Variables, cancellationToken);
        if (!result.IsOk)
        {
            printer.Error(result.Error!, result.Raw);
            return false;
        }

        printer.Entities(result.Value!, result.Raw);
        return true;
    }

    /// <summary>Runs a file's statements (RUN SCRIPT, <c>-f</c>); relative paths are from the working directory.</summary>
    public async Task<bool> RunScriptAsync(string path, CancellationToken cancellationToken)
    {
        if (_scriptDepth >= MaxScriptDepth)
        {
            printer.Error($"RUN SCRIPT '{path}': scripts nest more than {MaxScriptDepth} deep; does a script run itself?");
            return false;
        }

        string script;
        try
        {
            script = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            printer.Error($"Could not read the script '{path}': {e.Message}");
            return false;
        }

        _scriptDepth++;
        try
        {
            return await RunAsync(script, cancellationToken);
        }
        finally
        {
            _scriptDepth--;
        }
    }

    private async Task<bool> QueryAsync(string text, bool push, CancellationToken cancellationToken)
    {
        using var query = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (push && PushQueryDuration is { } duration)
        {
            query.CancelAfter(duration);
        }

        _query = query;
        try
        {
            var started = await Client.StreamQueryAsync(text, Properties, Variables, query.Token);
            if (!started.IsOk)
            {
                printer.Error(started.Error!, started.Raw);
                return false;
            }

            await using var stream = started.Value!;
            return push ? await PushAsync(stream, query.Token) : await PullAsync(stream, query.Token);
        }
        catch (OperationCanceledException) when (query.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or --duration: the query was stopped by request (the stream is disposed, which closes it).
            printer.Message("Query terminated");
            return true;
        }
        finally
        {
            _query = null;
        }
    }

    private async Task<bool> PullAsync(StreamedQuery stream, CancellationToken cancellationToken)
    {
        var rows = new List<JsonElement>();
        await foreach (var row in stream.ReadRowsAsync(cancellationToken))
        {
            if (row.ValueKind == JsonValueKind.Object && row.TryGetProperty("message", out var message))
            {
                printer.PullRows(stream, rows);
                printer.Error(message.GetString() ?? row.GetRawText());
                return false;
            }

            rows.Add(row);
        }

        printer.PullRows(stream, rows);
        printer.Message("Query terminated");
        return true;
    }

    private async Task<bool> PushAsync(StreamedQuery stream, CancellationToken cancellationToken)
    {
        var widths = printer.PushHeader(stream);
        try
        {
            await foreach (var row in stream.ReadRowsAsync(cancellationToken))
            {
                if (row.ValueKind == JsonValueKind.Object && row.TryGetProperty("message", out var message))
                {
                    printer.Error(message.GetString() ?? row.GetRawText());
                    return false;
                }

                printer.PushRow(row, widths);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stream.CloseAsync();
            throw;
        }

        printer.Message("Query terminated");
        return true;
    }
}
