using Microsoft.Extensions.Logging;

namespace Rhei.Storage;

/// <summary>The storage layer's log messages (source-generated), with stable event ids.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(1001, LogLevel.Warning, "Recovered {Directory}: dropped {Bytes} damaged bytes at the end of segment {Segment}.")]
    public static partial void RecoveredSegment(this ILogger logger, string directory, long bytes, long segment);

    [LoggerMessage(1002, LogLevel.Information, "Deleting leftover {File}.")]
    public static partial void DeletingLeftover(this ILogger logger, string file);

    [LoggerMessage(1003, LogLevel.Information, "Completing the interrupted swap of {File}.")]
    public static partial void CompletingSwap(this ILogger logger, string file);

    [LoggerMessage(1004, LogLevel.Warning, "Ignoring damaged producer snapshot {File}.")]
    public static partial void DamagedSnapshot(this ILogger logger, string file);

    [LoggerMessage(1005, LogLevel.Error, "Appending to {Partition} failed.")]
    public static partial void AppendFailed(this ILogger logger, Exception exception, string partition);

    [LoggerMessage(1006, LogLevel.Debug, "Rolled {Partition} at offset {Offset}.")]
    public static partial void Rolled(this ILogger logger, string partition, long offset);

    [LoggerMessage(1007, LogLevel.Information, "Deleting segment {Segment} of {Partition} ({Reason}).")]
    public static partial void DeletingSegment(this ILogger logger, long segment, string partition, string reason);

    [LoggerMessage(1008, LogLevel.Warning, "Rebuilding the indexes of {Segment}: {Problem}.")]
    public static partial void RebuildingIndex(this ILogger logger, string segment, string? problem);

    [LoggerMessage(1009, LogLevel.Warning, "Recovering {Segment}: {Problem} at position {Position}.")]
    public static partial void RecoveringSegment(this ILogger logger, string segment, string? problem, long position);

    [LoggerMessage(1010, LogLevel.Warning, "Truncating {Segment} at position {Position} ({Bytes} bytes dropped): {Problem}.")]
    public static partial void TruncatingSegment(this ILogger logger, string segment, long position, long bytes, string? problem);

    [LoggerMessage(1011, LogLevel.Information, "Compacted {Partition}: {Segments} segments rewritten, {Before} bytes to {After} bytes.")]
    public static partial void Compacted(this ILogger logger, string partition, int segments, long before, long after);

    [LoggerMessage(1012, LogLevel.Error, "Background task {Task} failed.")]
    public static partial void BackgroundTaskFailed(this ILogger logger, Exception exception, string task);

    [LoggerMessage(1013, LogLevel.Information, "Opened {Partitions} partitions of {Topics} topics in {Dirs} ({Mode} start).")]
    public static partial void Opened(this ILogger logger, int partitions, int topics, string dirs, string mode);

    [LoggerMessage(1014, LogLevel.Warning, "Ignoring folder {Directory}: it belongs to no known topic.")]
    public static partial void StrayFolder(this ILogger logger, string directory);

    [LoggerMessage(1015, LogLevel.Information, "Expired {Count} committed offsets of empty groups.")]
    public static partial void ExpiredOffsets(this ILogger logger, int count);

    [LoggerMessage(1016, LogLevel.Warning, "Skipping the malformed record at offset {Offset} of {Partition}: {Problem}")]
    public static partial void SkippedOffsetsRecord(this ILogger logger, string partition, long offset, string problem);
}
