using System.Text;
using Rhei.Client;
using Rhei.Client.Embedded;
using Rhei.Engine.Topics;
using Rhei.Storage;

namespace Rhei.Engine.Tests;

/// <summary>An engine over an embedded log in a temporary directory: real topics, real clients, streams applications.</summary>
public sealed class EngineFixture : IAsyncDisposable
{
    private readonly string _dir;

    private EngineFixture(string dir, LogManager log, EmbeddedClientFactory clients, RheiEngine engine)
    {
        _dir = dir;
        Log = log;
        Clients = clients;
        Engine = engine;
    }

    public LogManager Log { get; }

    public EmbeddedClientFactory Clients { get; }

    public RheiEngine Engine { get; }

    public static async Task<EngineFixture> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rhei-engine-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [Path.Combine(dir, "log")], RunBackgroundTasks = false });
        var clients = new EmbeddedClientFactory(log, new EmbeddedClientOptions { AutoCreateTopics = false });
        var engine = new RheiEngine(new RheiEngineOptions
        {
            ServiceId = "test_",
            ClientFactory = clients,
            StateDirectory = Path.Combine(dir, "state"),
        });
        return new EngineFixture(dir, log, clients, engine);
    }

    public async Task ProduceAsync(string topic, string? key, string? value, long timestamp)
    {
        await using var producer = Clients.CreateProducer(new ProducerOptions());
        ReadOnlyMemory<byte>? keyBytes = key is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(key));
        ReadOnlyMemory<byte>? valueBytes = value is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(value));
        await producer.ProduceAsync(new ProduceRecord(topic, keyBytes, valueBytes, Timestamp: timestamp));
    }

    /// <summary>Reads a topic from the beginning until <paramref name="count"/> records have arrived (or the timeout passes).</summary>
    public async Task<List<(string? Key, string? Value, long Timestamp)>> ReadAsync(string topic, int count, TimeSpan? timeout = null)
    {
        await using var consumer = Clients.CreateConsumer(new ConsumerOptions { GroupId = "reader-" + Guid.NewGuid().ToString("N"), AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Subscribe([topic]);
        var result = new List<(string?, string?, long)>();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (result.Count < count && !cts.IsCancellationRequested)
        {
            try
            {
                var records = await consumer.PollAsync(TimeSpan.FromMilliseconds(200), cts.Token);
                foreach (var r in records)
                {
                    result.Add((r.Key is { } k ? Encoding.UTF8.GetString(k.Span) : null, r.Value is { } v ? Encoding.UTF8.GetString(v.Span) : null, r.Timestamp));
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Log.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>An engine without queries' runtime: topics in memory (for DDL tests).</summary>
    public static RheiEngine InMemory(InMemoryTopicClient? topics = null) => new(new RheiEngineOptions { Topics = topics ?? new InMemoryTopicClient() });
}
