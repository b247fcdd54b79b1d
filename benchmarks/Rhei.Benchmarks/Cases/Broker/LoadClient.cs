using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Rhei.Benchmarks.Harness;

namespace Rhei.Benchmarks.Cases.Broker;

/// <summary>
/// The Kafka clients of B1 and B2, run as a separate process (<c>Rhei.Benchmarks client ...</c>) so that their
/// CPU time is measured apart from the broker's. Throughput mode: producers write as fast as they can while a
/// consumer reads; latency mode: a producer writes at a fixed byte rate with the send time in each record and
/// the consumer records end-to-end latency. Progress goes to stdout as "stats" lines; stdin closing stops it.
/// </summary>
internal static class LoadClient
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        var mode = options["mode"];
        var bootstrap = options["bootstrap"];
        var topic = options["topic"];
        var size = int.Parse(options["size"], CultureInfo.InvariantCulture);
        var partitions = int.Parse(options["partitions"], CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource();
        var stdin = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is { } line && line != "stop")
            {
            }

            await stop.CancelAsync();
        });

        long consumed = 0;
        long produced = 0;
        var recordLatency = false;
        var latency = new LatencyRecorder();
        var threads = new List<Thread>();

        void Consume(int index, int count)
        {
            var config = new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = "rhei-bench",
                EnableAutoCommit = false,
                FetchWaitMaxMs = 100,
                FetchMaxBytes = 64 * 1024 * 1024,
                MaxPartitionFetchBytes = 4 * 1024 * 1024,
                ConsumeResultFields = "none",
            };
            if (mode == "latency")
            {
                using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
                consumer.Assign(Enumerable.Range(0, partitions).Where(p => p % count == index).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
                while (!stop.IsCancellationRequested)
                {
                    var result = consumer.Consume(100);
                    if (result?.Message?.Value is { Length: >= 8 } value)
                    {
                        var sent = BinaryPrimitives.ReadInt64LittleEndian(value);
                        if (Volatile.Read(ref recordLatency))
                        {
                            lock (latency)
                            {
                                latency.RecordSince(sent);
                            }
                        }

                        Interlocked.Increment(ref consumed);
                    }
                }

                consumer.Close();
            }
            else
            {
                using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();
                consumer.Assign(Enumerable.Range(0, partitions).Where(p => p % count == index).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
                while (!stop.IsCancellationRequested)
                {
                    if (consumer.Consume(100) is not null)
                    {
                        Interlocked.Increment(ref consumed);
                    }
                }

                consumer.Close();
            }
        }

        ProducerConfig ProducerConfig() => new()
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            LingerMs = double.Parse(options.GetValueOrDefault("linger", "5"), CultureInfo.InvariantCulture),
            BatchSize = int.Parse(options.GetValueOrDefault("batch", "1000000"), CultureInfo.InvariantCulture),
            BatchNumMessages = 100_000,
            QueueBufferingMaxMessages = 2_000_000,
            QueueBufferingMaxKbytes = 1024 * 1024,
            EnableIdempotence = false,
            DeliveryReportFields = "none",
            CompressionType = CompressionType.None,
        };

        void ProduceFlatOut()
        {
            using var producer = new ProducerBuilder<Null, byte[]>(ProducerConfig()).Build();
            var message = new Message<Null, byte[]> { Value = new byte[size] };
            Random.Shared.NextBytes(message.Value);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    producer.Produce(topic, message);
                    Interlocked.Increment(ref produced);
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(5));
                }
            }

            producer.Flush(TimeSpan.FromSeconds(10));
        }

        async Task ProduceAtRateAsync()
        {
            // A token bucket refilled every millisecond (or so: timer resolution); no spinning, so the client
            // does not take CPU from the broker on a small machine.
            var bytesPerSecond = double.Parse(options["rate"], CultureInfo.InvariantCulture);
            var perSecond = bytesPerSecond / size;
            using var producer = new ProducerBuilder<Null, byte[]>(ProducerConfig()).Build();
            var started = Stopwatch.GetTimestamp();
            long sent = 0;
            while (!stop.IsCancellationRequested)
            {
                var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * perSecond);
                while (sent < due)
                {
                    var value = new byte[size];
                    BinaryPrimitives.WriteInt64LittleEndian(value, Stopwatch.GetTimestamp());
                    try
                    {
                        producer.Produce(topic, new Message<Null, byte[]> { Value = value });
                        sent++;
                        Interlocked.Increment(ref produced);
                    }
                    catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(1));
                    }
                }

                try
                {
                    await Task.Delay(1, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            producer.Flush(TimeSpan.FromSeconds(10));
        }

        var consumers = int.Parse(options.GetValueOrDefault("consumers", "1"), CultureInfo.InvariantCulture);
        for (var i = 0; i < consumers; i++)
        {
            var index = i;
            threads.Add(new Thread(() => Consume(index, consumers)) { IsBackground = true, Name = $"consumer-{i}" });
        }

        var producers = int.Parse(options.GetValueOrDefault("producers", "1"), CultureInfo.InvariantCulture);
        var rated = mode == "latency" ? ProduceAtRateAsync() : Task.CompletedTask;
        for (var i = 0; i < (mode == "latency" ? 0 : producers); i++)
        {
            threads.Add(new Thread(ProduceFlatOut) { IsBackground = true, Name = $"producer-{i}" });
        }

        foreach (var thread in threads)
        {
            thread.Start();
        }

        var clock = Stopwatch.StartNew();
        var warmUp = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("warmup", "0"), CultureInfo.InvariantCulture));
        while (!stop.IsCancellationRequested)
        {
            if (!recordLatency && clock.Elapsed >= warmUp)
            {
                Volatile.Write(ref recordLatency, true);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stats {clock.Elapsed.TotalSeconds:0.000} {Interlocked.Read(ref consumed)} {Interlocked.Read(ref produced)}"));
            try
            {
                await Task.Delay(200, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await rated;
        foreach (var thread in threads)
        {
            thread.Join();
        }

        lock (latency)
        {
            var s = latency.Summarize();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency {s.Count} {s.P50Ms} {s.P99Ms} {s.P999Ms} {s.MinMs} {s.MaxMs} {s.MeanMs}"));
        }

        await stdin;
        return 0;
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }
}
