using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Rhei.Client;
using Rhei.Server.Rest;

namespace Rhei.Server.Console;

/// <summary>
/// Reads records of one topic for the topic browser: a page from the newest records, the beginning, an offset or a
/// time; or a live tail streamed as server-sent events. Every read has its own consumer (assigned, no group).
/// </summary>
internal sealed class TopicReader(IClientFactory clients, IAdmin admin, TimeProvider time)
{
    public const int MaxLimit = 1000;

    /// <summary>Where reading starts in each partition.</summary>
    public sealed record StartPosition(string Mode, long? Offset, long? Timestamp, int? Partition);

    /// <summary>Reads up to <paramref name="limit"/> records from <paramref name="start"/>, stopping at the current end.</summary>
    public async Task<(List<string> Records, Dictionary<int, long> Next, Dictionary<int, long> End)> ReadAsync(
        string topic, int partitions, StartPosition start, int limit, RecordDecoder decoder, CancellationToken cancellationToken)
    {
        var positions = await ResolveAsync(topic, partitions, start, limit, cancellationToken);
        var ends = (await admin.ListOffsetsAsync(positions.Keys.Select(p => (new TopicPartition(topic, p), OffsetSpec.Latest)), cancellationToken))
            .ToDictionary(e => e.TopicPartition.Partition, e => e.Offset);
        var next = new Dictionary<int, long>(positions);
        var records = new List<(long Timestamp, int Partition, long Offset, string Json)>();
        var pending = positions.Where(p => p.Value < ends[p.Key]).Select(p => p.Key).ToHashSet();
        var cap = start.Mode == "latest" ? limit * Math.Max(1, positions.Count) : limit;
        if (pending.Count > 0)
        {
            await using var consumer = clients.CreateConsumer(new ConsumerOptions { ClientId = "rhei-console", MaxPollRecords = Math.Clamp(limit, 1, 500), ReadCommitted = false });
            consumer.Assign(pending.Select(p => new TopicPartitionOffset(topic, p, positions[p])));
            var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(3);
            var buffer = new ArrayBufferWriter<byte>(1024);
            while (pending.Count > 0 && records.Count < cap && time.GetUtcNow() < deadline)
            {
                var polled = await consumer.PollAsync(TimeSpan.FromMilliseconds(200), cancellationToken);
                foreach (var record in polled)
                {
                    if (!pending.Contains(record.Partition) || records.Count >= cap)
                    {
                        continue;
                    }

                    records.Add((record.Timestamp, record.Partition, record.Offset, Encode(decoder, record, buffer)));
                    next[record.Partition] = record.Offset + 1;
                    if (record.Offset + 1 >= ends[record.Partition])
                    {
                        pending.Remove(record.Partition);
                    }
                }

                foreach (var p in pending.ToList())
                {
                    if (consumer.Position(new TopicPartition(topic, p)) >= ends[p])
                    {
                        pending.Remove(p);
                    }
                }
            }
        }

        var ordered = start.Mode == "latest"
            ? records.OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Offset)
            : records.OrderBy(r => r.Timestamp).ThenBy(r => r.Partition).ThenBy(r => r.Offset);
        return ([.. ordered.Take(limit).Select(r => r.Json)], next, ends);
    }

    /// <summary>
    /// Streams records from <paramref name="start"/> (the end by default) as server-sent events until the browser
    /// leaves or the server stops: one <c>record</c> event per record, and a comment every 15 s to keep proxies open.
    /// </summary>
    public async Task TailAsync(HttpContext context, string topic, int partitions, StartPosition start, RecordDecoder decoder, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var token = linked.Token;
        var positions = await ResolveAsync(topic, partitions, start, 0, token);
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        var pipe = response.BodyWriter;
        HttpIo.Copy(Encoding.UTF8.GetBytes($"retry: 2000\nevent: ready\ndata: {{\"partitions\":{positions.Count}}}\n\n"), pipe);
        await pipe.FlushAsync(token);

        await using var consumer = clients.CreateConsumer(new ConsumerOptions { ClientId = "rhei-console-tail", MaxPollRecords = 200, ReadCommitted = false });
        consumer.Assign(positions.Select(p => new TopicPartitionOffset(topic, p.Key, p.Value)));
        var buffer = new ArrayBufferWriter<byte>(1024);
        var lastWrite = time.GetTimestamp();
        try
        {
            while (!token.IsCancellationRequested)
            {
                var polled = await consumer.PollAsync(TimeSpan.FromMilliseconds(500), token);
                if (polled.Count > 0)
                {
                    foreach (var record in polled)
                    {
                        var json = Encode(decoder, record, buffer);
                        HttpIo.Copy(Encoding.UTF8.GetBytes("event: record\ndata: " + json + "\n\n"), pipe);
                    }

                    await pipe.FlushAsync(token);
                    lastWrite = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(lastWrite) > TimeSpan.FromSeconds(15))
                {
                    HttpIo.Copy(": keep-alive\n\n"u8, pipe);
                    await pipe.FlushAsync(token);
                    lastWrite = time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The browser closed the stream or the server is stopping.
        }
    }

    private static string Encode(RecordDecoder decoder, ConsumedRecord record, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, ConsoleHttp.WriterOptions))
        {
            decoder.Write(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The first offset to read per partition.</summary>
    private async Task<Dictionary<int, long>> ResolveAsync(string topic, int partitions, StartPosition start, int limit, CancellationToken cancellationToken)
    {
        var chosen = start.Partition is { } only ? [only] : Enumerable.Range(0, partitions).ToList();
        var tps = chosen.Select(p => new TopicPartition(topic, p)).ToList();
        var earliest = (await admin.ListOffsetsAsync(tps.Select(tp => (tp, OffsetSpec.Earliest)), cancellationToken)).ToDictionary(r => r.TopicPartition.Partition, r => r.Offset);
        var latest = (await admin.ListOffsetsAsync(tps.Select(tp => (tp, OffsetSpec.Latest)), cancellationToken)).ToDictionary(r => r.TopicPartition.Partition, r => r.Offset);
        var result = new Dictionary<int, long>();
        switch (start.Mode)
        {
            case "beginning":
                foreach (var p in chosen)
                {
                    result[p] = earliest[p];
                }

                break;
            case "offset":
                foreach (var p in chosen)
                {
                    result[p] = Math.Clamp(start.Offset ?? 0, earliest[p], latest[p]);
                }

                break;
            case "timestamp":
                var found = await admin.ListOffsetsAsync(tps.Select(tp => (tp, OffsetSpec.ForTimestamp(start.Timestamp ?? 0))), cancellationToken);
                foreach (var r in found)
                {
                    result[r.TopicPartition.Partition] = r.Offset < 0 ? latest[r.TopicPartition.Partition] : r.Offset;
                }

                break;
            case "latest":
                // The newest records: as many from each partition as the page holds (they are merged by time).
                foreach (var p in chosen)
                {
                    result[p] = Math.Max(earliest[p], latest[p] - limit);
                }

                break;
            default: // "end": only what arrives from now on
                foreach (var p in chosen)
                {
                    result[p] = latest[p];
                }

                break;
        }

        return result;
    }
}
