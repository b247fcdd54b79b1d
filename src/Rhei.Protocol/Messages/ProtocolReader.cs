using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Rhei.Protocol.Messages;

/// <summary>
/// Reads Kafka wire primitives from one contiguous buffer: big-endian integers, varints, strings, bytes,
/// arrays lengths and tagged-field sections, in both the classic and the compact (flexible) encodings.
/// </summary>
/// <remarks>
/// The reader keeps the <see cref="ReadOnlyMemory{T}"/> it was created from so that <c>records</c> fields
/// are returned as slices of it (no copy): such a slice stays valid only as long as the caller keeps the
/// underlying buffer alive. Malformed input raises <see cref="InvalidDataException"/>.
/// </remarks>
public ref struct ProtocolReader
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public ProtocolReader(ReadOnlyMemory<byte> buffer)
    {
        _memory = buffer;
        _span = buffer.Span;
        _position = 0;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left to read.</summary>
    public readonly int Remaining => _span.Length - _position;

    /// <summary>The unread part of the buffer.</summary>
    public readonly ReadOnlyMemory<byte> RemainingMemory => _memory[_position..];

    public sbyte ReadInt8()
    {
        if ((uint)_position >= (uint)_span.Length)
        {
            ThrowTruncated(1);
        }
        return (sbyte)_span[_position++];
    }

    public bool ReadBool() => ReadInt8() != 0;

    public short ReadInt16()
    {
        Ensure(2);
        var value = BinaryPrimitives.ReadInt16BigEndian(_span.Slice(_position, 2));
        _position += 2;
        return value;
    }

    public ushort ReadUInt16()
    {
        Ensure(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_span.Slice(_position, 2));
        _position += 2;
        return value;
    }

    public int ReadInt32()
    {
        Ensure(4);
        var value = BinaryPrimitives.ReadInt32BigEndian(_span.Slice(_position, 4));
        _position += 4;
        return value;
    }

    public uint ReadUInt32()
    {
        Ensure(4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_span.Slice(_position, 4));
        _position += 4;
        return value;
    }

    public long ReadInt64()
    {
        Ensure(8);
        var value = BinaryPrimitives.ReadInt64BigEndian(_span.Slice(_position, 8));
        _position += 8;
        return value;
    }

    public double ReadFloat64()
    {
        Ensure(8);
        var value = BinaryPrimitives.ReadDoubleBigEndian(_span.Slice(_position, 8));
        _position += 8;
        return value;
    }

    /// <summary>Reads a UUID as Kafka sends it: 16 bytes, most significant first.</summary>
    public Guid ReadUuid()
    {
        Ensure(16);
        var value = new Guid(_span.Slice(_position, 16), bigEndian: true);
        _position += 16;
        return value;
    }

    /// <summary>Reads an unsigned LEB128 varint of at most 5 bytes.</summary>
    public int ReadUnsignedVarInt()
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if ((uint)_position >= (uint)_span.Length)
            {
                ThrowTruncated(1);
            }
            uint b = _span[_position++];
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (int)result;
            }
        }
        throw new InvalidDataException("Malformed unsigned varint: more than 5 bytes.");
    }

    /// <summary>Reads a zig-zag encoded varint (int32).</summary>
    public int ReadVarInt()
    {
        var raw = (uint)ReadUnsignedVarInt();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    /// <summary>Reads a zig-zag encoded varlong (int64) of at most 10 bytes.</summary>
    public long ReadVarLong()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if ((uint)_position >= (uint)_span.Length)
            {
                ThrowTruncated(1);
            }
            ulong b = _span[_position++];
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)(result >> 1) ^ -(long)(result & 1);
            }
        }
        throw new InvalidDataException("Malformed varlong: more than 10 bytes.");
    }

    /// <summary>Reads a non-null string (INT16 length, or compact UNSIGNED_VARINT length + 1).</summary>
    public string ReadString(bool compact, string field)
    {
        var length = ReadStringLength(compact);
        if (length < 0)
        {
            throw new InvalidDataException($"Non-nullable field {field} was serialized as null.");
        }
        return DecodeString(length);
    }

    /// <summary>Reads a nullable string (length -1, or compact 0, means null).</summary>
    public string? ReadNullableString(bool compact)
    {
        var length = ReadStringLength(compact);
        return length < 0 ? null : DecodeString(length);
    }

    /// <summary>Reads non-null bytes (INT32 length, or compact UNSIGNED_VARINT length + 1) into a new array.</summary>
    public byte[] ReadBytes(bool compact, string field)
    {
        var length = ReadBytesLength(compact);
        if (length < 0)
        {
            throw new InvalidDataException($"Non-nullable field {field} was serialized as null.");
        }
        return CopyBytes(length);
    }

    /// <summary>Reads nullable bytes into a new array.</summary>
    public byte[]? ReadNullableBytes(bool compact)
    {
        var length = ReadBytesLength(compact);
        return length < 0 ? null : CopyBytes(length);
    }

    /// <summary>
    /// Reads a <c>records</c> field without copying: the result is a slice of the buffer this reader was
    /// created over, or null.
    /// </summary>
    public ReadOnlyMemory<byte>? ReadRecords(bool compact)
    {
        var length = ReadBytesLength(compact);
        if (length < 0)
        {
            return null;
        }
        Ensure(length);
        var slice = _memory.Slice(_position, length);
        _position += length;
        return slice;
    }

    /// <summary>
    /// Reads an array length (INT32, or compact UNSIGNED_VARINT count + 1); -1 means a null array.
    /// Rejects counts that cannot fit in the remaining bytes, so a hostile length cannot make the caller
    /// allocate a huge list.
    /// </summary>
    public int ReadArrayLength(bool compact)
    {
        var length = compact ? ReadUnsignedVarInt() - 1 : ReadInt32();
        if (length < -1)
        {
            throw new InvalidDataException($"Invalid array length {length}.");
        }
        if (length > Remaining)
        {
            throw new InvalidDataException(
                $"Array length {length} exceeds the {Remaining} bytes left in the message.");
        }
        return length;
    }

    /// <summary>Reads a non-null array length, throwing for a null array.</summary>
    public int ReadNonNullArrayLength(bool compact, string field)
    {
        var length = ReadArrayLength(compact);
        if (length < 0)
        {
            throw new InvalidDataException($"Non-nullable field {field} was serialized as null.");
        }
        return length;
    }

    /// <summary>Returns a reader over the next <paramref name="size"/> bytes and skips them here.</summary>
    public ProtocolReader ReadSlice(int size)
    {
        if (size < 0)
        {
            throw new InvalidDataException($"Invalid tagged field size {size}.");
        }
        Ensure(size);
        var slice = new ProtocolReader(_memory.Slice(_position, size));
        _position += size;
        return slice;
    }

    /// <summary>Reads the payload of a tagged field this code does not know, keeping its bytes.</summary>
    public RawTaggedField ReadUnknownTaggedField(int tag, int size)
    {
        if (size < 0)
        {
            throw new InvalidDataException($"Invalid tagged field size {size}.");
        }
        return new RawTaggedField(tag, CopyBytes(size));
    }

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    public void Skip(int count)
    {
        if (count < 0)
        {
            throw new InvalidDataException($"Invalid skip length {count}.");
        }
        Ensure(count);
        _position += count;
    }

    /// <summary>Throws unless the whole buffer has been read (used for tagged-field payloads).</summary>
    public readonly void EnsureFullyRead(string field)
    {
        if (_position != _span.Length)
        {
            throw new InvalidDataException(
                $"Tagged field {field} declared {_span.Length} bytes but its value used {_position}.");
        }
    }

    private int ReadStringLength(bool compact)
    {
        var length = compact ? ReadUnsignedVarInt() - 1 : ReadInt16();
        if (length < -1)
        {
            throw new InvalidDataException($"Invalid string length {length}.");
        }
        return length;
    }

    private int ReadBytesLength(bool compact)
    {
        var length = compact ? ReadUnsignedVarInt() - 1 : ReadInt32();
        if (length < -1)
        {
            throw new InvalidDataException($"Invalid bytes length {length}.");
        }
        return length;
    }

    private string DecodeString(int length)
    {
        Ensure(length);
        var value = length == 0 ? string.Empty : Encoding.UTF8.GetString(_span.Slice(_position, length));
        _position += length;
        return value;
    }

    private byte[] CopyBytes(int length)
    {
        Ensure(length);
        var value = length == 0 ? Array.Empty<byte>() : _span.Slice(_position, length).ToArray();
        _position += length;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Ensure(int count)
    {
        if (_span.Length - _position < count)
        {
            ThrowTruncated(count);
        }
    }

    private readonly void ThrowTruncated(int needed) =>
        throw new InvalidDataException(
            $"Message truncated: needed {needed} more bytes at offset {_position} of {_span.Length}.");
}
