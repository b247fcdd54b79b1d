using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Rhei.Server.Rest.Entities;
using Rhei.Server.Rest.Json;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;

namespace Rhei.Server.Rest;

/// <summary>
/// <c>POST /ksql</c>: runs every statement but queries, in order, and answers with one entity per statement; the
/// first failing statement ends the request with a <c>statement_error</c> that carries the entities of the statements
/// before it. Also <c>POST /ksql/terminate</c> and <c>GET /status</c>.
/// </summary>
internal sealed class KsqlResource(RestApi api)
{
    /// <summary>ksqlDB's answer to a SELECT or PRINT sent to <c>/ksql</c>.</summary>
    internal const string QueryEndpointMessage =
        "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT";

    public async Task ExecuteAsync(HttpContext context)
    {
        var contentType = api.NegotiateStatementType(context);
        if (contentType is null)
        {
            await RestApi.NotAcceptableAsync(context, MediaTypes.Statement);
            return;
        }

        var request = await HttpIo.ReadJsonAsync(context, RestJsonContext.Default.KsqlRequest, api.Options.MaxRequestBodyBytes, () => new KsqlRequest());
        if (request is null)
        {
            return;
        }

        if (request.Ksql is null)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadRequest,
                "The request has no \"ksql\" field. Send a JSON object such as {\"ksql\": \"SHOW STREAMS;\"}.");
            return;
        }

        if (api.IsStopping)
        {
            await HttpIo.WriteErrorAsync(context, 503, ErrorCodes.ServerShuttingDown, "The server is shutting down; send the statements to another node or retry after it restarts.");
            return;
        }

        var properties = PropertyOverrides.ToStrings(request.StreamsProperties);
        var variables = PropertyOverrides.ToStrings(request.SessionVariables);
        var prohibited = PropertyOverrides.Prohibited(properties, api.Options.ProhibitedOverrides);
        if (prohibited.Count > 0)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadRequest, PropertyOverrides.ProhibitedMessage(prohibited));
            return;
        }

        // The command may have been written through another node: this one waits until its follower has run it.
        if (request.CommandSequenceNumber is { } sequence &&
            !await api.Engine.WaitForCommandAsync(sequence, api.Options.CommandQueueCatchupTimeout, context.RequestAborted))
        {
            await HttpIo.WriteErrorAsync(context, 503, ErrorCodes.CommandQueueCatchupTimeout,
                $"Timed out while waiting for a previous command to execute. command sequence number: {sequence}");
            return;
        }

        var (status, result) = await ExecuteStatementsAsync(request.Ksql, properties, variables, context.RequestAborted);
        if (result is KsqlErrorMessage error)
        {
            await HttpIo.WriteJsonAsync(context, status, error, RestJsonContext.Default.KsqlErrorMessage);
        }
        else
        {
            await HttpIo.WriteJsonAsync(context, status, (List<KsqlEntity>)result, RestJsonContext.Default.ListKsqlEntity, contentType);
        }
    }

    /// <summary>
    /// Runs a <c>/ksql</c> script: the HTTP status and either the list of entities or the error. The whole script is
    /// parsed first, so a syntax error or a query anywhere in it runs nothing.
    /// </summary>
    internal async Task<(int Status, object Result)> ExecuteStatementsAsync(
        string ksql, Dictionary<string, string> properties, Dictionary<string, string> variables, CancellationToken cancellationToken)
    {
        ImmutableArray<ParsedStatement> parsed;
        try
        {
            parsed = SqlParser.ParseScript(ksql, new SqlParserOptions { Variables = variables });
        }
        catch (SqlParseException e)
        {
            return (400, new KsqlStatementErrorMessage
            {
                ErrorCode = ErrorCodes.BadStatement,
                Message = e.IsSyntaxError ? e.Message : "Failed to prepare statement: " + e.Message,
                StatementText = StatementAt(ksql, e.Position),
            });
        }

        foreach (var statement in parsed)
        {
            if (statement.Statement is Query or PrintTopic)
            {
                return (400, new KsqlStatementErrorMessage
                {
                    ErrorCode = ErrorCodes.QueryEndpoint,
                    Message = QueryEndpointMessage,
                    StatementText = statement.SourceText,
                });
            }

            if (statement.Statement is RunScript)
            {
                return (400, new KsqlStatementErrorMessage
                {
                    ErrorCode = ErrorCodes.BadStatement,
                    Message = "RUN SCRIPT runs in the CLI, which reads the file and sends its statements; the server does not read files.",
                    StatementText = statement.SourceText,
                });
            }
        }

        var session = api.Engine.CreateSession(properties, variables);
        var entities = new List<KsqlEntity>();
        foreach (var statement in parsed)
        {
            try
            {
                var padded = new string('\n', statement.Position.Line - 1) + new string(' ', statement.Position.Column - 1) + statement.SourceText;
                foreach (var result in await session.ExecuteAsync(padded, cancellationToken))
                {
                    var entity = api.Entities.Map(result);
                    if (entity is CommandStatusEntity command)
                    {
                        api.Commands.Record(command);
                    }

                    entities.Add(entity);
                }
            }
            catch (Exception e) when (e is KsqlException or SqlParseException)
            {
                var statementText = e is KsqlStatementException { StatementText.Length: > 0 } s ? s.StatementText : statement.SourceText;
                return (400, new KsqlStatementErrorMessage
                {
                    ErrorCode = ErrorCodes.BadStatement,
                    Message = e.Message,
                    StatementText = statementText,
                    Entities = entities,
                });
            }
        }

        return (200, entities);
    }

    /// <summary>The statement of <paramref name="ksql"/> that contains <paramref name="position"/> (for parse errors).</summary>
    private static string StatementAt(string ksql, SourcePosition position)
    {
        try
        {
            var containing = SqlScript.Split(ksql).LastOrDefault(s =>
                s.Position.Line < position.Line || (s.Position.Line == position.Line && s.Position.Column <= position.Column));
            return containing?.Text ?? ksql.Trim();
        }
        catch (SqlParseException)
        {
            return ksql.Trim();
        }
    }

    /// <summary>
    /// <c>POST /ksql/terminate</c>: terminates every query and drops every stream and table; topics written by queries
    /// whose names match <c>deleteTopicList</c> (names or regular expressions) are deleted as well.
    /// </summary>
    public async Task TerminateClusterAsync(HttpContext context)
    {
        var request = await HttpIo.ReadJsonAsync(context, RestJsonContext.Default.ClusterTerminateRequest, api.Options.MaxRequestBodyBytes, () => new ClusterTerminateRequest());
        if (request is null)
        {
            return;
        }

        List<Regex> patterns;
        try
        {
            patterns = [.. (request.DeleteTopicList ?? []).Select(p => new Regex($"^(?:{p})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))];
        }
        catch (ArgumentException e)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadRequest, $"deleteTopicList has an invalid regular expression: {e.Message}");
            return;
        }

        var store = api.Engine.MetaStore;
        var written = store.Queries.Select(q => q.Sink).ToHashSet(StringComparer.Ordinal);
        var script = new List<string>();
        if (store.Queries.Count > 0)
        {
            script.Add("TERMINATE ALL;");
        }

        foreach (var source in store.Sources.Reverse())
        {
            var delete = written.Contains(source.Name) && patterns.Any(p => p.IsMatch(source.Topic.Name));
            script.Add($"DROP {(source.IsTable ? "TABLE" : "STREAM")} IF EXISTS `{source.Name.Replace("`", "``", StringComparison.Ordinal)}`{(delete ? " DELETE TOPIC" : "")};");
        }

        var (status, result) = await ExecuteStatementsAsync(string.Join("\n", script), [], [], context.RequestAborted);
        if (result is KsqlErrorMessage error)
        {
            await HttpIo.WriteJsonAsync(context, status, error, RestJsonContext.Default.KsqlErrorMessage);
            return;
        }

        var terminated = new CommandStatusEntity
        {
            StatementText = "TERMINATE CLUSTER;",
            CommandId = "cluster/CLUSTER/terminate",
            CommandStatus = new CommandStatus("SUCCESS", "Cluster terminated: every query was terminated and every stream and table dropped."),
            CommandSequenceNumber = api.Commands.HighestSequenceNumber,
        };
        await HttpIo.WriteJsonAsync(context, 200, new List<KsqlEntity> { terminated }, RestJsonContext.Default.ListKsqlEntity,
            api.NegotiateStatementType(context) ?? MediaTypes.Json);
    }

    /// <summary><c>GET /status</c>: every command's status.</summary>
    public Task AllStatusesAsync(HttpContext context) =>
        HttpIo.WriteJsonAsync(context, 200, new CommandStatuses(api.Commands.All()), RestJsonContext.Default.CommandStatuses);

    /// <summary><c>GET /status/{type}/{entity}/{action}</c>: one command's status.</summary>
    public Task StatusAsync(HttpContext context, string commandId)
    {
        var status = api.Commands.Get(commandId);
        return status is null
            ? HttpIo.WriteErrorAsync(context, 404, ErrorCodes.NotFound,
                $"Command not found: {commandId}. Command ids are returned by /ksql as commandId, for example stream/`PAGEVIEWS`/create.")
            : HttpIo.WriteJsonAsync(context, 200, status, RestJsonContext.Default.CommandStatus);
    }
}
