using System.Buffers.Binary;
using System.Text;

namespace Rhei.Protocol.Messages;

/// <summary>
/// Writes Kafka wire primitives into a span sized beforehand (messages compute their exact size with
/// <c>ComputeSize</c> first, so a message is written in one pass with no growth or copies).
/// The matching size computations live in <see cref="ProtocolSize"/>.
/// </summary>
public ref struct ProtocolWriter
{
    private readonly Span<byte> _span;
    private int _position;

    public ProtocolWriter(Span<byte> destination)
    {
        _span = destination;
        _position = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    public void WriteInt8(sbyte value) => _span[_position++] = (byte)value;

    public void WriteBool(bool value) => _span[_position++] = value ? (byte)1 : (byte)0;

    public void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_span.Slice(_position, 2), value);
        _position += 2;
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span.Slice(_position, 2), value);
        _position += 2;
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_span.Slice(_position, 4), value);
        _position += 4;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span.Slice(_position, 4), value);
        _position += 4;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_span.Slice(_position, 8), value);
        _position += 8;
    }

    public void WriteFloat64(double value)
    {
        BinaryPrimitives.WriteDoubleBigEndian(_span.Slice(_position, 8), value);
        _position += 8;
    }

    /// <summary>Writes a UUID as Kafka expects it: 16 bytes, most significant first.</summary>
    public void WriteUuid(Guid value)
    {
        value.TryWriteBytes(_span.Slice(_position, 16), bigEndian: true, out _);
        _position += 16;
    }

    public void WriteUnsignedVarInt(int value)
    {
        var v = (uint)value;
        while (v >= 0x80)
        {
            _span[_position++] = (byte)(v | 0x80);
            v >>= 7;
        }
        _span[_position++] = (byte)v;
    }

    /// <summary>Writes a zig-zag encoded varint (int32).</summary>
    public void WriteVarInt(int value) => WriteUnsignedVarInt((value << 1) ^ (value >> 31));

    /// <summary>Writes a zig-zag encoded varlong (int64).</summary>
    public void WriteVarLong(long value)
    {
        var v = (ulong)((value << 1) ^ (value >> 63));
        while (v >= 0x80)
        {
            _span[_position++] = (byte)(v | 0x80);
            v >>= 7;
        }
        _span[_position++] = (byte)v;
    }

    /// <summary>Writes a non-null string; <paramref name="field"/> names it in the error if it is null.</summary>
    public void WriteString(string? value, bool compact, string field)
    {
        if (value is null)
        {
            throw ProtocolErrors.NullField(field);
        }
        WriteStringCore(value, compact);
    }

    /// <summary>Writes a nullable string (length -1, or compact 0, for null).</summary>
    public void WriteNullableString(string? value, bool compact)
    {
        if (value is null)
        {
            WriteNullLength(compact, shortLength: true);
            return;
        }
        WriteStringCore(value, compact);
    }

    /// <summary>Writes non-null bytes; <paramref name="field"/> names it in the error if it is null.</summary>
    public void WriteBytes(byte[]? value, bool compact, string field)
    {
        if (value is null)
        {
            throw ProtocolErrors.NullField(field);
        }
        WriteBytesCore(value, compact);
    }

    public void WriteNullableBytes(byte[]? value, bool compact)
    {
        if (value is null)
        {
            WriteNullLength(compact, shortLength: false);
            return;
        }
        WriteBytesCore(value, compact);
    }

    /// <summary>Writes a <c>records</c> field; null only where the version allows it.</summary>
    public void WriteRecords(ReadOnlyMemory<byte>? value, bool compact, bool nullable, string field)
    {
        if (value is not { } records)
        {
            if (!nullable)
            {
                throw ProtocolErrors.NullField(field);
            }
            WriteNullLength(compact, shortLength: false);
            return;
        }
        WriteBytesCore(records.Span, compact);
    }

    /// <summary>Writes an array length (INT32, or compact UNSIGNED_VARINT count + 1); -1 means null.</summary>
    public void WriteArrayLength(int count, bool compact)
    {
        if (compact)
        {
            WriteUnsignedVarInt(count + 1);
        }
        else
        {
            WriteInt32(count);
        }
    }

    /// <summary>Copies raw bytes.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_span[_position..]);
        _position += bytes.Length;
    }

    /// <summary>
    /// Writes, in order, the unknown tagged fields whose tag is below <paramref name="belowTag"/>, starting
    /// at <paramref name="index"/>; used to interleave preserved fields with known ones in tag order.
    /// </summary>
    public void WriteUnknownTaggedFields(List<RawTaggedField>? fields, ref int index, int belowTag)
    {
        if (fields is null)
        {
            return;
        }
        while (index < fields.Count && fields[index].Tag < belowTag)
        {
            var field = fields[index++];
            WriteUnsignedVarInt(field.Tag);
            WriteUnsignedVarInt(field.Data.Length);
            WriteRaw(field.Data);
        }
    }

    private void WriteNullLength(bool compact, bool shortLength)
    {
        if (compact)
        {
            _span[_position++] = 0;
        }
        else if (shortLength)
        {
            WriteInt16(-1);
        }
        else
        {
            WriteInt32(-1);
        }
    }

    private void WriteStringCore(string value, bool compact)
    {
        if (compact)
        {
            // The UTF-8 length is at most 3 bytes per UTF-16 char: when that bound fits a one-byte varint,
            // encode in place and write the length byte afterwards (one pass over the string).
            if (value.Length * 3 < 0x7F)
            {
                var written = Encoding.UTF8.GetBytes(value, _span[(_position + 1)..]);
                _span[_position] = (byte)(written + 1);
                _position += 1 + written;
                return;
            }
            var byteCount = Encoding.UTF8.GetByteCount(value);
            WriteUnsignedVarInt(byteCount + 1);
            _position += Encoding.UTF8.GetBytes(value, _span[_position..]);
        }
        else
        {
            var written = Encoding.UTF8.GetBytes(value, _span[(_position + 2)..]);
            if (written > short.MaxValue)
            {
                throw new InvalidOperationException($"String of {written} UTF-8 bytes is longer than the 32767 a non-compact string can hold.");
            }
            BinaryPrimitives.WriteInt16BigEndian(_span.Slice(_position, 2), (short)written);
            _position += 2 + written;
        }
    }

    private void WriteBytesCore(ReadOnlySpan<byte> value, bool compact)
    {
        if (compact)
        {
            WriteUnsignedVarInt(value.Length + 1);
        }
        else
        {
            WriteInt32(value.Length);
        }
        WriteRaw(value);
    }
}
