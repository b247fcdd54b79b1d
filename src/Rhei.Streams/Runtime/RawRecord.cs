using System.Buffers;
using Rhei.Client;

namespace Rhei.Streams.Runtime;

/// <summary>
/// An input record waiting in a partition buffer, its key and value copied into pooled arrays (consumed
/// records may be slices of a batch buffer that the next poll reuses).
/// </summary>
internal struct RawRecord
{
    public byte[]? Key;
    public int KeyLength;
    public byte[]? Value;
    public int ValueLength;
    public long Timestamp;
    public long Offset;
    public IReadOnlyList<RecordHeader> Headers;
    public bool Pooled;

    public readonly ReadOnlySpan<byte> KeySpan => Key is null ? default : Key.AsSpan(0, KeyLength);

    public readonly ReadOnlySpan<byte> ValueSpan => Value is null ? default : Value.AsSpan(0, ValueLength);

    public static RawRecord Copy(ConsumedRecord r)
    {
        var raw = new RawRecord { Timestamp = r.Timestamp, Offset = r.Offset, Headers = r.Headers, Pooled = true };
        if (r.Key is { } k)
        {
            raw.Key = ArrayPool<byte>.Shared.Rent(Math.Max(1, k.Length));
            k.Span.CopyTo(raw.Key);
            raw.KeyLength = k.Length;
        }

        if (r.Value is { } v)
        {
            raw.Value = ArrayPool<byte>.Shared.Rent(Math.Max(1, v.Length));
            v.Span.CopyTo(raw.Value);
            raw.ValueLength = v.Length;
        }

        return raw;
    }

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

    public void Release()
    {
        if (Pooled)
        {
            if (Key is not null) { ArrayPool<byte>.Shared.Return(Key); }
            if (Value is not null) { ArrayPool<byte>.Shared.Return(Value); }
        }

        this = default;
    }
}
