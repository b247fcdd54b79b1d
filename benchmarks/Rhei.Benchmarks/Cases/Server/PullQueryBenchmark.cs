using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Rhei.Benchmarks.Harness;
using Rhei.Client;
using Rhei.Streams.State;

namespace Rhei.Benchmarks.Cases.Server;

/// <summary>
/// <c>b6</c>: pull queries over HTTP (<c>POST /query-stream</c>, one key lookup each, HTTP/1.1 keep-alive) on a CTAS
/// table of <c>keys</c> keys (1,000,000), with each count of <c>connections</c> (1,16,64) in turn: queries/s and
/// p50/p99. Baseline in the same run: direct lookups in the store the pull queries read (the CTAS query's
/// <see cref="TopicTableStore"/>: key bytes in, record out), on one thread; also reported, the same lookups through the
/// query service in-process (prepared plan, store read, decode, projection — everything but HTTP).
/// </summary>
internal static class PullQueryBenchmark
{
    public static BenchmarkDefinition Definition { get; } = new(
        "b6",
        "Pull queries (key lookups) over HTTP on a table of 1M keys with 1/16/64 connections vs in-process lookups",
        RunAsync);

    private static async Task<BenchmarkReport> RunAsync(BenchmarkContext context)
    {
        var keys = context.GetInt("keys", 1_000_000);
        var rawClient = context.GetString("client", "raw") switch
        {
            "raw" => true,
            "httpclient" => false,
            var other => throw new ArgumentException($"client={other}: use raw (a minimal keep-alive HTTP/1.1 client, as wrk) or httpclient (System.Net.Http)."),
        };
        var connections = context.GetString("connections", "1,16,64").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var ct = context.CancellationToken;
        await using var bench = await ServerBench.StartAsync();
        await bench.KsqlAsync("CREATE TABLE kv_in (k INT PRIMARY KEY, v STRING) WITH (kafka_topic='kv_in', value_format='JSON', partitions=1);" +
            "CREATE TABLE kv AS SELECT * FROM kv_in;");
        var store = bench.Engine.MetaStore.Queries.Select(q => q.Handle?.OutputStore).OfType<TopicTableStore>().Single();

        context.Log($"producing {keys:#,0} keys");
        var fill = Stopwatch.StartNew();
        await using (var producer = bench.Clients.CreateProducer(new ProducerOptions { ClientId = "b6-fill", LingerMs = 5 }))
        {
            for (var k = 0; k < keys; k++)
            {
                producer.Produce(new ProduceRecord("kv_in", Key(k), Encoding.UTF8.GetBytes($"{{\"V\":\"value-{k}\"}}")));
            }

            await producer.FlushAsync(ct);
        }

        context.Log($"produced in {fill.Elapsed.TotalSeconds:0.0} s; waiting for the CTAS query to write every key");
        fill.Restart();
        while (store.Count < keys)
        {
            await Task.Delay(100, ct);
        }

        var first = await LookupInProcessAsync(bench, keys - 1, ct);
        if (first != 1)
        {
            throw new InvalidOperationException($"The first lookup found {first} rows, not 1.");
        }

        context.Log($"CTAS store holds {store.Count:#,0} keys after {fill.Elapsed.TotalSeconds:0.0} s");

        context.Log("baseline: direct lookups in the CTAS query's store, one thread");
        var baselineLatency = new LatencyRecorder();
        var random = new Random(6);
        Phases.WarmUp(() => (DirectLookup(store, random.Next(keys)), 0), context.WarmUp, ct);
        var baseline = Phases.Measure(() =>
        {
            var start = Stopwatch.GetTimestamp();
            long found = DirectLookup(store, random.Next(keys));
            baselineLatency.RecordSince(start);
            return (found, 0);
        }, context.Duration, ct);

        context.Log("in-process lookups through the query service, one thread");
        var serviceLatency = new LatencyRecorder();
        var service = await Phases.MeasureAsync(async c =>
        {
            var start = Stopwatch.GetTimestamp();
            var found = await LookupInProcessAsync(bench, random.Next(keys), c);
            serviceLatency.RecordSince(start);
            return (found, 0);
        }, context.Duration, ct);

        var parameters = new Dictionary<string, string>
        {
            ["keys"] = keys.ToString("#,0", CultureInfo.InvariantCulture),
            ["request"] = "POST /query-stream {\"sql\":\"SELECT * FROM kv WHERE k = <random>;\"}, HTTP/1.1 keep-alive, one connection per client",
            ["client"] = rawClient ? "raw: minimal HTTP/1.1 client over a socket, in this process (as wrk)" : "System.Net.Http.HttpClient, in this process",
            ["table"] = "CREATE TABLE kv AS SELECT * FROM kv_in (k INT key, KAFKA format; JSON value)",
            ["baseline p50/p99 ms"] = $"{baselineLatency.Summarize().P50Ms:0.000} / {baselineLatency.Summarize().P99Ms:0.000}",
            ["query service in-process: QPS"] = service.OperationsPerSecond.ToString("#,0", CultureInfo.InvariantCulture),
            ["query service in-process p50/p99 ms"] = $"{serviceLatency.Summarize().P50Ms:0.000} / {serviceLatency.Summarize().P99Ms:0.000}",
        };
        PhaseResult last = default;
        LatencySummary? lastLatency = null;
        foreach (var count in connections)
        {
            context.Log($"HTTP: {count} connection(s)");
            var (phase, latency) = rawClient
                ? await RunRawAsync(bench, keys, count, context, ct)
                : await RunHttpAsync(bench, keys, count, context, ct);
            parameters[$"{count} conn: QPS"] = phase.OperationsPerSecond.ToString("#,0", CultureInfo.InvariantCulture);
            parameters[$"{count} conn: p50/p99 ms"] = $"{latency.P50Ms:0.000} / {latency.P99Ms:0.000}";
            last = phase;
            lastLatency = latency;
        }

        return new BenchmarkReport
        {
            Id = Definition.Id,
            Description = Definition.Description,
            Parameters = parameters,
            Result = Figure.Throughput($"pull queries over HTTP, {connections[^1]} connections", last, "queries/s"),
            Baseline = Figure.Throughput("direct lookups in the CTAS store, 1 thread", baseline, "lookups/s"),
            Latency = lastLatency,
            BaselineLatency = baselineLatency.Summarize(),
        };
    }

    private static byte[] Key(int k)
    {
        var key = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(key, k);
        return key;
    }

    /// <summary>What a pull query's read is, without SQL: the key's bytes (KAFKA INT), then the store's record.</summary>
    private static int DirectLookup(TopicTableStore store, int k) => store.TryGet(Key(k), out var entry) && entry.Value.Length > 0 ? 1 : 0;

    private static async Task<int> LookupInProcessAsync(ServerBench bench, int key, CancellationToken ct)
    {
        await using var query = await bench.Server.Queries.StartAsync($"SELECT * FROM kv WHERE k = {key};", cancellationToken: ct);
        var n = 0;
        foreach (var row in query.ImmediateRows!)
        {
            n += row.Values.Length > 0 ? 1 : 0;
        }

        return n;
    }

    private static async Task<(PhaseResult Phase, LatencySummary Latency)> RunHttpAsync(ServerBench bench, int keys, int connections, BenchmarkContext context, CancellationToken ct)
    {
        var clients = Enumerable.Range(0, connections).Select(_ => bench.NewClient()).ToArray();
        try
        {
            await RunForAsync(clients, [.. clients.Select(_ => new LatencyRecorder())], keys, context.WarmUp, record: false, ct);
            var recorders = clients.Select(_ => new LatencyRecorder()).ToArray();

            var meter = CpuWallMeter.Start();
            var done = await RunForAsync(clients, recorders, keys, context.Duration, record: true, ct);
            var (wall, cpu) = meter.Elapsed();
            var total = new LatencyRecorder();
            foreach (var r in recorders)
            {
                total.Add(r);
            }

            return (new PhaseResult(done, 0, wall, cpu), total.Summarize());
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    private static async Task<(PhaseResult Phase, LatencySummary Latency)> RunRawAsync(ServerBench bench, int keys, int connections, BenchmarkContext context, CancellationToken ct)
    {
        var clients = new RawHttpClient[connections];
        for (var i = 0; i < connections; i++)
        {
            clients[i] = await RawHttpClient.ConnectAsync(bench.Address, "/query-stream", "application/json", ct);
        }

        try
        {
            await RunRawForAsync(clients, [.. clients.Select(_ => new LatencyRecorder())], keys, context.WarmUp, record: false, ct);
            var recorders = clients.Select(_ => new LatencyRecorder()).ToArray();
            var meter = CpuWallMeter.Start();
            var done = await RunRawForAsync(clients, recorders, keys, context.Duration, record: true, ct);
            var (wall, cpu) = meter.Elapsed();
            var total = new LatencyRecorder();
            foreach (var r in recorders)
            {
                total.Add(r);
            }

            return (new PhaseResult(done, 0, wall, cpu), total.Summarize());
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    /// <summary>Each client in a loop: a request for a random key, the whole answer read, checked to hold a header and one row.</summary>
    private static async Task<long> RunRawForAsync(RawHttpClient[] clients, LatencyRecorder[] recorders, int keys, TimeSpan duration, bool record, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = clients.Select((client, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            var body = new byte[128];
            var prefix = "{\"sql\":\"SELECT * FROM kv WHERE k = "u8.ToArray();
            prefix.CopyTo(body, 0);
            long n = 0;
            while (Stopwatch.GetTimestamp() < deadline && !ct.IsCancellationRequested)
            {
                System.Buffers.Text.Utf8Formatter.TryFormat(random.Next(keys), body.AsSpan(prefix.Length), out var digits);
                var length = prefix.Length + digits;
                ";\"}"u8.CopyTo(body.AsSpan(length));
                length += 3;
                var start = Stopwatch.GetTimestamp();
                var status = await client.PostAsync(body.AsMemory(0, length), ct);
                // application/json: [header,row]: a found key has a row after the header object.
                if (status != 200 || client.Body.Span.IndexOf("},["u8) < 0)
                {
                    throw new InvalidOperationException($"/query-stream answered {status}: {Encoding.UTF8.GetString(client.Body.Span)}");
                }

                if (record)
                {
                    recorders[i].RecordSince(start);
                }

                n++;
            }

            return n;
        }, ct)).ToArray();
        return (await Task.WhenAll(tasks)).Sum();
    }

    private static async Task<long> RunForAsync(HttpClient[] clients, LatencyRecorder[] recorders, int keys, TimeSpan duration, bool record, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = clients.Select((client, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            long n = 0;
            while (Stopwatch.GetTimestamp() < deadline && !ct.IsCancellationRequested)
            {
                var body = $"{{\"sql\":\"SELECT * FROM kv WHERE k = {random.Next(keys)};\"}}";
                var start = Stopwatch.GetTimestamp();
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync("/query-stream", content, ct);
                var bytes = await response.Content.ReadAsByteArrayAsync(ct);
                if (!response.IsSuccessStatusCode || bytes.Length == 0)
                {
                    throw new InvalidOperationException($"/query-stream answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
                }

                if (record)
                {
                    recorders[i].RecordSince(start);
                }

                n++;
            }

            return n;
        }, ct)).ToArray();
        return (await Task.WhenAll(tasks)).Sum();
    }
}
