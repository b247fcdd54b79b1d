namespace Rhei.Connect.Runtime;

/// <summary>Settings of the connector runtime (the worker's, in Kafka Connect's terms).</summary>
public sealed record ConnectorRuntimeOptions
{
    /// <summary>offset.storage.topic: the compacted topic of source offsets (keyed by connector and source partition).</summary>
    public string OffsetStorageTopic { get; init; } = "connect-offsets";

    /// <summary>offset.storage.partitions: partitions of the offsets topic when the runtime creates it.</summary>
    public int OffsetStoragePartitions { get; init; } = 1;

    /// <summary>The worker id shown by DESCRIBE CONNECTOR.</summary>
    public string WorkerId { get; init; } = Environment.MachineName + ":rhei";

    /// <summary>The first wait before a failed connector or task is started again; it doubles up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan RetryBackoffInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between restarts (a connector's <c>errors.retry.delay.max.ms</c> overrides it).</summary>
    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a sink task's poll waits for records.</summary>
    public TimeSpan SinkPollTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The consumer group of a sink connector is this prefix and its name (Kafka Connect's <c>connect-NAME</c>).</summary>
    public string SinkGroupIdPrefix { get; init; } = "connect-";

    /// <summary>Partitions of a topic a source connector writes to, when the runtime creates it (<c>topic.creation.default.partitions</c> overrides).</summary>
    public int DefaultTopicPartitions { get; init; } = 1;
}
