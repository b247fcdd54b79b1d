using Rhei.Client;

namespace Rhei.Streams.Runtime;

/// <summary>
/// An input record waiting in a partition buffer. Its key and value are slices of byte arrays: of the buffer's
/// arena (consumed records are slices of a batch buffer that the next poll reuses, so the thread copies them into
/// the arena of their partition's buffer), or whole arrays handed over by the test driver.
/// </summary>
internal struct RawRecord
{
    public byte[]? Key;
    public int KeyOffset;
    public int KeyLength;
    public byte[]? Value;
    public int ValueOffset;
    public int ValueLength;
    public long Timestamp;
    public long Offset;
    public IReadOnlyList<RecordHeader> Headers;

    public readonly ReadOnlySpan<byte> KeySpan => Key is null ? default : Key.AsSpan(KeyOffset, KeyLength);

    public readonly ReadOnlySpan<byte> ValueSpan => Value is null ? default : Value.AsSpan(ValueOffset, ValueLength);

    public static RawRecord Wrap(byte[]? key, byte[]? value, long timestamp, long offset, IReadOnlyList<RecordHeader>? headers) => new()
    {
        Key = key,
        KeyLength = key?.Length ?? 0,
        Value = value,
        ValueLength = value?.Length ?? 0,
        Timestamp = timestamp,
        Offset = offset,
        Headers = headers ?? [],
    };

    public readonly byte[]? KeyCopy() => Key is null ? null : KeySpan.ToArray();

    public readonly byte[]? ValueCopy() => Value is null ? null : ValueSpan.ToArray();
}
