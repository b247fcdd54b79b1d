using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rhei.Streams;

/// <summary>processing.guarantee</summary>
public enum ProcessingGuarantee
{
    /// <summary>at_least_once: after a crash, records since the last commit are processed again.</summary>
    AtLeastOnce,

    /// <summary>exactly_once_v2: output, changelogs and offsets in one producer transaction per commit (not yet available).</summary>
    ExactlyOnceV2,
}

/// <summary>What an error handler decides.</summary>
public enum ErrorHandlerResponse
{
    /// <summary>Log the record to the processing log and go on with the next one.</summary>
    Continue,

    /// <summary>Stop the task; the application goes to <see cref="StreamsState.Error"/>.</summary>
    Fail,
}

/// <summary>
/// default.timestamp.extractor for sources without their own: the event time from the record's timestamp and the
/// partition's time (e.g. use the partition time for records without a valid timestamp). A negative result drops the record.
/// </summary>
public delegate long DefaultTimestampExtractor(long recordTimestamp, long partitionTime);

/// <summary>Decides what happens after a record failed to deserialize or to process (after it was written to the processing log).</summary>
public delegate ErrorHandlerResponse ErrorHandler(ProcessingError error);

/// <summary>
/// Settings of a streams application, named after Kafka Streams' configs. A record: build it with
/// <c>new StreamsOptions { ApplicationId = "app" }</c> and <c>with</c>.
/// </summary>
public sealed record StreamsOptions
{
    /// <summary>application.id: the consumer group, and the prefix of internal topics and the state directory.</summary>
    public required string ApplicationId { get; init; }

    /// <summary>num.stream.threads</summary>
    public int NumStreamThreads { get; init; } = 1;

    /// <summary>state.dir: stores live under <c>state.dir/&lt;application.id&gt;/&lt;task id&gt;/</c>.</summary>
    public string StateDir { get; init; } = Path.Combine(Path.GetTempPath(), "rhei-streams");

    /// <summary>commit.interval.ms</summary>
    public long CommitIntervalMs { get; init; } = 30_000;

    /// <summary>cache.max.bytes.buffering (statestore.cache.max.bytes): 0 turns the record cache off.</summary>
    public long CacheMaxBytesBuffering { get; init; }

    /// <summary>processing.guarantee</summary>
    public ProcessingGuarantee ProcessingGuarantee { get; init; } = ProcessingGuarantee.AtLeastOnce;

    /// <summary>default.timestamp.extractor: null takes the record's timestamp.</summary>
    public DefaultTimestampExtractor? DefaultTimestampExtractor { get; init; }

    /// <summary>default.deserialization.exception.handler: null logs and continues.</summary>
    public ErrorHandler? DeserializationErrorHandler { get; init; }

    /// <summary>processing.exception.handler: null logs and continues.</summary>
    public ErrorHandler? ProcessingErrorHandler { get; init; }

    /// <summary>Receives every processing-log entry (the host's sink).</summary>
    public Action<ProcessingLogEntry>? ProcessingLog { get; init; }

    /// <summary>When set, processing-log entries are also written as JSON to this topic.</summary>
    public string? ProcessingLogTopic { get; init; }

    /// <summary>The logger-name prefix of processing-log entries (ksqlDB: <c>processing.&lt;query id&gt;</c>).</summary>
    public string? ProcessingLogName { get; init; }

    /// <summary>Whether stores write changelog topics (turn off in tests that do not need them).</summary>
    public bool ChangelogEnabled { get; init; } = true;

    /// <summary>replication.factor of internal topics (-1: the cluster's default).</summary>
    public short ReplicationFactor { get; init; } = -1;

    /// <summary>windowstore.changelog.additional.retention.ms</summary>
    public long WindowStoreChangelogAdditionalRetentionMs { get; init; } = 86_400_000;

    /// <summary>buffered.records.per.partition: a partition is paused when its buffer holds this many records.</summary>
    public int BufferedRecordsPerPartition { get; init; } = 1000;

    /// <summary>max.poll.records of the stream threads' consumers (Kafka Streams' default: 1000).</summary>
    public int MaxPollRecords { get; init; } = 1000;

    /// <summary>poll.ms</summary>
    public int PollMs { get; init; } = 100;

    /// <summary>The wall clock (wall-clock punctuation, commit interval). Never read DateTime.Now.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Any further client property, passed to the consumers and producers the runtime makes.</summary>
    public IReadOnlyDictionary<string, string> ClientProperties { get; init; } = new Dictionary<string, string>();

    internal string ProcessingLoggerName => ProcessingLogName ?? "processing." + ApplicationId;
}
