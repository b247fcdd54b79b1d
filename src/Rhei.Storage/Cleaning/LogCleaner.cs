using System.IO.Hashing;
using Microsoft.Extensions.Logging;
using Rhei.Protocol.Records;
using Rhei.Storage.Partitions;
using Rhei.Storage.Segments;

namespace Rhei.Storage.Cleaning;

/// <summary>
/// Log compaction for <c>cleanup.policy=compact</c> topics. A pass runs on the non-active segments whose
/// newest record is older than <c>min.compaction.lag.ms</c>, when their dirty share (bytes after the cleaner
/// checkpoint) reaches <c>min.cleanable.dirty.ratio</c>. It maps every key to its latest offset (128-bit
/// xxHash of the key), then rewrites each segment keeping only the latest record per key, and dropping
/// tombstones (null values) whose timestamp is older than <c>delete.retention.ms</c>. Batches keep their
/// base offset, offset deltas, last offset delta, producer fields and codec; an untouched batch is copied
/// byte for byte; control batches are kept. Each rewritten segment goes to <c>.cleaned</c>, is fsynced,
/// renamed to <c>.swap</c>, and then replaces the original (see <see cref="PartitionLog"/>), so a crash
/// leaves either segment whole.
/// </summary>
internal static class LogCleaner
{
    public static CleanResult Clean(PartitionLog log, StorageOptions options, ILogger logger, bool force, Action<string>? crashPoint = null)
    {
        if (!log.TryBeginCleaning())
        {
            return default;
        }

        try
        {
            return CleanClaimed(log, options, logger, force, crashPoint);
        }
        finally
        {
            log.EndCleaning();
        }
    }

    private static CleanResult CleanClaimed(PartitionLog log, StorageOptions options, ILogger logger, bool force, Action<string>? crashPoint)
    {
        var config = log.Config;

        // A rolled segment still being fsynced in the background would write its old index files over the
        // cleaned segment's: wait for the next pass.
        if (!config.IsCompacted || log.IsClosed || !log.WhenRolledSegmentsFlushedAsync().IsCompleted)
        {
            return default;
        }

        var now = log.NowMilliseconds;
        var segments = log.Segments;
        var end = 0;
        while (end < segments.Length - 1 && (config.MinCompactionLagMs <= 0 || segments[end].MaxTimestamp <= now - config.MinCompactionLagMs))
        {
            end++;
        }

        if (end == 0)
        {
            return default;
        }

        var firstDirty = Math.Max(log.CleanerCheckpoint, log.LogStartOffset);
        long dirtyBytes = 0, totalBytes = 0;
        for (var i = 0; i < end; i++)
        {
            totalBytes += segments[i].Size;
            if (segments[i].NextOffset > firstDirty)
            {
                dirtyBytes += segments[i].Size;
            }
        }

        if (totalBytes == 0 || (!force && (dirtyBytes == 0 || (double)dirtyBytes / totalBytes < config.MinCleanableDirtyRatio)))
        {
            return default;
        }

        var cleanableEnd = segments[end].BaseOffset;
        var acquired = new List<LogSegment>(end);
        try
        {
            for (var i = 0; i < end; i++)
            {
                if (!segments[i].TryAcquire())
                {
                    return default;
                }

                acquired.Add(segments[i]);
            }

            var latest = BuildOffsetMap(acquired, options);
            var deleteHorizon = now - config.DeleteRetentionMs;
            var rewritten = 0;
            long before = 0, after = 0;
            foreach (var segment in acquired)
            {
                var cleaned = SegmentFiles.LogPath(segment.Directory, segment.BaseOffset) + SegmentFiles.CleanedSuffix;
                var newSize = Rewrite(segment, cleaned, latest, deleteHorizon, options);
                if (newSize < 0)
                {
                    continue;
                }

                crashPoint?.Invoke("after-cleaned");
                File.Move(cleaned, segment.LogPath + SegmentFiles.SwapSuffix, overwrite: true);
                crashPoint?.Invoke("after-swap-file");
                var interval = config.IndexIntervalBytes;
                if (log.SwapSegment(segment, () => LogSegment.Open(segment.Directory, segment.BaseOffset, interval, recover: true, now, logger, out _), crashPoint))
                {
                    rewritten++;
                    before += segment.Size;
                    after += newSize;
                }
                else
                {
                    File.Delete(segment.LogPath + SegmentFiles.SwapSuffix);
                }
            }

            log.SetCleanerCheckpoint(cleanableEnd);
            if (rewritten > 0)
            {
                logger.Compacted(log.Name, rewritten, before, after);
            }

            return new CleanResult(rewritten, before - after);
        }
        finally
        {
            foreach (var segment in acquired)
            {
                segment.Release();
            }
        }
    }

    private static Dictionary<UInt128, long> BuildOffsetMap(List<LogSegment> segments, StorageOptions options)
    {
        var latest = new Dictionary<UInt128, long>();
        using var reader = new RecordBatchReader(options.MaxDecompressedBatchBytes);
        foreach (var segment in segments)
        {
            using var scanner = segment.Scan(0, verifyCrc: false);
            while (scanner.Next() == ScanStep.Batch)
            {
                var header = new RecordBatchHeader(scanner.Current.Span);
                if (header.IsControl)
                {
                    continue;
                }

                reader.Reset(scanner.Current);
                while (reader.TryReadNext(out var record))
                {
                    if (record.Key is { } key)
                    {
                        latest[XxHash128.HashToUInt128(key.Span)] = record.Offset;
                    }
                }
            }
        }

        return latest;
    }

    /// <summary>Writes the cleaned copy of a segment; returns its size, or -1 when nothing would change (no file left).</summary>
    private static long Rewrite(LogSegment segment, string path, Dictionary<UInt128, long> latest, long deleteHorizon, StorageOptions options)
    {
        var changed = false;
        using var reader = new RecordBatchReader(options.MaxDecompressedBatchBytes);
        using var builder = new RecordBatchBuilder();
        using var output = new PooledBufferWriter();
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using var scanner = segment.Scan(0, verifyCrc: false);
            while (scanner.Next() == ScanStep.Batch)
            {
                var batch = scanner.Current;
                var header = new RecordBatchHeader(batch.Span);
                if (header.IsControl)
                {
                    file.Write(batch.Span);
                    continue;
                }

                builder.Clear();
                builder.Compression = header.Compression;
                builder.BaseOffset = header.BaseOffset;
                builder.PartitionLeaderEpoch = header.PartitionLeaderEpoch;
                builder.ProducerId = header.ProducerId;
                builder.ProducerEpoch = header.ProducerEpoch;
                builder.BaseSequence = header.BaseSequence;
                builder.IsTransactional = header.IsTransactional;
                builder.TimestampType = header.TimestampType;
                builder.BaseTimestamp = header.BaseTimestamp;
                builder.LastOffsetDelta = header.LastOffsetDelta;
                builder.MaxTimestamp = header.TimestampType == TimestampType.LogAppendTime ? header.MaxTimestamp : null;
                var baseTimestamp = header.BaseTimestamp;

                reader.Reset(batch);
                var total = 0;
                while (reader.TryReadNext(out var record))
                {
                    total++;
                    if (Keep(record, latest, deleteHorizon))
                    {
                        builder.AddRaw(record.OffsetDelta, baseTimestamp + record.TimestampDelta, record.Key, record.Value, record.Headers.Count, record.Headers.Raw.Span);
                    }
                }

                if (builder.Count == total)
                {
                    file.Write(batch.Span);
                    continue;
                }

                changed = true;
                if (builder.Count > 0)
                {
                    output.Clear();
                    builder.WriteTo(output);
                    file.Write(output.WrittenSpan);
                }
            }

            if (!changed)
            {
                file.Close();
                File.Delete(path);
                return -1;
            }

            file.Flush(flushToDisk: true);
            return file.Length;
        }
    }

    private static bool Keep(in Record record, Dictionary<UInt128, long> latest, long deleteHorizon)
    {
        if (record.Key is not { } key)
        {
            return true;
        }

        if (latest.TryGetValue(XxHash128.HashToUInt128(key.Span), out var offset) && offset > record.Offset)
        {
            return false;
        }

        return record.Value is not null || record.Timestamp >= deleteHorizon;
    }
}

/// <summary>The outcome of a cleaner pass on one partition.</summary>
internal readonly record struct CleanResult(int SegmentsRewritten, long BytesFreed);
