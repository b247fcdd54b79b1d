using System.Buffers.Binary;
using Rhei.Broker.Network;
using Rhei.Protocol;
using Rhei.Protocol.Messages;
using Rhei.Protocol.Records;
using Rhei.Storage;
using Rhei.Storage.Partitions;

namespace Rhei.Broker.Handlers;

/// <summary>
/// Fetch v4–12. Each partition returns whole stored batches, starting with the one that holds the fetch offset,
/// within its <c>partition_max_bytes</c> and the response's <c>max_bytes</c> — except that the first partition
/// with data returns at least one batch, however large. Without enough data (<c>min_bytes</c>) the request waits
/// up to <c>max_wait_ms</c> and wakes on the first append to any of its partitions. read_committed reads up to
/// the last stable offset, which is the high watermark until transactions exist. Fetch sessions are not kept:
/// the answer's session id is 0, so clients send full requests. The response is written by hand so that the
/// record bytes read from storage go to the socket as they are (spliced into the send, not copied).
/// </summary>
internal sealed class FetchHandler(BrokerServices services)
{
    public async ValueTask<bool> HandleAsync(RequestContext context, FetchRequest request)
    {
        var topics = new TopicResult[request.Topics.Count];
        for (var t = 0; t < topics.Length; t++)
        {
            var partitions = request.Topics[t].Partitions;
            topics[t] = new TopicResult(request.Topics[t].Topic, new PartitionResult[partitions.Count]);
        }

        var maxWait = Math.Max(request.MaxWaitMs, 0);
        var started = services.Time.GetTimestamp();
        try
        {
            while (true)
            {
                var (bytes, stop) = await ReadAllAsync(request, topics, CancellationToken.None);
                var waited = services.Time.GetElapsedTime(started);
                if (stop || bytes >= request.MinBytes || waited.TotalMilliseconds >= maxWait || context.Shutdown.IsCancellationRequested)
                {
                    break;
                }

                Release(topics);
                await WaitForDataAsync(topics, TimeSpan.FromMilliseconds(maxWait) - waited, context.Shutdown);
            }

            Write(context, request, topics);
            return true;
        }
        catch
        {
            Release(topics);
            throw;
        }
    }

    /// <summary>Reads every partition once. Returns the record bytes read, and whether an error asks for an answer now.</summary>
    private async ValueTask<(long Bytes, bool Stop)> ReadAllAsync(FetchRequest request, TopicResult[] topics, CancellationToken cancellationToken)
    {
        long total = 0;
        var stop = false;
        var responseMax = request.MaxBytes <= 0 ? int.MaxValue : request.MaxBytes;
        for (var t = 0; t < topics.Length; t++)
        {
            var topic = topics[t];
            var requested = request.Topics[t].Partitions;
            for (var p = 0; p < requested.Count; p++)
            {
                var fetch = requested[p];
                ref var result = ref topic.Partitions[p];
                result = new PartitionResult(fetch.Partition);
                var log = services.Storage.GetPartition(topic.Name, fetch.Partition);
                if (log is null)
                {
                    result.Error = ErrorCode.UnknownTopicOrPartition;
                    stop = true;
                    continue;
                }

                result.Log = log;
                if (fetch.CurrentLeaderEpoch > log.LeaderEpoch)
                {
                    result.Error = ErrorCode.UnknownLeaderEpoch;
                    stop = true;
                    continue;
                }

                if (fetch.CurrentLeaderEpoch >= 0 && fetch.CurrentLeaderEpoch < log.LeaderEpoch)
                {
                    result.Error = ErrorCode.FencedLeaderEpoch;
                    stop = true;
                    continue;
                }

                var remaining = responseMax - total;
                var limit = (int)Math.Min(Math.Max(fetch.PartitionMaxBytes, 0), Math.Max(remaining, 0));
                if (limit == 0 && total > 0 && fetch.FetchOffset >= log.LogStartOffset && fetch.FetchOffset <= log.HighWatermark)
                {
                    // The response is full: this partition answers its watermarks without reading.
                    result.HighWatermark = log.HighWatermark;
                    result.LastStableOffset = log.LastStableOffset;
                    result.LogStartOffset = log.LogStartOffset;
                    continue;
                }

                var read = await log.ReadAsync(fetch.FetchOffset, limit, minOneBatch: total == 0, cancellationToken);
                result.HighWatermark = read.HighWatermark;
                result.LastStableOffset = read.LastStableOffset;
                result.LogStartOffset = read.LogStartOffset;
                if (read.Error != StorageError.None)
                {
                    result.Error = (ErrorCode)(short)read.Error;
                    read.Dispose();
                    stop = true;
                    continue;
                }

                if (read.Records.IsEmpty)
                {
                    read.Dispose();
                    continue;
                }

                result.Read = read;
                total += read.Records.Length;
            }
        }

        return (total, stop);
    }

    /// <summary>Waits until a partition of the request gets new data (its high watermark moves), or the time is up.</summary>
    private static async Task WaitForDataAsync(TopicResult[] topics, TimeSpan timeout, CancellationToken shutdown)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        done.CancelAfter(timeout);
        var waits = new List<Task>();
        for (var t = 0; t < topics.Length; t++)
        {
            foreach (ref var partition in topics[t].Partitions.AsSpan())
            {
                if (partition.Error == ErrorCode.None && partition.Log is { } log)
                {
                    waits.Add(log.WaitForAppendAsync(partition.HighWatermark, Timeout.InfiniteTimeSpan, done.Token));
                }
            }
        }

        if (waits.Count == 0)
        {
            waits.Add(Task.Delay(Timeout.Infinite, done.Token));
        }

        try
        {
            await Task.WhenAny(waits);
        }
        finally
        {
            await done.CancelAsync();
        }
    }

    private static void Release(TopicResult[] topics)
    {
        foreach (var topic in topics)
        {
            foreach (ref var partition in topic.Partitions.AsSpan())
            {
                partition.Read?.Dispose();
                partition.Read = null;
            }
        }
    }

    /// <summary>Writes the FetchResponse frame; record bytes are spliced in and their buffers released after the send.</summary>
    private void Write(RequestContext context, FetchRequest request, TopicResult[] topics)
    {
        var version = context.ApiVersion;
        var flexible = version >= 12;
        var readCommitted = request.IsolationLevel == 1;
        var output = context.Output;
        context.BeginFrame();
        var span = output.GetSpan(16);
        var w = new ProtocolWriter(span);
        w.WriteInt32(0); // throttle_time_ms
        if (version >= 7)
        {
            w.WriteInt16(0); // error_code
            w.WriteInt32(0); // session_id: no fetch sessions, clients send full requests
        }

        w.WriteArrayLength(topics.Length, flexible);
        output.Advance(w.Position);
        var countRecords = services.Metrics.RecordsOutEnabled;
        foreach (var topic in topics)
        {
            span = output.GetSpan(ProtocolSize.String(topic.Name, flexible) + 5);
            w = new ProtocolWriter(span);
            w.WriteString(topic.Name, flexible, "Topic");
            w.WriteArrayLength(topic.Partitions.Length, flexible);
            output.Advance(w.Position);
            long topicBytes = 0;
            long topicRecords = 0;
            foreach (ref var partition in topic.Partitions.AsSpan())
            {
                var records = partition.Read?.Records ?? ReadOnlyMemory<byte>.Empty;
                span = output.GetSpan(64);
                w = new ProtocolWriter(span);
                w.WriteInt32(partition.Index);
                w.WriteInt16((short)partition.Error);
                w.WriteInt64(partition.HighWatermark);
                w.WriteInt64(partition.LastStableOffset);
                if (version >= 5)
                {
                    w.WriteInt64(partition.LogStartOffset);
                }

                // Aborted transactions: none until transactions exist; null for read_uncommitted, as Kafka sends.
                w.WriteArrayLength(readCommitted ? 0 : -1, flexible);
                if (version >= 11)
                {
                    w.WriteInt32(-1); // preferred_read_replica
                }

                if (flexible)
                {
                    w.WriteUnsignedVarInt(records.Length + 1);
                }
                else
                {
                    w.WriteInt32(records.Length);
                }

                output.Advance(w.Position);
                if (!records.IsEmpty)
                {
                    topicBytes += records.Length;
                    if (countRecords)
                    {
                        topicRecords += CountRecords(records.Span);
                    }

                    output.Splice(records, partition.Read);
                    partition.Read = null;
                }

                if (flexible)
                {
                    output.GetSpan(1)[0] = 0; // no tagged fields
                    output.Advance(1);
                }
            }

            if (flexible)
            {
                output.GetSpan(1)[0] = 0;
                output.Advance(1);
            }

            if (topicBytes > 0)
            {
                services.Metrics.Fetched(topic.Name, topicBytes, topicRecords);
            }
        }

        if (flexible)
        {
            output.GetSpan(1)[0] = 0;
            output.Advance(1);
        }

        context.EndFrame();
    }

    private static long CountRecords(ReadOnlySpan<byte> batches)
    {
        long count = 0;
        while (batches.Length >= RecordBatchHeader.Size)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(batches[RecordBatchHeader.BatchLengthOffset..]) + RecordBatchHeader.LogOverhead;
            count += BinaryPrimitives.ReadInt32BigEndian(batches[RecordBatchHeader.RecordsCountOffset..]);
            if (length <= 0 || length > batches.Length)
            {
                break;
            }

            batches = batches[length..];
        }

        return count;
    }

    private sealed record TopicResult(string Name, PartitionResult[] Partitions);

    private struct PartitionResult(int index)
    {
        public int Index = index;
        public ErrorCode Error;
        public long HighWatermark = -1;
        public long LastStableOffset = -1;
        public long LogStartOffset = -1;
        public PartitionLog? Log;
        public LogReadResult? Read;
    }
}
