using Microsoft.AspNetCore.Http;
using Rhei.Server.Rest.Entities;
using Rhei.Server.Rest.Json;

namespace Rhei.Server.Rest;

/// <summary><c>GET /info</c>, <c>/healthcheck</c>, <c>/clusterStatus</c> and <c>/is_valid_property/{name}</c>.</summary>
internal sealed class ServerInfoResource(RestApi api)
{
    public Task InfoAsync(HttpContext context)
    {
        var options = api.Options;
        var info = new ServerInfo(options.ServerVersion, options.KafkaClusterId, options.ServiceId, api.IsStopping ? "TERMINATING" : "RUNNING");
        return HttpIo.WriteJsonAsync(context, 200, new ServerInfoResponse(info), RestJsonContext.Default.ServerInfoResponse,
            api.NegotiateStatementType(context) ?? MediaTypes.Json);
    }

    public Task HealthCheckAsync(HttpContext context)
    {
        var stopping = api.IsStopping;
        var details = new Dictionary<string, HealthCheckDetail>
        {
            ["metastore"] = new(!stopping),
            ["kafka"] = new(!stopping),
            ["commandRunner"] = new(!stopping),
        };
        return HttpIo.WriteJsonAsync(context, stopping ? 503 : 200, new HealthCheckResponse(!stopping, details),
            RestJsonContext.Default.HealthCheckResponse);
    }

    public Task ClusterStatusAsync(HttpContext context)
    {
        // One node: itself, alive now, with the persistent queries it runs.
        var queries = api.Engine.MetaStore.Queries.ToDictionary(
            q => q.Id,
            _ => new ActiveStandbyEntity([], [], [], []));
        var self = new HostStatus(true, api.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(), queries,
            new HostStoreLags(new Dictionary<string, StateStoreLags>(), 0));
        var status = new ClusterStatusResponse(new Dictionary<string, HostStatus> { [api.HostName(context)] = self });
        return HttpIo.WriteJsonAsync(context, 200, status, RestJsonContext.Default.ClusterStatusResponse);
    }

    public Task IsValidPropertyAsync(HttpContext context, string property)
    {
        if (api.Options.ProhibitedOverrides.Contains(property))
        {
            return HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadRequest, PropertyOverrides.ProhibitedMessage([property]));
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = MediaTypes.Json;
        context.Response.ContentLength = 4;
        return context.Response.Body.WriteAsync("true"u8.ToArray()).AsTask();
    }
}
