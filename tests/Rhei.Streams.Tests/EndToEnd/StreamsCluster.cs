using Rhei.Broker;
using Rhei.Client;
using Rhei.Client.Embedded;
using Rhei.Client.Kafka;
using Rhei.Storage;

namespace Rhei.Streams.Tests.EndToEnd;

/// <summary>A record read back from a topic (copied out of the poll that returned it).</summary>
public sealed record ReadRecord(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, long Timestamp);

/// <summary>Where an end-to-end test runs its applications: topics and clients of one kind over fresh storage.</summary>
public abstract class StreamsCluster : IAsyncDisposable
{
    public abstract IClientFactory Clients { get; }

    public abstract string Name { get; }

    /// <summary>The directory of this cluster's storage and state directories (removed at dispose).</summary>
    public string Root { get; } = TestSupport.TempDir();

    public string StateDir(string name = "state") => Path.Combine(Root, name);

    /// <summary>
    /// What a restarted process sees of the cluster. Embedded: the storage closed and opened again with a new client
    /// factory. Kafka: nothing changes (the broker is the cluster; only the application's process restarts).
    /// </summary>
    public virtual Task RestartAsync() => Task.CompletedTask;

    /// <summary>
    /// Whether a killed application's consumers still close their connection (see <see cref="CrashableClients"/>):
    /// with the Kafka client a dead process's sockets close and the broker ends its membership; the embedded
    /// client's group lives in the process, and a restart replaces it.
    /// </summary>
    public virtual bool KilledConsumersDisconnect => false;

    /// <summary>Client properties for the applications' clients (Kafka: a short session, so that a killed member leaves its group quickly).</summary>
    public virtual IReadOnlyDictionary<string, string> AppClientProperties { get; } = new Dictionary<string, string>();

    public async Task CreateTopicAsync(string topic, int partitions)
    {
        await using var admin = Clients.CreateAdmin();
        await admin.CreateTopicsAsync([new TopicSpec(topic, partitions)]);
    }

    /// <summary>Produces records (partition -1: the default partitioner on the key) and waits until all are acknowledged.</summary>
    public async Task ProduceAsync(string topic, IEnumerable<(byte[]? Key, byte[]? Value, long Timestamp)> records, int partition = -1)
    {
        await using var producer = Clients.CreateProducer(new ProducerOptions { ClientId = "test-producer", LingerMs = 1 });
        foreach (var (k, v, ts) in records)
        {
            producer.Produce(new ProduceRecord(topic, k, v, partition, ts));
        }

        await producer.FlushAsync();
    }

    /// <summary>The end offset of every partition of a topic.</summary>
    public async Task<IReadOnlyDictionary<TopicPartition, long>> EndOffsetsAsync(string topic)
    {
        await using var admin = Clients.CreateAdmin();
        var partitions = (await admin.DescribeTopicsAsync([topic]))[0].Partitions;
        var ends = await admin.ListOffsetsAsync(Enumerable.Range(0, partitions).Select(p => (new TopicPartition(topic, p), OffsetSpec.Latest)));
        return ends.ToDictionary(e => e.TopicPartition, e => e.Offset);
    }

    public async Task<long> CountAsync(string topic) => (await EndOffsetsAsync(topic)).Values.Sum();

    /// <summary>Every record of a topic, from the start of each partition to its end now (in partition, offset order).</summary>
    public async Task<List<ReadRecord>> ReadAllAsync(string topic)
    {
        var ends = await EndOffsetsAsync(topic);
        var result = new List<ReadRecord>();
        var todo = ends.Where(e => e.Value > 0).ToDictionary(e => e.Key, e => e.Value);
        if (todo.Count == 0) { return result; }
        await using var consumer = Clients.CreateConsumer(new ConsumerOptions { ClientId = "test-reader", AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign(todo.Keys.Select(tp => new TopicPartitionOffset(tp.Topic, tp.Partition, Offsets.Beginning)));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (todo.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Reading {topic} to its end timed out.");
            foreach (var r in await consumer.PollAsync(TimeSpan.FromMilliseconds(100)))
            {
                if (todo.TryGetValue(r.TopicPartition, out var end) && r.Offset < end)
                {
                    result.Add(new ReadRecord(r.Topic, r.Partition, r.Offset, r.Key?.ToArray(), r.Value?.ToArray(), r.Timestamp));
                }
            }

            foreach (var (tp, end) in todo.ToList())
            {
                if (consumer.Position(tp) >= end) { todo.Remove(tp); }
            }
        }

        return [.. result.OrderBy(r => r.Partition).ThenBy(r => r.Offset)];
    }

    /// <summary>Waits until <paramref name="condition"/> holds (it is polled), failing with <paramref name="what"/> after a minute.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) { throw new TimeoutException("Gave up waiting for: " + what()); }
            await Task.Delay(20);
        }
    }

    public static Task UntilAsync(Func<bool> condition, Func<string> what) => UntilAsync(() => Task.FromResult(condition()), what);

    public virtual async ValueTask DisposeAsync()
    {
        await DisposeCoreAsync();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }

    protected abstract ValueTask DisposeCoreAsync();
}

/// <summary>Embedded clients straight on a <see cref="LogManager"/> in the cluster's directory.</summary>
public sealed class EmbeddedStreamsCluster : StreamsCluster
{
    private LogManager _log = null!;
    private EmbeddedClientFactory _clients = null!;

    private EmbeddedStreamsCluster()
    {
    }

    public override IClientFactory Clients => _clients;

    public override string Name => "embedded";

    public LogManager Log => _log;

    public static async Task<EmbeddedStreamsCluster> StartAsync()
    {
        var cluster = new EmbeddedStreamsCluster();
        await cluster.OpenAsync();
        return cluster;
    }

    private async Task OpenAsync()
    {
        _log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [Path.Combine(Root, "log")], RunBackgroundTasks = false });
        _clients = new EmbeddedClientFactory(_log, new EmbeddedClientOptions { AutoCreateTopics = true });
    }

    /// <summary>
    /// What a restarted process sees: the storage closed and opened again, and a new client factory (a new
    /// in-memory group coordinator, with no trace of the members of the old process).
    /// </summary>
    public override async Task RestartAsync()
    {
        await _log.DisposeAsync();
        await OpenAsync();
    }

    protected override async ValueTask DisposeCoreAsync() => await _log.DisposeAsync();
}

/// <summary>
/// Kafka clients (Confluent.Kafka, <see cref="KafkaClientFactory"/>) against Rhei's own broker, started in-process
/// on an ephemeral port over the cluster's directory: every client call goes over TCP in the Kafka protocol.
/// </summary>
public sealed class KafkaStreamsCluster : StreamsCluster
{
    private LogManager _log = null!;
    private KafkaBroker _broker = null!;
    private KafkaClientFactory _clients = null!;

    private KafkaStreamsCluster()
    {
    }

    public override IClientFactory Clients => _clients;

    public override string Name => "kafka";

    public override bool KilledConsumersDisconnect => true;

    /// <summary>The group session timeout the applications use (the broker's minimum is lowered to allow it).</summary>
    public const int SessionTimeoutMs = 3000;

    public override IReadOnlyDictionary<string, string> AppClientProperties { get; } = new Dictionary<string, string>
    {
        ["session.timeout.ms"] = SessionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["heartbeat.interval.ms"] = "300",
    };

    public static async Task<KafkaStreamsCluster> StartAsync()
    {
        var cluster = new KafkaStreamsCluster();
        await cluster.OpenAsync();
        return cluster;
    }

    private async Task OpenAsync()
    {
        _log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [Path.Combine(Root, "log")], RunBackgroundTasks = false });
        _broker = await KafkaBroker.StartAsync(_log, new BrokerOptions
        {
            Listeners = [new BrokerListener("PLAINTEXT", "127.0.0.1", 0)],
            AutoCreateTopicsEnable = true,
            GroupInitialRebalanceDelayMs = 0,
            GroupMinSessionTimeoutMs = 1000,
        });

        // A missing topic fails produces after 1 s instead of librdkafka's 30 s propagation allowance.
        _clients = new KafkaClientFactory(_broker.BootstrapServers, new Dictionary<string, string> { ["topic.metadata.propagation.max.ms"] = "1000" });
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        await _broker.DisposeAsync();
        await _log.DisposeAsync();
    }
}
