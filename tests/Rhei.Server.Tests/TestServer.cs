using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Rhei.Client.Embedded;
using Rhei.Configuration;
using Microsoft.Extensions.Logging;
using Rhei.Engine;
using Rhei.Storage;

namespace Rhei.Server.Tests;

/// <summary>A real <see cref="RestServer"/> (Kestrel on a free loopback port) over an engine, and clients for it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];
    private readonly LogManager? _storage;
    private readonly string? _directory;

    private TestServer(RheiEngine engine, RestServer server, LogManager? storage = null, string? directory = null)
    {
        Engine = engine;
        Server = server;
        _storage = storage;
        _directory = directory;
    }

    public RheiEngine Engine { get; }

    public RestServer Server { get; }

    public Uri BaseAddress => Server.Addresses[0];

    /// <summary>Clients on the server's storage (servers started with <see cref="StartWithStorageAsync"/> only).</summary>
    public EmbeddedClientFactory Clients => new(_storage ?? throw new InvalidOperationException("This server has no storage of its own."));

    public static async Task<TestServer> StartAsync(RheiEngineOptions? engineOptions = null, Func<RestServerOptions, RestServerOptions>? configure = null)
    {
        var engine = new RheiEngine(engineOptions ?? new RheiEngineOptions());
        var options = new RestServerOptions
        {
            Listeners = [new ListenerEndpoint("HTTP", ListenerProtocol.Http, "127.0.0.1", 0)],
            KafkaClusterId = "test-cluster",
            ServiceId = "test_",
            LoggerFactory = Environment.GetEnvironmentVariable("RHEI_TEST_LOG") == "1"
                ? Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddConsole().SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug))
                : Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        };
        var server = await RestServer.StartAsync(engine, configure?.Invoke(options) ?? options);
        return new TestServer(engine, server);
    }

    /// <summary>
    /// A server whose engine runs on real storage (a temporary directory) through the embedded clients, so that
    /// persistent, pull and push queries run.
    /// </summary>
    public static async Task<TestServer> StartWithStorageAsync(Func<RestServerOptions, RestServerOptions>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-server-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var storage = await LogManager.OpenAsync(new StorageOptions { LogDirs = [Path.Combine(directory, "data")], NumPartitions = 1 });
        var engine = new RheiEngine(new RheiEngineOptions
        {
            ServiceId = "test_",
            ClientFactory = new EmbeddedClientFactory(storage),
            StateDirectory = Path.Combine(directory, "state"),
            Properties = new Dictionary<string, string> { ["ksql.streams.commit.interval.ms"] = "100" },
        });
        var options = new RestServerOptions
        {
            Listeners = [new ListenerEndpoint("HTTP", ListenerProtocol.Http, "127.0.0.1", 0)],
            KafkaClusterId = "test-cluster",
            ServiceId = "test_",
        };
        var server = await RestServer.StartAsync(engine, configure?.Invoke(options) ?? options);
        return new TestServer(engine, server, storage, directory);
    }

    /// <summary>A client that speaks exactly <paramref name="version"/> (HTTP/2 with prior knowledge over http://).</summary>
    public HttpClient Client(Version version)
    {
        var client = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
        {
            BaseAddress = BaseAddress,
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _clients.Add(client);
        return client;
    }

    public static IEnumerable<object[]> Versions => [[HttpVersion.Version11], [HttpVersion.Version20]];

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
        await Engine.DisposeAsync();
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }

        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>Requests and JSON helpers for the tests.</summary>
internal static class Http
{
    public static StringContent Json(string json, string mediaType = "application/json") =>
        new(json, Encoding.UTF8, mediaType);

    /// <summary>A POST in the client's own HTTP version (a request message built by hand would otherwise be HTTP/1.1).</summary>
    public static HttpRequestMessage Request(HttpClient client, string path, HttpContent content) =>
        new(HttpMethod.Post, path) { Content = content, Version = client.DefaultRequestVersion, VersionPolicy = client.DefaultVersionPolicy };

    public static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(
        HttpClient client, string path, object body, string? accept = null)
    {
        using var request = Http.Request(client, path, Json(body));
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, Parse(text), response);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, Parse(text), response);
    }

    /// <summary>Runs statements on /ksql and returns the entities; fails the test on an error response.</summary>
    public static async Task<JsonElement> KsqlAsync(HttpClient client, string ksql, object? streamsProperties = null)
    {
        var (status, body, _) = await PostAsync(client, "/ksql", new { ksql, streamsProperties = streamsProperties ?? new { } });
        Assert.True(status == HttpStatusCode.OK, $"/ksql answered {(int)status}: {body}");
        return body;
    }

    public static JsonElement Parse(string text) =>
        text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
}
