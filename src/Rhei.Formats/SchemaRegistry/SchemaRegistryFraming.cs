using System.Buffers;
using System.Buffers.Binary;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// Confluent's wire framing: magic byte 0, the schema id as a 4-byte big-endian integer, then (Protobuf only) the
/// message indexes — a zig-zag varint count followed by zig-zag varint indexes, with <c>[0]</c> written as the single
/// byte 0 — then the payload.
/// </summary>
public static class SchemaRegistryFraming
{
    public const byte MagicByte = 0;
    public const int HeaderLength = 5;

    private static readonly int[] FirstMessage = [0];

    public static byte[] Header(int schemaId)
    {
        var header = new byte[HeaderLength];
        header[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(1), schemaId);
        return header;
    }

    public static void WriteHeader(IBufferWriter<byte> output, int schemaId)
    {
        var span = output.GetSpan(HeaderLength);
        span[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], schemaId);
        output.Advance(HeaderLength);
    }

    /// <summary>Reads the header; false when the data is too short or the magic byte is not 0.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out int schemaId)
    {
        if (data.Length < HeaderLength || data[0] != MagicByte)
        {
            schemaId = 0;
            return false;
        }

        schemaId = BinaryPrimitives.ReadInt32BigEndian(data[1..]);
        return true;
    }

    /// <summary>The message-index bytes of a path: <c>[0]</c> → <c>00</c>, <c>[1]</c> → <c>02 02</c>, <c>[2, 1]</c> → <c>04 04 02</c>.</summary>
    public static byte[] MessageIndexes(ReadOnlySpan<int> indexes)
    {
        if (indexes.Length == 1 && indexes[0] == 0)
        {
            return [0];
        }

        var buffer = new ArrayBufferWriter<byte>(8);
        WriteZigZag(buffer, indexes.Length);
        foreach (var i in indexes)
        {
            WriteZigZag(buffer, i);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads message indexes; returns the bytes consumed. An empty path means the first message.</summary>
    public static int ReadMessageIndexes(ReadOnlySpan<byte> data, out int[] indexes)
    {
        var pos = 0;
        var count = ReadZigZag(data, ref pos);
        if (count == 0)
        {
            indexes = FirstMessage;
            return pos;
        }

        if (count < 0 || count > 100)
        {
            throw new FormatException($"Invalid message index count {count}");
        }

        indexes = new int[count];
        for (var i = 0; i < count; i++)
        {
            indexes[i] = ReadZigZag(data, ref pos);
        }

        return pos;
    }

    private static void WriteZigZag(IBufferWriter<byte> output, int value)
    {
        var n = (uint)((value << 1) ^ (value >> 31));
        var span = output.GetSpan(5);
        var i = 0;
        while (n >= 0x80)
        {
            span[i++] = (byte)(n | 0x80);
            n >>= 7;
        }

        span[i++] = (byte)n;
        output.Advance(i);
    }

    private static int ReadZigZag(ReadOnlySpan<byte> data, ref int pos)
    {
        uint n = 0;
        var shift = 0;
        while (true)
        {
            if (pos >= data.Length)
            {
                throw new FormatException("Truncated message indexes");
            }

            var b = data[pos++];
            n |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
            if (shift > 28)
            {
                throw new FormatException("Invalid varint in message indexes");
            }
        }

        return (int)(n >> 1) ^ -(int)(n & 1);
    }
}
