using System.Text;
using Rhei.Broker;
using Rhei.Client;
using Rhei.Client.Kafka;
using Rhei.Configuration;
using Rhei.Engine;
using Rhei.Storage;

namespace Rhei.Server.Tests.Cluster;

/// <summary>
/// An "external Kafka cluster" for several Rhei nodes: Rhei's own broker started in-process on an ephemeral port over
/// a temporary directory. Nodes reach it only through the Kafka client (<see cref="KafkaClientFactory"/>), as they
/// would reach Apache Kafka.
/// </summary>
internal sealed class ExternalCluster : IAsyncDisposable
{
    private readonly LogManager _log;
    private readonly KafkaBroker _broker;

    private ExternalCluster(string directory, LogManager log, KafkaBroker broker)
    {
        Directory = directory;
        _log = log;
        _broker = broker;
        Clients = NewClients();
    }

    public string Directory { get; }

    public string BootstrapServers => _broker.BootstrapServers;

    /// <summary>Clients for the test itself (producing input, reading output).</summary>
    public IClientFactory Clients { get; }

    public static async Task<ExternalCluster> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-cluster-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [Path.Combine(directory, "kafka")], NumPartitions = 1 });
        var broker = await KafkaBroker.StartAsync(log, new BrokerOptions
        {
            Listeners = [new BrokerListener("PLAINTEXT", "127.0.0.1", 0)],
            AutoCreateTopicsEnable = false,
            GroupInitialRebalanceDelayMs = 0,
        });
        return new ExternalCluster(directory, log, broker);
    }

    /// <summary>A client factory of its own (each node has one, as separate processes would).</summary>
    public KafkaClientFactory NewClients() =>
        new(BootstrapServers, new Dictionary<string, string> { ["topic.metadata.propagation.max.ms"] = "1000" });

    /// <summary>
    /// A node: an engine with service id <paramref name="serviceId"/> on this cluster, behind a REST server, started
    /// (its command topic replayed).
    /// </summary>
    public async Task<TestServer> StartNodeAsync(
        string name, string serviceId = "multi_", TimeSpan? followInterval = null, Func<RestServerOptions, RestServerOptions>? configure = null)
    {
        var options = new RheiEngineOptions
        {
            ServiceId = serviceId,
            ClientFactory = NewClients(),
            StateDirectory = Path.Combine(Directory, name, "state"),
            Properties = new Dictionary<string, string> { ["ksql.streams.commit.interval.ms"] = "100" },
            CommandFollowInterval = followInterval ?? TimeSpan.FromMilliseconds(250),
        };
        var node = await TestServer.StartAsync(options, o => configure?.Invoke(o with { ServiceId = serviceId }) ?? o with { ServiceId = serviceId });
        await node.Engine.StartAsync();
        return node;
    }

    public async Task ProduceAsync(string topic, IEnumerable<(string Key, string Value)> records)
    {
        await using var producer = Clients.CreateProducer(new ProducerOptions { ClientId = "test-producer", Acks = -1, LingerMs = 1 });
        foreach (var (key, value) in records)
        {
            producer.Produce(new ProduceRecord(topic, Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value)));
        }

        await producer.FlushAsync();
    }

    /// <summary>The latest value of every key of <paramref name="topic"/> (all partitions), up to its end now.</summary>
    public async Task<Dictionary<string, string>> LatestAsync(string topic)
    {
        await using var admin = Clients.CreateAdmin();
        var partitions = (await admin.DescribeTopicsAsync([topic]))[0].Partitions;
        var ends = (await admin.ListOffsetsAsync(Enumerable.Range(0, partitions).Select(p => (new TopicPartition(topic, p), OffsetSpec.Latest))))
            .Where(e => e.Offset > 0)
            .ToDictionary(e => e.TopicPartition.Partition, e => e.Offset);
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ends.Count == 0)
        {
            return latest;
        }

        await using var consumer = Clients.CreateConsumer(new ConsumerOptions { ClientId = "test-reader", AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign([.. ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offsets.Beginning))]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = new HashSet<int>();
        while (done.Count < ends.Count)
        {
            foreach (var r in await consumer.PollAsync(TimeSpan.FromMilliseconds(200), timeout.Token))
            {
                if (r.Key is { } key && r.Value is { } value)
                {
                    latest[Encoding.UTF8.GetString(key.Span)] = Encoding.UTF8.GetString(value.Span);
                }

                if (r.Offset + 1 >= ends[r.Partition])
                {
                    done.Add(r.Partition);
                }
            }
        }

        return latest;
    }

    public async ValueTask DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _log.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
