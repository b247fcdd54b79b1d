using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Rhei.Benchmarks.Harness;
using Rhei.Client;

namespace Rhei.Benchmarks.Cases.Server;

/// <summary>
/// <c>b7</c>: push-query fan-out. <c>rate</c> (20,000) events/s are produced into a stream while <c>subscribers</c>
/// (1,16,100) push queries (<c>POST /query-stream</c>, HTTP/1.1, one connection each) read it; each event carries its
/// send time, and every subscriber records send-to-receipt latency (producer, log, shared reader, projection, HTTP,
/// client parse; the time is taken when the rows of a read have been parsed). Reported per subscriber count: p50/p99 and rows
/// delivered/s. Beside the HTTP subscribers, two probes split the path: a plain consumer of the topic (produce → log →
/// a reader; what every push query waits for anyway) and one push query read in-process through the query service
/// (adds the shared reader, projection and the subscriber's queue, without HTTP). No baseline: ksqlDB runs one
/// query per subscriber, and there is no cheaper way to reach an HTTP client here to compare with.
/// </summary>
internal static class PushFanOutBenchmark
{
    public static BenchmarkDefinition Definition { get; } = new(
        "b7",
        "Push-query fan-out: 20K events/s into a stream, 1/16/100 subscribers over HTTP, end-to-end latency",
        RunAsync);

    private static async Task<BenchmarkReport> RunAsync(BenchmarkContext context)
    {
        var rate = context.GetInt("rate", 20_000);
        var counts = context.GetString("subscribers", "1,16,100").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var ct = context.CancellationToken;
        await using var bench = await ServerBench.StartAsync();
        await bench.KsqlAsync("CREATE STREAM ev (id INT KEY, sent BIGINT) WITH (kafka_topic='ev', value_format='JSON', partitions=1);");
        var parameters = new Dictionary<string, string>
        {
            ["rate"] = rate.ToString("#,0", CultureInfo.InvariantCulture) + " events/s",
            ["query"] = "SELECT sent FROM ev EMIT CHANGES; over POST /query-stream, HTTP/1.1, one connection per subscriber",
        };
        PhaseResult last = default;
        LatencySummary? lastLatency = null;
        foreach (var count in counts)
        {
            context.Log($"{count} subscriber(s)");
            var (phase, latency, probes) = await RunAsync(bench, count, rate, context, ct);
            parameters[$"{count} subs: p50/p99/max ms"] = $"{latency.P50Ms:0.00} / {latency.P99Ms:0.00} / {latency.MaxMs:0.0}";
            parameters[$"{count} subs: rows delivered/s"] = phase.OperationsPerSecond.ToString("#,0", CultureInfo.InvariantCulture)
                + FormattableString.Invariant($" ({phase.Cpu.TotalSeconds / phase.Wall.TotalSeconds:0.00} CPU-s/s)");
            parameters[$"{count} subs: probes p50/p99 ms"] = probes;
            last = phase;
            lastLatency = latency;
        }

        return new BenchmarkReport
        {
            Id = Definition.Id,
            Description = Definition.Description,
            Parameters = parameters,
            Result = Figure.Throughput($"rows delivered to {counts[^1]} subscribers", last, "rows/s"),
            NoBaselineReason = "ksqlDB runs a separate query per subscriber; the figure of merit is the p99 at 100 subscribers",
            Latency = lastLatency,
        };
    }

    private static async Task<(PhaseResult Phase, LatencySummary Latency, string Probes)> RunAsync(ServerBench bench, int subscribers, int rate, BenchmarkContext context, CancellationToken ct)
    {
        var clients = Enumerable.Range(0, subscribers).Select(_ => bench.NewClient()).ToArray();
        var recorders = clients.Select(_ => new LatencyRecorder()).ToArray();
        var received = new long[subscribers];
        var recording = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var readers = new List<Task>();
        var opened = new List<(HttpResponseMessage, Stream)>();
        for (var i = 0; i < subscribers; i++)
        {
            var response = await clients[i].SendAsync(new HttpRequestMessage(HttpMethod.Post, "/query-stream")
            {
                Content = new StringContent("{\"sql\":\"SELECT sent FROM ev EMIT CHANGES;\"}", Encoding.UTF8, "application/json"),
            }, HttpCompletionOption.ResponseHeadersRead, ct);
            var stream = await response.Content.ReadAsStreamAsync(ct);
            opened.Add((response, stream));
            var index = i;
            readers.Add(Task.Run(() => ReadAsync(stream, recorders[index], received, index, () => Volatile.Read(ref recording) == 1, stop.Token), ct));
        }

        if (bench.Server.SharedPushReaders != 1)
        {
            throw new InvalidOperationException($"Expected the {subscribers} push queries to share one reader; there are {bench.Server.SharedPushReaders}.");
        }

        // The probes: the topic read raw, and a push query read in-process (its own statement text, so its own group).
        var logProbe = new LatencyRecorder();
        var engineProbe = new LatencyRecorder();
        var probeReaders = new[]
        {
            Task.Run(() => ProbeLogAsync(bench, logProbe, () => Volatile.Read(ref recording) == 1, stop.Token), ct),
            Task.Run(() => ProbeEngineAsync(bench, engineProbe, () => Volatile.Read(ref recording) == 1, stop.Token), ct),
        };
        for (var i = 0; i < 100 && bench.Server.RunningQueries.Count < subscribers + 1; i++)
        {
            await Task.Delay(10, ct);
        }

        await using var producer = bench.Clients.CreateProducer(new ProducerOptions { ClientId = "b7", LingerMs = 0 });
        await ProduceAsync(producer, rate, context.WarmUp, ct);
        Interlocked.Exchange(ref recording, 1);
        var before = received.Sum();
        var meter = CpuWallMeter.Start();
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var gcsBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        await ProduceAsync(producer, rate, context.Duration, ct);
        await Task.Delay(200, ct); // the last rows in flight
        Interlocked.Exchange(ref recording, 0);
        var (wall, cpu) = meter.Elapsed();
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var gcs = (GC.CollectionCount(0) - gcsBefore.Item1, GC.CollectionCount(1) - gcsBefore.Item2, GC.CollectionCount(2) - gcsBefore.Item3);
        var delivered = received.Sum() - before;

        await stop.CancelAsync();
        foreach (var (response, stream) in opened)
        {
            await stream.DisposeAsync();
            response.Dispose();
        }

        foreach (var c in clients)
        {
            c.Dispose();
        }

        await Task.WhenAll(readers);
        await Task.WhenAll(probeReaders);
        for (var i = 0; i < 100 && bench.Server.RunningQueries.Count > 0; i++)
        {
            await Task.Delay(50, ct);
        }

        var total = new LatencyRecorder();
        foreach (var r in recorders)
        {
            total.Add(r);
        }

        var log = logProbe.Summarize();
        var engine = engineProbe.Summarize();
        var probes = FormattableString.Invariant(
            $"log {log.P50Ms:0.00}/{log.P99Ms:0.00}, in-process query {engine.P50Ms:0.00}/{engine.P99Ms:0.00}; allocated {allocated / Math.Max(1.0, delivered):0.0} B per row delivered, GCs {gcs.Item1}/{gcs.Item2}/{gcs.Item3}");
        return (new PhaseResult(delivered, 0, wall - TimeSpan.FromMilliseconds(200), cpu), total.Summarize(), probes);
    }

    private static long SentAt(ReadOnlySpan<byte> json)
    {
        // {"SENT":<timestamp>}
        var colon = json.IndexOf((byte)':');
        var end = json.IndexOf((byte)'}');
        return colon > 0 && end > colon && long.TryParse(json[(colon + 1)..end], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sent) ? sent : -1;
    }

    private static async Task ProbeLogAsync(ServerBench bench, LatencyRecorder recorder, Func<bool> recording, CancellationToken ct)
    {
        await using var consumer = bench.Clients.CreateConsumer(new ConsumerOptions { ClientId = "b7-probe" });
        consumer.Assign([new TopicPartitionOffset("ev", 0, Offsets.End)]);
        consumer.Position(new TopicPartition("ev", 0));
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var records = await consumer.PollAsync(TimeSpan.FromMilliseconds(200), ct);
                var record = recording();
                foreach (var r in records)
                {
                    var sent = r.Value is { } v ? SentAt(v.Span) : -1;
                    if (record && sent > 0)
                    {
                        recorder.RecordSince(sent);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task ProbeEngineAsync(ServerBench bench, LatencyRecorder recorder, Func<bool> recording, CancellationToken ct)
    {
        await using var query = await bench.Server.Queries.StartAsync("SELECT sent AS sent_at FROM ev EMIT CHANGES;", cancellationToken: ct);
        try
        {
            await foreach (var row in query.ReadAsync(ct))
            {
                if (recording() && row.Values[0] is long sent)
                {
                    recorder.RecordSince(sent);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task ProduceAsync(IProducer producer, int rate, TimeSpan duration, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long sent = 0;
        var key = new byte[4];
        var value = new byte[64];
        while (Stopwatch.GetTimestamp() < end && !ct.IsCancellationRequested)
        {
            var due = (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate);
            for (; sent < due; sent++)
            {
                BinaryPrimitives.WriteInt32BigEndian(key, (int)sent);
                System.Text.Unicode.Utf8.TryWrite(value, CultureInfo.InvariantCulture, $"{{\"SENT\":{Stopwatch.GetTimestamp()}}}", out var length);
                producer.Produce(new ProduceRecord("ev", key, value.AsMemory(0, length)));
            }

            await Task.Delay(1, ct);
        }

        await producer.FlushAsync(ct);
    }

    private static async Task ReadAsync(Stream stream, LatencyRecorder recorder, long[] received, int index, Func<bool> recording, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var sent = new long[buffer.Length / 3]; // a row is at least "[1]\n"
        var filled = 0;
        var headerSeen = false;
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(filled), ct);
                if (n == 0)
                {
                    return;
                }

                filled += n;
                var rows = 0;
                var lineStart = 0;
                int newline;
                while ((newline = Array.IndexOf(buffer, (byte)'\n', lineStart, filled - lineStart)) >= 0)
                {
                    var line = buffer.AsSpan(lineStart, newline - lineStart);
                    lineStart = newline + 1;
                    if (!headerSeen)
                    {
                        headerSeen = true;
                        continue;
                    }

                    // A row is [<sent timestamp>].
                    if (line.Length > 2 && long.TryParse(line[1..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sentAt))
                    {
                        sent[rows++] = sentAt;
                    }
                }

                // The time is taken once the rows of this read are parsed: at or after each row's own parse, never before.
                Interlocked.Add(ref received[index], rows);
                if (recording())
                {
                    var now = Stopwatch.GetTimestamp();
                    for (var r = 0; r < rows; r++)
                    {
                        recorder.RecordNanos((long)((now - sent[r]) * (1e9 / Stopwatch.Frequency)));
                    }
                }

                buffer.AsSpan(lineStart, filled - lineStart).CopyTo(buffer);
                filled -= lineStart;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
        {
        }
    }
}
