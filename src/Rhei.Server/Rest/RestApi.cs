using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rhei.Engine;
using Rhei.Engine.Queries;
using Rhei.Server.Rest.Entities;

namespace Rhei.Server.Rest;

/// <summary>
/// ksqlDB's REST API over a <see cref="RheiEngine"/>: routes each request to its resource. One instance per server;
/// requests run concurrently.
/// </summary>
internal sealed partial class RestApi
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ServerInfoResource _info;
    private readonly KsqlResource _ksql;
    private readonly SchemaRegistryResource? _schemas;
    private readonly QueryResource _query;
    private readonly QueryStreamResource _queryStream;
    private readonly InsertsStreamResource _inserts;
    private readonly ILogger _logger;

    public RestApi(RheiEngine engine, QueryService queries, RestServerOptions options)
    {
        Engine = engine;
        Queries = queries;
        Options = options;
        Entities = new EntityMapper(engine);
        _logger = options.LoggerFactory.CreateLogger("Rhei.Server.Rest");
        _info = new ServerInfoResource(this);
        _ksql = new KsqlResource(this);
        _schemas = options.SchemaRegistry is { } registry && options.SchemaRegistryPrefix.Length > 0
            ? new SchemaRegistryResource(registry, options.SchemaRegistryPrefix, options.MaxRequestBodyBytes)
            : null;
        _query = new QueryResource(this);
        _queryStream = new QueryStreamResource(this);
        _inserts = new InsertsStreamResource(this);

        // /status lists the commands this node ran for its own requests and those it replayed or ran for other nodes.
        engine.CommandRan += status => Commands.Record((CommandStatusEntity)Entities.Map(status));
        foreach (var status in engine.CommandStatuses.Values.OrderBy(s => s.CommandSequenceNumber))
        {
            Commands.Record((CommandStatusEntity)Entities.Map(status));
        }
    }

    public RheiEngine Engine { get; }

    /// <summary>Pull and push queries.</summary>
    public QueryService Queries { get; }

    public RestServerOptions Options { get; }

    public EntityMapper Entities { get; }

    /// <summary>The statuses of the commands this server ran, by command id (<c>/status</c>).</summary>
    public CommandLog Commands { get; } = new();

    /// <summary>Cancelled when the server starts to stop: streaming responses end, new statements are refused.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public bool IsStopping => _stopping.IsCancellationRequested;

    public void BeginStopping() => _stopping.Cancel();

    /// <summary>Paths outside the ksqlDB API (the web console, <c>/metrics</c>): true when handled, else the 404 below.</summary>
    public Func<HttpContext, string, Task<bool>>? Fallback { get; set; }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (path.Length > 1 && path[^1] == '/')
        {
            path = path[..^1];
        }

        var post = HttpMethods.IsPost(request.Method);
        var get = HttpMethods.IsGet(request.Method);
        try
        {
            switch (path)
            {
                case "/query-stream" when post:
                    await _queryStream.ExecuteAsync(context);
                    return;
                case "/query" when post:
                    await _query.ExecuteAsync(context);
                    return;
                case "/close-query" when post:
                    await _queryStream.CloseAsync(context);
                    return;
                case "/inserts-stream" when post:
                    await _inserts.ExecuteAsync(context);
                    return;
                case "/ksql" when post:
                    await _ksql.ExecuteAsync(context);
                    return;
                case "/ksql/terminate" when post:
                    await _ksql.TerminateClusterAsync(context);
                    return;
                case "/info" when get:
                    await _info.InfoAsync(context);
                    return;
                case "/healthcheck" when get:
                    await _info.HealthCheckAsync(context);
                    return;
                case "/clusterStatus" when get:
                    await _info.ClusterStatusAsync(context);
                    return;
                case "/status" when get:
                    await _ksql.AllStatusesAsync(context);
                    return;
                case "/ksql" or "/ksql/terminate" or "/info" or "/healthcheck" or "/clusterStatus" or "/status"
                    or "/query" or "/query-stream" or "/close-query" or "/inserts-stream":
                    await MethodNotAllowedAsync(context);
                    return;
            }

            if (path.StartsWith("/status/", StringComparison.Ordinal))
            {
                await (get ? _ksql.StatusAsync(context, Uri.UnescapeDataString(path["/status/".Length..])) : MethodNotAllowedAsync(context));
                return;
            }

            if (path.StartsWith("/is_valid_property/", StringComparison.Ordinal))
            {
                await (get ? _info.IsValidPropertyAsync(context, Uri.UnescapeDataString(path["/is_valid_property/".Length..])) : MethodNotAllowedAsync(context));
                return;
            }

            if (_schemas?.Match(path) is { } registryPath)
            {
                await _schemas.HandleAsync(context, registryPath);
                return;
            }

            if (Fallback is { } fallback && await fallback(context, path))
            {
                return;
            }

            await HttpIo.WriteErrorAsync(context, 404, ErrorCodes.NotFound,
                $"There is no {request.Method} {path} in this server's REST API. The endpoints are POST /ksql, /query, " +
                "/query-stream, /inserts-stream, /close-query, /ksql/terminate and GET /info, /healthcheck, /status, " +
                "/clusterStatus, /is_valid_property/{name}.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            LogUnexpected(_logger, e, request.Method, path);
            context.Response.Clear();
            await HttpIo.WriteErrorAsync(context, 500, ErrorCodes.ServerError,
                $"The server failed while handling {request.Method} {path}: {e.Message}");
        }
    }

    /// <summary>The statement endpoints' response type for the request's <c>Accept</c> header, or null for 406.</summary>
    public string? NegotiateStatementType(HttpContext context) =>
        MediaTypes.Negotiate(context.Request.Headers.Accept, MediaTypes.Statement);

    public static Task NotAcceptableAsync(HttpContext context, string[] produced) =>
        HttpIo.WriteErrorAsync(context, 406, ErrorCodes.NotAcceptable,
            $"This endpoint does not produce {context.Request.Headers.Accept}; ask for one of: {string.Join(", ", produced)}.");

    /// <summary>This node as <c>host:port</c>, as the client reached it.</summary>
    public string HostName(HttpContext context) =>
        context.Request.Host.HasValue ? context.Request.Host.Value! : $"{context.Connection.LocalIpAddress}:{context.Connection.LocalPort}";

    private static Task MethodNotAllowedAsync(HttpContext context)
    {
        context.Response.Headers.Allow = context.Request.Path.Value is "/ksql" or "/ksql/terminate" or "/query" or "/query-stream" or "/close-query" or "/inserts-stream"
            ? "POST" : "GET";
        return HttpIo.WriteErrorAsync(context, 405, ErrorCodes.MethodNotAllowed,
            $"{context.Request.Method} is not allowed on {context.Request.Path}; use {context.Response.Headers.Allow}.");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unexpected failure handling {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
