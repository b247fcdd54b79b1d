using System.Globalization;
using Rhei.Protocol.Records;

namespace Rhei.Storage.Topics;

/// <summary>
/// The effective configuration of a topic: Kafka's topic-level keys, each defaulting to the broker-wide
/// <see cref="StorageOptions"/> value. Build with <see cref="Create"/> from overrides (Kafka's names);
/// unknown names and bad values fail with <see cref="StorageError.InvalidConfig"/>.
/// </summary>
public sealed record TopicConfig
{
    public CleanupPolicy CleanupPolicy { get; init; } = CleanupPolicy.Delete;

    public long RetentionMs { get; init; }

    public long RetentionBytes { get; init; }

    public int SegmentBytes { get; init; }

    public long SegmentMs { get; init; }

    public int MaxMessageBytes { get; init; }

    public TimestampType MessageTimestampType { get; init; }

    public long DeleteRetentionMs { get; init; }

    public double MinCleanableDirtyRatio { get; init; }

    public long MinCompactionLagMs { get; init; }

    public long FlushMessages { get; init; }

    public long FlushMs { get; init; }

    public int IndexIntervalBytes { get; init; }

    public bool IsCompacted => (CleanupPolicy & CleanupPolicy.Compact) != 0;

    public bool IsDeleteEnabled => (CleanupPolicy & CleanupPolicy.Delete) != 0;

    /// <summary>Topic-level config names Kafka defines. Names Rhei stores but does not act on are marked in <see cref="Create"/>'s remarks.</summary>
    public static IReadOnlySet<string> KnownNames { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "cleanup.policy", "compression.type", "delete.retention.ms", "file.delete.delay.ms", "flush.messages", "flush.ms",
        "follower.replication.throttled.replicas", "index.interval.bytes", "leader.replication.throttled.replicas",
        "local.retention.bytes", "local.retention.ms", "max.compaction.lag.ms", "max.message.bytes",
        "message.downconversion.enable", "message.format.version", "message.timestamp.after.max.ms",
        "message.timestamp.before.max.ms", "message.timestamp.difference.max.ms", "message.timestamp.type",
        "min.cleanable.dirty.ratio", "min.compaction.lag.ms", "min.insync.replicas", "preallocate", "remote.storage.enable",
        "retention.bytes", "retention.ms", "segment.bytes", "segment.index.bytes", "segment.jitter.ms", "segment.ms",
        "unclean.leader.election.enable",
    };

    /// <summary>The broker defaults as a topic config.</summary>
    public static TopicConfig Defaults(StorageOptions options) => new()
    {
        CleanupPolicy = ParsePolicy("log.cleanup.policy", options.LogCleanupPolicy),
        RetentionMs = options.LogRetentionMs,
        RetentionBytes = options.LogRetentionBytes,
        SegmentBytes = options.LogSegmentBytes,
        SegmentMs = options.LogRollMs,
        MaxMessageBytes = options.MessageMaxBytes,
        MessageTimestampType = options.LogMessageTimestampType,
        DeleteRetentionMs = options.LogCleanerDeleteRetentionMs,
        MinCleanableDirtyRatio = options.LogCleanerMinCleanableRatio,
        MinCompactionLagMs = options.LogCleanerMinCompactionLagMs,
        FlushMessages = options.LogFlushIntervalMessages,
        FlushMs = options.LogFlushIntervalMs,
        IndexIntervalBytes = options.LogIndexIntervalBytes,
    };

    /// <summary>
    /// The broker defaults with <paramref name="overrides"/> applied. Accepted but not acted on (stored and
    /// described only): compression.type (batches are stored as produced), min.insync.replicas,
    /// unclean.leader.election.enable, the replication throttles, preallocate, segment.index.bytes,
    /// file.delete.delay.ms, segment.jitter.ms, the message.timestamp.*.max.ms bounds, max.compaction.lag.ms,
    /// remote/local storage keys, message.format.version and message.downconversion.enable.
    /// </summary>
    public static TopicConfig Create(StorageOptions options, IReadOnlyDictionary<string, string>? overrides)
    {
        var config = Defaults(options);
        if (overrides is null)
        {
            return config;
        }

        foreach (var (name, value) in overrides)
        {
            if (!KnownNames.Contains(name))
            {
                throw new StorageException(StorageError.InvalidConfig, $"Unknown topic config name: {name}.");
            }

            config = name switch
            {
                "cleanup.policy" => config with { CleanupPolicy = ParsePolicy(name, value) },
                "retention.ms" => config with { RetentionMs = ParseLong(name, value, -1) },
                "retention.bytes" => config with { RetentionBytes = ParseLong(name, value, -1) },
                "segment.bytes" => config with { SegmentBytes = (int)ParseLong(name, value, 14, int.MaxValue) },
                "segment.ms" => config with { SegmentMs = ParseLong(name, value, 1) },
                "max.message.bytes" => config with { MaxMessageBytes = (int)ParseLong(name, value, 0, int.MaxValue) },
                "message.timestamp.type" => config with { MessageTimestampType = ParseTimestampType(name, value) },
                "delete.retention.ms" => config with { DeleteRetentionMs = ParseLong(name, value, 0) },
                "min.cleanable.dirty.ratio" => config with { MinCleanableDirtyRatio = ParseRatio(name, value) },
                "min.compaction.lag.ms" => config with { MinCompactionLagMs = ParseLong(name, value, 0) },
                "flush.messages" => config with { FlushMessages = ParseLong(name, value, 1) },
                "flush.ms" => config with { FlushMs = ParseLong(name, value, 0) },
                "index.interval.bytes" => config with { IndexIntervalBytes = (int)ParseLong(name, value, 0, int.MaxValue) },
                _ => config,
            };
        }

        return config;
    }

    /// <summary>The effective values under Kafka's names (for DescribeConfigs).</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = FormatPolicy(CleanupPolicy),
        ["retention.ms"] = RetentionMs.ToString(CultureInfo.InvariantCulture),
        ["retention.bytes"] = RetentionBytes.ToString(CultureInfo.InvariantCulture),
        ["segment.bytes"] = SegmentBytes.ToString(CultureInfo.InvariantCulture),
        ["segment.ms"] = SegmentMs.ToString(CultureInfo.InvariantCulture),
        ["max.message.bytes"] = MaxMessageBytes.ToString(CultureInfo.InvariantCulture),
        ["message.timestamp.type"] = MessageTimestampType.ToString(),
        ["delete.retention.ms"] = DeleteRetentionMs.ToString(CultureInfo.InvariantCulture),
        ["min.cleanable.dirty.ratio"] = MinCleanableDirtyRatio.ToString(CultureInfo.InvariantCulture),
        ["min.compaction.lag.ms"] = MinCompactionLagMs.ToString(CultureInfo.InvariantCulture),
        ["flush.messages"] = FlushMessages.ToString(CultureInfo.InvariantCulture),
        ["flush.ms"] = FlushMs.ToString(CultureInfo.InvariantCulture),
        ["index.interval.bytes"] = IndexIntervalBytes.ToString(CultureInfo.InvariantCulture),
    };

    public static string FormatPolicy(CleanupPolicy policy) => policy switch
    {
        CleanupPolicy.Compact => "compact",
        CleanupPolicy.Compact | CleanupPolicy.Delete => "compact,delete",
        _ => "delete",
    };

    private static CleanupPolicy ParsePolicy(string name, string value)
    {
        CleanupPolicy policy = 0;
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            policy |= part.ToLowerInvariant() switch
            {
                "delete" => CleanupPolicy.Delete,
                "compact" => CleanupPolicy.Compact,
                _ => throw Invalid(name, value, "expected delete, compact or compact,delete"),
            };
        }

        return policy == 0 ? throw Invalid(name, value, "expected delete, compact or compact,delete") : policy;
    }

    private static TimestampType ParseTimestampType(string name, string value) => value switch
    {
        "CreateTime" => TimestampType.CreateTime,
        "LogAppendTime" => TimestampType.LogAppendTime,
        _ => throw Invalid(name, value, "expected CreateTime or LogAppendTime"),
    };

    private static long ParseLong(string name, string value, long min, long max = long.MaxValue)
    {
        if (!long.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var result))
        {
            throw Invalid(name, value, "not a whole number");
        }

        return result < min || result > max ? throw Invalid(name, value, $"must be between {min} and {max}") : result;
    }

    private static double ParseRatio(string name, string value)
    {
        if (!double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var result) || result < 0 || result > 1)
        {
            throw Invalid(name, value, "must be a number between 0 and 1");
        }

        return result;
    }

    private static StorageException Invalid(string name, string value, string why) =>
        new(StorageError.InvalidConfig, $"Invalid value '{value}' for configuration {name}: {why}.");
}
