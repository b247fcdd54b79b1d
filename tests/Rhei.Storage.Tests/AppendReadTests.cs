using System.Buffers.Binary;
using Rhei.Protocol.Compression;
using Rhei.Protocol.Records;
using Rhei.Storage.Partitions;

namespace Rhei.Storage.Tests;

public class AppendReadTests
{
    [Fact]
    public async Task Appends_get_dense_offsets_across_segment_rolls_and_every_offset_reads_back()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        await manager.CreateTopicAsync("t", 1, new Dictionary<string, string> { ["segment.bytes"] = "2000", ["index.interval.bytes"] = "100" });
        var log = manager.GetPartition("t", 0)!;
        var expected = new List<string>();
        for (var b = 0; b < 60; b++)
        {
            var records = Enumerable.Range(0, 1 + (b % 4)).Select(i => ((string?)$"k{b}", (string?)$"batch {b} record {i}")).ToArray();
            var result = await log.AppendOk(Storage.Batch(1000 + b, records));
            Assert.Equal(expected.Count, result.BaseOffset);
            Assert.Equal(expected.Count + records.Length - 1, result.LastOffset);
            Assert.Equal(-1, result.LogAppendTime);
            expected.AddRange(records.Select(r => r.Item2!));
        }

        Assert.True(log.SegmentCount > 3, $"only {log.SegmentCount} segments");
        Assert.Equal(expected.Count, log.HighWatermark);
        var all = await log.ReadAllAsync();
        Assert.Equal(expected, all.Select(r => r.Value));
        Assert.Equal(Enumerable.Range(0, expected.Count).Select(i => (long)i), all.Select(r => r.Offset));

        for (long offset = 0; offset < expected.Count; offset++)
        {
            using var read = await log.ReadAsync(offset, 1);
            var first = new RecordBatchHeader(read.Records.Span);
            Assert.True(first.BaseOffset <= offset && offset <= first.LastOffset, $"offset {offset} not in batch {first.BaseOffset}..{first.LastOffset}");
            Assert.Equal(first.TotalSize, read.Records.Length);
        }
    }

    [Fact]
    public async Task Reads_stop_at_max_bytes_but_return_one_whole_batch_at_least()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        await manager.CreateTopicAsync("t", 1);
        var log = manager.GetPartition("t", 0)!;
        var batch = Storage.Batch(1, ("k", new string('x', 500)));
        for (var i = 0; i < 10; i++)
        {
            await log.AppendOk((byte[])batch.Clone());
        }

        using (var read = await log.ReadAsync(0, 10))
        {
            Assert.Equal(batch.Length, read.Records.Length);
        }

        using (var read = await log.ReadAsync(0, batch.Length * 3 + 5))
        {
            Assert.Equal(batch.Length * 3, read.Records.Length);
        }

        using (var read = await log.ReadAsync(4, 10, minOneBatch: false))
        {
            Assert.Equal(StorageError.None, read.Error);
            Assert.True(read.Records.IsEmpty);
        }

        using (var atEnd = await log.ReadAsync(10, 1000))
        {
            Assert.Equal(StorageError.None, atEnd.Error);
            Assert.True(atEnd.Records.IsEmpty);
            Assert.Equal(10, atEnd.HighWatermark);
        }

        using var beyond = await log.ReadAsync(11, 1000);
        Assert.Equal(StorageError.OffsetOutOfRange, beyond.Error);
    }

    [Fact]
    public async Task Invalid_batches_are_rejected_with_kafka_errors()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        await manager.CreateTopicAsync("t", 1, new Dictionary<string, string> { ["max.message.bytes"] = "300" });
        await manager.CreateTopicAsync("compacted", 1, new Dictionary<string, string> { ["cleanup.policy"] = "compact" });
        var log = manager.GetPartition("t", 0)!;

        var damaged = Storage.Batch(1, ("k", "v"));
        damaged[^1] ^= 0xFF;
        Assert.Equal(StorageError.CorruptMessage, (await log.AppendAsync(damaged)).Error);

        var cut = Storage.Batch(1, ("k", "v"));
        Assert.Equal(StorageError.CorruptMessage, (await log.AppendAsync(cut.AsMemory(0, cut.Length - 3))).Error);

        var magic = Storage.Batch(1, ("k", "v"));
        magic[RecordBatchHeader.MagicOffset] = 1;
        Assert.Equal(StorageError.CorruptMessage, (await log.AppendAsync(magic)).Error);

        Assert.Equal(StorageError.MessageTooLarge, (await log.AppendAsync(Storage.Batch(1, ("k", new string('x', 400))))).Error);

        var miscounted = Storage.Batch(1, ("a", "1"), ("b", "2"));
        BinaryPrimitives.WriteInt32BigEndian(miscounted.AsSpan(RecordBatchHeader.RecordsCountOffset), 3);
        RecordBatchHeader.UpdateCrc(miscounted);
        Assert.Equal(StorageError.InvalidRecord, (await log.AppendAsync(miscounted)).Error);

        using var control = new RecordBatchBuilder { IsControl = true };
        control.Add(1, ControlRecord.EncodeKey(ControlRecordType.Commit), ControlRecord.EncodeMarkerValue(0));
        Assert.Equal(StorageError.InvalidRecord, (await log.AppendAsync(control.Build())).Error);

        var compacted = manager.GetPartition("compacted", 0)!;
        var noKey = await compacted.AppendAsync(Storage.Batch(CompressionType.Zstd, 1, ("k", "v"), (null, "v")));
        Assert.Equal(StorageError.InvalidRecord, noKey.Error);
        Assert.Contains("without a key", noKey.ErrorMessage);

        Assert.Equal(0, log.HighWatermark);
        Assert.Equal(0, compacted.HighWatermark);
        Assert.Equal("CORRUPT_MESSAGE", StorageError.CorruptMessage.Name());
    }

    [Fact]
    public async Task Log_append_time_topics_stamp_the_broker_time()
    {
        using var dir = new TempDir();
        var clock = new ManualClock();
        await using var manager = await Storage.OpenAsync(dir.Path, clock);
        await manager.CreateTopicAsync("t", 1, new Dictionary<string, string> { ["message.timestamp.type"] = "LogAppendTime" });
        var log = manager.GetPartition("t", 0)!;
        var result = await log.AppendOk(Storage.Batch(CompressionType.Snappy, 5, ("a", "1"), ("b", "2")));
        Assert.Equal(clock.NowMs, result.LogAppendTime);
        var records = await log.ReadAllAsync();
        Assert.All(records, r => Assert.Equal(clock.NowMs, r.Timestamp));
    }

    [Fact]
    public async Task Offsets_are_found_by_timestamp_before_and_after_restart()
    {
        using var dir = new TempDir();
        var timestamps = new List<long>();
        async Task CheckAsync(PartitionLog log)
        {
            Assert.Equal(new TimestampOffset(0, -1), await log.GetOffsetForTimestampAsync(OffsetTimestamps.Earliest));
            Assert.Equal(new TimestampOffset(timestamps.Count, -1), await log.GetOffsetForTimestampAsync(OffsetTimestamps.Latest));
            var max = await log.GetOffsetForTimestampAsync(OffsetTimestamps.MaxTimestamp);
            Assert.Equal(timestamps.IndexOf(timestamps.Max()), max!.Value.Offset);
            foreach (var target in new long[] { 0, 10_000, 10_005, 10_500, 12_345, 19_990, 20_000 })
            {
                var expected = timestamps.FindIndex(t => t >= target);
                var found = await log.GetOffsetForTimestampAsync(target);
                if (expected < 0)
                {
                    Assert.Null(found);
                }
                else
                {
                    Assert.Equal(expected, found!.Value.Offset);
                    Assert.Equal(timestamps[expected], found.Value.Timestamp);
                }
            }
        }

        await using (var manager = await Storage.OpenAsync(dir.Path))
        {
            await manager.CreateTopicAsync("t", 1, new Dictionary<string, string> { ["segment.bytes"] = "3000", ["index.interval.bytes"] = "200" });
            var log = manager.GetPartition("t", 0)!;
            var random = new Random(3);
            for (var b = 0; b < 100; b++)
            {
                // Mostly growing timestamps with some going back, two records a batch.
                using var builder = new RecordBatchBuilder(b % 3 == 0 ? CompressionType.Lz4 : CompressionType.None);
                for (var i = 0; i < 2; i++)
                {
                    var t = 10_000 + (b * 100) + (i * 10) - random.Next(0, 150);
                    builder.Add(t, Storage.Bytes("k"), Storage.Bytes($"{b}/{i}"));
                    timestamps.Add(t);
                }

                await log.AppendOk(builder.Build());
            }

            Assert.True(log.SegmentCount > 3);
            await CheckAsync(log);
        }

        await using var reopened = await Storage.OpenAsync(dir.Path);
        Assert.True(reopened.WasCleanStart);
        await CheckAsync(reopened.GetPartition("t", 0)!);
    }

    [Fact]
    public async Task Waiting_for_data_wakes_on_append_and_times_out_otherwise()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        await manager.CreateTopicAsync("t", 1);
        var log = manager.GetPartition("t", 0)!;
        Assert.False(await log.WaitForAppendAsync(0, TimeSpan.FromMilliseconds(20)));
        var waiting = log.WaitForAppendAsync(0, TimeSpan.FromSeconds(30));
        await log.AppendOk(Storage.Batch(1, ("k", "v")));
        Assert.True(await waiting);
        Assert.True(await log.WaitForAppendAsync(0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Concurrent_appends_to_several_partitions_keep_every_partition_dense()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        await manager.CreateTopicAsync("t", 4, new Dictionary<string, string> { ["segment.bytes"] = "20000" });
        const int Writers = 8, Batches = 100;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var log = manager.GetPartition("t", w % 4)!;
            for (var b = 0; b < Batches; b++)
            {
                await log.AppendOk(Storage.Batch(1, ($"w{w}", $"{b}"), ($"w{w}", $"{b}'")));
            }
        })));

        for (var p = 0; p < 4; p++)
        {
            var log = manager.GetPartition("t", p)!;
            Assert.Equal(2 * Batches * 2, log.HighWatermark);
            var records = await log.ReadAllAsync();
            Assert.Equal(Enumerable.Range(0, 400).Select(i => (long)i), records.Select(r => r.Offset));
            foreach (var writer in records.GroupBy(r => r.Key))
            {
                // Each writer's records stay in its own order.
                Assert.Equal(Enumerable.Range(0, Batches).SelectMany(b => new[] { $"{b}", $"{b}'" }), writer.Select(r => r.Value));
            }
        }
    }

    [Fact]
    public async Task Segments_roll_by_time()
    {
        using var dir = new TempDir();
        var clock = new ManualClock();
        await using var manager = await Storage.OpenAsync(dir.Path, clock);
        await manager.CreateTopicAsync("t", 1, new Dictionary<string, string> { ["segment.ms"] = "60000" });
        var log = manager.GetPartition("t", 0)!;
        await log.AppendOk(Storage.Batch(clock.NowMs, ("k", "1")));
        clock.Advance(TimeSpan.FromSeconds(30));
        await log.AppendOk(Storage.Batch(clock.NowMs, ("k", "2")));
        Assert.Equal(1, log.SegmentCount);
        clock.Advance(TimeSpan.FromSeconds(31));
        await log.AppendOk(Storage.Batch(clock.NowMs, ("k", "3")));
        Assert.Equal(2, log.SegmentCount);
        Assert.Equal([0L, 2L], log.SegmentBaseOffsets);
    }
}
