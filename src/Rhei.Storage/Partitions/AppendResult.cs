namespace Rhei.Storage.Partitions;

/// <summary>Who writes an append: checks differ (clients may not write control batches).</summary>
public enum AppendOrigin
{
    /// <summary>A producer (Produce request, embedded producer): full validation.</summary>
    Client,

    /// <summary>The broker's coordinators (group offsets, transaction markers): may write control batches.</summary>
    Coordinator,
}

/// <summary>
/// The outcome of <see cref="PartitionLog.AppendAsync"/>. On success <see cref="BaseOffset"/> is the offset
/// given to the first record and <see cref="LastOffset"/> to the last; a duplicate from an idempotent
/// producer succeeds with the offsets of the original append (<see cref="IsDuplicate"/>).
/// <see cref="LogAppendTime"/> is the broker time stamped on the batches for LogAppendTime topics, else -1.
/// On failure <see cref="Error"/> holds Kafka's error and <see cref="ErrorMessage"/> says why; offsets are -1.
/// </summary>
public readonly record struct AppendResult(
    StorageError Error,
    long BaseOffset,
    long LastOffset,
    long LogAppendTime,
    long LogStartOffset,
    string? ErrorMessage = null,
    bool IsDuplicate = false)
{
    public bool Succeeded => Error == StorageError.None;

    public static AppendResult Failed(StorageError error, string message, long logStartOffset) =>
        new(error, -1, -1, -1, logStartOffset, message);
}

/// <summary>An offset found by timestamp (ListOffsets): the offset and the timestamp of that record (-1 for earliest/latest).</summary>
public readonly record struct TimestampOffset(long Offset, long Timestamp);

/// <summary>Special timestamps understood by <see cref="PartitionLog.GetOffsetForTimestampAsync"/> (Kafka's ListOffsets values).</summary>
public static class OffsetTimestamps
{
    /// <summary>The high watermark (the next offset to be written).</summary>
    public const long Latest = -1;

    /// <summary>The log start offset.</summary>
    public const long Earliest = -2;

    /// <summary>The offset of the record with the largest timestamp.</summary>
    public const long MaxTimestamp = -3;
}
