namespace Rhei.Client;

/// <summary>What <see cref="IConsumer"/> does when the group has no committed offset (Kafka's auto.offset.reset).</summary>
public enum AutoOffsetReset
{
    Latest,
    Earliest,
    Error,
}

/// <summary>Producer settings, named after the Kafka producer's.</summary>
public sealed record ProducerOptions
{
    /// <summary>client.id</summary>
    public string ClientId { get; init; } = "rhei";

    /// <summary>acks: 0, 1 or -1 (all).</summary>
    public int Acks { get; init; } = -1;

    /// <summary>enable.idempotence</summary>
    public bool EnableIdempotence { get; init; }

    /// <summary>linger.ms</summary>
    public int LingerMs { get; init; } = 5;

    /// <summary>compression.type: none, gzip, snappy, lz4, zstd.</summary>
    public string CompressionType { get; init; } = "none";

    /// <summary>
    /// batch.size: the most bytes of records the producer collects for one partition before it sends them
    /// (librdkafka's default, 1,000,000; the embedded producer caps it at the topic's max.message.bytes).
    /// </summary>
    public int BatchSize { get; init; } = 1_000_000;

    /// <summary>transactional.id: the seam for exactly-once; null means no transactions.</summary>
    public string? TransactionalId { get; init; }

    /// <summary>Any further client property, passed through to the Kafka implementation.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}

/// <summary>Consumer settings, named after the Kafka consumer's.</summary>
public sealed record ConsumerOptions
{
    /// <summary>client.id</summary>
    public string ClientId { get; init; } = "rhei";

    /// <summary>group.id; required for <see cref="IConsumer.Subscribe"/> and commits.</summary>
    public string? GroupId { get; init; }

    /// <summary>auto.offset.reset</summary>
    public AutoOffsetReset AutoOffsetReset { get; init; } = AutoOffsetReset.Latest;

    /// <summary>enable.auto.commit (off by default: the streams runtime commits itself).</summary>
    public bool EnableAutoCommit { get; init; }

    /// <summary>isolation.level read_committed (true) or read_uncommitted.</summary>
    public bool ReadCommitted { get; init; } = true;

    /// <summary>session.timeout.ms</summary>
    public int SessionTimeoutMs { get; init; } = 45_000;

    /// <summary>max.poll.records</summary>
    public int MaxPollRecords { get; init; } = 500;

    /// <summary>auto.commit.interval.ms: how often positions are committed when <see cref="EnableAutoCommit"/> is on.</summary>
    public int AutoCommitIntervalMs { get; init; } = 5000;

    /// <summary>max.partition.fetch.bytes: the most bytes read from one partition at a time (a larger first batch is still read whole).</summary>
    public int MaxPartitionFetchBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Called after a rebalance assigns partitions to this member, from inside the member's own
    /// <see cref="IConsumer.PollAsync"/> (never from another thread while the caller's loop runs).
    /// </summary>
    public Action<IReadOnlyList<TopicPartition>>? OnPartitionsAssigned { get; init; }

    /// <summary>
    /// Called before partitions are taken from this member (commit here), from inside its own
    /// <see cref="IConsumer.PollAsync"/>, <see cref="IConsumer.UnsubscribeAsync"/> or <see cref="IConsumer.CloseAsync"/>.
    /// </summary>
    public Action<IReadOnlyList<TopicPartition>>? OnPartitionsRevoked { get; init; }

    /// <summary>
    /// The asynchronous form of <see cref="OnPartitionsAssigned"/> (awaited; runs after the synchronous one
    /// when both are set).
    /// </summary>
    public Func<IReadOnlyList<TopicPartition>, ValueTask>? OnPartitionsAssignedAsync { get; init; }

    /// <summary>
    /// The asynchronous form of <see cref="OnPartitionsRevoked"/>, for work that must be awaited before the
    /// partitions move (flush a producer, commit). Runs after the synchronous one when both are set.
    /// </summary>
    public Func<IReadOnlyList<TopicPartition>, ValueTask>? OnPartitionsRevokedAsync { get; init; }

    /// <summary>Any further client property, passed through to the Kafka implementation.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}
