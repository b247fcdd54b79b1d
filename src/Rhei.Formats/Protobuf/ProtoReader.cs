using System.Buffers.Binary;
using System.Text;

namespace Rhei.Formats.Protobuf;

/// <summary>Reads protobuf's wire format from a span; malformed input throws <see cref="FormatException"/>.</summary>
public ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    public readonly bool AtEnd => _pos >= _data.Length;

    /// <summary>Reads a tag: (field number, wire type).</summary>
    public (int Number, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var number = (int)(tag >> 3);
        if (number <= 0)
        {
            throw new FormatException($"Invalid field number {number}");
        }

        return (number, (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            if (_pos >= _data.Length)
            {
                throw new FormatException("Truncated varint");
            }

            var b = _data[_pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }

            shift += 7;
            if (shift > 63)
            {
                throw new FormatException("Malformed varint");
            }
        }
    }

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _pos))
        {
            throw new FormatException($"Length {length} exceeds the data");
        }

        return Take((int)length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadLengthDelimited());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Take(8);
                break;
            case 2:
                ReadLengthDelimited();
                break;
            case 5:
                Take(4);
                break;
            case 3:
                SkipGroup();
                break;
            default:
                throw new FormatException($"Invalid wire type {wireType}");
        }
    }

    private void SkipGroup()
    {
        while (true)
        {
            var (_, wireType) = ReadTag();
            if (wireType == 4)
            {
                return;
            }

            Skip(wireType);
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _pos)
        {
            throw new FormatException("Truncated message");
        }

        var span = _data.Slice(_pos, count);
        _pos += count;
        return span;
    }
}
