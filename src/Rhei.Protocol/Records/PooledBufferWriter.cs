using System.Buffers;

namespace Rhei.Protocol.Records;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>.
/// Dispose returns the array; memory handed out by <see cref="WrittenMemory"/> is invalid afterwards.
/// An optional <see cref="MaxLength"/> turns growth past it into <see cref="InvalidDataException"/>
/// (used to cap decompression output).
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 256, int maxLength = int.MaxValue)
    {
        _buffer = initialCapacity > 0 ? ArrayPool<byte>.Shared.Rent(initialCapacity) : [];
        MaxLength = maxLength;
    }

    /// <summary>The most bytes this writer accepts before throwing <see cref="InvalidDataException"/>.</summary>
    public int MaxLength { get; set; }

    public int WrittenCount => _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The written bytes as a mutable span (to patch a header in place).</summary>
    public Span<byte> WrittenSpanMutable => _buffer.AsSpan(0, _written);

    public Memory<byte> WrittenMemoryMutable => _buffer.AsMemory(0, _written);

    public void Clear() => _written = 0;

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_written));
        _written += bytes.Length;
    }

    /// <summary>Copies the written bytes into a new array of exactly that length.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }

        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        var needed = (long)_written + sizeHint;
        if (needed > MaxLength)
        {
            throw new InvalidDataException($"The data is larger than the limit of {MaxLength} bytes.");
        }

        var size = Math.Max(needed, Math.Min((long)MaxLength, Math.Max(256L, (long)_buffer.Length * 2)));
        size = Math.Min(size, Array.MaxLength);
        var next = ArrayPool<byte>.Shared.Rent((int)size);
        _buffer.AsSpan(0, _written).CopyTo(next);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = next;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
