using Rhei.Broker;
using Rhei.Client.Kafka;
using Rhei.Storage;

namespace Rhei.Client.Tests.Kafka;

/// <summary>Kafka clients (Confluent.Kafka) against an in-process Rhei broker on an ephemeral port over its own temporary storage.</summary>
public sealed class RheiBrokerCluster : ClientCluster
{
    private readonly TempDir _dir;
    private readonly LogManager _log;
    private readonly KafkaBroker _broker;

    private RheiBrokerCluster(TempDir dir, LogManager log, KafkaBroker broker, KafkaClientFactory factory)
    {
        _dir = dir;
        _log = log;
        _broker = broker;
        Factory = factory;
    }

    public override IClientFactory Factory { get; }

    public override bool IsEmbedded => false;

    public static async Task<RheiBrokerCluster> StartAsync(bool autoCreateTopics = true)
    {
        var dir = new TempDir();
        var log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [dir.Path], RunBackgroundTasks = false, NumPartitions = 2 });
        var broker = await KafkaBroker.StartAsync(log, new BrokerOptions
        {
            Listeners = [new BrokerListener("PLAINTEXT", "127.0.0.1", 0)],
            AutoCreateTopicsEnable = autoCreateTopics,
            NumPartitions = 2,
            GroupInitialRebalanceDelayMs = 0,
        });

        // A missing topic fails produces after 1 s instead of librdkafka's 30 s propagation allowance.
        var factory = new KafkaClientFactory(broker.BootstrapServers, new Dictionary<string, string> { ["topic.metadata.propagation.max.ms"] = "1000" });
        return new RheiBrokerCluster(dir, log, broker, factory);
    }

    public override async ValueTask DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _log.DisposeAsync();
        _dir.Dispose();
    }
}
