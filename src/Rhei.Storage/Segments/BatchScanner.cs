using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Rhei.Protocol.Records;

namespace Rhei.Storage.Segments;

/// <summary>
/// Walks the batches of a segment file from a position, reading in large chunks through a pooled buffer.
/// Each step yields a whole batch (<see cref="Current"/>), the end, or the first damage found (a cut-short
/// or garbage header, a bad magic, a CRC mismatch when <c>verifyCrc</c>, an offset going backwards).
/// </summary>
internal sealed class BatchScanner : IDisposable
{
    private const int ChunkSize = 1024 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly long _end;
    private readonly bool _verifyCrc;
    private byte[] _buffer;
    private long _bufferStart;
    private int _bufferLength;
    private long _next;
    private long _expectedMinOffset;
    private readonly bool _dense;

    public BatchScanner(SafeFileHandle handle, long start, long end, bool verifyCrc, long minBaseOffset, bool dense = false)
    {
        _dense = dense;
        _handle = handle;
        _next = start;
        _end = end;
        _verifyCrc = verifyCrc;
        _expectedMinOffset = minBaseOffset;
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(end - start, 4096, ChunkSize));
        _bufferStart = start;
    }

    /// <summary>File position of <see cref="Current"/> (after <see cref="ScanStep.Batch"/>) or of the damage.</summary>
    public long Position { get; private set; }

    /// <summary>The bytes of the current batch; valid until the next step.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>What is wrong at <see cref="Position"/> after <see cref="ScanStep.Damaged"/>.</summary>
    public string? Problem { get; private set; }

    public ScanStep Next()
    {
        Position = _next;
        var remaining = _end - _next;
        if (remaining == 0)
        {
            return ScanStep.End;
        }

        if (remaining < RecordBatchHeader.Size)
        {
            return Damaged($"{remaining} bytes at the end are less than a batch header");
        }

        var header = Ensure(_next, RecordBatchHeader.Size);
        var length = BinaryPrimitives.ReadInt32BigEndian(header[RecordBatchHeader.BatchLengthOffset..]);
        if (length < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead)
        {
            return Damaged($"batch length {length} is smaller than a header");
        }

        var size = (long)length + RecordBatchHeader.LogOverhead;
        if (size > remaining)
        {
            return Damaged($"batch of {size} bytes is cut short at {remaining} bytes");
        }

        if (header[RecordBatchHeader.MagicOffset] != RecordBatchHeader.CurrentMagic)
        {
            return Damaged($"magic byte {header[RecordBatchHeader.MagicOffset]} is not 2");
        }

        var baseOffset = BinaryPrimitives.ReadInt64BigEndian(header);
        var lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(header[RecordBatchHeader.LastOffsetDeltaOffset..]);
        if (baseOffset < _expectedMinOffset || lastOffsetDelta < 0 || (_dense && baseOffset != _expectedMinOffset))
        {
            return Damaged($"batch offsets {baseOffset}+{lastOffsetDelta} go backwards (expected {(_dense ? "exactly" : "at least")} {_expectedMinOffset})");
        }

        var batch = EnsureMemory(_next, (int)size);
        if (_verifyCrc && RecordBatchHeader.Validate(batch.Span, out _) != RecordBatchError.None)
        {
            return Damaged("CRC mismatch");
        }

        Current = batch;
        _expectedMinOffset = baseOffset + lastOffsetDelta + 1;
        _next += size;
        return ScanStep.Batch;
    }

    private ScanStep Damaged(string problem)
    {
        Problem = problem;
        Current = default;
        return ScanStep.Damaged;
    }

    private ReadOnlySpan<byte> Ensure(long position, int count) => EnsureMemory(position, count).Span;

    private ReadOnlyMemory<byte> EnsureMemory(long position, int count)
    {
        if (position >= _bufferStart && position + count <= _bufferStart + _bufferLength)
        {
            return _buffer.AsMemory((int)(position - _bufferStart), count);
        }

        if (count > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(count);
        }

        var toRead = (int)Math.Min(_buffer.Length, _end - position);
        var read = 0;
        while (read < toRead)
        {
            var n = RandomAccess.Read(_handle, _buffer.AsSpan(read, toRead - read), position + read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        _bufferStart = position;
        _bufferLength = read;
        if (read < count)
        {
            throw new IOException($"The segment file ended at {position + read} while reading {count} bytes at {position}.");
        }

        return _buffer.AsMemory(0, count);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

internal enum ScanStep
{
    Batch,
    End,
    Damaged,
}
