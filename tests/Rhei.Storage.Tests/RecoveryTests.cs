using Rhei.Protocol.Records;

namespace Rhei.Storage.Tests;

public class RecoveryTests
{
    private static readonly Dictionary<string, string> SmallSegments = new() { ["segment.bytes"] = "1500", ["index.interval.bytes"] = "100" };

    /// <summary>Writes 40 batches to t-0 and closes cleanly; returns the folder and the values in order.</summary>
    private static async Task<(string PartitionDir, List<string> Values, long LastBatchStart, long LastSegment)> WriteLogAsync(string root)
    {
        var values = new List<string>();
        await using var manager = await Storage.OpenAsync(root);
        await manager.CreateTopicAsync("t", 1, SmallSegments);
        var log = manager.GetPartition("t", 0)!;
        long lastStart = 0;
        for (var b = 0; b < 40; b++)
        {
            lastStart = log.Segments[^1].Size;
            await log.AppendOk(Storage.Batch(1000 + b, ($"k{b}", $"v{b}a"), ($"k{b}", $"v{b}b")));
            values.Add($"v{b}a");
            values.Add($"v{b}b");
        }

        return (log.Directory, values, lastStart, log.SegmentBaseOffsets[^1]);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    private static async Task AssertRecoveredAsync(string root, List<string> expected)
    {
        await using var manager = await Storage.OpenAsync(root);
        Assert.False(manager.WasCleanStart);
        var log = manager.GetPartition("t", 0)!;
        Assert.Equal(expected.Count, log.HighWatermark);
        var records = await log.ReadAllAsync();
        Assert.Equal(expected, records.Select(r => r.Value));

        // Appends go on with dense offsets.
        var result = await log.AppendOk(Storage.Batch(5000, ("new", "after recovery")));
        Assert.Equal(expected.Count, result.BaseOffset);
        var again = await log.ReadAllAsync(expected.Count);
        Assert.Equal("after recovery", Assert.Single(again).Value);
    }

    [Fact]
    public async Task A_last_batch_cut_at_any_byte_is_dropped_and_everything_before_is_served()
    {
        using var source = new TempDir();
        var (dir, values, lastStart, lastSegment) = await WriteLogAsync(source.Path);
        var segmentFile = Path.Combine(dir, $"{lastSegment:D20}.log");
        var length = new FileInfo(segmentFile).Length;
        var kept = values.Take(values.Count - 2).ToList();
        for (var cut = lastStart; cut < length; cut++)
        {
            // The partition alone, opened as after a crash (cheaper than a whole log manager per cut).
            using var copy = new TempDir();
            CopyDirectory(dir, copy.Path);
            using (var stream = new FileStream(Path.Combine(copy.Path, $"{lastSegment:D20}.log"), FileMode.Open))
            {
                stream.SetLength(cut);
            }

            var options = Storage.Options(copy.Path);
            var config = Topics.TopicConfig.Create(options, SmallSegments);
            var log = Partitions.PartitionLog.Open("t", 0, copy.Path, config, options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, cleanStart: false);
            try
            {
                Assert.Equal(kept.Count, log.HighWatermark);
                Assert.Equal(kept, (await log.ReadAllAsync()).Select(r => r.Value));
                Assert.Equal(kept.Count, (await log.AppendOk(Storage.Batch(5000, ("new", "after recovery")))).BaseOffset);
            }
            finally
            {
                log.Close(clean: false);
            }
        }

        // And once through the whole manager.
        using var whole = new TempDir();
        CopyDirectory(source.Path, whole.Path);
        File.Delete(Path.Combine(whole.Path, LogManager.CleanShutdownFile));
        using (var stream = new FileStream(Path.Combine(whole.Path, "t-0", $"{lastSegment:D20}.log"), FileMode.Open))
        {
            stream.SetLength(lastStart + 30);
        }

        await AssertRecoveredAsync(whole.Path, kept);
    }

    [Fact]
    public async Task Flipped_bytes_and_garbage_in_the_tail_are_truncated()
    {
        using var source = new TempDir();
        var (_, values, lastStart, lastSegment) = await WriteLogAsync(source.Path);
        var kept = values.Take(values.Count - 2).ToList();
        var length = new FileInfo(Path.Combine(source.Path, "t-0", $"{lastSegment:D20}.log")).Length;
        var positions = new List<long>();
        for (var p = lastStart; p < length; p += 7)
        {
            positions.Add(p);
        }

        foreach (var position in positions)
        {
            using var copy = new TempDir();
            CopyDirectory(source.Path, copy.Path);
            File.Delete(Path.Combine(copy.Path, LogManager.CleanShutdownFile));
            var copied = Path.Combine(copy.Path, "t-0", $"{lastSegment:D20}.log");
            var bytes = await File.ReadAllBytesAsync(copied);
            bytes[position] ^= 0x5A;
            await File.WriteAllBytesAsync(copied, bytes);
            // Flipping the base offset or the leader epoch (outside the CRC) is caught by the offset check or not harmful.
            var offsetInBatch = position - lastStart;
            if (offsetInBatch is >= RecordBatchHeader.PartitionLeaderEpochOffset and < RecordBatchHeader.MagicOffset)
            {
                continue;
            }

            await AssertRecoveredAsync(copy.Path, kept);
        }

        using (var garbage = new TempDir())
        {
            CopyDirectory(source.Path, garbage.Path);
            File.Delete(Path.Combine(garbage.Path, LogManager.CleanShutdownFile));
            var copied = Path.Combine(garbage.Path, "t-0", $"{lastSegment:D20}.log");
            await using (var stream = new FileStream(copied, FileMode.Append))
            {
                var junk = new byte[300];
                new Random(5).NextBytes(junk);
                await stream.WriteAsync(junk);
            }

            await AssertRecoveredAsync(garbage.Path, values);
        }
    }

    public static TheoryData<string> IndexDamage => new() { "truncated", "garbage", "not-monotonic", "past-end", "missing", "empty-time-index-garbage" };

    [Theory]
    [MemberData(nameof(IndexDamage))]
    public async Task Damaged_index_files_are_rebuilt_not_trusted(string damage)
    {
        using var root = new TempDir();
        var (dir, values, _, _) = await WriteLogAsync(root.Path);
        foreach (var index in Directory.GetFiles(dir, "*.index"))
        {
            var bytes = await File.ReadAllBytesAsync(index);
            if (bytes.Length < 16)
            {
                continue;
            }

            switch (damage)
            {
                case "truncated":
                    await File.WriteAllBytesAsync(index, bytes[..^3]);
                    break;
                case "garbage":
                    new Random(1).NextBytes(bytes);
                    await File.WriteAllBytesAsync(index, bytes);
                    break;
                case "not-monotonic":
                    (bytes[0], bytes[8]) = (bytes[8], bytes[0]);
                    Array.Copy(bytes, 8, bytes, 0, 8);
                    await File.WriteAllBytesAsync(index, bytes);
                    break;
                case "past-end":
                    bytes[^4] = 0x7F;
                    await File.WriteAllBytesAsync(index, bytes);
                    break;
                case "missing":
                    File.Delete(index);
                    break;
                case "empty-time-index-garbage":
                    await File.WriteAllBytesAsync(Path.ChangeExtension(index, ".timeindex"), new byte[] { 1, 2, 3, 4, 5 });
                    break;
            }
        }

        await using var manager = await Storage.OpenAsync(root.Path);
        Assert.True(manager.WasCleanStart);
        var log = manager.GetPartition("t", 0)!;
        Assert.Equal(values, (await log.ReadAllAsync()).Select(r => r.Value));
        for (long offset = 0; offset < values.Count; offset++)
        {
            using var read = await log.ReadAsync(offset, 1);
            var header = new RecordBatchHeader(read.Records.Span);
            Assert.True(header.BaseOffset <= offset && offset <= header.LastOffset);
        }

        var found = await log.GetOffsetForTimestampAsync(1020);
        Assert.Equal(40, found!.Value.Offset);
    }

    [Fact]
    public async Task An_index_entry_pointing_between_batches_is_caught_by_the_tail_check()
    {
        using var root = new TempDir();
        var (dir, values, _, _) = await WriteLogAsync(root.Path);
        foreach (var index in Directory.GetFiles(dir, "*.index"))
        {
            var bytes = await File.ReadAllBytesAsync(index);
            if (bytes.Length >= 8)
            {
                // Shift the last entry's position by 3 bytes: still in bounds, but not a batch start.
                bytes[^1] += 3;
                await File.WriteAllBytesAsync(index, bytes);
            }
        }

        await using var manager = await Storage.OpenAsync(root.Path);
        var log = manager.GetPartition("t", 0)!;
        Assert.Equal(values, (await log.ReadAllAsync()).Select(r => r.Value));
    }

    [Fact]
    public async Task A_clean_restart_keeps_everything_and_skips_recovery()
    {
        using var root = new TempDir();
        var (_, values, _, _) = await WriteLogAsync(root.Path);
        await using var manager = await Storage.OpenAsync(root.Path);
        Assert.True(manager.WasCleanStart);
        var log = manager.GetPartition("t", 0)!;
        Assert.Equal(values, (await log.ReadAllAsync()).Select(r => r.Value));
        Assert.Equal(values.Count, (await log.AppendOk(Storage.Batch(1, ("k", "v")))).BaseOffset);
    }
}
