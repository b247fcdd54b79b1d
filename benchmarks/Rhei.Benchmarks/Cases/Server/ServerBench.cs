using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Client.Embedded;
using Rhei.Configuration;
using Rhei.Engine;
using Rhei.Server;
using Rhei.Storage;

namespace Rhei.Benchmarks.Cases.Server;

/// <summary>A REST server over an engine on real storage (a temporary directory), in this process, for B6 and B7.</summary>
internal sealed class ServerBench : IAsyncDisposable
{
    private readonly string _root;

    private ServerBench(string root, LogManager log, EmbeddedClientFactory clients, RheiEngine engine, RestServer server)
    {
        _root = root;
        Log = log;
        Clients = clients;
        Engine = engine;
        Server = server;
    }

    public LogManager Log { get; }

    public EmbeddedClientFactory Clients { get; }

    public RheiEngine Engine { get; }

    public RestServer Server { get; }

    public Uri Address => Server.Addresses[0];

    public static async Task<ServerBench> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "rhei-bench-server-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [Path.Combine(root, "log")], NumPartitions = 1 });
        var clients = new EmbeddedClientFactory(log);
        var engine = new RheiEngine(new RheiEngineOptions
        {
            ServiceId = "bench_",
            ClientFactory = clients,
            StateDirectory = Path.Combine(root, "state"),
        });
        var server = await RestServer.StartAsync(engine, new RestServerOptions
        {
            Listeners = [new ListenerEndpoint("HTTP", ListenerProtocol.Http, "127.0.0.1", 0)],
            KafkaClusterId = "bench",
            ServiceId = "bench_",
            LoggerFactory = NullLoggerFactory.Instance,
            Queries = new Engine.Queries.QueryServiceOptions { PullCatchUpTimeout = TimeSpan.FromMinutes(10) },
        });
        return new ServerBench(root, log, clients, engine, server);
    }

    /// <summary>An HTTP/1.1 client with one connection of its own.</summary>
    public HttpClient NewClient(Version? version = null) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false })
    {
        BaseAddress = Address,
        DefaultRequestVersion = version ?? HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Runs statements on /ksql; throws on an error answer.</summary>
    public async Task KsqlAsync(string ksql)
    {
        using var client = NewClient();
        using var response = await client.PostAsync("/ksql", new StringContent(
            System.Text.Json.JsonSerializer.Serialize(new { ksql }), System.Text.Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"/ksql answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Engine.DisposeAsync();
        await Log.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
