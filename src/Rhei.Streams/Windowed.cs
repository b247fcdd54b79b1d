using System.Buffers.Binary;

namespace Rhei.Streams;

/// <summary>A window: <see cref="Start"/> inclusive; <see cref="End"/> exclusive for time windows, inclusive for sessions.</summary>
public readonly record struct Window(long Start, long End);

/// <summary>A key with the window it was aggregated in.</summary>
public readonly record struct Windowed<K>(K Key, Window Window);

/// <summary>
/// Serdes for windowed keys with Kafka Streams' layouts (as ksqlDB writes windowed keys): a time-windowed
/// key is the key's bytes followed by the window start (8 bytes, big-endian); a session-windowed key is the
/// key's bytes, the end, then the start.
/// </summary>
public static class WindowedSerdes
{
    public static Serde<Windowed<K>> TimeWindowed<K>(Serde<K> inner, long windowSizeMs) => new(
        (w, topic) =>
        {
            var k = inner.Serialize(w.Key, topic) ?? [];
            var b = new byte[k.Length + 8];
            k.CopyTo(b, 0);
            BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(k.Length), w.Window.Start);
            return b;
        },
        (d, isNull, topic) =>
        {
            if (isNull) { return default; }
            if (d.Length < 8) { throw new FormatException($"A time-windowed key needs at least 8 bytes, the data has {d.Length}."); }
            var start = BinaryPrimitives.ReadInt64BigEndian(d[^8..]);
            var end = windowSizeMs == long.MaxValue || start > long.MaxValue - windowSizeMs ? long.MaxValue : start + windowSizeMs;
            return new Windowed<K>(inner.Deserialize(d[..^8], false, topic), new Window(start, end));
        });

    public static Serde<Windowed<K>> SessionWindowed<K>(Serde<K> inner) => new(
        (w, topic) =>
        {
            var k = inner.Serialize(w.Key, topic) ?? [];
            var b = new byte[k.Length + 16];
            k.CopyTo(b, 0);
            BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(k.Length), w.Window.End);
            BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(k.Length + 8), w.Window.Start);
            return b;
        },
        (d, isNull, topic) =>
        {
            if (isNull) { return default; }
            if (d.Length < 16) { throw new FormatException($"A session-windowed key needs at least 16 bytes, the data has {d.Length}."); }
            var end = BinaryPrimitives.ReadInt64BigEndian(d[^16..]);
            var start = BinaryPrimitives.ReadInt64BigEndian(d[^8..]);
            return new Windowed<K>(inner.Deserialize(d[..^16], false, topic), new Window(start, end));
        });
}
