using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rhei.Configuration;
using Rhei.Engine;
using Rhei.Engine.Queries;
using Rhei.Server.Hosting;
using Rhei.Server.Rest;

namespace Rhei.Server;

/// <summary>
/// Rhei's HTTP server: ksqlDB's REST API over a <see cref="RheiEngine"/>, on every <c>HTTP://</c> listener, serving
/// HTTP/1.1 and HTTP/2 cleartext (prior knowledge) on the same port. Kestrel runs without the generic host, so the
/// process that embeds it keeps control of signals and logging.
/// <code>
/// await using var server = await RestServer.StartAsync(engine, new RestServerOptions { Listeners = ... });
/// Console.WriteLine(server.Addresses[0]);   // http://127.0.0.1:8088/
/// </code>
/// </summary>
public sealed class RestServer : IAsyncDisposable
{
    private readonly KestrelServer _kestrel;
    private readonly RestApi _api;
    private readonly QueryService _queries;
    private readonly List<ListenOptions> _endpoints;
    private int _stopped;

    private RestServer(KestrelServer kestrel, RestApi api, QueryService queries, List<ListenOptions> endpoints)
    {
        _kestrel = kestrel;
        _api = api;
        _queries = queries;
        _endpoints = endpoints;
    }

    /// <summary>Where the server listens, one <c>http://host:port/</c> per listener (actual ports when 0 was asked).</summary>
    public IReadOnlyList<Uri> Addresses => [.. _endpoints.Select(e => new Uri($"http://{Format(e.IPEndPoint!)}/"))];

    /// <summary>The push queries running now (each until its LIMIT, <c>/close-query</c>, or its client going away).</summary>
    public IReadOnlyCollection<TransientQuery> RunningQueries => _queries.Running;

    /// <summary>The server's query service (pull and push queries), for in-process callers.</summary>
    public QueryService Queries => _queries;

    /// <summary>The sources read now by shared readers for push queries (one per source, however many queries).</summary>
    public int SharedPushReaders => _queries.SharedReaderCount;

    /// <summary>Binds every HTTP listener of <paramref name="options"/> and starts serving.</summary>
    /// <exception cref="IOException">A listener's address is in use or cannot be bound.</exception>
    public static async Task<RestServer> StartAsync(RheiEngine engine, RestServerOptions options, CancellationToken cancellationToken = default)
    {
        var listeners = options.Listeners.Where(l => l.Protocol == ListenerProtocol.Http).ToList();
        if (listeners.Count == 0)
        {
            throw new ArgumentException("No HTTP:// listener to serve the REST API on; add one to `listeners`, e.g. HTTP://127.0.0.1:8088.", nameof(options));
        }

        var loggerFactory = options.LoggerFactory;
        var services = new ServiceCollection().AddSingleton(loggerFactory).BuildServiceProvider();
        var kestrelOptions = new KestrelServerOptions
        {
            ApplicationServices = services,
            AddServerHeader = false,
            AllowSynchronousIO = false,
        };
        kestrelOptions.Limits.KeepAliveTimeout = options.IdleConnectionTimeout;
        kestrelOptions.Limits.MaxRequestBodySize = null; // /inserts-stream streams without end; others check their own limit
        kestrelOptions.Limits.MinRequestBodyDataRate = null; // an inserts stream may be quiet for a long time
        kestrelOptions.Limits.MinResponseDataRate = null; // a push query may be quiet for a long time
        kestrelOptions.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(30);

        var sockets = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory);
        var handoff = new HandoffTransport(sockets);
        kestrelOptions.Listen(new HandoffEndPoint("h2c"), listen => listen.Protocols = HttpProtocols.Http2);
        var endpoints = new List<ListenOptions>();
        foreach (var listener in listeners)
        {
            kestrelOptions.Listen(await ResolveAsync(listener, cancellationToken), listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(CleartextProtocolSelector.Create(handoff));
                endpoints.Add(listen);
            });
        }

        var queries = new QueryService(engine, options.Queries);
        var api = new RestApi(engine, queries, options);
        Console.WebConsole.Attach(api);
        var kestrel = new KestrelServer(Options.Create(kestrelOptions), handoff, loggerFactory);
        try
        {
            await kestrel.StartAsync(new RestApplication(api), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            kestrel.Dispose();
            await queries.DisposeAsync();
            throw new IOException($"Could not listen on {string.Join(", ", listeners)}: {e.Message}", e);
        }

        var server = new RestServer(kestrel, api, queries, endpoints);
        var logger = options.LoggerFactory.CreateLogger<RestServer>();
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("REST API listening on {Addresses} (HTTP/1.1 and HTTP/2 cleartext)", string.Join(", ", server.Addresses));
        }
        return server;
    }

    /// <summary>
    /// Stops serving: streaming responses (push queries, insert streams) end, new connections are refused, and requests
    /// in progress get until <paramref name="cancellationToken"/> to finish before their connections are closed.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _api.BeginStopping();
        try
        {
            await _kestrel.StopAsync(cancellationToken);
            _kestrel.Dispose();
        }
        finally
        {
            await _queries.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await StopAsync(timeout.Token);
    }

    private static async Task<IPEndPoint> ResolveAsync(ListenerEndpoint listener, CancellationToken cancellationToken)
    {
        if (listener.IsWildcardHost)
        {
            return new IPEndPoint(listener.Host == "::" ? IPAddress.IPv6Any : IPAddress.Any, listener.Port);
        }

        if (IPAddress.TryParse(listener.Host, out var address))
        {
            return new IPEndPoint(address, listener.Port);
        }

        if (string.Equals(listener.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, listener.Port);
        }

        var addresses = await Dns.GetHostAddressesAsync(listener.Host, cancellationToken);
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new IOException($"Listener {listener}: the host name '{listener.Host}' has no address.");
        return new IPEndPoint(chosen, listener.Port);
    }

    private static string Format(IPEndPoint endpoint)
    {
        var host = endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1"
            : endpoint.Address.Equals(IPAddress.IPv6Any) ? "[::1]"
            : endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]"
            : endpoint.Address.ToString();
        return $"{host}:{endpoint.Port}";
    }
}
