using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Rhei.Engine.Queries;
using Rhei.Server.Rest.Entities;
using Rhei.Server.Rest.Json;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;

namespace Rhei.Server.Rest;

/// <summary>
/// <c>POST /query-stream</c> (ksqlDB's HTTP/2 API, served on HTTP/1.1 too) and <c>POST /close-query</c>. The answer is
/// a header object (<c>queryId</c> for push queries, <c>columnNames</c>, <c>columnTypes</c>) then one JSON array per row:
/// one per line in <c>application/vnd.ksqlapi.delimited.v1</c> (the default), or all in one JSON array in
/// <c>application/json</c>. An error after the header is written as an error object in place of a row.
/// </summary>
internal sealed class QueryStreamResource(RestApi api)
{
    private static readonly byte[] s_newline = "\n"u8.ToArray();
    private static readonly byte[] s_comma = ","u8.ToArray();

    public async Task ExecuteAsync(HttpContext context)
    {
        var contentType = MediaTypes.Negotiate(context.Request.Headers.Accept, MediaTypes.Streaming);
        if (contentType is null)
        {
            await RestApi.NotAcceptableAsync(context, MediaTypes.Streaming);
            return;
        }

        var args = await HttpIo.ReadJsonAsync(context, RestJsonContext.Default.QueryStreamArgs, api.Options.MaxRequestBodyBytes, () => new QueryStreamArgs());
        if (args is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(args.Sql))
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.MissingParam,
                "No sql in arguments: send a JSON object such as {\"sql\": \"SELECT * FROM pageviews EMIT CHANGES;\"}.");
            return;
        }

        var properties = PropertyOverrides.ToStrings(args.Properties);
        var prohibited = PropertyOverrides.Prohibited(properties, api.Options.ProhibitedOverrides);
        if (prohibited.Count > 0)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadRequest, PropertyOverrides.ProhibitedMessage(prohibited));
            return;
        }

        var statements = QueryStatements.Split(args.Sql);
        if (statements.Count != 1)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadStatement,
                statements.Count == 0 ? "The sql argument has no statement; send one SELECT." : "Expected exactly one statement in the sql argument; send each query in its own request.");
            return;
        }

        TransientQuery query;
        try
        {
            query = await api.Queries.StartAsync(statements[0], properties, PropertyOverrides.ToStrings(args.SessionVariables), context.RequestAborted);
        }
        catch (NotAQueryException e)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadStatement,
                $"Not a query: {e.Statement.GetType().Name} statements go to /ksql; /query-stream runs SELECT statements.");
            return;
        }
        catch (Exception e) when (e is KsqlException or SqlParseException)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadStatement, e.Message);
            return;
        }

        await using (query)
        {
            var json = contentType == MediaTypes.Json;
            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = contentType;
            var pipe = response.BodyWriter;
            if (json)
            {
                HttpIo.Copy("["u8, pipe);
            }

            var writer = HttpIo.RentWriter(pipe);
            writer.WriteStartObject();
            if (query.Kind == QueryKind.Push)
            {
                writer.WriteString("queryId", query.QueryId);
            }

            writer.WriteStartArray("columnNames");
            foreach (var column in query.Columns)
            {
                writer.WriteStringValue(column.Name);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("columnTypes");
            foreach (var column in query.Columns)
            {
                writer.WriteStringValue(column.Type.ToString());
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            if (!json)
            {
                HttpIo.Copy(s_newline, pipe);
            }

            await pipe.FlushAsync(context.RequestAborted);
            // Delimited: one row per line, each ended by a newline. JSON: rows after commas in one array.
            var (_, error) = await QueryWriter.WriteRowsAsync(
                context, query, json ? s_comma : ReadOnlyMemory<byte>.Empty, firstNeedsSeparator: json, json ? ReadOnlyMemory<byte>.Empty : s_newline,
                static (w, row) => RowJson.WriteRow(w, row), json ? QueryWriter.JsonArrayRows : QueryWriter.DelimitedRows, api.Stopping);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            writer = HttpIo.RentWriter(pipe);
            if (error is not null)
            {
                HttpIo.Copy(json ? s_comma : [], pipe);
                writer.WriteStartObject();
                writer.WriteString("@type", "generic_error");
                writer.WriteNumber("error_code", ErrorCodes.InternalError);
                writer.WriteString("message", error.Message);
                writer.WriteEndObject();
                writer.Flush();
                HttpIo.Copy(json ? [] : s_newline, pipe);
            }

            if (json)
            {
                HttpIo.Copy("]"u8, pipe);
            }

            await pipe.FlushAsync(context.RequestAborted);
        }
    }

    /// <summary><c>POST /close-query</c>: <c>{"queryId": "..."}</c> closes that push query.</summary>
    public async Task CloseAsync(HttpContext context)
    {
        var args = await HttpIo.ReadJsonAsync(context, RestJsonContext.Default.CloseQueryArgs, api.Options.MaxRequestBodyBytes, () => new CloseQueryArgs());
        if (args is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(args.QueryId))
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.MissingParam, "No queryId in arguments: send {\"queryId\": \"<the id from the query's header>\"}.");
            return;
        }

        if (!await api.Queries.CloseAsync(args.QueryId))
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.UnknownQueryId,
                $"No query with id {args.QueryId}: it has ended, or was never started on this server.");
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentLength = 0;
    }
}
