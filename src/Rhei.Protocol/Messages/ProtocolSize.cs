using System.Text;

namespace Rhei.Protocol.Messages;

/// <summary>Encoded sizes of Kafka wire primitives, matching what <see cref="ProtocolWriter"/> writes.</summary>
public static class ProtocolSize
{
    public static int UnsignedVarInt(int value)
    {
        var v = (uint)value;
        var size = 1;
        while (v >= 0x80)
        {
            v >>= 7;
            size++;
        }
        return size;
    }

    public static int VarInt(int value) => UnsignedVarInt((value << 1) ^ (value >> 31));

    public static int VarLong(long value)
    {
        var v = (ulong)((value << 1) ^ (value >> 63));
        var size = 1;
        while (v >= 0x80)
        {
            v >>= 7;
            size++;
        }
        return size;
    }

    /// <summary>Size of a string with its length prefix; null counts as the null marker.</summary>
    public static int String(string? value, bool compact)
    {
        if (value is null)
        {
            return compact ? 1 : 2;
        }
        var bytes = value.Length == 0 ? 0 : Encoding.UTF8.GetByteCount(value);
        return compact ? UnsignedVarInt(bytes + 1) + bytes : 2 + bytes;
    }

    /// <summary>Size of a bytes field with its length prefix; null counts as the null marker.</summary>
    public static int Bytes(byte[]? value, bool compact)
    {
        if (value is null)
        {
            return compact ? 1 : 4;
        }
        return compact ? UnsignedVarInt(value.Length + 1) + value.Length : 4 + value.Length;
    }

    /// <summary>Size of a records field with its length prefix; null counts as the null marker.</summary>
    public static int Records(ReadOnlyMemory<byte>? value, bool compact)
    {
        if (value is not { } records)
        {
            return compact ? 1 : 4;
        }
        return compact ? UnsignedVarInt(records.Length + 1) + records.Length : 4 + records.Length;
    }

    /// <summary>Size of an array length prefix (-1 for null).</summary>
    public static int ArrayLength(int count, bool compact) => compact ? UnsignedVarInt(count + 1) : 4;

    /// <summary>Size of the unknown tagged fields kept on a message (tag, size and payload of each).</summary>
    public static int UnknownTaggedFields(List<RawTaggedField>? fields)
    {
        if (fields is null)
        {
            return 0;
        }
        var size = 0;
        foreach (var field in fields)
        {
            size += UnsignedVarInt(field.Tag) + UnsignedVarInt(field.Data.Length) + field.Data.Length;
        }
        return size;
    }

    /// <summary>Size of one tagged field's header (tag and payload size) plus its payload.</summary>
    public static int TaggedField(int tag, int payloadSize) =>
        UnsignedVarInt(tag) + UnsignedVarInt(payloadSize) + payloadSize;
}
