using System.Buffers;
using System.Buffers.Binary;
using Rhei.Formats.Serde;

namespace Rhei.Formats.Windowed;

/// <summary>
/// Writes windowed keys as Kafka Streams does: for time windows (tumbling, hopping) the inner key's bytes then the
/// window start as 8 bytes big-endian; for session windows the inner key's bytes, the end, then the start (8 bytes
/// big-endian each). A key whose inner bytes are null is written with no inner bytes.
/// </summary>
public sealed class WindowedKeySerializer
{
    private readonly RowSerializer _inner;
    private readonly ArrayBufferWriter<byte> _scratch = new(64);

    public WindowedKeySerializer(RowSerializer inner, WindowType windowType)
    {
        _inner = inner;
        WindowType = windowType;
    }

    public WindowType WindowType { get; }

    public void Serialize(ReadOnlySpan<object?> key, WindowBounds window, IBufferWriter<byte> output)
    {
        _inner.Serialize(key, output);
        if (WindowType == WindowType.Session)
        {
            var span = output.GetSpan(16);
            BinaryPrimitives.WriteInt64BigEndian(span, window.End);
            BinaryPrimitives.WriteInt64BigEndian(span[8..], window.Start);
            output.Advance(16);
        }
        else
        {
            BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), window.Start);
            output.Advance(8);
        }
    }

    public byte[] Serialize(ReadOnlySpan<object?> key, WindowBounds window)
    {
        _scratch.ResetWrittenCount();
        Serialize(key, window, _scratch);
        return _scratch.WrittenSpan.ToArray();
    }
}
