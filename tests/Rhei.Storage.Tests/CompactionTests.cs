using Rhei.Protocol.Compression;
using Rhei.Protocol.Records;

namespace Rhei.Storage.Tests;

public class CompactionTests
{
    private static readonly Dictionary<string, string> Compacted = new()
    {
        ["cleanup.policy"] = "compact",
        ["segment.bytes"] = "1200",
        ["min.cleanable.dirty.ratio"] = "0.01",
        ["delete.retention.ms"] = "3600000",
    };

    /// <summary>Writes 10 keys × 8 versions (batches of 2, alternating codecs), a tombstone for k3, then an active tail.</summary>
    private static async Task<Dictionary<string, (long Offset, string? Value)>> FillAsync(Partitions.PartitionLog log, ManualClock clock)
    {
        var latest = new Dictionary<string, (long, string?)>();
        var codecs = new[] { CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd };
        var n = 0;
        for (var version = 0; version < 8; version++)
        {
            for (var k = 0; k < 10; k += 2)
            {
                var records = new[] { ((string?)$"k{k}", (string?)$"k{k} v{version}"), ($"k{k + 1}", $"k{k + 1} v{version}") };
                var result = await log.AppendOk(Storage.Batch(codecs[n++ % codecs.Length], clock.NowMs, records));
                latest[$"k{k}"] = (result.BaseOffset, $"k{k} v{version}");
                latest[$"k{k + 1}"] = (result.BaseOffset + 1, $"k{k + 1} v{version}");
            }
        }

        var tombstone = await log.AppendOk(Storage.Batch(clock.NowMs, ("k3", null)));
        latest["k3"] = (tombstone.BaseOffset, null);
        log.Roll();
        await log.AppendOk(Storage.Batch(clock.NowMs, ("tail", "active")));
        return latest;
    }

    private static async Task AssertCompactedAsync(Partitions.PartitionLog log, Dictionary<string, (long Offset, string? Value)> latest, bool tombstoneExpected)
    {
        var records = await log.ReadAllAsync();
        var cleaned = records.Where(r => r.Key != "tail").ToList();
        var expected = latest.Where(kv => tombstoneExpected || kv.Value.Value is not null).OrderBy(kv => kv.Value.Offset).ToList();
        Assert.Equal(expected.Select(kv => (kv.Value.Offset, kv.Key, kv.Value.Value)), cleaned.Select(r => (r.Offset, r.Key!, r.Value)));
        Assert.Equal("active", records[^1].Value);
    }

    [Fact]
    public async Task Keeps_the_latest_value_per_key_and_drops_tombstones_after_the_retention()
    {
        using var dir = new TempDir();
        var clock = new ManualClock();
        await using var manager = await Storage.OpenAsync(dir.Path, clock);
        await manager.CreateTopicAsync("c", 1, Compacted);
        var log = manager.GetPartition("c", 0)!;
        var latest = await FillAsync(log, clock);
        var highWatermark = log.HighWatermark;
        var sizeBefore = log.Size;

        Assert.True(await manager.CompactAsync() > 0);
        Assert.True(log.Size < sizeBefore / 2, $"{log.Size} vs {sizeBefore}");
        await AssertCompactedAsync(log, latest, tombstoneExpected: true);
        Assert.Equal(highWatermark, log.HighWatermark);

        // Batches keep their offsets: every offset still reads the batch that holds it or the next one.
        for (long offset = 0; offset < highWatermark; offset++)
        {
            using var read = await log.ReadAsync(offset, 1);
            Assert.Equal(StorageError.None, read.Error);
            var header = new RecordBatchHeader(read.Records.Span);
            Assert.True(header.LastOffset >= offset);
        }

        clock.Advance(TimeSpan.FromHours(2));
        await manager.CompactAsync(force: true);
        await AssertCompactedAsync(log, latest, tombstoneExpected: false);
    }

    [Fact]
    public async Task Compaction_results_survive_a_restart()
    {
        using var dir = new TempDir();
        var clock = new ManualClock();
        Dictionary<string, (long Offset, string? Value)> latest;
        await using (var manager = await Storage.OpenAsync(dir.Path, clock))
        {
            await manager.CreateTopicAsync("c", 1, Compacted);
            latest = await FillAsync(manager.GetPartition("c", 0)!, clock);
            await manager.CompactAsync();
        }

        File.Delete(Path.Combine(dir.Path, LogManager.CleanShutdownFile));
        await using var reopened = await Storage.OpenAsync(dir.Path, clock);
        await AssertCompactedAsync(reopened.GetPartition("c", 0)!, latest, tombstoneExpected: true);
        Assert.Equal(0, await reopened.CompactAsync());
    }

    [Theory]
    [InlineData("after-cleaned")]
    [InlineData("after-swap-file")]
    [InlineData("after-index-delete")]
    [InlineData("after-swap-rename")]
    public async Task A_crash_during_the_swap_leaves_a_whole_log(string crashPoint)
    {
        using var dir = new TempDir();
        var clock = new ManualClock();
        Dictionary<string, (long Offset, string? Value)> latest;
        List<ReadRecord> before;
        await using (var manager = await Storage.OpenAsync(dir.Path, clock))
        {
            await manager.CreateTopicAsync("c", 1, Compacted);
            var log = manager.GetPartition("c", 0)!;
            latest = await FillAsync(log, clock);
            before = await log.ReadAllAsync();
            manager.CleanerCrashPoint = point =>
            {
                if (point == crashPoint)
                {
                    throw new IOException("simulated crash at " + point);
                }
            };
            await Assert.ThrowsAsync<IOException>(() => manager.CompactAsync());
        }

        File.Delete(Path.Combine(dir.Path, LogManager.CleanShutdownFile));
        await using (var reopened = await Storage.OpenAsync(dir.Path, clock))
        {
            var log = reopened.GetPartition("c", 0)!;
            var records = await log.ReadAllAsync();
            Assert.Empty(Directory.GetFiles(log.Directory, "*.cleaned"));
            Assert.Empty(Directory.GetFiles(log.Directory, "*.swap"));

            // Per key, the latest value is there and nothing newer was lost; offsets only ever disappear.
            var byKey = records.Where(r => r.Key != "tail").GroupBy(r => r.Key!).ToDictionary(g => g.Key, g => g.Last());
            foreach (var (key, (offset, value)) in latest)
            {
                Assert.Equal(offset, byKey[key].Offset);
                Assert.Equal(value, byKey[key].Value);
            }

            Assert.Subset(before.Select(r => r.Offset).ToHashSet(), records.Select(r => r.Offset).ToHashSet());
            await reopened.CompactAsync();
            await AssertCompactedAsync(log, latest, tombstoneExpected: true);
        }
    }
}
