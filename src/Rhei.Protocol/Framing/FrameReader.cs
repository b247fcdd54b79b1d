using System.Buffers;

namespace Rhei.Protocol.Framing;

/// <summary>
/// Splits a byte stream into Kafka frames: a 4-byte big-endian size, then that many bytes (request header
/// and body). Works on any segmentation of the input, as a <c>PipeReader</c> delivers it.
/// </summary>
public static class FrameReader
{
    /// <summary>Length of the size prefix.</summary>
    public const int SizePrefixLength = 4;

    /// <summary>Kafka's default <c>socket.request.max.bytes</c> (100 MiB).</summary>
    public const int DefaultMaxFrameBytes = 104_857_600;

    /// <summary>
    /// Tries to take one frame from the start of <paramref name="buffer"/>.
    /// </summary>
    /// <param name="buffer">Bytes received and not yet consumed.</param>
    /// <param name="maxFrameBytes">The largest allowed frame (<c>socket.request.max.bytes</c>), checked on the
    /// size prefix alone, before any of the frame is buffered.</param>
    /// <param name="payload">The frame without its size prefix, a slice of <paramref name="buffer"/>.</param>
    /// <param name="consumed">Where the caller may release input up to: the end of the frame, or the start
    /// of <paramref name="buffer"/> when no complete frame is there.</param>
    /// <param name="examined">How far the input was looked at: the end of the frame, or the end of
    /// <paramref name="buffer"/> when more bytes are needed (so a pipe waits for new data).</param>
    /// <returns>True when a whole frame was found.</returns>
    /// <exception cref="InvalidDataException">The size prefix is negative or larger than <paramref name="maxFrameBytes"/>;
    /// the connection cannot be resynchronized and should be closed.</exception>
    public static bool TryReadFrame(
        in ReadOnlySequence<byte> buffer,
        int maxFrameBytes,
        out ReadOnlySequence<byte> payload,
        out SequencePosition consumed,
        out SequencePosition examined)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadBigEndian(out int size))
        {
            return NeedMore(buffer, out payload, out consumed, out examined);
        }
        if (size < 0)
        {
            throw new InvalidDataException(
                $"Invalid frame size {size}: a Kafka frame starts with a non-negative 4-byte big-endian length.");
        }
        if (size > maxFrameBytes)
        {
            throw new InvalidDataException(
                $"Frame of {size} bytes is larger than socket.request.max.bytes ({maxFrameBytes}); raise that setting if such requests are expected.");
        }
        if (reader.Remaining < size)
        {
            return NeedMore(buffer, out payload, out consumed, out examined);
        }
        payload = buffer.Slice(reader.Position, size);
        consumed = payload.End;
        examined = payload.End;
        return true;
    }

    private static bool NeedMore(
        in ReadOnlySequence<byte> buffer,
        out ReadOnlySequence<byte> payload,
        out SequencePosition consumed,
        out SequencePosition examined)
    {
        payload = default;
        consumed = buffer.Start;
        examined = buffer.End;
        return false;
    }
}
