namespace Rhei.Protocol.Records;

/// <summary>
/// Kafka's variable-length integers (protobuf's base-128 encoding). Record fields use the zig-zag form
/// (<see cref="ReadVarInt"/>, <see cref="ReadVarLong"/>); the compact protocol uses the unsigned form.
/// Readers advance <c>position</c> and throw <see cref="InvalidDataException"/> on truncated or
/// over-long input.
/// </summary>
public static class Varint
{
    public const int MaxVarIntLength = 5;
    public const int MaxVarLongLength = 10;

    public static int ReadVarInt(ReadOnlySpan<byte> source, ref int position)
    {
        var raw = ReadUnsignedVarInt(source, ref position);
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    public static long ReadVarLong(ReadOnlySpan<byte> source, ref int position)
    {
        var raw = ReadUnsignedVarLong(source, ref position);
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public static uint ReadUnsignedVarInt(ReadOnlySpan<byte> source, ref int position)
    {
        uint value = 0;
        var shift = 0;
        var p = position;
        while (true)
        {
            if ((uint)p >= (uint)source.Length)
            {
                throw new InvalidDataException("A varint is cut short.");
            }

            var b = source[p++];
            if (shift == 28 && (b & 0xF0) != 0)
            {
                throw new InvalidDataException("A varint is longer than 5 bytes or overflows 32 bits.");
            }

            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                position = p;
                return value;
            }

            shift += 7;
        }
    }

    public static ulong ReadUnsignedVarLong(ReadOnlySpan<byte> source, ref int position)
    {
        ulong value = 0;
        var shift = 0;
        var p = position;
        while (true)
        {
            if ((uint)p >= (uint)source.Length)
            {
                throw new InvalidDataException("A varlong is cut short.");
            }

            var b = source[p++];
            if (shift == 63 && (b & 0xFE) != 0)
            {
                throw new InvalidDataException("A varlong is longer than 10 bytes or overflows 64 bits.");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                position = p;
                return value;
            }

            shift += 7;
        }
    }

    public static int SizeOfVarInt(int value) => SizeOfUnsignedVarInt(ZigZag(value));

    public static int SizeOfVarLong(long value) => SizeOfUnsignedVarLong(ZigZag(value));

    public static int SizeOfUnsignedVarInt(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    public static int SizeOfUnsignedVarLong(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    /// <summary>Writes a zig-zag varint; returns the bytes written.</summary>
    public static int WriteVarInt(Span<byte> destination, int value) => WriteUnsignedVarInt(destination, ZigZag(value));

    public static int WriteVarLong(Span<byte> destination, long value) => WriteUnsignedVarLong(destination, ZigZag(value));

    public static int WriteUnsignedVarInt(Span<byte> destination, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    public static int WriteUnsignedVarLong(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    private static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
