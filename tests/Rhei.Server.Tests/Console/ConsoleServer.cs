using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Cli;
using Rhei.Client;
using Rhei.Configuration;

namespace Rhei.Server.Tests.Console;

/// <summary>
/// A whole Rhei server in this process, as <c>rhei server</c> starts it (storage in a temp directory, the Kafka broker
/// and the HTTP server on free loopback ports, the engine on in-process clients), plus helpers to produce records and
/// run statements.
/// </summary>
internal sealed class ConsoleServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ServerComponents _components;
    private readonly IProducer _producer;

    private ConsoleServer(string directory, ServerComponents components)
    {
        _directory = directory;
        _components = components;
        Clients = components.Engine!.Options.ClientFactory!;
        _producer = Clients.CreateProducer(new ProducerOptions { ClientId = "console-test", LingerMs = 0 });
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress => _components.RestServer!.Addresses[0];

    /// <summary>host:port of the Kafka listener.</summary>
    public string BootstrapServers => _components.Broker!.BootstrapServers;

    public IClientFactory Clients { get; }

    public HttpClient Http { get; }

    public static async Task<ConsoleServer> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-console-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var config = RheiConfig.Load(null,
        [
            $"log.dirs={Path.Combine(directory, "data")}",
            $"ksql.streams.state.dir={Path.Combine(directory, "state")}",
            "listeners=PLAINTEXT://127.0.0.1:0,HTTP://127.0.0.1:0",
            "group.initial.rebalance.delay.ms=0",
            "num.partitions=1",
        ], new Dictionary<string, string>());
        var logging = Environment.GetEnvironmentVariable("RHEI_TEST_LOG") == "1"
            ? Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddConsole().SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Information))
            : NullLoggerFactory.Instance;
        var components = await ServerHost.StartAsync(config, logging, TextWriter.Null, CancellationToken.None);
        return new ConsoleServer(directory, components);
    }

    public async Task CreateTopicAsync(string topic, int partitions)
    {
        await using var admin = Clients.CreateAdmin();
        await admin.CreateTopicsAsync([new TopicSpec(topic, partitions)]);
    }

    /// <summary>Produces records and waits until each is acknowledged.</summary>
    public async Task ProduceAsync(string topic, IEnumerable<(string? Key, string? Value)> records, int partition = -1, long? timestamp = null, IReadOnlyList<RecordHeader>? headers = null)
    {
        foreach (var (key, value) in records)
        {
            await _producer.ProduceAsync(new ProduceRecord(topic, Bytes(key), Bytes(value), partition, timestamp, headers));
        }
    }

    // The cast matters: a bare null would convert through byte[] to an empty ReadOnlyMemory, not to a null key or value.
    private static ReadOnlyMemory<byte>? Bytes(string? text) => text is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(text);

    public async Task ProduceBytesAsync(string topic, byte[]? key, byte[]? value, int partition = -1)
    {
        await _producer.ProduceAsync(new ProduceRecord(topic, key, value, partition));
    }

    /// <summary>Runs statements on /ksql; fails on an error answer.</summary>
    public async Task<JsonElement> KsqlAsync(string ksql)
    {
        using var response = await Http.PostAsJsonAsync("/ksql", new { ksql, streamsProperties = new Dictionary<string, string> { ["ksql.streams.auto.offset.reset"] = "earliest" } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/ksql answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asks again until <paramref name="condition"/> holds (the console samples every second), failing after a minute.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        T value;
        while (true)
        {
            value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _producer.DisposeAsync();
        await _components.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
