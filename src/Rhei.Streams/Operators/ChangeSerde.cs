using System.Buffers.Binary;

namespace Rhei.Streams.Operators;

/// <summary>
/// The value layout of a table-grouping repartition topic: a flags byte (1: new present, 2: old present),
/// the new value's length (4 bytes, big-endian), the new value's bytes, then the old value's bytes.
/// </summary>
internal static class ChangeSerde
{
    public static Serde<Change<V>> Create<V>(Serde<V> inner) => new(
        (c, topic) =>
        {
            var n = c.NewValue is null ? null : inner.Serialize(c.NewValue, topic);
            var o = c.OldValue is null ? null : inner.Serialize(c.OldValue, topic);
            var b = new byte[5 + (n?.Length ?? 0) + (o?.Length ?? 0)];
            b[0] = (byte)((n is null ? 0 : 1) | (o is null ? 0 : 2));
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(1), n?.Length ?? 0);
            n?.CopyTo(b, 5);
            o?.CopyTo(b, 5 + (n?.Length ?? 0));
            return b;
        },
        (d, isNull, topic) =>
        {
            if (isNull || d.Length < 5) { return default; }
            var flags = d[0];
            var len = BinaryPrimitives.ReadInt32BigEndian(d[1..]);
            var n = (flags & 1) != 0 ? inner.Deserialize(d.Slice(5, len), false, topic) : default!;
            var o = (flags & 2) != 0 ? inner.Deserialize(d[(5 + len)..], false, topic) : default!;
            return new Change<V>(n, o);
        });
}
