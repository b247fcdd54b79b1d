namespace Rhei.Client;

/// <summary>A topic and one of its partitions.</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    public override string ToString() => $"{Topic}-{Partition}";
}

/// <summary>A position in a partition: the offset of the next record to read (Kafka's convention).</summary>
public readonly record struct TopicPartitionOffset(string Topic, int Partition, long Offset)
{
    public TopicPartition TopicPartition => new(Topic, Partition);
}

/// <summary>Special offsets understood by <see cref="IConsumer.Assign"/> and <see cref="IConsumer.Seek"/>.</summary>
public static class Offsets
{
    /// <summary>The first offset still in the log.</summary>
    public const long Beginning = -2;

    /// <summary>The high watermark: only records produced from now on.</summary>
    public const long End = -1;

    /// <summary>The committed offset of the group, or <c>auto.offset.reset</c> when none.</summary>
    public const long Stored = -1000;
}

/// <summary>How a record's timestamp was set (record batch attribute bit 3).</summary>
public enum TimestampType
{
    NotAvailable = -1,
    CreateTime = 0,
    LogAppendTime = 1,
}

/// <summary>A record header. A null value is allowed, as in Kafka.</summary>
public readonly record struct RecordHeader(string Key, ReadOnlyMemory<byte>? Value);

/// <summary>
/// A record to produce. <see cref="Partition"/> -1 lets the producer choose with Kafka's default
/// partitioner (murmur2 of the key, as the Java client and Kafka Streams do; round robin without a key).
/// A null key or value is a null on the wire (a null value is a tombstone).
/// </summary>
public readonly record struct ProduceRecord(
    string Topic,
    ReadOnlyMemory<byte>? Key,
    ReadOnlyMemory<byte>? Value,
    int Partition = -1,
    long? Timestamp = null,
    IReadOnlyList<RecordHeader>? Headers = null)
{
    /// <summary>
    /// A record from arrays, where a null array is a null key or value. (Without this overload a null array would
    /// reach the other constructor through the array-to-memory conversion, which turns null into an empty memory: a
    /// zero-length key or value on the wire, not a null, so a tombstone would not be one.)
    /// </summary>
    /// <remarks>The parameters are named as the record's properties, so that calls with named arguments find this overload too.</remarks>
    public ProduceRecord(string Topic, byte[]? Key, byte[]? Value, int Partition = -1, long? Timestamp = null, IReadOnlyList<RecordHeader>? Headers = null)
        : this(Topic, Memory(Key), Memory(Value), Partition, Timestamp, Headers)
    {
    }

    // Typed on both sides: `array is null ? null : new ReadOnlyMemory<byte>(array)` would give an empty memory for
    // null, since the null literal converts to ReadOnlyMemory<byte> through byte[].
    private static ReadOnlyMemory<byte>? Memory(byte[]? array) => array is null ? (ReadOnlyMemory<byte>?)null : array;
}

/// <summary>Where a produced record landed.</summary>
public readonly record struct RecordMetadata(string Topic, int Partition, long Offset, long Timestamp);

/// <summary>
/// A consumed record. Key and value may be slices of a shared batch buffer (embedded client): they are
/// valid until the next poll of the consumer that returned them; copy what must live longer. Header
/// values are copies.
/// </summary>
public sealed class ConsumedRecord
{
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    public required long Offset { get; init; }
    public required long Timestamp { get; init; }
    public TimestampType TimestampType { get; init; } = TimestampType.CreateTime;
    public ReadOnlyMemory<byte>? Key { get; init; }
    public ReadOnlyMemory<byte>? Value { get; init; }
    public IReadOnlyList<RecordHeader> Headers { get; init; } = [];
    public int LeaderEpoch { get; init; } = -1;

    public TopicPartition TopicPartition => new(Topic, Partition);
}
