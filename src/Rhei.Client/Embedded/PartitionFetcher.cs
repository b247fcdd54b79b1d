using Rhei.Protocol.Records;
using Rhei.Storage;
using Rhei.Storage.Partitions;

namespace Rhei.Client.Embedded;

/// <summary>
/// The fetching half of an <see cref="EmbeddedConsumer"/>: the assigned partitions and their read state, and the
/// collection of a poll's records from the partition logs. A poll reads whole stored batches (one copy, from the
/// page cache into a pooled buffer) and hands out records whose keys and values are slices of that buffer. The
/// buffers of a poll are retired when the next poll starts (<see cref="ReleaseRetired"/>), since the records of the
/// previous poll point into them. Group membership and commits stay in the consumer. Not thread-safe.
/// </summary>
internal sealed class PartitionFetcher(LogManager log, ConsumerOptions options)
{
    private readonly Dictionary<TopicPartition, PartitionFetch> _fetches = [];
    private readonly List<PartitionFetch> _order = [];
    private readonly List<LogReadResult> _retiredReads = [];
    private readonly List<RecordBatchReader> _retiredReaders = [];
    private readonly Stack<RecordBatchReader> _freeReaders = new();
    private int _nextIndex;
    private List<ConsumedRecord>? _collected;
    private int _budget;

    /// <summary>The assigned partitions, in assignment order.</summary>
    public IReadOnlyList<PartitionFetch> Partitions => _order;

    public int Count => _order.Count;

    /// <summary>True while some partition does not exist yet or waits for its position to be resolved.</summary>
    public bool HasUnresolved => _order.Exists(f => f.Log is null || !f.IsResolved);

    /// <summary>Adds a partition at a position (an offset or one of <see cref="Offsets"/>' special values).</summary>
    public void Add(TopicPartition tp, long offset)
    {
        if (_fetches.ContainsKey(tp))
        {
            throw new ArgumentException($"Partition {tp} is listed twice.");
        }

        var fetch = new PartitionFetch(tp, offset) { Log = log.GetPartition(tp.Topic, tp.Partition) };
        _fetches.Add(tp, fetch);
        _order.Add(fetch);
        TryResolveQuietly(fetch);
    }

    /// <summary>Drops every partition (their buffers live until the next poll).</summary>
    public void Clear()
    {
        foreach (var f in _order)
        {
            RetireBuffers(f);
        }

        _fetches.Clear();
        _order.Clear();
        _nextIndex = 0;
    }

    public PartitionFetch Get(TopicPartition partition) =>
        _fetches.TryGetValue(partition, out var fetch) ? fetch : throw new InvalidOperationException($"Partition {partition} is not assigned to this consumer.");

    public void Seek(TopicPartitionOffset position)
    {
        var fetch = Get(position.TopicPartition);
        RetireBuffers(fetch);
        fetch.Position = position.Offset;
        TryResolveQuietly(fetch);
    }

    public long Position(TopicPartition partition)
    {
        var fetch = Get(partition);
        TryResolve(fetch);
        return fetch.IsResolved ? fetch.Position : -1001;
    }

    /// <summary>Resolves now when possible; an auto.offset.reset=error failure surfaces at the next poll or Position, as in Kafka.</summary>
    private void TryResolveQuietly(PartitionFetch fetch)
    {
        try
        {
            TryResolve(fetch);
        }
        catch (ConsumerException)
        {
        }
    }

    /// <summary>Resolves a special position when the partition exists; auto.offset.reset=error without a committed offset throws.</summary>
    private void TryResolve(PartitionFetch fetch)
    {
        if (fetch.IsResolved)
        {
            return;
        }

        fetch.Log ??= log.GetPartition(fetch.Topic, fetch.Partition);
        if (fetch.Log is not { } partitionLog)
        {
            return;
        }

        switch (fetch.Position)
        {
            case Offsets.Beginning:
                fetch.Position = partitionLog.LogStartOffset;
                break;
            case Offsets.End:
                fetch.Position = partitionLog.HighWatermark;
                break;
            case Offsets.Stored:
                var committed = options.GroupId is { } g ? log.GroupOffsets.FetchOffset(g, fetch.Topic, fetch.Partition) : null;
                fetch.Position = committed is { Offset: >= 0 } c ? c.Offset : Reset(fetch, partitionLog.LogStartOffset, partitionLog.HighWatermark, "it has no committed offset");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fetch), $"Offset {fetch.Position} of {fetch.TopicPartition} is not a valid position.");
        }
    }

    private long Reset(PartitionFetch fetch, long logStart, long highWatermark, string why) => options.AutoOffsetReset switch
    {
        AutoOffsetReset.Earliest => logStart,
        AutoOffsetReset.Latest => highWatermark,
        _ => throw new ConsumerException("OFFSET_OUT_OF_RANGE", $"Cannot read {fetch.TopicPartition}: {why} and auto.offset.reset is error (valid offsets {logStart} to {highWatermark}). Seek to a valid offset."),
    };

    /// <summary>Takes up to max.poll.records records, partition by partition, starting where the last full poll stopped.</summary>
    public ValueTask<List<ConsumedRecord>> CollectAsync()
    {
        _collected = null;
        _budget = options.MaxPollRecords;
        var n = _order.Count;
        for (var k = 0; k < n && _budget > 0; k++)
        {
            var index = (_nextIndex + k) % n;
            var fetch = _order[index];
            if (fetch.Paused)
            {
                continue;
            }

            var fill = FillAsync(fetch);
            if (!fill.IsCompletedSuccessfully)
            {
                return CollectSlowAsync(fill, k, n);
            }

            if (_budget == 0)
            {
                _nextIndex = (index + 1) % n;
            }
        }

        return ValueTask.FromResult(_collected ?? []);
    }

    private async ValueTask<List<ConsumedRecord>> CollectSlowAsync(ValueTask pending, int k, int n)
    {
        await pending;
        for (k++; k < n && _budget > 0; k++)
        {
            var index = (_nextIndex + k) % n;
            var fetch = _order[index];
            if (!fetch.Paused)
            {
                await FillAsync(fetch);
                if (_budget == 0)
                {
                    _nextIndex = (index + 1) % n;
                }
            }
        }

        return _collected ?? [];
    }

    /// <summary>Takes records of one partition into <see cref="_collected"/> until the budget is spent or nothing is left.</summary>
    private ValueTask FillAsync(PartitionFetch fetch)
    {
        fetch.Log ??= log.GetPartition(fetch.Topic, fetch.Partition);
        if (fetch.Log is null)
        {
            return ValueTask.CompletedTask;
        }

        TryResolve(fetch);
        if (!fetch.IsResolved)
        {
            return ValueTask.CompletedTask;
        }

        while (_budget > 0)
        {
            if (fetch.Reader is { } reader)
            {
                if (TakeRecords(fetch, reader))
                {
                    return ValueTask.CompletedTask;
                }

                if (fetch.BatchNextOffset > fetch.Position)
                {
                    fetch.Position = fetch.BatchNextOffset;
                }

                _retiredReaders.Add(reader);
                fetch.Reader = null;
            }

            if (fetch.Read is { } read)
            {
                if (NextBatch(fetch, read))
                {
                    continue;
                }

                if (fetch.Read is not null)
                {
                    // Stopped at the last stable offset.
                    return ValueTask.CompletedTask;
                }
            }

            var partitionLog = fetch.Log;
            if (fetch.Position >= partitionLog.HighWatermark)
            {
                if (fetch.Position > partitionLog.HighWatermark)
                {
                    fetch.Position = Reset(fetch, partitionLog.LogStartOffset, partitionLog.HighWatermark, $"offset {fetch.Position} is past the end of the log");
                }

                return ValueTask.CompletedTask;
            }

            var pending = partitionLog.ReadAsync(fetch.Position, options.MaxPartitionFetchBytes);
            if (!pending.IsCompletedSuccessfully)
            {
                return FillSlowAsync(fetch, pending);
            }

            if (!Accept(fetch, pending.Result))
            {
                return ValueTask.CompletedTask;
            }
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask FillSlowAsync(PartitionFetch fetch, ValueTask<LogReadResult> pending)
    {
        if (Accept(fetch, await pending))
        {
            await FillAsync(fetch);
        }
    }

    /// <summary>Takes a read result as the partition's buffer; false when it holds nothing to read.</summary>
    private bool Accept(PartitionFetch fetch, LogReadResult read)
    {
        if (read.Error == StorageError.OffsetOutOfRange)
        {
            read.Dispose();
            fetch.Position = Reset(fetch, read.LogStartOffset, read.HighWatermark, $"offset {fetch.Position} is out of range");
            return true;
        }

        if (read.Error != StorageError.None)
        {
            // The partition was closed (topic deleted): look it up again next time.
            read.Dispose();
            fetch.Log = null;
            return false;
        }

        if (read.Records.IsEmpty)
        {
            read.Dispose();
            return false;
        }

        fetch.Read = read;
        fetch.ReadPosition = 0;
        return true;
    }

    /// <summary>Positions a reader at the next batch of the read buffer; false when the buffer is done.</summary>
    private bool NextBatch(PartitionFetch fetch, LogReadResult read)
    {
        var records = read.Records;
        while (fetch.ReadPosition < records.Length)
        {
            var rest = records[fetch.ReadPosition..];
            if (RecordBatchHeader.ValidateStructure(rest.Span, out var size) != RecordBatchError.None)
            {
                break;
            }

            var header = new RecordBatchHeader(rest.Span);
            var nextOffset = header.BaseOffset + header.LastOffsetDelta + 1;
            if (nextOffset <= fetch.Position)
            {
                fetch.ReadPosition += size;
                continue;
            }

            if (options.ReadCommitted && header.BaseOffset >= read.LastStableOffset)
            {
                // Not stable yet (an open transaction): keep the buffer and try again at the next poll.
                return false;
            }

            fetch.ReadPosition += size;
            if (header.IsControl)
            {
                fetch.Position = Math.Max(fetch.Position, nextOffset);
                continue;
            }

            var reader = _freeReaders.TryPop(out var free) ? free : new RecordBatchReader();
            reader.Reset(rest[..size]);
            fetch.Reader = reader;
            fetch.BatchNextOffset = nextOffset;
            return true;
        }

        _retiredReads.Add(read);
        fetch.Read = null;
        return false;
    }

    /// <summary>Takes records from the current batch; true when the budget ran out (the batch may have more).</summary>
    private bool TakeRecords(PartitionFetch fetch, RecordBatchReader reader)
    {
        var list = _collected ??= new List<ConsumedRecord>(Math.Min(_budget, 1024));
        var timestampType = reader.TimestampType == Rhei.Protocol.Records.TimestampType.LogAppendTime ? TimestampType.LogAppendTime : TimestampType.CreateTime;
        var epoch = reader.PartitionLeaderEpoch;
        while (reader.TryReadNext(out var record))
        {
            if (record.Offset < fetch.Position)
            {
                continue;
            }

            list.Add(new ConsumedRecord
            {
                Topic = fetch.Topic,
                Partition = fetch.Partition,
                Offset = record.Offset,
                Timestamp = record.Timestamp,
                TimestampType = timestampType,
                Key = record.Key,
                Value = record.Value,
                Headers = record.Headers.Count == 0 ? [] : CopyHeaders(record.Headers),
                LeaderEpoch = epoch,
            });
            fetch.Position = record.Offset + 1;
            if (--_budget == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static RecordHeader[] CopyHeaders(RecordHeaders headers)
    {
        var copy = new RecordHeader[headers.Count];
        var i = 0;
        foreach (var h in headers)
        {
            copy[i++] = new RecordHeader(h.KeyString, h.Value is { } v ? v.ToArray() : (ReadOnlyMemory<byte>?)null);
        }

        return copy;
    }

    /// <summary>Adds, for each fetchable partition, a task that completes when a record is appended past its position.</summary>
    public void AddAppendWaits(List<Task> tasks, TimeSpan wait, CancellationToken cancellationToken)
    {
        foreach (var f in _order)
        {
            if (!f.Paused && f.Log is { } partitionLog && f.IsResolved)
            {
                tasks.Add(partitionLog.WaitForAppendAsync(f.Position, wait, cancellationToken));
            }
        }
    }

    /// <summary>Drops a partition's read state; its buffers live until the next poll (records may point into them).</summary>
    private void RetireBuffers(PartitionFetch fetch)
    {
        if (fetch.Reader is { } reader)
        {
            _retiredReaders.Add(reader);
            fetch.Reader = null;
        }

        if (fetch.Read is { } read)
        {
            _retiredReads.Add(read);
            fetch.Read = null;
        }
    }

    /// <summary>Returns the buffers of the previous poll to the pool.</summary>
    public void ReleaseRetired()
    {
        foreach (var read in _retiredReads)
        {
            read.Dispose();
        }

        _retiredReads.Clear();
        foreach (var reader in _retiredReaders)
        {
            _freeReaders.Push(reader);
        }

        _retiredReaders.Clear();
    }

    /// <summary>Releases every buffer and reader (the consumer is closing).</summary>
    public void Close()
    {
        Clear();
        ReleaseRetired();
        while (_freeReaders.TryPop(out var reader))
        {
            reader.Dispose();
        }
    }
}
