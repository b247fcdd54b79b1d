using System.Buffers.Binary;

namespace Rhei.Streams.State;

/// <summary>
/// Byte layouts of window and session store keys (store and changelog), as Kafka Streams writes them:
/// window: key bytes, window start (8, big-endian), sequence number (4); session: key bytes, end (8), start (8).
/// </summary>
internal static class KeyLayouts
{
    public const int WindowSuffix = 12;
    public const int SessionSuffix = 16;

    public static byte[] WindowKey(ReadOnlySpan<byte> key, long windowStart, int seq)
    {
        var b = new byte[key.Length + WindowSuffix];
        key.CopyTo(b);
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(key.Length), windowStart);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(key.Length + 8), seq);
        return b;
    }

    public static ReadOnlySpan<byte> WindowKeyBytes(ReadOnlySpan<byte> storeKey) => storeKey[..^WindowSuffix];

    public static long WindowStart(ReadOnlySpan<byte> storeKey) => BinaryPrimitives.ReadInt64BigEndian(storeKey[^WindowSuffix..]);

    public static int WindowSeq(ReadOnlySpan<byte> storeKey) => BinaryPrimitives.ReadInt32BigEndian(storeKey[^4..]);

    public static byte[] SessionKey(ReadOnlySpan<byte> key, long end, long start)
    {
        var b = new byte[key.Length + SessionSuffix];
        key.CopyTo(b);
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(key.Length), end);
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(key.Length + 8), start);
        return b;
    }

    public static ReadOnlySpan<byte> SessionKeyBytes(ReadOnlySpan<byte> storeKey) => storeKey[..^SessionSuffix];

    public static long SessionEnd(ReadOnlySpan<byte> storeKey) => BinaryPrimitives.ReadInt64BigEndian(storeKey[^SessionSuffix..]);

    public static long SessionStart(ReadOnlySpan<byte> storeKey) => BinaryPrimitives.ReadInt64BigEndian(storeKey[^8..]);

    /// <summary>A stored value: the timestamp (8, big-endian) then the changelog value bytes.</summary>
    public static byte[] StoredValue(long timestamp, ReadOnlySpan<byte> value)
    {
        var b = new byte[8 + value.Length];
        BinaryPrimitives.WriteInt64BigEndian(b, timestamp);
        value.CopyTo(b.AsSpan(8));
        return b;
    }
}
