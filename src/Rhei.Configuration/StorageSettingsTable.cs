using static Rhei.Configuration.ConfigImportance;

namespace Rhei.Configuration;

/// <summary>The log's settings: where partitions live, how segments roll, retention, compaction, flushing.</summary>
internal static class StorageSettingsTable
{
    public static void Define(ConfigDef def)
    {
        const RheiLayer storage = RheiLayer.Storage;

        def.Define(RheiSettings.LogDirs, ConfigType.List, "./data", High, storage,
            "Directories that hold the data: topic partitions (segment and index files), committed offsets and, " +
            "unless `ksql.streams.state.dir` says otherwise, the state stores. Relative paths are taken from the " +
            "working directory. With more than one directory, partitions are spread across them.",
            ConfigValidator.NonEmptyList, aliases: ["log.dir"]);

        def.Define(RheiSettings.LogSegmentBytes, ConfigType.Int, "1073741824", High, storage,
            "Largest size, in bytes, of one segment file of a partition. When a segment would grow past it, a new " +
            "segment is started; retention and compaction work on whole segments. Kafka 4 requires at least 1 MiB; " +
            "Rhei accepts smaller segments, which tests use.",
            ConfigValidator.AtLeast(1024));

        def.Define(RheiSettings.LogRollMs, ConfigType.Long, null, Medium, storage,
            "Age, in milliseconds, after which the active segment is closed and a new one started even if it is not " +
            "full (measured from the first record's timestamp). When unset, `log.roll.hours` applies.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.LogRollHours, ConfigType.Int, "168", High, storage,
            "The same as `log.roll.ms`, in hours; used only when `log.roll.ms` is not set.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.LogRetentionMs, ConfigType.Long, null, Medium, storage,
            "How long, in milliseconds, records are kept before their segment may be deleted (topics with the " +
            "`delete` cleanup policy). -1 keeps them forever. When set it wins over `log.retention.minutes` and " +
            "`log.retention.hours`.",
            ConfigValidator.AtLeast(-1));

        def.Define(RheiSettings.LogRetentionMinutes, ConfigType.Int, null, High, storage,
            "Retention time in minutes; used when `log.retention.ms` is not set, and wins over `log.retention.hours`.",
            ConfigValidator.AtLeast(-1));

        def.Define(RheiSettings.LogRetentionHours, ConfigType.Int, "168", High, storage,
            "Retention time in hours (168 = 7 days); used when neither `log.retention.ms` nor `log.retention.minutes` is set.",
            ConfigValidator.AtLeast(-1));

        def.Define(RheiSettings.LogRetentionBytes, ConfigType.Long, "-1", High, storage,
            "Largest size, in bytes, a partition may reach before its oldest segments are deleted. -1 means no size limit.",
            ConfigValidator.AtLeast(-1));

        def.Define(RheiSettings.LogRetentionCheckIntervalMs, ConfigType.Long, "300000", Medium, storage,
            "How often, in milliseconds, the log looks for segments that retention allows it to delete.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.LogFlushIntervalMessages, ConfigType.Long, "9223372036854775807", High, storage,
            "Number of records appended to a partition after which its data is forced to disk (fsync). " +
            "The default, as in Kafka, never forces a flush for this reason: acknowledged records survive a crash of " +
            "the Rhei process (they are in the operating system's page cache) but not a power loss. Set it to 1 to " +
            "fsync before every acknowledgement.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.LogFlushIntervalMs, ConfigType.Long, null, High, storage,
            "Longest time, in milliseconds, that appended data may stay unflushed. Unset means no time-based flush.",
            ConfigValidator.AtLeast(0));

        def.Define(RheiSettings.LogCleanupPolicy, ConfigType.List, "delete", Medium, storage,
            "What happens to old segments of topics that don't set `cleanup.policy` themselves: `delete` removes them " +
            "by time and size, `compact` keeps the latest record of every key, `delete,compact` does both.",
            ConfigValidator.ListOf("delete", "compact"));

        def.Define(RheiSettings.LogCleanerEnable, ConfigType.Boolean, "true", Medium, storage,
            "Whether compaction runs. Turning it off lets compacted topics (changelogs, `_schemas`, the command " +
            "topic) grow without bound.");

        def.Define(RheiSettings.LogCleanerDeleteRetentionMs, ConfigType.Long, "86400000", Medium, storage,
            "How long, in milliseconds, a tombstone (a record with a null value) stays in a compacted topic, so " +
            "that readers catching up still see the deletion.",
            ConfigValidator.AtLeast(0));

        def.Define(RheiSettings.LogCleanerMinCleanableRatio, ConfigType.Double, "0.5", Medium, storage,
            "Fraction of a compacted partition that must be superseded records before compaction rewrites it.",
            ConfigValidator.Between(0, 1));

        def.Define(RheiSettings.LogIndexIntervalBytes, ConfigType.Int, "4096", Medium, storage,
            "How many bytes of record batches lie between two entries of a segment's offset index. Smaller means " +
            "larger indexes and shorter scans when a fetch starts in the middle of a segment.",
            ConfigValidator.AtLeast(0));

        def.Define(RheiSettings.LogMessageTimestampType, ConfigType.String, "CreateTime", Medium, storage,
            "Which timestamp records keep: `CreateTime` keeps the producer's, `LogAppendTime` replaces it with the " +
            "time the log appended the batch.",
            ConfigValidator.OneOf("CreateTime", "LogAppendTime"));
    }
}
