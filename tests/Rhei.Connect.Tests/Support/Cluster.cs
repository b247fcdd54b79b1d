using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Client;
using Rhei.Client.Embedded;
using Rhei.Connect.Runtime;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Storage;

namespace Rhei.Connect.Tests.Support;

/// <summary>Embedded clients over a fresh log in a temporary directory, and a connector runtime on them.</summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly LogManager _log;
    private ConnectorRuntime? _runtime;

    private Cluster(TempDir dir, LogManager log, EmbeddedClientFactory factory, SchemaStore? schemas)
    {
        _dir = dir;
        _log = log;
        Clients = factory;
        Schemas = schemas;
    }

    /// <summary>The in-memory schema registry, when the cluster was started with one.</summary>
    public SchemaStore? Schemas { get; }

    /// <summary>The formats: the defaults, plus AVRO, PROTOBUF and JSON_SR on <see cref="Schemas"/> when there is a registry.</summary>
    public FormatRegistry Formats()
    {
        var formats = FormatRegistry.CreateDefault();
        return Schemas is null ? formats : SchemaRegistryFormats.AddTo(formats, new EmbeddedSchemaRegistryClient(Schemas));
    }

    public EmbeddedClientFactory Clients { get; }

    public ConnectorRuntime Runtime => _runtime ??= NewRuntime();

    public static async Task<Cluster> StartAsync(bool schemaRegistry = false)
    {
        var dir = new TempDir("rhei-connect-log-");
        var log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [dir.Path], RunBackgroundTasks = false });
        return new Cluster(dir, log, new EmbeddedClientFactory(log, new EmbeddedClientOptions { DefaultPartitions = 1 }), schemaRegistry ? new SchemaStore() : null);
    }

    /// <summary>A new runtime on the same log (a restart of the server process, as far as connectors go).</summary>
    public ConnectorRuntime NewRuntime() =>
        new(Clients, Formats(), NullLoggerFactory.Instance, TimeProvider.System, new ConnectorRuntimeOptions
        {
            RetryBackoffInitial = TimeSpan.FromMilliseconds(100),
            RetryBackoffMax = TimeSpan.FromMilliseconds(500),
            SinkPollTimeout = TimeSpan.FromMilliseconds(100),
        });

    /// <summary>Stops the current runtime; the next use of <see cref="Runtime"/> makes a new one.</summary>
    public async Task RestartRuntimeAsync()
    {
        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        _runtime = NewRuntime();
    }

    /// <summary>Reads a topic from the start until it has at least <paramref name="count"/> records (or the wait ends: then whatever is there).</summary>
    public async Task<List<Message>> ReadAsync(string topic, int count, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(30));
        var result = new List<Message>();
        while (DateTime.UtcNow < deadline)
        {
            result.Clear();
            var partitions = _log.GetPartitions(topic).Count;
            if (partitions > 0)
            {
                // Read up to the end offsets of now (a topic that keeps growing would never look finished).
                await using var admin = Clients.CreateAdmin();
                var ends = await admin.ListOffsetsAsync(Enumerable.Range(0, partitions).Select(p => (new TopicPartition(topic, p), OffsetSpec.Latest)));
                var pending = ends.Where(e => e.Offset > 0).ToDictionary(e => e.TopicPartition, e => e.Offset);
                await using var consumer = Clients.CreateConsumer(new ConsumerOptions { ClientId = "test-reader" });
                consumer.Assign(pending.Keys.Select(tp => new TopicPartitionOffset(tp.Topic, tp.Partition, Offsets.Beginning)));
                while (pending.Count > 0)
                {
                    var records = await consumer.PollAsync(TimeSpan.FromMilliseconds(100));
                    foreach (var r in records)
                    {
                        if (r.Offset < pending.GetValueOrDefault(r.TopicPartition, long.MinValue))
                        {
                            result.Add(new Message(r.Topic, r.Partition, r.Offset, r.Timestamp, r.Key?.ToArray(), r.Value?.ToArray()));
                        }
                    }

                    foreach (var tp in pending.Keys.ToList())
                    {
                        if (consumer.Position(tp) >= pending[tp])
                        {
                            pending.Remove(tp);
                        }
                    }
                }

                result.Sort((a, b) => a.Partition != b.Partition ? a.Partition.CompareTo(b.Partition) : a.Offset.CompareTo(b.Offset));
            }

            if (result.Count >= count)
            {
                return result;
            }

            await Task.Delay(100);
        }

        return result;
    }

    /// <summary>Produces one record (key and value as UTF-8 text; a null value is a tombstone).</summary>
    public async Task ProduceAsync(string topic, string? key, string? value)
    {
        await using var producer = Clients.CreateProducer(new ProducerOptions { LingerMs = 0 });
        await producer.ProduceAsync(new ProduceRecord(topic, Bytes(key), Bytes(value)));
    }

    private static ReadOnlyMemory<byte>? Bytes(string? text) => text is null ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(text));

    public async ValueTask DisposeAsync()
    {
        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        await _log.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>A consumed record, copied.</summary>
public sealed record Message(string Topic, int Partition, long Offset, long Timestamp, byte[]? Key, byte[]? Value)
{
    public string? KeyText => Key is null ? null : Encoding.UTF8.GetString(Key);

    public string? ValueText => Value is null ? null : Encoding.UTF8.GetString(Value);

    public JsonElement Json => JsonDocument.Parse(Value!).RootElement;
}
