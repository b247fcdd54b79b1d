using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Rhei.Broker.Network;

/// <summary>
/// The bytes a connection is about to send: response frames written into pooled 64 KiB chunks, with record
/// bytes owned by someone else (a storage read) spliced in as their own segments, so a Fetch response carries
/// its batches to the socket without another copy. The segments go out with one gather send; then
/// <see cref="Reset"/> returns the chunks and releases the spliced owners.
/// </summary>
internal sealed class ResponseBuffer : IBufferWriter<byte>, IDisposable
{
    public const int ChunkSize = 64 * 1024;

    private readonly List<ArraySegment<byte>> _segments = [];
    private readonly List<byte[]> _rented = [];
    private readonly List<IDisposable> _owners = [];
    private byte[]? _current;
    private int _sealed;
    private int _position;
    private byte[]? _frameChunk;
    private int _frameOffset;
    private long _frameStartLength;

    /// <summary>Bytes written and spliced since the last <see cref="Reset"/>.</summary>
    public long Length { get; private set; }

    /// <summary>True between <see cref="BeginFrame"/> and <see cref="EndFrame"/>.</summary>
    public bool InFrame => _frameChunk is not null;

    public void Advance(int count)
    {
        if (_current is null || count < 0 || _position + count > _current.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _position += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsMemory(_position);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsSpan(_position);
    }

    /// <summary>Reserves a frame's 4-byte size prefix; <see cref="EndFrame"/> fills it in.</summary>
    public void BeginFrame()
    {
        if (_frameChunk is not null)
        {
            throw new InvalidOperationException("A response frame is already open.");
        }

        Ensure(4);
        _frameChunk = _current;
        _frameOffset = _position;
        Advance(4);
        _frameStartLength = Length;
    }

    /// <summary>Writes the size prefix of the frame opened by <see cref="BeginFrame"/>.</summary>
    public void EndFrame()
    {
        if (_frameChunk is null)
        {
            throw new InvalidOperationException("No response frame is open.");
        }

        BinaryPrimitives.WriteInt32BigEndian(_frameChunk.AsSpan(_frameOffset, 4), checked((int)(Length - _frameStartLength)));
        _frameChunk = null;
    }

    /// <summary>
    /// Appends bytes owned by <paramref name="owner"/> without copying them; the owner is disposed at
    /// <see cref="Reset"/>, after the bytes are sent.
    /// </summary>
    public void Splice(ReadOnlyMemory<byte> bytes, IDisposable? owner)
    {
        if (owner is not null)
        {
            _owners.Add(owner);
        }

        if (bytes.IsEmpty)
        {
            return;
        }

        if (bytes.Length < 1024 || !MemoryMarshal.TryGetArray(bytes, out var segment))
        {
            // Small pieces are cheaper to copy than to send as their own iovec.
            bytes.Span.CopyTo(GetSpan(bytes.Length));
            Advance(bytes.Length);
            return;
        }

        SealCurrent();
        _segments.Add(segment);
        Length += segment.Count;
    }

    /// <summary>The segments to send, in order (seals the chunk being written).</summary>
    public IList<ArraySegment<byte>> Segments
    {
        get
        {
            SealCurrent();
            return _segments;
        }
    }

    /// <summary>Forgets the written bytes: returns chunks to the pool (keeping one for reuse) and disposes spliced owners.</summary>
    public void Reset()
    {
        foreach (var owner in _owners)
        {
            owner.Dispose();
        }

        _owners.Clear();
        _segments.Clear();
        foreach (var chunk in _rented)
        {
            if (!ReferenceEquals(chunk, _current))
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        _rented.Clear();
        if (_current is not null)
        {
            if (_current.Length == ChunkSize)
            {
                _rented.Add(_current);
            }
            else
            {
                ArrayPool<byte>.Shared.Return(_current);
                _current = null;
            }
        }

        _sealed = 0;
        _position = 0;
        _frameChunk = null;
        Length = 0;
    }

    public void Dispose()
    {
        Reset();
        if (_current is not null)
        {
            ArrayPool<byte>.Shared.Return(_current);
            _current = null;
            _rented.Clear();
        }
    }

    private void SealCurrent()
    {
        if (_current is not null && _position > _sealed)
        {
            _segments.Add(new ArraySegment<byte>(_current, _sealed, _position - _sealed));
            _sealed = _position;
        }
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_current is not null && _current.Length - _position >= sizeHint)
        {
            return;
        }

        SealCurrent();
        var chunk = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, ChunkSize));
        _rented.Add(chunk);
        _current = chunk;
        _sealed = 0;
        _position = 0;
    }
}
