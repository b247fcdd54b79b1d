using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Rhei.Benchmarks.Harness;
using Rhei.Protocol.Records;

namespace Rhei.Benchmarks.Cases.Broker;

/// <summary>
/// B1 (broker throughput) and B2 (end-to-end latency at 50 MB/s) of BENCHMARKS.md: the broker runs in this
/// process; Confluent.Kafka clients run in a child process (<see cref="LoadClient"/>), so CPU-seconds split
/// into broker and clients. Parameters (<c>--param</c>): producers (B1, default 1), consumers (B1, default 2, partitions split between them), linger (ms), partitions (8),
/// flush (1 = fsync every append, and the baseline fsyncs every write), size (B2 record size, default 1024),
/// rate (B2 bytes/s, default 50 MB/s).
/// </summary>
internal static class BrokerBenchmarks
{
    private const string Topic = "bench";

    public static BenchmarkDefinition B1 { get; } = new(
        "b1",
        "broker throughput, 100 B records: Confluent.Kafka producer + consumer at once, 8 partitions, acks=all",
        context => ThroughputAsync(context, "b1", 100));

    public static BenchmarkDefinition B1Kib { get; } = new(
        "b1-1k",
        "broker throughput, 1 KiB records: Confluent.Kafka producer + consumer at once, 8 partitions, acks=all",
        context => ThroughputAsync(context, "b1-1k", 1024));

    public static BenchmarkDefinition B2 { get; } = new(
        "b2",
        "broker end-to-end latency at a fixed 50 MB/s (send time in the record), acks=all",
        LatencyAsync);

    private static async Task<BenchmarkReport> ThroughputAsync(BenchmarkContext context, string id, int size)
    {
        var partitions = context.GetInt("partitions", 8);
        var flush = context.GetInt("flush", 0) == 1;
        await using var broker = await BenchmarkBroker.StartAsync(flush ? 1 : long.MaxValue);
        await broker.Storage.CreateTopicAsync(Topic, partitions);

        context.Log($"baseline: raw sequential append of the same batch bytes for {context.Duration.TotalSeconds:0.#} s ({(flush ? "fsync after each write" : "no fsync")})");
        var (baseline, batchBytesPerRecord) = RawAppend(broker.DataDir, size, context.Duration, flush, context.CancellationToken);

        var arguments = new Dictionary<string, string>
        {
            ["mode"] = "throughput",
            ["bootstrap"] = broker.BootstrapServers,
            ["topic"] = Topic,
            ["size"] = size.ToString(CultureInfo.InvariantCulture),
            ["partitions"] = partitions.ToString(CultureInfo.InvariantCulture),
            ["producers"] = context.GetString("producers", "1"),
            ["consumers"] = context.GetString("consumers", "2"),
            ["linger"] = context.GetString("linger", "5"),
            ["batch"] = context.GetString("batch", "1000000"),
        };
        context.Log($"client process: {string.Join(' ', arguments.Select(a => $"{a.Key}={a.Value}"))}; warm-up {context.WarmUp.TotalSeconds:0.#} s");
        using var client = ClientProcess.Start(arguments);
        await client.WaitUntilAsync(context.WarmUp.TotalSeconds, context.CancellationToken);
        var (start, brokerCpu0, clientCpu0) = (client.Latest, CpuWallMeter.ProcessCpu(), client.Cpu);
        var (allocated0, gcs0, appended0) = (GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), Appended(broker));
        context.Log($"measuring {context.Duration.TotalSeconds:0.#} s");
        await client.WaitUntilAsync(start.Seconds + context.Duration.TotalSeconds, context.CancellationToken);
        var (end, brokerCpu1, clientCpu1) = (client.Latest, CpuWallMeter.ProcessCpu(), client.Cpu);
        var (allocated, gcs, appended) = (GC.GetTotalAllocatedBytes() - allocated0, GC.CollectionCount(0) - gcs0, Appended(broker) - appended0);
        await client.StopAsync();

        var wall = end.Seconds - start.Seconds;
        var consumed = end.Consumed - start.Consumed;
        var brokerCpu = (brokerCpu1 - brokerCpu0).TotalSeconds;
        var clientCpu = (clientCpu1 - clientCpu0).TotalSeconds;
        var msgPerSecond = consumed / wall;
        var logBytes = broker.Storage.GetPartitions(Topic).Sum(p => p.Size);
        var stored = broker.Storage.GetPartitions(Topic).Sum(p => p.HighWatermark);
        return new BenchmarkReport
        {
            Id = id,
            Description = $"{size} B records, {partitions} partitions, acks=all, {arguments["producers"]} producer(s), linger {arguments["linger"]} ms, {arguments["consumers"]} consumer(s)",
            Result = new Figure("end-to-end (consumed while producing)", msgPerSecond, "msg/s", wall, brokerCpu + clientCpu),
            Baseline = new Figure("raw sequential append of the same bytes", baseline.Bytes / batchBytesPerRecord / baseline.Wall.TotalSeconds, "msg/s", baseline.Wall.TotalSeconds, baseline.Cpu.TotalSeconds),
            Parameters = new Dictionary<string, string>
            {
                ["payload MB/s (consumed)"] = F(msgPerSecond * size / 1e6),
                ["log MB/s (stored batch bytes)"] = F(msgPerSecond * (logBytes / (double)Math.Max(stored, 1)) / 1e6),
                ["appended msg/s (acks=all, broker high watermarks)"] = F(appended / wall),
                ["appended payload MB/s"] = F(appended * (double)size / wall / 1e6),
                ["broker CPU-s"] = F(brokerCpu),
                ["client CPU-s (librdkafka + .NET, separate process)"] = F(clientCpu),
                ["broker msg per broker CPU-s"] = F(consumed / Math.Max(brokerCpu, 1e-9)),
                ["broker allocations"] = $"{F(allocated / wall / 1e6)} MB/s, {F(allocated / Math.Max(consumed, 1.0))} B per record, {gcs} gen0 GCs",
                ["baseline MB/s"] = F(baseline.BytesPerSecond / 1e6),
                ["fsync"] = flush ? "every append (log.flush.interval.messages=1)" : "never (Kafka's default)",
            },
        };
    }

    private static async Task<BenchmarkReport> LatencyAsync(BenchmarkContext context)
    {
        var size = context.GetInt("size", 1024);
        var rate = context.GetInt("rate", 50_000_000);
        var partitions = context.GetInt("partitions", 8);
        var flush = context.GetInt("flush", 0) == 1;
        using var requestTimes = new RequestTimes();
        await using var broker = await BenchmarkBroker.StartAsync(flush ? 1 : long.MaxValue);
        await broker.Storage.CreateTopicAsync(Topic, partitions);

        context.Log($"baseline: loopback TCP round trips of {size} bytes for {context.Duration.TotalSeconds:0.#} s");
        var (baseline, baselineLatency) = await LoopbackRoundTripsAsync(size, context.Duration, context.CancellationToken);

        var arguments = new Dictionary<string, string>
        {
            ["mode"] = "latency",
            ["bootstrap"] = broker.BootstrapServers,
            ["topic"] = Topic,
            ["size"] = size.ToString(CultureInfo.InvariantCulture),
            ["partitions"] = partitions.ToString(CultureInfo.InvariantCulture),
            ["rate"] = rate.ToString(CultureInfo.InvariantCulture),
            ["linger"] = context.GetString("linger", "0"),
            ["warmup"] = context.WarmUp.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        };
        context.Log($"client process: {string.Join(' ', arguments.Select(a => $"{a.Key}={a.Value}"))}");
        using var client = ClientProcess.Start(arguments);
        await client.WaitUntilAsync(context.WarmUp.TotalSeconds, context.CancellationToken);
        var (start, brokerCpu0, clientCpu0) = (client.Latest, CpuWallMeter.ProcessCpu(), client.Cpu);
        requestTimes.StartRecording();
        await client.WaitUntilAsync(start.Seconds + context.Duration.TotalSeconds, context.CancellationToken);
        var (end, brokerCpu1, clientCpu1) = (client.Latest, CpuWallMeter.ProcessCpu(), client.Cpu);
        requestTimes.StopRecording();
        var latency = await client.StopAsync();
        var wall = end.Seconds - start.Seconds;
        var consumed = end.Consumed - start.Consumed;
        var brokerCpu = (brokerCpu1 - brokerCpu0).TotalSeconds;
        var clientCpu = (clientCpu1 - clientCpu0).TotalSeconds;
        return new BenchmarkReport
        {
            Id = "b2",
            Description = $"end-to-end latency, {size} B records at {rate / 1e6:0.#} MB/s, {partitions} partitions, acks=all, linger {arguments["linger"]} ms",
            Result = new Figure("end-to-end p99", latency.P99Ms, "ms", wall, brokerCpu + clientCpu),
            Latency = latency,
            Baseline = new Figure("loopback TCP round trip p99", baselineLatency.P99Ms, "ms", baseline.Wall.TotalSeconds, baseline.Cpu.TotalSeconds),
            BaselineLatency = baselineLatency,
            Parameters = new Dictionary<string, string>
            {
                ["achieved MB/s (consumed)"] = F(consumed * (double)size / wall / 1e6),
                ["achieved msg/s"] = F(consumed / wall),
                ["broker CPU-s"] = F(brokerCpu),
                ["client CPU-s (separate process)"] = F(clientCpu),
                ["broker time per Produce request"] = requestTimes.Describe("Produce"),
                ["broker time per Fetch request (includes the long-poll wait)"] = requestTimes.Describe("Fetch"),
                ["fsync"] = flush ? "every append" : "never (Kafka's default)",
            },
        };
    }

    /// <summary>Writes record batches like the producer's (records of <paramref name="size"/> bytes, ~1 MB per batch) to a file for <paramref name="duration"/>.</summary>
    private static (PhaseResult Phase, double BatchBytesPerRecord) RawAppend(string dir, int size, TimeSpan duration, bool fsync, CancellationToken cancellationToken)
    {
        using var builder = new RecordBatchBuilder();
        var value = new byte[size];
        Random.Shared.NextBytes(value);
        var perBatch = Math.Max(1, 1_000_000 / (size + 12));
        for (var i = 0; i < perBatch; i++)
        {
            builder.Add(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, value);
        }

        var batch = builder.Build();
        var path = Path.Combine(dir, "baseline.log");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var segment = 0L;
        var phase = Phases.Measure(() =>
        {
            file.Write(batch);
            if (fsync)
            {
                file.Flush(flushToDisk: true);
            }

            segment += batch.Length;
            if (segment > 1L << 30)
            {
                file.SetLength(0);
                file.Position = 0;
                segment = 0;
            }

            return (perBatch, batch.Length);
        }, duration, cancellationToken);
        file.Dispose();
        File.Delete(path);
        return (phase, batch.Length / (double)perBatch);
    }

    /// <summary>Ping-pong of <paramref name="size"/>-byte messages over a loopback TCP connection (both ends in this process).</summary>
    private static async Task<(PhaseResult Phase, LatencySummary Latency)> LoopbackRoundTripsAsync(int size, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken);
        using var server = await listener.AcceptAsync(cancellationToken);
        server.NoDelay = true;
        var echo = Task.Run(async () =>
        {
            var buffer = new byte[size];
            while (true)
            {
                var read = 0;
                while (read < size)
                {
                    var n = await server.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
                    if (n == 0)
                    {
                        return;
                    }

                    read += n;
                }

                await server.SendAsync(buffer.AsMemory(), SocketFlags.None);
            }
        }, CancellationToken.None);

        var message = new byte[size];
        var reply = new byte[size];
        var recorder = new LatencyRecorder();
        var phase = await Phases.MeasureAsync(async _ =>
        {
            var started = Stopwatch.GetTimestamp();
            await client.SendAsync(message.AsMemory(), SocketFlags.None);
            var read = 0;
            while (read < size)
            {
                read += await client.ReceiveAsync(reply.AsMemory(read), SocketFlags.None);
            }

            recorder.RecordSince(started);
            return (1L, (long)size);
        }, duration, cancellationToken);
        client.Shutdown(SocketShutdown.Both);
        await echo;
        return (phase, recorder.Summarize());
    }

    private static long Appended(BenchmarkBroker broker) => broker.Storage.GetPartitions(Topic).Sum(p => p.HighWatermark);

    private static string F(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);
}
