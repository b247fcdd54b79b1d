using Rhei.Protocol.Records;
using Rhei.Storage.Segments;

namespace Rhei.Storage.Partitions;

/// <summary>ListOffsets lookups over a partition's segments (see <see cref="PartitionLog.GetOffsetForTimestampAsync"/>).</summary>
internal static class TimestampLookup
{
    public static TimestampOffset? Find(LogSegment[] segments, long timestamp, long logStart, long highWatermark, int maxDecompressedBytes)
    {
        switch (timestamp)
        {
            case OffsetTimestamps.Earliest:
                return new TimestampOffset(logStart, -1);
            case OffsetTimestamps.Latest:
                return new TimestampOffset(highWatermark, -1);
            case OffsetTimestamps.MaxTimestamp:
                return FindMaxTimestamp(segments, logStart, highWatermark, maxDecompressedBytes);
            case < 0:
                return null;
        }

        foreach (var segment in segments)
        {
            if (segment.NextOffset <= logStart || !segment.TryAcquire())
            {
                continue;
            }

            try
            {
                var batch = segment.FindBatchByTimestamp(timestamp, logStart);
                if (batch is null)
                {
                    continue;
                }

                using var reader = RecordBatchReader.Open(batch, maxDecompressedBytes);
                while (reader.TryReadNext(out var record))
                {
                    if (record.Offset >= logStart && record.Offset < highWatermark && record.Timestamp >= timestamp)
                    {
                        return new TimestampOffset(record.Offset, record.Timestamp);
                    }
                }
            }
            finally
            {
                segment.Release();
            }
        }

        return null;
    }

    private static TimestampOffset? FindMaxTimestamp(LogSegment[] segments, long logStart, long highWatermark, int maxDecompressedBytes)
    {
        LogSegment? best = null;
        foreach (var segment in segments)
        {
            if (segment.NextOffset > logStart && segment.MaxTimestamp >= 0 && (best is null || segment.MaxTimestamp > best.MaxTimestamp))
            {
                best = segment;
            }
        }

        if (best is null || !best.TryAcquire())
        {
            return null;
        }

        try
        {
            var batch = best.FindBatchWithMaxTimestamp(logStart);
            if (batch is null)
            {
                return null;
            }

            using var reader = RecordBatchReader.Open(batch, maxDecompressedBytes);
            TimestampOffset? found = null;
            while (reader.TryReadNext(out var record))
            {
                if (record.Offset >= logStart && record.Offset < highWatermark && (found is null || record.Timestamp > found.Value.Timestamp))
                {
                    found = new TimestampOffset(record.Offset, record.Timestamp);
                }
            }

            return found;
        }
        finally
        {
            best.Release();
        }
    }
}
