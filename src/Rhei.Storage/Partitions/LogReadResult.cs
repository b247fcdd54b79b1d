using System.Buffers;

namespace Rhei.Storage.Partitions;

/// <summary>
/// What <see cref="PartitionLog.ReadAsync"/> returns: whole record batches as stored (never decoded), in one
/// buffer rented from the shared pool — dispose to return it. <see cref="Records"/> starts with the batch
/// that contains the requested offset (so it may hold records before it: consumers skip them, as Kafka's
/// do) and is empty at the end of the log.
/// </summary>
public sealed class LogReadResult : IDisposable
{
    private byte[]? _buffer;

    internal LogReadResult(StorageError error, byte[]? buffer, int start, int length, long highWatermark, long logStartOffset)
    {
        Error = error;
        _buffer = buffer;
        Records = buffer is null ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(start, length);
        HighWatermark = highWatermark;
        LogStartOffset = logStartOffset;
    }

    /// <summary>None, OffsetOutOfRange (offset below the log start or above the high watermark), or UnknownTopicOrPartition (closed).</summary>
    public StorageError Error { get; }

    public ReadOnlyMemory<byte> Records { get; private set; }

    public long HighWatermark { get; }

    /// <summary>Last stable offset: the high watermark until transactions exist (the seam).</summary>
    public long LastStableOffset => HighWatermark;

    public long LogStartOffset { get; }

    /// <summary>Aborted transactions overlapping the records (the transactions seam): always empty for now.</summary>
    public IReadOnlyList<AbortedTransaction> AbortedTransactions => [];

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        Records = ReadOnlyMemory<byte>.Empty;
        if (buffer is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>An aborted transaction in a Fetch response: the producer and the first offset of its aborted records.</summary>
public readonly record struct AbortedTransaction(long ProducerId, long FirstOffset);
