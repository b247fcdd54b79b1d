using System.Buffers.Binary;
using Rhei.Formats.Serde;

namespace Rhei.Formats.Windowed;

/// <summary>
/// Reads windowed keys written as Kafka Streams does (see <see cref="WindowedKeySerializer"/>). For time windows the
/// end is the start plus the window size (capped at <see cref="long.MaxValue"/>); session keys carry both bounds.
/// </summary>
public sealed class WindowedKeyDeserializer
{
    private readonly RowDeserializer _inner;
    private readonly long _windowSizeMs;

    /// <param name="windowSizeMs">The window size, needed for tumbling and hopping windows (WINDOWEND = start + size).</param>
    public WindowedKeyDeserializer(RowDeserializer inner, WindowType windowType, long? windowSizeMs = null)
    {
        if (windowType != WindowType.Session && windowSizeMs is null or <= 0)
        {
            throw new ArgumentException($"A {windowType.ToString().ToUpperInvariant()} windowed key needs the window size.", nameof(windowSizeMs));
        }

        _inner = inner;
        WindowType = windowType;
        _windowSizeMs = windowSizeMs ?? 0;
    }

    public WindowType WindowType { get; }

    /// <summary>
    /// Reads the key columns into <paramref name="destination"/> and returns the window. <paramref name="keyIsNull"/> is
    /// true when the inner key decodes to a null row.
    /// </summary>
    /// <exception cref="SerdeException">The bytes are too short for a windowed key, or the inner key is malformed.</exception>
    public WindowBounds Deserialize(ReadOnlySpan<byte> data, Span<object?> destination, out bool keyIsNull)
    {
        var suffix = WindowType == WindowType.Session ? 16 : 8;
        if (data.Length < suffix)
        {
            throw SerdeException.Deserialize(_inner.Options,
                $"A {WindowType.ToString().ToUpperInvariant()} windowed key needs at least {suffix} bytes; got {data.Length}.");
        }

        var keyBytes = data[..^suffix];
        WindowBounds window;
        if (WindowType == WindowType.Session)
        {
            var end = BinaryPrimitives.ReadInt64BigEndian(data[^16..]);
            var start = BinaryPrimitives.ReadInt64BigEndian(data[^8..]);
            window = new WindowBounds(start, end);
        }
        else
        {
            var start = BinaryPrimitives.ReadInt64BigEndian(data[^8..]);
            var end = start > long.MaxValue - _windowSizeMs ? long.MaxValue : start + _windowSizeMs;
            window = new WindowBounds(start, end);
        }

        keyIsNull = !_inner.Deserialize(keyBytes, destination);
        return window;
    }
}
