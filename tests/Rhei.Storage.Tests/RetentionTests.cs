namespace Rhei.Storage.Tests;

public class RetentionTests
{
    [Fact]
    public async Task Old_segments_are_deleted_by_time_but_never_the_active_one()
    {
        using var dir = new TempDir();
        var clock = new ManualClock();
        await using var manager = await Storage.OpenAsync(dir.Path, clock);
        await manager.CreateTopicAsync("t", 1, new Dictionary<string, string> { ["retention.ms"] = "3600000", ["segment.bytes"] = "1000" });
        var log = manager.GetPartition("t", 0)!;
        for (var i = 0; i < 30; i++)
        {
            await log.AppendOk(Storage.Batch(clock.NowMs, ("k", $"old {i}")));
        }

        clock.Advance(TimeSpan.FromMinutes(90));
        for (var i = 0; i < 30; i++)
        {
            await log.AppendOk(Storage.Batch(clock.NowMs, ("k", $"new {i}")));
        }

        var segmentsBefore = log.SegmentCount;
        Assert.True(manager.EnforceRetention() > 0);
        Assert.True(log.SegmentCount < segmentsBefore);
        Assert.True(log.LogStartOffset > 0);
        Assert.True(log.LogStartOffset <= 30);
        var records = await log.ReadAllAsync();
        Assert.All(records.Where(r => r.Offset >= 30), r => Assert.StartsWith("new", r.Value));
        Assert.DoesNotContain(records, r => r.Value == "old 0");
        using var below = await log.ReadAsync(0, 1000);
        Assert.Equal(StorageError.OffsetOutOfRange, below.Error);
        var files = Directory.GetFiles(log.Directory, "*.log");
        Assert.Equal(log.SegmentCount, files.Length);

        // Everything expires: all but the active segment go.
        clock.Advance(TimeSpan.FromDays(1));
        manager.EnforceRetention();
        Assert.Equal(1, log.SegmentCount);
        Assert.Equal(60, log.HighWatermark);
        Assert.Equal(60, (await log.AppendOk(Storage.Batch(clock.NowMs, ("k", "later")))).BaseOffset);
    }

    [Fact]
    public async Task Old_segments_are_deleted_beyond_the_size_limit()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        await manager.CreateTopicAsync("t", 1, new Dictionary<string, string> { ["retention.bytes"] = "3000", ["segment.bytes"] = "1000" });
        var log = manager.GetPartition("t", 0)!;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < 100; i++)
        {
            await log.AppendOk(Storage.Batch(now, ("k", $"value {i}")));
        }

        Assert.True(log.Size > 3000);
        Assert.True(manager.EnforceRetention() > 0);
        Assert.True(log.Size <= 3000 + 1000, $"size {log.Size}");
        Assert.True(log.Size > 3000 - 1000, $"size {log.Size}, segments {string.Join(",", log.SegmentBaseOffsets)}");
        Assert.Equal(100, log.HighWatermark);
        var records = await log.ReadAllAsync();
        Assert.Equal("value 99", records[^1].Value);
        Assert.Equal(log.LogStartOffset, records[0].Offset);
    }

    [Fact]
    public async Task Delete_records_moves_the_log_start_and_survives_restart()
    {
        using var dir = new TempDir();
        await using (var manager = await Storage.OpenAsync(dir.Path))
        {
            await manager.CreateTopicAsync("t", 1, new Dictionary<string, string> { ["segment.bytes"] = "1000" });
            var log = manager.GetPartition("t", 0)!;
            for (var i = 0; i < 50; i++)
            {
                await log.AppendOk(Storage.Batch(1, ("k", $"value {i}")));
            }

            var segments = log.SegmentCount;
            Assert.Equal(37, await log.DeleteRecordsAsync(37));
            Assert.True(log.SegmentCount < segments);
            Assert.Equal(37, log.LogStartOffset);
            var records = await log.ReadAllAsync();
            Assert.Equal("value 37", records[0].Value);
            var error = await Assert.ThrowsAsync<StorageException>(async () => await log.DeleteRecordsAsync(51));
            Assert.Equal(StorageError.OffsetOutOfRange, error.Error);
            Assert.Equal(37, await log.DeleteRecordsAsync(10));
            Assert.Equal(new Partitions.TimestampOffset(37, -1), await log.GetOffsetForTimestampAsync(Partitions.OffsetTimestamps.Earliest));
        }

        File.Delete(Path.Combine(dir.Path, LogManager.CleanShutdownFile));
        await using var reopened = await Storage.OpenAsync(dir.Path);
        var again = reopened.GetPartition("t", 0)!;
        Assert.Equal(37, again.LogStartOffset);
        Assert.Equal(50, again.HighWatermark);
        Assert.Equal(50, await again.DeleteRecordsAsync(-1));
        Assert.Empty(await again.ReadAllAsync());
    }
}
