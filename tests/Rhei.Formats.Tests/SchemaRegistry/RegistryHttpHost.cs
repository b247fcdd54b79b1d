using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rhei.Formats.SchemaRegistry;

namespace Rhei.Formats.Tests.SchemaRegistry;

/// <summary>
/// Serves <see cref="SchemaRegistryApi"/> over HTTP with Kestrel on a free loopback port, the way the server will host
/// it, so that Confluent's clients can talk to Rhei's registry.
/// </summary>
internal sealed class RegistryHttpHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RegistryHttpHost(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<RegistryHttpHost> StartAsync(SchemaStore store)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new SchemaRegistryApi(store);
        app.Map("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
            var response = await api.HandleAsync(context.Request.Method, context.Request.Path.Value ?? "/", query, body.ToArray(), context.RequestAborted);
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.ContentType;
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RegistryHttpHost(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
