using System.Text;
using Rhei.Protocol.Compression;
using Rhei.Protocol.Records;
using Rhei.Storage.Partitions;

namespace Rhei.Storage.Tests;

/// <summary>A temporary directory removed at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rhei-storage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public ManualClock()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public DateTimeOffset Now { get; set; } = start;

    public long NowMs => Now.ToUnixTimeMilliseconds();

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

internal sealed record ReadRecord(long Offset, long Timestamp, string? Key, string? Value);

internal static class Storage
{
    public static StorageOptions Options(string dir, Func<StorageOptions, StorageOptions>? tweak = null)
    {
        var options = new StorageOptions { LogDirs = [dir], RunBackgroundTasks = false };
        return tweak is null ? options : tweak(options);
    }

    public static Task<LogManager> OpenAsync(string dir, TimeProvider? clock = null, Func<StorageOptions, StorageOptions>? tweak = null) =>
        LogManager.OpenAsync(Options(dir, tweak), timeProvider: clock);

    public static byte[] Batch(long timestamp, params (string? Key, string? Value)[] records) =>
        Batch(CompressionType.None, timestamp, records);

    public static byte[] Batch(CompressionType codec, long timestamp, params (string? Key, string? Value)[] records)
    {
        using var builder = new RecordBatchBuilder(codec);
        foreach (var (key, value) in records)
        {
            builder.Add(timestamp, Bytes(key), Bytes(value));
        }

        return builder.Build();
    }

    public static byte[] IdempotentBatch(long producerId, short epoch, int baseSequence, int count, long timestamp = 1000)
    {
        using var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence };
        for (var i = 0; i < count; i++)
        {
            builder.Add(timestamp, null, Bytes($"p{producerId}-s{baseSequence + i}"));
        }

        return builder.Build();
    }

    public static ReadOnlyMemory<byte>? Bytes(string? s) => s is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(s);

    public static async Task<AppendResult> AppendOk(this PartitionLog log, byte[] batch)
    {
        var result = await log.AppendAsync(batch);
        Assert.True(result.Succeeded, $"{result.Error}: {result.ErrorMessage}");
        return result;
    }

    /// <summary>Reads every record from <paramref name="from"/> to the high watermark, decoding batches.</summary>
    public static async Task<List<ReadRecord>> ReadAllAsync(this PartitionLog log, long from = -1, int maxBytes = 64 * 1024)
    {
        var records = new List<ReadRecord>();
        var offset = from < 0 ? log.LogStartOffset : from;
        while (offset < log.HighWatermark)
        {
            using var read = await log.ReadAsync(offset, maxBytes);
            Assert.Equal(StorageError.None, read.Error);
            var progressed = false;
            foreach (var batch in RecordBatches.Enumerate(read.Records))
            {
                Assert.Equal(RecordBatchError.None, RecordBatchHeader.Validate(batch.Span, out _));
                using var reader = RecordBatchReader.Open(batch);
                while (reader.TryReadNext(out var r))
                {
                    if (r.Offset >= offset)
                    {
                        records.Add(new ReadRecord(r.Offset, r.Timestamp, Str(r.Key), Str(r.Value)));
                    }
                }

                var next = new RecordBatchHeader(batch.Span).NextOffset;
                if (next > offset)
                {
                    offset = next;
                    progressed = true;
                }
            }

            Assert.True(progressed, $"A read at offset {offset} of {log.Topic}-{log.Partition} made no progress.");
        }

        return records;
    }

    public static string? Str(ReadOnlyMemory<byte>? bytes) => bytes is { } b ? Encoding.UTF8.GetString(b.Span) : null;
}
