using System.Buffers.Binary;
using System.Text;

namespace Rhei.Storage.Groups;

/// <summary>
/// The records of <c>__consumer_offsets</c>, in Kafka's own layout (so Kafka's tooling reads them too).
/// Keys start with an int16 version: 0/1 = offset commit (group string, topic string, partition int32),
/// 2 = group metadata (group string). Offset values are version 3: offset int64, leader epoch int32,
/// metadata string, commit timestamp int64. Group values are version 3: protocol type string, generation
/// int32, protocol nullable string, leader nullable string, state timestamp int64, members array
/// (member id, group instance id nullable, client id, client host strings, rebalance and session timeouts
/// int32, subscription and assignment bytes). Strings: int16 length + UTF-8 (-1 = null); bytes: int32
/// length; arrays: int32 count. A null value (tombstone) deletes the key.
/// </summary>
internal static class OffsetsTopicCodec
{
    public const short OffsetKeyVersion = 1;
    public const short GroupKeyVersion = 2;
    private const short OffsetValueVersion = 3;
    private const short GroupValueVersion = 3;

    public static byte[] OffsetKey(string group, string topic, int partition)
    {
        var w = new Writer();
        w.Int16(OffsetKeyVersion);
        w.String(group);
        w.String(topic);
        w.Int32(partition);
        return w.ToArray();
    }

    public static byte[] GroupKey(string group)
    {
        var w = new Writer();
        w.Int16(GroupKeyVersion);
        w.String(group);
        return w.ToArray();
    }

    public static byte[] OffsetValue(CommittedOffset offset)
    {
        var w = new Writer();
        w.Int16(OffsetValueVersion);
        w.Int64(offset.Offset);
        w.Int32(offset.LeaderEpoch);
        w.String(offset.Metadata ?? string.Empty);
        w.Int64(offset.CommitTimestamp);
        return w.ToArray();
    }

    public static byte[] GroupValue(GroupMetadata group)
    {
        var w = new Writer();
        w.Int16(GroupValueVersion);
        w.String(group.ProtocolType);
        w.Int32(group.Generation);
        w.String(group.ProtocolName);
        w.String(group.Leader);
        w.Int64(group.StateTimestamp);
        w.Int32(group.Members.Count);
        foreach (var m in group.Members)
        {
            w.String(m.MemberId);
            w.String(m.GroupInstanceId);
            w.String(m.ClientId);
            w.String(m.ClientHost);
            w.Int32(m.RebalanceTimeoutMs);
            w.Int32(m.SessionTimeoutMs);
            w.Bytes(m.Subscription);
            w.Bytes(m.Assignment);
        }

        return w.ToArray();
    }

    /// <summary>Decodes a key: (version, group, topic, partition); topic is null for group keys.</summary>
    public static (short Version, string Group, string? Topic, int Partition) ReadKey(ReadOnlySpan<byte> key)
    {
        var r = new Reader(key);
        var version = r.Int16();
        var group = r.String() ?? string.Empty;
        if (version is 0 or 1)
        {
            return (version, group, r.String() ?? string.Empty, r.Int32());
        }

        return (version, group, null, -1);
    }

    public static CommittedOffset ReadOffsetValue(string topic, int partition, ReadOnlySpan<byte> value)
    {
        var r = new Reader(value);
        var version = r.Int16();
        var offset = r.Int64();
        var leaderEpoch = version >= 3 ? r.Int32() : -1;
        var metadata = r.String();
        var timestamp = r.Int64();
        return new CommittedOffset(topic, partition, offset, leaderEpoch, string.IsNullOrEmpty(metadata) ? null : metadata, timestamp);
    }

    public static GroupMetadata ReadGroupValue(string group, ReadOnlySpan<byte> value)
    {
        var r = new Reader(value);
        var version = r.Int16();
        if (version != GroupValueVersion)
        {
            throw new InvalidDataException($"Group metadata value version {version} of group {group} is not supported.");
        }

        var protocolType = r.String() ?? string.Empty;
        var generation = r.Int32();
        var protocol = r.String();
        var leader = r.String();
        var stateTimestamp = r.Int64();
        var count = r.Int32();
        var members = new List<GroupMemberMetadata>(Math.Max(0, count));
        for (var i = 0; i < count; i++)
        {
            members.Add(new GroupMemberMetadata(
                r.String() ?? string.Empty, r.String(), r.String() ?? string.Empty, r.String() ?? string.Empty,
                r.Int32(), r.Int32(), r.Bytes(), r.Bytes()));
        }

        return new GroupMetadata(group, protocolType, generation, protocol, leader, stateTimestamp, members);
    }

    private sealed class Writer
    {
        private readonly MemoryStream _stream = new();

        public void Int16(short v)
        {
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteInt16BigEndian(b, v);
            _stream.Write(b);
        }

        public void Int32(int v)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(b, v);
            _stream.Write(b);
        }

        public void Int64(long v)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(b, v);
            _stream.Write(b);
        }

        public void String(string? s)
        {
            if (s is null)
            {
                Int16(-1);
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(s);
            Int16(checked((short)bytes.Length));
            _stream.Write(bytes);
        }

        public void Bytes(byte[] bytes)
        {
            Int32(bytes.Length);
            _stream.Write(bytes);
        }

        public byte[] ToArray() => _stream.ToArray();
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        public short Int16()
        {
            var v = BinaryPrimitives.ReadInt16BigEndian(Take(2));
            return v;
        }

        public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

        public string? String()
        {
            var length = Int16();
            return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
        }

        public byte[] Bytes()
        {
            var length = Int32();
            return length < 0 ? [] : Take(length).ToArray();
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _bytes.Length - _position)
            {
                throw new InvalidDataException("A __consumer_offsets record is cut short.");
            }

            var span = _bytes.Slice(_position, count);
            _position += count;
            return span;
        }
    }
}
