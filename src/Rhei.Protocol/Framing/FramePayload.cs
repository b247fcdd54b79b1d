using System.Buffers;

namespace Rhei.Protocol.Framing;

/// <summary>
/// A frame's bytes as one contiguous block, as the generated readers need: the frame's own memory when it
/// lies in one segment (no copy), else a copy into a buffer rented from <see cref="ArrayPool{T}.Shared"/>.
/// Dispose returns the rented buffer; <c>records</c> fields read from <see cref="Memory"/> are valid until then
/// (and, without a copy, until the input pipe is advanced past the frame).
/// </summary>
public readonly struct FramePayload : IDisposable
{
    private readonly byte[]? _rented;

    private FramePayload(ReadOnlyMemory<byte> memory, byte[]? rented)
    {
        Memory = memory;
        _rented = rented;
    }

    public ReadOnlyMemory<byte> Memory { get; }

    /// <summary>True when the bytes were copied into a pooled buffer.</summary>
    public bool IsCopy => _rented is not null;

    public static FramePayload Create(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return new FramePayload(payload.First, null);
        }
        var length = checked((int)payload.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        payload.CopyTo(rented);
        return new FramePayload(rented.AsMemory(0, length), rented);
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}
