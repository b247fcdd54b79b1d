using System.Buffers.Binary;
using System.Text;

namespace Rhei.Formats.Avro;

/// <summary>Reads Avro's binary encoding from a span; malformed input throws <see cref="FormatException"/>.</summary>
public ref struct AvroBinaryReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public AvroBinaryReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    public readonly int Position => _pos;

    public readonly bool AtEnd => _pos >= _data.Length;

    public bool ReadBoolean()
    {
        var b = Byte();
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new FormatException($"Invalid boolean byte {b}"),
        };
    }

    public int ReadInt()
    {
        var v = ReadLong();
        if (v is < int.MinValue or > int.MaxValue)
        {
            throw new FormatException("Invalid int encoding");
        }

        return (int)v;
    }

    public long ReadLong()
    {
        ulong n = 0;
        var shift = 0;
        while (true)
        {
            var b = Byte();
            n |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
            if (shift > 63)
            {
                throw new FormatException("Invalid long encoding");
            }
        }

        return (long)(n >> 1) ^ -(long)(n & 1);
    }

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public ReadOnlySpan<byte> ReadBytes() => Take(Length());

    public string ReadString() => Encoding.UTF8.GetString(Take(Length()));

    public ReadOnlySpan<byte> ReadFixed(int size) => Take(size);

    public void SkipBytes() => Take(Length());

    private int Length()
    {
        var length = ReadLong();
        if (length < 0 || length > _data.Length - _pos)
        {
            throw new FormatException($"Invalid length {length} at offset {_pos}");
        }

        return (int)length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _pos)
        {
            throw new FormatException($"Unexpected end of data at offset {_pos}");
        }

        var span = _data.Slice(_pos, count);
        _pos += count;
        return span;
    }

    private byte Byte()
    {
        if (_pos >= _data.Length)
        {
            throw new FormatException($"Unexpected end of data at offset {_pos}");
        }

        return _data[_pos++];
    }
}
