namespace Rhei.Broker;

/// <summary>
/// The broker's settings. Each property names the Kafka key it stands for; defaults are Kafka's unless a
/// remark says otherwise. Storage settings live in <c>StorageOptions</c>; the host maps Rhei's settings table
/// onto both.
/// </summary>
public sealed record BrokerOptions
{
    /// <summary><c>node.id</c>: the id this node reports in metadata and as the coordinator of every group.</summary>
    public int NodeId { get; init; }

    /// <summary>
    /// <c>listeners</c> (Kafka-protocol entries only): where to accept connections. Port 0 asks the operating
    /// system for a free port; <see cref="KafkaBroker.BoundListeners"/> reports the port it got.
    /// </summary>
    public IReadOnlyList<BrokerListener> Listeners { get; init; } = [new("PLAINTEXT", "127.0.0.1", 9092)];

    /// <summary>
    /// <c>advertised.listeners</c>: what clients are told to connect to, by listener name. Empty: each listener
    /// advertises its own bound address (a wildcard host is replaced by the machine's host name, as Kafka does).
    /// </summary>
    public IReadOnlyList<BrokerListener> AdvertisedListeners { get; init; } = [];

    /// <summary><c>auto.create.topics.enable</c>: Metadata requests that allow it create missing topics.</summary>
    public bool AutoCreateTopicsEnable { get; init; } = true;

    /// <summary><c>num.partitions</c>: partitions of automatically created topics and of CreateTopics with -1.</summary>
    public int NumPartitions { get; init; } = 1;

    /// <summary><c>default.replication.factor</c>: only 1 can be satisfied by a single node.</summary>
    public int DefaultReplicationFactor { get; init; } = 1;

    /// <summary><c>socket.request.max.bytes</c>: largest request frame; checked on the size prefix before buffering.</summary>
    public int SocketRequestMaxBytes { get; init; } = 104_857_600;

    /// <summary><c>group.initial.rebalance.delay.ms</c>: how long a new group waits for more members before its first rebalance.</summary>
    public int GroupInitialRebalanceDelayMs { get; init; } = 3000;

    /// <summary><c>group.min.session.timeout.ms</c>.</summary>
    public int GroupMinSessionTimeoutMs { get; init; } = 6000;

    /// <summary><c>group.max.session.timeout.ms</c>.</summary>
    public int GroupMaxSessionTimeoutMs { get; init; } = 1_800_000;

    /// <summary><c>transaction.max.timeout.ms</c>: largest transaction timeout InitProducerId accepts.</summary>
    public int TransactionMaxTimeoutMs { get; init; } = 900_000;

    /// <summary>
    /// How long shutdown waits for requests in progress (long-poll fetches are answered at once) before
    /// closing connections.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The broker-level configs DescribeConfigs reports for the broker resource (name, value, whether the
    /// value is the default, whether it is sensitive). The host fills it from the settings table.
    /// </summary>
    public IReadOnlyList<BrokerConfigEntry> BrokerConfigs { get; init; } = [];
}

/// <summary>A Kafka-protocol listener: its name (the security protocol, e.g. <c>PLAINTEXT</c>), host and port.</summary>
public sealed record BrokerListener(string Name, string Host, int Port)
{
    /// <summary>True when the host is empty or a wildcard address (every interface).</summary>
    public bool IsWildcardHost => Host is "" or "0.0.0.0" or "::";

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"{Name}://[{Host}]:{Port}" : $"{Name}://{Host}:{Port}";
}

/// <summary>A broker config as DescribeConfigs shows it.</summary>
public sealed record BrokerConfigEntry(string Name, string? Value, bool IsDefault, bool IsSensitive = false);
