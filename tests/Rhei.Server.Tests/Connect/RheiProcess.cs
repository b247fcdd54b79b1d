using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Cli;
using Rhei.Configuration;

namespace Rhei.Server.Tests.Connect;

/// <summary>
/// A whole server as <c>rhei server</c> starts it (<see cref="ServerHost.StartAsync"/>): storage in a temporary
/// directory, the Kafka listener and the HTTP listener on free loopback ports, the engine with its connector runtime and
/// schema registry.
/// </summary>
internal sealed class RheiProcess : IAsyncDisposable
{
    private readonly ServerComponents _components;

    private RheiProcess(string dir, ServerComponents components, string output)
    {
        Directory = dir;
        _components = components;
        Output = output;
        Http = new HttpClient { BaseAddress = components.RestServer!.Addresses[0], Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Directory { get; }

    /// <summary>What the server printed while starting.</summary>
    public string Output { get; }

    public HttpClient Http { get; }

    public Uri RestAddress => _components.RestServer!.Addresses[0];

    public string BootstrapServers
    {
        get
        {
            var l = _components.Broker!.BoundListeners[0];
            return $"{l.Host}:{l.Port}";
        }
    }

    /// <summary>The embedded registry's URL, as a Confluent client takes it.</summary>
    public string SchemaRegistryUrl => new Uri(RestAddress, "schema-registry").ToString();

    public static async Task<RheiProcess> StartAsync(params string[] settings)
    {
        var dir = Path.Combine(Path.GetTempPath(), "rhei-server-connect-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var config = RheiConfig.Load(null,
        [
            $"log.dirs={Path.Combine(dir, "log")}",
            $"ksql.streams.state.dir={Path.Combine(dir, "state")}",
            "listeners=PLAINTEXT://127.0.0.1:0,HTTP://127.0.0.1:0",
            "group.initial.rebalance.delay.ms=0",
            .. settings,
        ], new Dictionary<string, string>());
        var output = new StringWriter();
        var components = await ServerHost.StartAsync(config, NullLoggerFactory.Instance, output, CancellationToken.None);
        return new RheiProcess(dir, components, output.ToString());
    }

    /// <summary>POST /ksql; fails the test unless the answer is 200, and returns the entities.</summary>
    public async Task<JsonElement> KsqlAsync(string ksql, bool earliest = false)
    {
        var body = JsonSerializer.Serialize(new
        {
            ksql,
            streamsProperties = earliest ? new Dictionary<string, string> { ["auto.offset.reset"] = "earliest" } : [],
        });
        using var response = await Http.PostAsync("/ksql", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/ksql answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>POST /ksql expecting an error; returns the status and the error body.</summary>
    public async Task<(int Status, JsonElement Body)> KsqlErrorAsync(string ksql)
    {
        using var response = await Http.PostAsync("/ksql", new StringContent(JsonSerializer.Serialize(new { ksql }), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.False(response.IsSuccessStatusCode, $"expected an error, got {text}");
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A schema-registry request (JSON body or none) as a Confluent client sends it.</summary>
    public async Task<(int Status, string ContentType, JsonElement Body)> RegistryAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, "schema-registry" + path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.schemaregistry.v1+json"));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/vnd.schemaregistry.v1+json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _components.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
