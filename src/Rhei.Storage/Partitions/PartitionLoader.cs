using Microsoft.Extensions.Logging;
using Rhei.Protocol.Records;
using Rhei.Storage.Segments;
using Rhei.Storage.Topics;

namespace Rhei.Storage.Partitions;

/// <summary>What <see cref="PartitionLoader.Load"/> found in a partition folder.</summary>
internal sealed record LoadedPartition(LogSegment[] Segments, long NextOffset, long LogStartOffset, long CleanerCheckpoint);

/// <summary>
/// Opens a partition folder at start: leftovers of interrupted work first (<c>.cleaned</c> files are
/// dropped, <c>.swap</c> files complete their swap, <c>.tmp</c> files go), then the segments, then the
/// producer state.
/// </summary>
internal static class PartitionLoader
{
    public static LoadedPartition Load(string directory, TopicConfig config, StorageOptions options, long nowMs, ILogger logger, bool cleanStart, ProducerStateManager producers)
    {
        System.IO.Directory.CreateDirectory(directory);
        var state = PartitionState.Load(directory);
        CleanLeftovers(directory, logger);

        var bases = ListOffsets(directory, SegmentFiles.LogSuffix);
        var segments = new List<LogSegment>(bases.Count);
        for (var i = 0; i < bases.Count; i++)
        {
            var recover = !cleanStart && i == bases.Count - 1;
            var segment = LogSegment.Open(directory, bases[i], config.IndexIntervalBytes, recover, nowMs, logger, out var truncated, dense: i == bases.Count - 1);
            if (truncated > 0)
            {
                logger.RecoveredSegment(directory, truncated, bases[i]);
            }

            segments.Add(segment);
        }

        if (segments.Count == 0)
        {
            segments.Add(LogSegment.Create(directory, Math.Max(0, state.LogStartOffset), config.IndexIntervalBytes, nowMs));
        }

        // A damaged segment before the last may end before the next begins: offsets may have a gap there.
        var nextOffset = segments[^1].NextOffset;
        var logStart = Math.Min(Math.Max(state.LogStartOffset, segments[0].BaseOffset), nextOffset);
        LoadProducerState(directory, segments, logStart, nextOffset, nowMs, logger, producers);
        return new LoadedPartition([.. segments], nextOffset, logStart, Math.Max(state.CleanerCheckpoint, 0));
    }

    private static void CleanLeftovers(string directory, ILogger logger)
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(SegmentFiles.CleanedSuffix, StringComparison.Ordinal) || name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                logger.DeletingLeftover(path);
                File.Delete(path);
            }
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFiles.LogSuffix + SegmentFiles.SwapSuffix))
        {
            if (!SegmentFiles.TryParseOffset(Path.GetFileName(path), out var baseOffset))
            {
                continue;
            }

            logger.CompletingSwap(path);
            File.Delete(SegmentFiles.IndexPath(directory, baseOffset));
            File.Delete(SegmentFiles.TimeIndexPath(directory, baseOffset));
            File.Move(path, SegmentFiles.LogPath(directory, baseOffset), overwrite: true);
        }

        // Index files without a log are orphans.
        foreach (var suffix in new[] { SegmentFiles.IndexSuffix, SegmentFiles.TimeIndexSuffix })
        {
            foreach (var offset in ListOffsets(directory, suffix))
            {
                if (!File.Exists(SegmentFiles.LogPath(directory, offset)))
                {
                    File.Delete(Path.Combine(directory, SegmentFiles.Name(offset) + suffix));
                }
            }
        }
    }

    private static void LoadProducerState(string directory, List<LogSegment> segments, long logStart, long nextOffset, long nowMs, ILogger logger, ProducerStateManager producers)
    {
        var snapshots = ListOffsets(directory, SegmentFiles.SnapshotSuffix);
        var from = logStart;
        producers.Clear();
        for (var i = snapshots.Count - 1; i >= 0; i--)
        {
            var path = SegmentFiles.SnapshotPath(directory, snapshots[i]);
            if (snapshots[i] > nextOffset)
            {
                File.Delete(path);
                continue;
            }

            if (producers.TryLoad(File.ReadAllBytes(path)))
            {
                from = Math.Max(snapshots[i], segments[0].BaseOffset);
                break;
            }

            logger.DamagedSnapshot(path);
        }

        foreach (var segment in segments)
        {
            if (segment.NextOffset <= from)
            {
                continue;
            }

            var position = segment.BaseOffset >= from ? 0 : segment.FindPosition(from);
            if (position < 0)
            {
                continue;
            }

            using var scanner = segment.Scan(position, verifyCrc: false);
            while (scanner.Next() == ScanStep.Batch)
            {
                if (new RecordBatchHeader(scanner.Current.Span).BaseOffset >= from)
                {
                    producers.Replay(scanner.Current.Span, nowMs);
                }
            }
        }
    }

    /// <summary>Base offsets of the files with <paramref name="suffix"/> in <paramref name="directory"/>, sorted.</summary>
    public static List<long> ListOffsets(string directory, string suffix)
    {
        var offsets = new List<long>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + suffix))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length == 20 + suffix.Length && SegmentFiles.TryParseOffset(name, out var offset))
            {
                offsets.Add(offset);
            }
        }

        offsets.Sort();
        return offsets;
    }
}
