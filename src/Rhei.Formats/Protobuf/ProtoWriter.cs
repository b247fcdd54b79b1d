using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Rhei.Formats.Protobuf;

/// <summary>
/// Writes protobuf's wire format. Nested messages are written into a scratch buffer of their depth and copied into
/// the parent with their length (<see cref="BeginMessage"/> / <see cref="EndMessage"/>); scratch buffers are reused.
/// </summary>
public sealed class ProtoWriter
{
    private readonly List<ArrayBufferWriter<byte>> _scratch = [];
    private readonly Stack<(IBufferWriter<byte> Parent, int Depth)> _stack = new();
    private IBufferWriter<byte> _current = null!;
    private int _depth;

    public void Reset(IBufferWriter<byte> output)
    {
        _current = output;
        _depth = 0;
        _stack.Clear();
    }

    public void WriteTag(int number, int wireType) => WriteVarint((ulong)(((uint)number << 3) | (uint)wireType));

    public void WriteVarint(ulong value)
    {
        var span = _current.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _current.Advance(i);
    }

    /// <summary>int32 and enums: negative values as 10-byte varints, as protobuf does.</summary>
    public void WriteInt32(int value) => WriteVarint((ulong)(long)value);

    public void WriteSInt32(int value) => WriteVarint((uint)((value << 1) ^ (value >> 31)));

    public void WriteSInt64(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    public void WriteFixed32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_current.GetSpan(4), value);
        _current.Advance(4);
    }

    public void WriteFixed64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_current.GetSpan(8), value);
        _current.Advance(8);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarint((ulong)value.Length);
        if (!value.IsEmpty)
        {
            value.CopyTo(_current.GetSpan(value.Length));
            _current.Advance(value.Length);
        }
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)length);
        if (length > 0)
        {
            Encoding.UTF8.GetBytes(value, _current.GetSpan(length));
            _current.Advance(length);
        }
    }

    /// <summary>Starts a length-delimited nested message (after its tag).</summary>
    public void BeginMessage()
    {
        if (_depth >= 100)
        {
            throw new InvalidOperationException("Protobuf messages are nested too deeply");
        }

        if (_scratch.Count <= _depth)
        {
            _scratch.Add(new ArrayBufferWriter<byte>(64));
        }

        var buffer = _scratch[_depth];
        buffer.ResetWrittenCount();
        _stack.Push((_current, _depth));
        _current = buffer;
        _depth++;
    }

    public void EndMessage()
    {
        var (parent, depth) = _stack.Pop();
        var body = _scratch[depth];
        _current = parent;
        _depth = depth;
        WriteBytes(body.WrittenSpan);
    }
}
