using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Rhei.Engine.Queries;
using Rhei.Server.Rest.Entities;
using Rhei.Server.Rest.Json;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;

namespace Rhei.Server.Rest;

/// <summary>
/// <c>POST /query</c>, ksqlDB's first streaming endpoint: one SELECT, answered as a chunked JSON array — a header
/// (<c>queryId</c>, <c>schema</c>), one <c>row</c> object per row (<c>tombstone</c> for a table's deletes), and a
/// <c>finalMessage</c> (or <c>errorMessage</c>) when the query ends.
/// </summary>
internal sealed class QueryResource(RestApi api)
{
    private static readonly byte[] s_separator = ",\n"u8.ToArray();

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

        if (string.IsNullOrWhiteSpace(request.Ksql))
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadRequest,
                "The request has no \"ksql\" field. Send a JSON object such as {\"ksql\": \"SELECT * FROM pageviews EMIT CHANGES;\"}.");
            return;
        }

        var properties = PropertyOverrides.ToStrings(request.StreamsProperties);
        var prohibited = PropertyOverrides.Prohibited(properties, api.Options.ProhibitedOverrides);
        if (prohibited.Count > 0)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadRequest, PropertyOverrides.ProhibitedMessage(prohibited));
            return;
        }

        var statements = QueryStatements.Split(request.Ksql);
        if (statements is not [var sql])
        {
            await WriteStatementErrorAsync(context, ErrorCodes.BadStatement,
                statements.Count == 0 ? "The request has no statement; send one SELECT." : "Only one statement at a time can be sent to /query; send each SELECT in its own request.",
                request.Ksql);
            return;
        }

        TransientQuery query;
        try
        {
            query = await api.Queries.StartAsync(sql, properties, PropertyOverrides.ToStrings(request.SessionVariables), context.RequestAborted);
        }
        catch (NotAQueryException e)
        {
            await WriteStatementErrorAsync(context, ErrorCodes.BadStatement,
                $"{e.Statement.GetType().Name} is not a query: /query runs SELECT statements; send other statements to /ksql.", sql);
            return;
        }
        catch (Exception e) when (e is KsqlException or SqlParseException)
        {
            await WriteStatementErrorAsync(context, ErrorCodes.BadStatement, e.Message, e is KsqlStatementException s && s.StatementText.Length > 0 ? s.StatementText : sql);
            return;
        }

        await using (query)
        {
            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = contentType;
            var pipe = response.BodyWriter;
            var writer = HttpIo.RentWriter(pipe);
            HttpIo.Copy("["u8, pipe);
            writer.WriteStartObject();
            writer.WriteStartObject("header");
            writer.WriteString("queryId", query.QueryId);
            writer.WriteString("schema", query.SchemaText);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.Flush();
            await pipe.FlushAsync(context.RequestAborted);

            var (_, error) = await QueryWriter.WriteRowsAsync(context, query, s_separator, firstNeedsSeparator: true, ReadOnlyMemory<byte>.Empty, WriteRow, QueryWriter.QueryRows, api.Stopping);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            writer = HttpIo.RentWriter(pipe);
            if (error is not null)
            {
                HttpIo.Copy(s_separator, pipe);
                writer.WriteStartObject();
                writer.WriteStartObject("errorMessage");
                writer.WriteString("@type", "generic_error");
                writer.WriteNumber("error_code", ErrorCodes.ServerError);
                writer.WriteString("message", error.Message);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.Flush();
            }
            else if (query.CompletionMessage is { } final)
            {
                HttpIo.Copy(s_separator, pipe);
                writer.WriteStartObject();
                writer.WriteString("finalMessage", final);
                writer.WriteEndObject();
                writer.Flush();
            }

            HttpIo.Copy("]\n"u8, pipe);
            await pipe.FlushAsync(context.RequestAborted);
        }
    }

    private static void WriteRow(Utf8JsonWriter writer, QueryRow row)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("row");
        writer.WritePropertyName("columns");
        RowJson.WriteRow(writer, row);
        if (row.IsTombstone)
        {
            writer.WriteBoolean("tombstone", true);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static Task WriteStatementErrorAsync(HttpContext context, int code, string message, string statementText) =>
        HttpIo.WriteJsonAsync<KsqlErrorMessage>(context, 400, new KsqlStatementErrorMessage
        {
            ErrorCode = code,
            Message = message,
            StatementText = statementText,
        }, RestJsonContext.Default.KsqlErrorMessage);
}

/// <summary>Splitting a request's text into statements for the query endpoints.</summary>
internal static class QueryStatements
{
    private const int CacheLimit = 4096;

    // Clients repeat the same query texts (a pull query per key lookup): split each text once.
    private static readonly BoundedCache<string, IReadOnlyList<string>> s_split = new(CacheLimit, StringComparer.Ordinal);

    /// <summary>The statements of <paramref name="text"/>; a text that does not split (an unterminated string) is one statement, for the parser to report.</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        if (s_split.TryGetValue(text, out var cached))
        {
            return cached;
        }

        IReadOnlyList<string> statements;
        try
        {
            statements = [.. SqlScript.Split(text).Select(s => s.Text)];
        }
        catch (SqlParseException)
        {
            statements = [text];
        }

        s_split.Set(text, statements);
        return statements;
    }
}
