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
            var (phase, latency) = await RunHttpAsync(bench, keys, count, rawClient, context, ct);
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

    /// <summary>One phase over HTTP: <paramref name="connections"/> clients, each in a loop of lookups of random keys.</summary>
    private static async Task<(PhaseResult Phase, LatencySummary Latency)> RunHttpAsync(ServerBench bench, int keys, int connections, bool raw, BenchmarkContext context, CancellationToken ct)
    {
        var lookups = new Func<int, CancellationToken, ValueTask>[connections];
        var disposables = new List<IDisposable>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                if (raw)
                {
                    var client = await RawHttpClient.ConnectAsync(bench.Address, "/query-stream", "application/json", ct);
                    disposables.Add(client);
                    lookups[i] = RawLookup(client);
                }
                else
                {
                    var client = bench.NewClient();
                    disposables.Add(client);
                    lookups[i] = (key, c) => HttpClientLookupAsync(client, key, c);
                }
            }

            await RunForAsync(lookups, [.. lookups.Select(_ => new LatencyRecorder())], keys, context.WarmUp, record: false, ct);
            var recorders = lookups.Select(_ => new LatencyRecorder()).ToArray();
            var meter = CpuWallMeter.Start();
            var done = await RunForAsync(lookups, recorders, keys, context.Duration, record: true, ct);
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
            foreach (var d in disposables)
            {
                d.Dispose();
            }
        }
    }

    /// <summary>A lookup through the minimal client: the request body formatted into a reused buffer; the answer checked to hold a row.</summary>
    private static Func<int, CancellationToken, ValueTask> RawLookup(RawHttpClient client)
    {
        var prefix = "{\"sql\":\"SELECT * FROM kv WHERE k = "u8.ToArray();
        var body = new byte[128];
        prefix.CopyTo(body, 0);
        return async (key, ct) =>
        {
            System.Buffers.Text.Utf8Formatter.TryFormat(key, body.AsSpan(prefix.Length), out var digits);
            var length = prefix.Length + digits;
            ";\"}"u8.CopyTo(body.AsSpan(length));
            var status = await client.PostAsync(body.AsMemory(0, length + 3), ct);
            // application/json: [header,row]: a found key has a row after the header object.
            if (status != 200 || client.Body.Span.IndexOf("},["u8) < 0)
            {
                throw new InvalidOperationException($"/query-stream answered {status}: {Encoding.UTF8.GetString(client.Body.Span)}");
            }
        };
    }

    private static async ValueTask HttpClientLookupAsync(HttpClient client, int key, CancellationToken ct)
    {
        using var content = new StringContent($"{{\"sql\":\"SELECT * FROM kv WHERE k = {key};\"}}", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/query-stream", content, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode || bytes.Length == 0)
        {
            throw new InvalidOperationException($"/query-stream answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        }
    }

    /// <summary>Each client in a loop until the time is up: a lookup of a random key, its latency recorded when <paramref name="record"/>.</summary>
    private static async Task<long> RunForAsync(Func<int, CancellationToken, ValueTask>[] lookups, LatencyRecorder[] recorders, int keys, TimeSpan duration, bool record, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = lookups.Select((lookup, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            long n = 0;
            while (Stopwatch.GetTimestamp() < deadline && !ct.IsCancellationRequested)
            {
                var key = random.Next(keys);
                var start = Stopwatch.GetTimestamp();
                await lookup(key, ct);
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
