namespace Rhei.Storage.Tests;

public class FlushTests
{
    [Fact]
    public async Task Flush_interval_messages_one_fsyncs_every_append()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path, tweak: o => o with { LogFlushIntervalMessages = 1 });
        await manager.CreateTopicAsync("every", 1);
        await manager.CreateTopicAsync("third", 1, new Dictionary<string, string> { ["flush.messages"] = "3" });
        var every = manager.GetPartition("every", 0)!;
        var third = manager.GetPartition("third", 0)!;
        for (var i = 0; i < 6; i++)
        {
            await every.AppendOk(Storage.Batch(1, ("k", "v")));
            await third.AppendOk(Storage.Batch(1, ("k", "v")));
        }

        Assert.Equal(6, every.FlushCount);
        Assert.Equal(2, third.FlushCount);
    }

    [Fact]
    public async Task Default_policy_leaves_flushing_to_the_page_cache_and_flush_ms_flushes_by_age()
    {
        using var dir = new TempDir();
        var clock = new ManualClock();
        await using var manager = await Storage.OpenAsync(dir.Path, clock);
        await manager.CreateTopicAsync("default", 1);
        await manager.CreateTopicAsync("timed", 1, new Dictionary<string, string> { ["flush.ms"] = "1000" });
        var plain = manager.GetPartition("default", 0)!;
        var timed = manager.GetPartition("timed", 0)!;
        await plain.AppendOk(Storage.Batch(1, ("k", "v")));
        await timed.AppendOk(Storage.Batch(1, ("k", "v")));
        manager.FlushByTime();
        Assert.Equal(0, timed.FlushCount);
        clock.Advance(TimeSpan.FromSeconds(2));
        manager.FlushByTime();
        Assert.Equal(1, timed.FlushCount);
        Assert.Equal(0, plain.FlushCount);
    }

    [Fact]
    public async Task A_rolled_segment_that_never_got_its_index_is_recovered_after_a_crash()
    {
        using var dir = new TempDir();
        await using (var manager = await Storage.OpenAsync(dir.Path))
        {
            await manager.CreateTopicAsync("t", 1);
            var log = manager.GetPartition("t", 0)!;
            for (var i = 0; i < 5; i++)
            {
                await log.AppendOk(Storage.Batch(1, ("k", $"v{i}")));
            }

            log.Roll();
            await log.AppendOk(Storage.Batch(1, ("k", "v5")));
        }

        // As if the machine died before the rolled segment's fsync: no index, a torn tail.
        File.Delete(Path.Combine(dir.Path, LogManager.CleanShutdownFile));
        var first = Path.Combine(dir.Path, "t-0", $"{0:D20}.log");
        File.Delete(Path.ChangeExtension(first, ".index"));
        await using (var stream = new FileStream(first, FileMode.Open))
        {
            stream.SetLength(stream.Length - 10);
        }

        await using var reopened = await Storage.OpenAsync(dir.Path);
        var values = (await reopened.GetPartition("t", 0)!.ReadAllAsync()).Select(r => r.Value);
        Assert.Equal(["v0", "v1", "v2", "v3", "v5"], values);
    }
}
