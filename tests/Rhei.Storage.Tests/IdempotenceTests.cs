namespace Rhei.Storage.Tests;

public class IdempotenceTests
{
    [Fact]
    public async Task A_resent_batch_returns_the_original_offsets_without_appending()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        await manager.CreateTopicAsync("t", 1);
        var log = manager.GetPartition("t", 0)!;
        await log.AppendOk(Storage.Batch(1, ("other", "x")));
        var first = await log.AppendOk(Storage.IdempotentBatch(7, 0, 0, 3));
        var second = await log.AppendOk(Storage.IdempotentBatch(7, 0, 3, 2));
        var resent = await log.AppendOk(Storage.IdempotentBatch(7, 0, 0, 3));
        Assert.True(resent.IsDuplicate);
        Assert.Equal(first.BaseOffset, resent.BaseOffset);
        Assert.Equal(first.LastOffset, resent.LastOffset);
        Assert.Equal(6, log.HighWatermark);
        var resentSecond = await log.AppendOk(Storage.IdempotentBatch(7, 0, 3, 2));
        Assert.Equal(second.BaseOffset, resentSecond.BaseOffset);
        Assert.Equal(6, log.HighWatermark);
    }

    [Fact]
    public async Task Sequence_gaps_and_old_epochs_are_rejected_with_kafka_errors()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        await manager.CreateTopicAsync("t", 1);
        var log = manager.GetPartition("t", 0)!;
        await log.AppendOk(Storage.IdempotentBatch(9, 2, 0, 2));

        var gap = await log.AppendAsync(Storage.IdempotentBatch(9, 2, 5, 1));
        Assert.Equal(StorageError.OutOfOrderSequenceNumber, gap.Error);
        Assert.Equal("OUT_OF_ORDER_SEQUENCE_NUMBER", gap.Error.Name());
        Assert.Contains("producer 9", gap.ErrorMessage);

        var fenced = await log.AppendAsync(Storage.IdempotentBatch(9, 1, 2, 1));
        Assert.Equal(StorageError.InvalidProducerEpoch, fenced.Error);

        var newEpochBadSequence = await log.AppendAsync(Storage.IdempotentBatch(9, 3, 2, 1));
        Assert.Equal(StorageError.OutOfOrderSequenceNumber, newEpochBadSequence.Error);

        await log.AppendOk(Storage.IdempotentBatch(9, 3, 0, 1));
        Assert.Equal(StorageError.InvalidProducerEpoch, (await log.AppendAsync(Storage.IdempotentBatch(9, 2, 2, 1))).Error);

        // A producer this partition never saw may start anywhere (its earlier data may have been deleted).
        await log.AppendOk(Storage.IdempotentBatch(10, 0, 42, 1));
        Assert.Equal(4, log.HighWatermark);
    }

    [Fact]
    public async Task Only_the_last_five_batches_are_remembered()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        await manager.CreateTopicAsync("t", 1);
        var log = manager.GetPartition("t", 0)!;
        for (var b = 0; b < 6; b++)
        {
            await log.AppendOk(Storage.IdempotentBatch(1, 0, b, 1));
        }

        Assert.True((await log.AppendOk(Storage.IdempotentBatch(1, 0, 1, 1))).IsDuplicate);
        Assert.Equal(StorageError.OutOfOrderSequenceNumber, (await log.AppendAsync(Storage.IdempotentBatch(1, 0, 0, 1))).Error);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public async Task Producer_state_survives_a_restart(bool clean, bool rollFirst)
    {
        using var dir = new TempDir();
        await using (var manager = await Storage.OpenAsync(dir.Path))
        {
            await manager.CreateTopicAsync("t", 1);
            var log = manager.GetPartition("t", 0)!;
            await log.AppendOk(Storage.IdempotentBatch(5, 1, 0, 2));
            if (rollFirst)
            {
                log.Roll();
                await log.AppendOk(Storage.Batch(1, ("k", "v")));
            }

            await log.AppendOk(Storage.IdempotentBatch(5, 1, 2, 2));
        }

        if (!clean)
        {
            File.Delete(Path.Combine(dir.Path, LogManager.CleanShutdownFile));
            foreach (var snapshot in Directory.GetFiles(Path.Combine(dir.Path, "t-0"), "*.snapshot").Order().Skip(rollFirst ? 1 : 0))
            {
                File.Delete(snapshot);
            }
        }

        await using var reopened = await Storage.OpenAsync(dir.Path);
        Assert.Equal(clean, reopened.WasCleanStart);
        var again = reopened.GetPartition("t", 0)!;
        var end = again.HighWatermark;
        var duplicate = await again.AppendOk(Storage.IdempotentBatch(5, 1, 0, 2));
        Assert.True(duplicate.IsDuplicate);
        Assert.Equal(0, duplicate.BaseOffset);
        Assert.True((await again.AppendOk(Storage.IdempotentBatch(5, 1, 2, 2))).IsDuplicate);
        Assert.Equal(end, again.HighWatermark);
        Assert.Equal(StorageError.OutOfOrderSequenceNumber, (await again.AppendAsync(Storage.IdempotentBatch(5, 1, 9, 1))).Error);
        Assert.Equal(StorageError.InvalidProducerEpoch, (await again.AppendAsync(Storage.IdempotentBatch(5, 0, 4, 1))).Error);
        await again.AppendOk(Storage.IdempotentBatch(5, 1, 4, 1));
    }

    [Fact]
    public async Task Idle_producers_expire()
    {
        using var dir = new TempDir();
        var clock = new ManualClock();
        await using var manager = await Storage.OpenAsync(dir.Path, clock, o => o with { ProducerIdExpirationMs = 60_000 });
        await manager.CreateTopicAsync("t", 1);
        var log = manager.GetPartition("t", 0)!;
        await log.AppendOk(Storage.IdempotentBatch(3, 0, 0, 1));
        Assert.Equal(1, log.ProducerCount);
        clock.Advance(TimeSpan.FromMinutes(2));
        manager.EnforceRetention();
        Assert.Equal(0, log.ProducerCount);
    }
}
