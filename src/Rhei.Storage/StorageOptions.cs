using Rhei.Protocol.Records;
using Rhei.Storage.Topics;

namespace Rhei.Storage;

/// <summary>
/// Broker-wide storage settings. Each property names the Kafka key it stands for; the defaults are
/// Kafka's, except where a remark says otherwise. Topic-level configs (<see cref="TopicConfig"/>) default
/// to these.
/// </summary>
public sealed record StorageOptions
{
    /// <summary><c>log.dirs</c>: directories holding partition folders. New partitions go to the dir with the fewest.</summary>
    public required IReadOnlyList<string> LogDirs { get; init; }

    /// <summary><c>num.partitions</c>: partitions of a topic created without a count (auto-create).</summary>
    public int NumPartitions { get; init; } = 1;

    /// <summary><c>log.segment.bytes</c> (topic: <c>segment.bytes</c>), 1 GiB.</summary>
    public int LogSegmentBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary><c>log.roll.ms</c> (topic: <c>segment.ms</c>), 7 days.</summary>
    public long LogRollMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>log.retention.ms</c> (topic: <c>retention.ms</c>), 7 days; -1 keeps forever.</summary>
    public long LogRetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>log.retention.bytes</c> (topic: <c>retention.bytes</c>) per partition; -1 is no limit.</summary>
    public long LogRetentionBytes { get; init; } = -1;

    /// <summary>
    /// <c>log.flush.interval.messages</c> (topic: <c>flush.messages</c>): fsync after this many records.
    /// Default <see cref="long.MaxValue"/> as in Kafka: durability comes from the page cache (and, in Kafka,
    /// replication). 1 fsyncs every append before it is acknowledged.
    /// </summary>
    public long LogFlushIntervalMessages { get; init; } = long.MaxValue;

    /// <summary>
    /// <c>log.flush.interval.ms</c> (topic: <c>flush.ms</c>): fsync data older than this. Default
    /// <see cref="long.MaxValue"/> (never by time), as Kafka's effective default.
    /// </summary>
    public long LogFlushIntervalMs { get; init; } = long.MaxValue;

    /// <summary><c>log.flush.scheduler.interval.ms</c>: how often the time-based flush is checked (when <see cref="LogFlushIntervalMs"/> is set).</summary>
    public long LogFlushSchedulerIntervalMs { get; init; } = 1000;

    /// <summary><c>message.max.bytes</c> (topic: <c>max.message.bytes</c>): largest record batch accepted.</summary>
    public int MessageMaxBytes { get; init; } = 1048588;

    /// <summary><c>log.index.interval.bytes</c> (topic: <c>index.interval.bytes</c>).</summary>
    public int LogIndexIntervalBytes { get; init; } = 4096;

    /// <summary><c>log.cleanup.policy</c>: <c>delete</c>, <c>compact</c> or <c>compact,delete</c>.</summary>
    public string LogCleanupPolicy { get; init; } = "delete";

    /// <summary><c>log.message.timestamp.type</c>: <c>CreateTime</c> or <c>LogAppendTime</c>.</summary>
    public TimestampType LogMessageTimestampType { get; init; } = TimestampType.CreateTime;

    /// <summary><c>log.cleaner.enable</c>: run compaction in the background.</summary>
    public bool LogCleanerEnable { get; init; } = true;

    /// <summary><c>log.cleaner.min.cleanable.ratio</c> (topic: <c>min.cleanable.dirty.ratio</c>).</summary>
    public double LogCleanerMinCleanableRatio { get; init; } = 0.5;

    /// <summary><c>log.cleaner.delete.retention.ms</c> (topic: <c>delete.retention.ms</c>): how long tombstones are kept, 1 day.</summary>
    public long LogCleanerDeleteRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary><c>log.cleaner.min.compaction.lag.ms</c> (topic: <c>min.compaction.lag.ms</c>).</summary>
    public long LogCleanerMinCompactionLagMs { get; init; }

    /// <summary><c>log.cleaner.backoff.ms</c>: pause between cleaner passes.</summary>
    public long LogCleanerBackoffMs { get; init; } = 15_000;

    /// <summary><c>log.retention.check.interval.ms</c>: how often retention (and offset/producer expiry) runs.</summary>
    public long LogRetentionCheckIntervalMs { get; init; } = 300_000;

    /// <summary><c>offsets.retention.minutes</c>: committed offsets of an empty group expire after this, 7 days.</summary>
    public int OffsetsRetentionMinutes { get; init; } = 10080;

    /// <summary><c>offsets.retention.check.interval.ms</c>.</summary>
    public long OffsetsRetentionCheckIntervalMs { get; init; } = 600_000;

    /// <summary>
    /// <c>offsets.topic.num.partitions</c>: partitions of <c>__consumer_offsets</c>. Default 1 (Kafka: 50,
    /// which spreads coordinators over brokers; one node has nothing to spread).
    /// </summary>
    public int OffsetsTopicNumPartitions { get; init; } = 1;

    /// <summary><c>offsets.topic.segment.bytes</c>, 100 MiB.</summary>
    public int OffsetsTopicSegmentBytes { get; init; } = 100 * 1024 * 1024;

    /// <summary><c>offset.metadata.max.bytes</c>: the largest metadata string of a committed offset.</summary>
    public int OffsetMetadataMaxBytes { get; init; } = 4096;

    /// <summary><c>producer.id.expiration.ms</c>: idempotent-producer state is forgotten after this long without appends, 1 day.</summary>
    public long ProducerIdExpirationMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary>Cap on the decompressed size of one batch when the broker decodes it (compaction, key checks).</summary>
    public int MaxDecompressedBatchBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>Start the background retention, cleaner and flush loops (off in tests that drive them by hand).</summary>
    public bool RunBackgroundTasks { get; init; } = true;
}
