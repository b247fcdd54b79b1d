namespace Rhei.Protocol.Records;

/// <summary>
/// A record decoded from a batch. <see cref="Key"/>, <see cref="Value"/> and <see cref="Headers"/> are
/// slices of the batch (or of the reader's decompression buffer): valid until the
/// <see cref="RecordBatchReader"/> is reset or disposed. A null key or value is Kafka's null (length -1).
/// </summary>
public readonly struct Record
{
    public Record(long offset, long timestamp, int offsetDelta, long timestampDelta, byte attributes, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, RecordHeaders headers)
    {
        Offset = offset;
        Timestamp = timestamp;
        OffsetDelta = offsetDelta;
        TimestampDelta = timestampDelta;
        Attributes = attributes;
        Key = key;
        Value = value;
        Headers = headers;
    }

    /// <summary>baseOffset + offsetDelta.</summary>
    public long Offset { get; }

    /// <summary>baseTimestamp + timestampDelta, or the batch's maxTimestamp under log-append time.</summary>
    public long Timestamp { get; }

    public int OffsetDelta { get; }

    public long TimestampDelta { get; }

    /// <summary>The record's attributes byte (unused by Kafka so far).</summary>
    public byte Attributes { get; }

    public ReadOnlyMemory<byte>? Key { get; }

    public ReadOnlyMemory<byte>? Value { get; }

    public RecordHeaders Headers { get; }
}
