using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Rhei.Protocol.Records;

namespace Rhei.Storage.Segments;

/// <summary>
/// One segment of a partition: a <c>.log</c> file of record batches stored as received, with its sparse
/// offset and time indexes (in memory, written to <c>.index</c>/<c>.timeindex</c> at roll and close).
/// Appends are serialized by the partition; reads run concurrently and take a reference
/// (<see cref="TryAcquire"/>) so a segment deleted by retention or replaced by the cleaner stays readable
/// until its last reader is done.
/// </summary>
internal sealed class LogSegment
{
    private readonly SafeFileHandle _handle;
    private long _size;
    private long _nextOffset;
    private long _maxTimestamp = -1;
    private long _offsetOfMaxTimestamp = -1;
    private int _bytesSinceIndexEntry;
    private int _references = 1;

    private LogSegment(string directory, long baseOffset, int indexInterval, SafeFileHandle handle)
    {
        Directory = directory;
        BaseOffset = baseOffset;
        IndexInterval = indexInterval;
        _handle = handle;
        _nextOffset = baseOffset;
        Index = new OffsetIndex();
        TimeIndex = new TimeIndex();
    }

    public string Directory { get; }

    public long BaseOffset { get; }

    public int IndexInterval { get; }

    public OffsetIndex Index { get; private set; }

    public TimeIndex TimeIndex { get; private set; }

    /// <summary>Bytes of whole batches in the file (the append position).</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>The offset after the last batch (the base offset when empty).</summary>
    public long NextOffset => Volatile.Read(ref _nextOffset);

    /// <summary>The largest batch maxTimestamp in the segment, -1 when none.</summary>
    public long MaxTimestamp => Volatile.Read(ref _maxTimestamp);

    /// <summary>The base offset of the batch holding <see cref="MaxTimestamp"/>.</summary>
    public long OffsetOfMaxTimestamp => Volatile.Read(ref _offsetOfMaxTimestamp);

    /// <summary>Broker time (ms) the segment was started, for <c>segment.ms</c> rolls.</summary>
    public long CreatedAtMs { get; set; }

    public string LogPath => SegmentFiles.LogPath(Directory, BaseOffset);

    public string IndexPath => SegmentFiles.IndexPath(Directory, BaseOffset);

    public string TimeIndexPath => SegmentFiles.TimeIndexPath(Directory, BaseOffset);

    public static LogSegment Create(string directory, long baseOffset, int indexInterval, long nowMs)
    {
        var handle = File.OpenHandle(SegmentFiles.LogPath(directory, baseOffset), FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        File.Delete(SegmentFiles.IndexPath(directory, baseOffset));
        File.Delete(SegmentFiles.TimeIndexPath(directory, baseOffset));
        return new LogSegment(directory, baseOffset, indexInterval, handle) { CreatedAtMs = nowMs };
    }

    /// <summary>
    /// Opens an existing segment. Without <paramref name="recover"/>, the index files are loaded and checked
    /// (size, order, bounds) and only the batches after the last index entry are scanned; any doubt turns
    /// into a full recovery: every batch is read and CRC-checked, the file is truncated at the first damage,
    /// and the indexes are rebuilt. Returns the bytes truncated.
    /// </summary>
    /// <remarks>
    /// <paramref name="dense"/> (the last segment of a partition, never compacted) makes recovery require each
    /// batch to start right after the previous one, so a damaged base offset (outside the CRC) is caught too.
    /// </remarks>
    public static LogSegment Open(string directory, long baseOffset, int indexInterval, bool recover, long nowMs, ILogger logger, out long truncatedBytes, bool dense = false)
    {
        truncatedBytes = 0;
        var handle = File.OpenHandle(SegmentFiles.LogPath(directory, baseOffset), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var segment = new LogSegment(directory, baseOffset, indexInterval, handle);
        var fileSize = RandomAccess.GetLength(handle);
        if (!recover && !segment.TryLoadIndexes(fileSize, logger, dense))
        {
            recover = true;
        }

        if (recover)
        {
            truncatedBytes = segment.Recover(fileSize, logger, dense);
        }

        segment.CreatedAtMs = nowMs;
        if (segment.Size > 0)
        {
            Span<byte> header = stackalloc byte[RecordBatchHeader.Size];
            if (RandomAccess.Read(handle, header, 0) == header.Length)
            {
                var firstTimestamp = BinaryPrimitives.ReadInt64BigEndian(header[RecordBatchHeader.MaxTimestampOffset..]);
                if (firstTimestamp >= 0 && firstTimestamp < nowMs)
                {
                    segment.CreatedAtMs = firstTimestamp;
                }
            }
        }

        return segment;
    }

    private bool TryLoadIndexes(long fileSize, ILogger logger, bool dense)
    {
        var index = OffsetIndex.TryLoad(IndexPath, fileSize, out var problem);
        if (index is null)
        {
            if (problem != "missing" || fileSize > 0)
            {
                logger.RebuildingIndex(LogPath, problem);
            }

            return false;
        }

        // Scan from the last indexed batch to the end: it must start exactly where the index says.
        var (lastRelative, lastPosition) = index.Last;
        var start = lastPosition < 0 ? 0 : lastPosition;
        var expected = lastRelative < 0 ? BaseOffset : BaseOffset + lastRelative;
        long next = expected;
        using (var scanner = new BatchScanner(_handle, start, fileSize, verifyCrc: true, minBaseOffset: expected, dense))
        {
            var first = true;
            ScanStep step;
            while ((step = scanner.Next()) == ScanStep.Batch)
            {
                var header = new RecordBatchHeader(scanner.Current.Span);
                if (first && lastRelative >= 0 && header.BaseOffset != expected)
                {
                    logger.RebuildingIndex(LogPath, $"the last index entry points at offset {header.BaseOffset}, not {expected}");
                    return false;
                }

                first = false;
                next = header.NextOffset;
                if (header.MaxTimestamp > _maxTimestamp)
                {
                    _maxTimestamp = header.MaxTimestamp;
                    _offsetOfMaxTimestamp = header.BaseOffset;
                }
            }

            if (step == ScanStep.Damaged)
            {
                logger.RecoveringSegment(LogPath, scanner.Problem, scanner.Position);
                return false;
            }
        }

        var timeIndex = TimeIndex.TryLoad(TimeIndexPath, next - BaseOffset, out problem);
        if (timeIndex is null)
        {
            logger.RebuildingIndex(LogPath, "time index " + problem);
            return false;
        }

        Index = index;
        TimeIndex = timeIndex;
        if (timeIndex.LastTimestamp > _maxTimestamp)
        {
            // The batch holding the segment's max timestamp is found again when asked (OffsetOfMaxTimestamp is a hint).
            _maxTimestamp = timeIndex.LastTimestamp;
            _offsetOfMaxTimestamp = -1;
        }

        _size = fileSize;
        _nextOffset = next;
        _bytesSinceIndexEntry = (int)Math.Min(int.MaxValue, fileSize - start);
        return true;
    }

    private long Recover(long fileSize, ILogger logger, bool dense)
    {
        Index = new OffsetIndex();
        TimeIndex = new TimeIndex();
        _maxTimestamp = -1;
        _offsetOfMaxTimestamp = -1;
        _bytesSinceIndexEntry = 0;
        _nextOffset = BaseOffset;
        long valid = 0;
        using (var scanner = new BatchScanner(_handle, 0, fileSize, verifyCrc: true, minBaseOffset: BaseOffset, dense))
        {
            ScanStep step;
            while ((step = scanner.Next()) == ScanStep.Batch)
            {
                IndexBatch(scanner.Current.Span, scanner.Position);
                valid = scanner.Position + scanner.Current.Length;
            }

            if (step == ScanStep.Damaged)
            {
                logger.TruncatingSegment(LogPath, scanner.Position, fileSize - scanner.Position, scanner.Problem);
            }
        }

        if (valid < fileSize)
        {
            RandomAccess.SetLength(_handle, valid);
        }

        _size = valid;
        WriteIndexes();
        return fileSize - valid;
    }

    /// <summary>Updates the indexes and counters for one batch at <paramref name="position"/>.</summary>
    private void IndexBatch(ReadOnlySpan<byte> batch, long position)
    {
        var header = new RecordBatchHeader(batch);
        if (header.MaxTimestamp > _maxTimestamp)
        {
            Volatile.Write(ref _maxTimestamp, header.MaxTimestamp);
            Volatile.Write(ref _offsetOfMaxTimestamp, header.BaseOffset);
        }

        if (_bytesSinceIndexEntry > IndexInterval)
        {
            Index.Append((int)(header.BaseOffset - BaseOffset), (int)position);
            TimeIndex.MaybeAppend(_maxTimestamp, (int)(_offsetOfMaxTimestamp - BaseOffset));
            _bytesSinceIndexEntry = 0;
        }

        _bytesSinceIndexEntry += header.TotalSize;
        Volatile.Write(ref _nextOffset, header.NextOffset);
    }

    /// <summary>
    /// Appends whole, validated batches (offsets already assigned) with one positional write, then indexes
    /// them. Readers see them once <see cref="Size"/> moves.
    /// </summary>
    public void Append(ReadOnlySpan<byte> batches)
    {
        var position = _size;
        RandomAccess.Write(_handle, batches, position);
        var p = 0;
        while (p < batches.Length)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(batches[(p + RecordBatchHeader.BatchLengthOffset)..]) + RecordBatchHeader.LogOverhead;
            IndexBatch(batches.Slice(p, size), position + p);
            p += size;
        }

        Volatile.Write(ref _size, position + batches.Length);
    }

    public void Flush() => RandomAccess.FlushToDisk(_handle);

    /// <summary>Writes the index files (with a final time-index entry for the segment's max timestamp).</summary>
    public void WriteIndexes()
    {
        if (_maxTimestamp >= 0 && _offsetOfMaxTimestamp >= BaseOffset)
        {
            TimeIndex.MaybeAppend(_maxTimestamp, (int)(_offsetOfMaxTimestamp - BaseOffset));
        }

        Index.Write(IndexPath);
        TimeIndex.Write(TimeIndexPath);
    }

    public int ReadAt(Span<byte> destination, long position)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var n = RandomAccess.Read(_handle, destination[total..], position + total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    public BatchScanner Scan(long fromPosition, bool verifyCrc) => new(_handle, fromPosition, Size, verifyCrc, BaseOffset);

    /// <summary>The file position of the batch containing <paramref name="offset"/> or the first after it; -1 when none.</summary>
    public long FindPosition(long offset)
    {
        var (_, start) = Index.Lookup(offset - BaseOffset);
        using var scanner = Scan(start, verifyCrc: false);
        while (scanner.Next() == ScanStep.Batch)
        {
            var header = new RecordBatchHeader(scanner.Current.Span);
            if (header.LastOffset >= offset)
            {
                return scanner.Position;
            }
        }

        return -1;
    }

    /// <summary>
    /// Reads whole batches starting with the one that contains <paramref name="offset"/> (or the first after
    /// it), up to <paramref name="maxBytes"/> — at least one batch when <paramref name="minOneBatch"/> — and
    /// only batches starting below <paramref name="limitOffset"/>. Null when this segment has no such batch.
    /// </summary>
    public SegmentRead? Read(long offset, int maxBytes, bool minOneBatch, long limitOffset)
    {
        var size = Size;
        var (_, indexed) = Index.Lookup(offset - BaseOffset);
        long position = indexed;
        var chunk = (int)Math.Min(size - position, Math.Max(maxBytes, 0) + 2L * Math.Max(IndexInterval, 4096) + RecordBatchHeader.Size);
        if (chunk <= 0)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(chunk);
        var length = ReadAt(buffer.AsSpan(0, chunk), position);
        try
        {
            // Find the first batch whose last offset reaches the target.
            var p = 0;
            while (true)
            {
                if (position + p >= size)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }

                if (p + RecordBatchHeader.Size > length)
                {
                    // Walked past the buffer: read on from here.
                    position += p;
                    p = 0;
                    chunk = (int)Math.Min(size - position, Math.Max(maxBytes, 0) + 2L * Math.Max(IndexInterval, 4096) + RecordBatchHeader.Size);
                    if (chunk > buffer.Length)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(chunk);
                    }

                    length = ReadAt(buffer.AsSpan(0, chunk), position);
                    if (length < RecordBatchHeader.Size)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    continue;
                }

                var span = buffer.AsSpan(p, length - p);
                var baseOffset = BinaryPrimitives.ReadInt64BigEndian(span);
                var batchSize = BinaryPrimitives.ReadInt32BigEndian(span[RecordBatchHeader.BatchLengthOffset..]) + RecordBatchHeader.LogOverhead;
                var lastOffset = baseOffset + BinaryPrimitives.ReadInt32BigEndian(span[RecordBatchHeader.LastOffsetDeltaOffset..]);
                if (batchSize < RecordBatchHeader.Size)
                {
                    throw new InvalidDataException($"Segment {LogPath} has a batch of {batchSize} bytes at position {position + p}.");
                }

                if (baseOffset >= limitOffset)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }

                if (lastOffset >= offset)
                {
                    break;
                }

                p += batchSize;
            }

            // Take whole batches from p.
            var firstSize = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(p + RecordBatchHeader.BatchLengthOffset)) + RecordBatchHeader.LogOverhead;
            if (firstSize > maxBytes && !minOneBatch)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return new SegmentRead([], 0, 0);
            }

            if (p + firstSize > length)
            {
                // The first batch does not fit the buffer: read from it, enough for it and up to maxBytes.
                position += p;
                p = 0;
                var want = (int)Math.Min(size - position, Math.Max(firstSize, maxBytes));
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = ArrayPool<byte>.Shared.Rent(want);
                length = ReadAt(buffer.AsSpan(0, want), position);
            }

            var total = 0;
            var q = p;
            while (q + RecordBatchHeader.LogOverhead <= length)
            {
                var bs = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(q + RecordBatchHeader.BatchLengthOffset)) + RecordBatchHeader.LogOverhead;
                var bo = BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(q));
                if (bo >= limitOffset || q + bs > length || (total > 0 && total + bs > maxBytes))
                {
                    break;
                }

                total += bs;
                q += bs;
            }

            return new SegmentRead(buffer, p, total);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// A copy of the first batch (from <paramref name="minOffset"/> on) whose max timestamp reaches
    /// <paramref name="timestamp"/>; null when none.
    /// </summary>
    public byte[]? FindBatchByTimestamp(long timestamp, long minOffset)
    {
        if (MaxTimestamp < timestamp)
        {
            return null;
        }

        var fromOffset = Math.Max(BaseOffset + TimeIndex.LookupBelow(timestamp), minOffset);
        var (_, start) = Index.Lookup(fromOffset - BaseOffset);
        using var scanner = Scan(start, verifyCrc: false);
        while (scanner.Next() == ScanStep.Batch)
        {
            var header = new RecordBatchHeader(scanner.Current.Span);
            if (header.LastOffset >= minOffset && header.MaxTimestamp >= timestamp)
            {
                return scanner.Current.ToArray();
            }
        }

        return null;
    }

    /// <summary>A copy of the batch with the segment's largest timestamp (the first one when tied); null when empty.</summary>
    public byte[]? FindBatchWithMaxTimestamp(long minOffset) => MaxTimestamp < 0 ? null : FindBatchByTimestamp(MaxTimestamp, minOffset);

    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _handle.Dispose();
        }
    }

    /// <summary>Drops the owner's reference; the handle closes (and the files go, when asked) after the last reader.</summary>
    public void Retire(bool deleteFiles)
    {
        if (deleteFiles)
        {
            // Open handles keep the data readable for readers still on it (POSIX unlink semantics).
            DeleteFiles();
        }

        Release();
    }

    private void DeleteFiles()
    {
        foreach (var path in new[] { LogPath, IndexPath, TimeIndexPath })
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Deleted again at the next start if it survives.
            }
        }
    }
}

/// <summary>Batches read from a segment: <c>Buffer[Start..Start+Length]</c>, the buffer rented from the shared pool.</summary>
internal readonly record struct SegmentRead(byte[] Buffer, int Start, int Length);
