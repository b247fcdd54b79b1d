using Microsoft.Extensions.Logging;
using Rhei.Protocol.Records;
using Rhei.Storage.Segments;
using Rhei.Storage.Topics;

namespace Rhei.Storage.Partitions;

/// <summary>
/// The log of one topic partition: an ordered list of segments, the last one active. Appends are
/// serialized (one lock per partition, so partitions append in parallel) and cost one positional write of
/// the batches as received, after a header + CRC check; reads are lock-free and return whole stored batches.
/// Offsets: <see cref="LogStartOffset"/> ≤ readable offsets &lt; <see cref="HighWatermark"/>; the high
/// watermark is the log end offset once an append is written (and fsynced when the flush policy says so).
/// </summary>
public sealed class PartitionLog
{
    private readonly object _lock = new();
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ProducerStateManager _producers = new();
    private LogSegment[] _segments = [];
    private long _nextOffset;
    private long _highWatermark;
    private long _logStartOffset;
    private long _cleanerCheckpoint;
    private long _unflushedMessages;
    private long _lastFlushMs;
    private bool _closed;
    private TaskCompletionSource? _appendSignal;
    private int _cleaning;
    private Task _rolledFlush = Task.CompletedTask;
    private long _flushes;
    private long _appendedBytes;
    private long _appendedRecords;
    private long _readBytes;

    private PartitionLog(string topic, int partition, string directory, TopicConfig config, StorageOptions options, TimeProvider time, ILogger logger)
    {
        Topic = topic;
        Partition = partition;
        Directory = directory;
        Config = config;
        _options = options;
        _time = time;
        _logger = logger;
        _lastFlushMs = NowMs;
    }

    public string Topic { get; }

    public int Partition { get; }

    /// <summary>The partition folder (<c>&lt;log.dir&gt;/&lt;topic&gt;-&lt;partition&gt;</c>).</summary>
    public string Directory { get; }

    /// <summary>The topic's effective config (replaced when the topic's configs change).</summary>
    public TopicConfig Config { get; internal set; }

    /// <summary>The leader epoch stamped on appended batches (a single node is always the leader, epoch 0).</summary>
    public int LeaderEpoch => 0;

    /// <summary>The first offset that can be read.</summary>
    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    /// <summary>The offset the next appended record gets.</summary>
    public long LogEndOffset => Volatile.Read(ref _nextOffset);

    /// <summary>The offset after the last acknowledged record: reads see everything below it.</summary>
    public long HighWatermark => Volatile.Read(ref _highWatermark);

    /// <summary>The last stable offset (the transactions seam): the high watermark until transactions exist.</summary>
    public long LastStableOffset => HighWatermark;

    /// <summary>Bytes of all segments.</summary>
    public long Size
    {
        get
        {
            long size = 0;
            foreach (var s in Volatile.Read(ref _segments))
            {
                size += s.Size;
            }

            return size;
        }
    }

    public int SegmentCount => Volatile.Read(ref _segments).Length;

    /// <summary>Bytes of record batches appended since the partition was opened (metrics; duplicates not counted).</summary>
    public long AppendedBytes => Volatile.Read(ref _appendedBytes);

    /// <summary>Records appended since the partition was opened (metrics).</summary>
    public long AppendedRecords => Volatile.Read(ref _appendedRecords);

    /// <summary>Bytes of record batches returned by reads since the partition was opened (metrics: Fetch and in-process consumers).</summary>
    public long ReadBytes => Volatile.Read(ref _readBytes);

    /// <summary>Base offsets of the segments, oldest first.</summary>
    public IReadOnlyList<long> SegmentBaseOffsets => Array.ConvertAll(Volatile.Read(ref _segments), s => s.BaseOffset);

    /// <summary>Producer ids with idempotence state in this partition.</summary>
    public int ProducerCount
    {
        get
        {
            lock (_lock)
            {
                return _producers.Count;
            }
        }
    }

    internal string Name => $"{Topic}-{Partition}";

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    internal LogSegment[] Segments => Volatile.Read(ref _segments);

    internal long CleanerCheckpoint => Volatile.Read(ref _cleanerCheckpoint);

    /// <summary>fsyncs of the active segment so far (flush policy tests).</summary>
    internal long FlushCount
    {
        get
        {
            lock (_lock)
            {
                return _flushes;
            }
        }
    }

    /// <summary>
    /// Appends one or more record batches (a Produce request's records for this partition). Each batch is
    /// checked — size, magic, CRC, <c>max.message.bytes</c>, record count against offset deltas, no control
    /// batches from clients, keys on compacted topics — then offsets are assigned and base offset and leader
    /// epoch set in place (plus max timestamp and CRC under LogAppendTime), and the bytes are written as
    /// they are with one write. <paramref name="records"/> is modified. Completes synchronously: the write
    /// goes to the page cache (fsync only when the flush policy asks), which a thread-pool hop would only slow.
    /// </summary>
    public ValueTask<AppendResult> AppendAsync(Memory<byte> records, AppendOrigin origin = AppendOrigin.Client, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Append(records.Span, origin));
    }

    private AppendResult Append(Span<byte> records, AppendOrigin origin)
    {
        var config = Config;
        if (records.IsEmpty)
        {
            return AppendResult.Failed(StorageError.InvalidRecord, $"The append to {Name} holds no record batch.", LogStartOffset);
        }

        if (records.Length > config.SegmentBytes)
        {
            return AppendResult.Failed(StorageError.RecordListTooLarge, $"The batches to append to {Name} ({records.Length} bytes) are larger than segment.bytes ({config.SegmentBytes}).", LogStartOffset);
        }

        // Validation outside the lock: concurrent producers check CRCs in parallel.
        var batchCount = 0;
        long recordCount = 0;
        long offsetCount = 0;
        for (var p = 0; p < records.Length;)
        {
            var error = BatchValidator.Validate(records[p..], config, origin, Name, Topic, _options.MaxDecompressedBatchBytes, out var size, out var message);
            if (error != StorageError.None)
            {
                return AppendResult.Failed(error, message!, LogStartOffset);
            }

            var header = new RecordBatchHeader(records[p..]);
            recordCount += header.RecordsCount;
            offsetCount += header.LastOffsetDelta + 1L;
            batchCount++;
            p += size;
        }

        lock (_lock)
        {
            if (_closed)
            {
                return AppendResult.Failed(StorageError.UnknownTopicOrPartition, $"Partition {Name} is closed.", LogStartOffset);
            }

            var now = NowMs;
            var logAppendTime = config.MessageTimestampType == TimestampType.LogAppendTime ? now : -1;
            MaybeRoll(records.Length, offsetCount, now, config);

            // Assign offsets, and check idempotent producers against them.
            _producers.BeginAppend();
            var offset = _nextOffset;
            for (var p = 0; p < records.Length;)
            {
                var batch = records[p..];
                var header = new RecordBatchHeader(batch);
                var size = header.TotalSize;
                if (header.HasProducerId && !header.IsControl)
                {
                    var check = _producers.CheckAndUpdate(
                        header.ProducerId, header.ProducerEpoch, header.BaseSequence, header.LastSequence, header.LastOffsetDelta,
                        offset, logAppendTime >= 0 ? logAppendTime : header.MaxTimestamp, now, Name, out var error, out var message, out var duplicate);
                    if (check == ProducerCheck.Rejected)
                    {
                        _producers.Rollback();
                        return AppendResult.Failed(error, message!, LogStartOffset);
                    }

                    if (check == ProducerCheck.Duplicate)
                    {
                        _producers.Rollback();
                        if (batchCount > 1)
                        {
                            return AppendResult.Failed(StorageError.DuplicateSequenceNumber, $"A batch of producer {header.ProducerId} in a multi-batch append to {Name} repeats sequence {header.BaseSequence}.", LogStartOffset);
                        }

                        return new AppendResult(StorageError.None, duplicate.FirstOffset, duplicate.LastOffset, logAppendTime >= 0 ? duplicate.Timestamp : -1, LogStartOffset, null, IsDuplicate: true);
                    }
                }

                RecordBatchHeader.SetBaseOffset(batch, offset);
                RecordBatchHeader.SetPartitionLeaderEpoch(batch, LeaderEpoch);
                if (logAppendTime >= 0)
                {
                    RecordBatchHeader.SetLogAppendTime(batch[..size], logAppendTime);
                }

                offset += header.LastOffsetDelta + 1L;
                p += size;
            }

            var baseOffset = _nextOffset;
            try
            {
                ActiveSegment.Append(records);
            }
            catch (IOException e)
            {
                _producers.Rollback();
                _logger.AppendFailed(e, Name);
                return AppendResult.Failed(StorageError.KafkaStorageError, $"Writing to {Name} failed: {e.Message}", LogStartOffset);
            }

            _producers.Commit();
            Volatile.Write(ref _nextOffset, offset);
            _unflushedMessages += recordCount;
            if (_unflushedMessages >= config.FlushMessages)
            {
                ActiveSegment.Flush();
                _flushes++;
                _unflushedMessages = 0;
                _lastFlushMs = now;
            }

            Volatile.Write(ref _highWatermark, offset);
            Volatile.Write(ref _appendedBytes, _appendedBytes + records.Length);
            Volatile.Write(ref _appendedRecords, _appendedRecords + recordCount);
            Interlocked.Exchange(ref _appendSignal, null)?.TrySetResult();
            return new AppendResult(StorageError.None, baseOffset, offset - 1, logAppendTime, LogStartOffset);
        }
    }

    private LogSegment ActiveSegment => _segments[^1];

    private void MaybeRoll(int appendBytes, long offsetCount, long now, TopicConfig config)
    {
        var active = ActiveSegment;
        if (active.Size == 0)
        {
            // segment.ms counts from the first append into the segment.
            active.CreatedAtMs = now;
            return;
        }

        var full = active.Size + appendBytes > config.SegmentBytes;
        var old = now - active.CreatedAtMs >= config.SegmentMs;
        var offsetsOverflow = _nextOffset + offsetCount - active.BaseOffset > int.MaxValue;
        if (full || old || offsetsOverflow)
        {
            Roll(now);
        }
    }

    /// <summary>Closes the active segment (fsync, index files, producer snapshot) and starts a new one. Under the lock.</summary>
    private void Roll(long now)
    {
        var active = ActiveSegment;
        var next = LogSegment.Create(Directory, _nextOffset, Config.IndexIntervalBytes, now);
        WriteProducerSnapshot(_nextOffset);
        Volatile.Write(ref _segments, [.. _segments, next]);
        _unflushedMessages = 0;
        _lastFlushMs = now;
        _logger.Rolled(Name, _nextOffset);

        // The rolled segment is fsynced and its index files written off the append path (a 1 GiB fsync would
        // stall appends). Index files appear only after the fsync, so at an unclean start a rolled segment
        // without them is recovered like the active one.
        if (active.TryAcquire())
        {
            var previous = _rolledFlush;
            _rolledFlush = Task.Run(async () =>
            {
                await previous;
                try
                {
                    active.Flush();
                    active.WriteIndexes();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    _logger.AppendFailed(e, Name);
                }
                finally
                {
                    active.Release();
                }
            });
        }
    }

    /// <summary>Completes when the segments rolled so far are fsynced and indexed.</summary>
    internal Task WhenRolledSegmentsFlushedAsync()
    {
        lock (_lock)
        {
            return _rolledFlush;
        }
    }

    /// <summary>Rolls the active segment now if it holds data (tests, admin).</summary>
    public void Roll()
    {
        lock (_lock)
        {
            if (!_closed && ActiveSegment.Size > 0)
            {
                Roll(NowMs);
            }
        }
    }

    private void WriteProducerSnapshot(long offset)
    {
        SegmentFiles.WriteAtomically(SegmentFiles.SnapshotPath(Directory, offset), _producers.Serialize());
        var snapshots = PartitionLoader.ListOffsets(Directory, SegmentFiles.SnapshotSuffix);
        for (var i = 0; i < snapshots.Count - 3; i++)
        {
            File.Delete(SegmentFiles.SnapshotPath(Directory, snapshots[i]));
        }
    }

    /// <summary>fsyncs the active segment if anything is unflushed.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        Flush();
        return ValueTask.CompletedTask;
    }

    private void Flush()
    {
        lock (_lock)
        {
            if (!_closed && _unflushedMessages > 0)
            {
                ActiveSegment.Flush();
                _flushes++;
                _unflushedMessages = 0;
                _lastFlushMs = NowMs;
            }
        }
    }

    /// <summary>Flushes when data has waited longer than <c>flush.ms</c>.</summary>
    internal void MaybeFlushByTime(long now)
    {
        if (Config.FlushMs == long.MaxValue || Volatile.Read(ref _unflushedMessages) == 0 || now - _lastFlushMs < Config.FlushMs)
        {
            return;
        }

        Flush();
    }

    /// <summary>
    /// Reads whole batches from <paramref name="offset"/>: the first is the batch that contains it, then more
    /// while the total stays within <paramref name="maxBytes"/> — the first one even when larger, if
    /// <paramref name="minOneBatch"/> (Kafka's rule for the first partition of a Fetch). Batches come from one
    /// segment per call. The bytes are copied once from the file (page cache) into a pooled buffer owned by
    /// the result; nothing is decoded. Offset below the log start or above the high watermark:
    /// <see cref="StorageError.OffsetOutOfRange"/>; at the high watermark: empty.
    /// </summary>
    public ValueTask<LogReadResult> ReadAsync(long offset, int maxBytes, bool minOneBatch = true, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(offset, maxBytes, minOneBatch));
    }

    private LogReadResult Read(long offset, int maxBytes, bool minOneBatch)
    {
        while (true)
        {
            var highWatermark = HighWatermark;
            var logStart = LogStartOffset;
            if (Volatile.Read(ref _closed))
            {
                return new LogReadResult(StorageError.UnknownTopicOrPartition, null, 0, 0, highWatermark, logStart);
            }

            if (offset < logStart || offset > highWatermark)
            {
                return new LogReadResult(StorageError.OffsetOutOfRange, null, 0, 0, highWatermark, logStart);
            }

            if (offset == highWatermark)
            {
                return new LogReadResult(StorageError.None, null, 0, 0, highWatermark, logStart);
            }

            var segments = Segments;
            var retry = false;
            for (var i = FindSegment(segments, offset); i < segments.Length; i++)
            {
                var segment = segments[i];
                if (!segment.TryAcquire())
                {
                    retry = true;
                    break;
                }

                try
                {
                    if (segment.Read(offset, maxBytes, minOneBatch, highWatermark) is { } read)
                    {
                        Interlocked.Add(ref _readBytes, read.Length);
                        return new LogReadResult(StorageError.None, read.Buffer, read.Start, read.Length, highWatermark, logStart);
                    }
                }
                finally
                {
                    segment.Release();
                }
            }

            if (!retry)
            {
                return new LogReadResult(StorageError.None, null, 0, 0, highWatermark, logStart);
            }
        }
    }

    private static int FindSegment(LogSegment[] segments, long offset)
    {
        int lo = 0, hi = segments.Length - 1, found = 0;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (segments[mid].BaseOffset <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    /// <summary>
    /// ListOffsets: <see cref="OffsetTimestamps.Earliest"/> → log start, <see cref="OffsetTimestamps.Latest"/> →
    /// high watermark, <see cref="OffsetTimestamps.MaxTimestamp"/> → the record with the largest timestamp,
    /// otherwise the first offset whose record timestamp is at or after <paramref name="timestamp"/> (the time
    /// index narrows the search; the found batch is decoded). Null when no record qualifies.
    /// </summary>
    public ValueTask<TimestampOffset?> GetOffsetForTimestampAsync(long timestamp, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(GetOffsetForTimestamp(timestamp));
    }

    private TimestampOffset? GetOffsetForTimestamp(long timestamp) =>
        TimestampLookup.Find(Segments, timestamp, LogStartOffset, HighWatermark, _options.MaxDecompressedBatchBytes);

    /// <summary>
    /// Waits until the high watermark passes <paramref name="offset"/> (data at or after it can be read), or
    /// the timeout. True when data is there. For Fetch long polls and the embedded consumer.
    /// </summary>
    public async Task<bool> WaitForAppendAsync(long offset, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (HighWatermark > offset || Volatile.Read(ref _closed))
        {
            return HighWatermark > offset;
        }

        var signal = Volatile.Read(ref _appendSignal);
        if (signal is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal = Interlocked.CompareExchange(ref _appendSignal, created, null) ?? created;
        }

        if (HighWatermark > offset)
        {
            return true;
        }

        try
        {
            await signal.Task.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }

        return HighWatermark > offset;
    }

    /// <summary>
    /// Moves the log start offset to <paramref name="offset"/> (DeleteRecords; -1 means the high watermark) and
    /// deletes segments wholly below it. Returns the new log start offset (the "low watermark").
    /// </summary>
    public ValueTask<long> DeleteRecordsAsync(long offset, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (offset == -1)
            {
                offset = HighWatermark;
            }

            if (offset < 0 || offset > HighWatermark)
            {
                throw new StorageException(StorageError.OffsetOutOfRange, $"Cannot delete records of {Name} before offset {offset}: the offsets run from {LogStartOffset} to {HighWatermark}.");
            }

            if (offset > _logStartOffset)
            {
                Volatile.Write(ref _logStartOffset, offset);
                SaveState();
                DeleteSegmentsBelowLogStart();
            }

            return ValueTask.FromResult(_logStartOffset);
        }
    }

    private void DeleteSegmentsBelowLogStart()
    {
        var segments = _segments;
        var k = 0;
        while (k < segments.Length - 1 && segments[k + 1].BaseOffset <= _logStartOffset)
        {
            k++;
        }

        DeleteOldestSegments(k, "log start offset");
    }

    /// <summary>
    /// Applies retention: for <c>delete</c> policies, drops the oldest segments whose newest record is older
    /// than <c>retention.ms</c> and those beyond <c>retention.bytes</c>; any policy drops segments wholly below
    /// the log start offset. Never the active segment. Also forgets idle producers. Returns segments deleted.
    /// </summary>
    public int EnforceRetention()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return 0;
            }

            var now = NowMs;
            var config = Config;
            var segments = _segments;
            var k = 0;
            if (config.IsDeleteEnabled)
            {
                if (config.RetentionMs >= 0)
                {
                    while (k < segments.Length - 1 && SegmentTime(segments[k]) < now - config.RetentionMs)
                    {
                        k++;
                    }
                }

                if (config.RetentionBytes >= 0)
                {
                    long excess = -config.RetentionBytes;
                    foreach (var s in segments)
                    {
                        excess += s.Size;
                    }

                    var i = 0;
                    while (i < segments.Length - 1 && excess - segments[i].Size >= 0)
                    {
                        excess -= segments[i].Size;
                        i++;
                    }

                    k = Math.Max(k, i);
                }
            }

            while (k < segments.Length - 1 && segments[k + 1].BaseOffset <= _logStartOffset)
            {
                k++;
            }

            var deleted = DeleteOldestSegments(k, "retention");
            _producers.RemoveExpired(now, _options.ProducerIdExpirationMs);
            return deleted;
        }
    }

    private static long SegmentTime(LogSegment segment) =>
        segment.MaxTimestamp >= 0 ? segment.MaxTimestamp : new DateTimeOffset(File.GetLastWriteTimeUtc(segment.LogPath)).ToUnixTimeMilliseconds();

    /// <summary>Removes the first <paramref name="count"/> segments (never the active one). Under the lock.</summary>
    private int DeleteOldestSegments(int count, string reason)
    {
        var segments = _segments;
        count = Math.Min(count, segments.Length - 1);
        if (count <= 0)
        {
            return 0;
        }

        Volatile.Write(ref _segments, segments[count..]);
        var newStart = Math.Max(_logStartOffset, segments[count].BaseOffset);
        if (newStart != _logStartOffset)
        {
            Volatile.Write(ref _logStartOffset, newStart);
        }

        SaveState();
        for (var i = 0; i < count; i++)
        {
            _logger.DeletingSegment(segments[i].BaseOffset, Name, reason);
            segments[i].Retire(deleteFiles: true);
        }

        return count;
    }


    /// <summary>
    /// Opens (creating when missing) the partition folder: finishes or drops interrupted compaction swaps,
    /// opens the segments (a full CRC scan and truncation of the active one when <paramref name="cleanStart"/>
    /// is false; index checks for all), and rebuilds producer state from the latest snapshot plus the log after it.
    /// </summary>
    internal static PartitionLog Open(string topic, int partition, string directory, TopicConfig config, StorageOptions options, TimeProvider time, ILogger logger, bool cleanStart)
    {
        var log = new PartitionLog(topic, partition, directory, config, options, time, logger);
        var loaded = PartitionLoader.Load(directory, config, options, log.NowMs, logger, cleanStart, log._producers);
        log._segments = loaded.Segments;
        log._nextOffset = loaded.NextOffset;
        log._highWatermark = loaded.NextOffset;
        log._logStartOffset = loaded.LogStartOffset;
        log._cleanerCheckpoint = loaded.CleanerCheckpoint;
        return log;
    }

    /// <summary>
    /// Closes the partition. A clean close fsyncs, writes the active segment's indexes and a producer
    /// snapshot so the next start skips recovery; readers still holding segments finish first.
    /// </summary>
    internal void Close(bool clean)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            Volatile.Write(ref _closed, true);
            try
            {
                if (clean)
                {
                    ActiveSegment.Flush();
                    ActiveSegment.WriteIndexes();
                    WriteProducerSnapshot(_nextOffset);
                    SaveState();
                }
            }
            finally
            {
                foreach (var segment in _segments)
                {
                    segment.Retire(deleteFiles: false);
                }

                Interlocked.Exchange(ref _appendSignal, null)?.TrySetResult();
            }
        }
    }

    /// <summary>Claims the partition for one cleaner pass; false when another is running.</summary>
    internal bool TryBeginCleaning() => Interlocked.CompareExchange(ref _cleaning, 1, 0) == 0;

    internal void EndCleaning() => Volatile.Write(ref _cleaning, 0);

    internal bool IsClosed => Volatile.Read(ref _closed);

    internal long NowMilliseconds => NowMs;

    /// <summary>
    /// Puts a cleaned segment in place of <paramref name="original"/> (same base offset): the cleaned file is
    /// already at <c>.log.swap</c>; the old index files go first, the swap file is renamed over the log, then
    /// the new indexes are written. A crash at any point leaves either the old or the new segment, whole.
    /// False when the original is gone (deleted by retention meanwhile).
    /// </summary>
    internal bool SwapSegment(LogSegment original, Func<LogSegment> openReplacement, Action<string>? crashPoint = null)
    {
        lock (_lock)
        {
            var segments = _segments;
            var index = Array.IndexOf(segments, original);
            if (_closed || index < 0 || index == segments.Length - 1)
            {
                return false;
            }

            File.Delete(original.IndexPath);
            File.Delete(original.TimeIndexPath);
            crashPoint?.Invoke("after-index-delete");
            File.Move(original.LogPath + SegmentFiles.SwapSuffix, original.LogPath, overwrite: true);
            crashPoint?.Invoke("after-swap-rename");
            var replacement = openReplacement();
            var updated = (LogSegment[])segments.Clone();
            updated[index] = replacement;
            Volatile.Write(ref _segments, updated);
            original.Retire(deleteFiles: false);
            return true;
        }
    }

    internal void SetCleanerCheckpoint(long offset)
    {
        lock (_lock)
        {
            Volatile.Write(ref _cleanerCheckpoint, offset);
            if (!_closed)
            {
                SaveState();
            }
        }
    }

    private void SaveState() => new PartitionState(_logStartOffset, _cleanerCheckpoint).Save(Directory);
}
