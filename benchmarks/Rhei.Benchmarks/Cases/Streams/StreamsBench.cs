using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Rhei.Benchmarks.Harness;
using Rhei.Client;
using Rhei.Client.Embedded;
using Rhei.Storage;
using Rhei.Streams;

namespace Rhei.Benchmarks.Cases.Streams;

/// <summary>
/// The embedded setting the streams benchmarks share: a log manager in a temporary directory, embedded clients
/// over it, an input topic pre-filled with small records (UTF-8 key "k&lt;n&gt;" over <c>keys</c> distinct keys,
/// an 8-byte big-endian value, timestamps 1 ms apart), and a helper that runs an application to the end of its
/// input measuring the process's CPU time.
/// </summary>
internal sealed class StreamsBench : IAsyncDisposable
{
    public const long StartTimestamp = 1_700_000_000_000;

    private readonly string _root;

    private StreamsBench(string root, LogManager log)
    {
        _root = root;
        Log = log;
        Clients = new EmbeddedClientFactory(log);
    }

    public LogManager Log { get; }

    public EmbeddedClientFactory Clients { get; }

    public string StateDir(string name) => Path.Combine(_root, "state-" + name);

    public static async Task<StreamsBench> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "rhei-bench-streams-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [Path.Combine(root, "log")], RunBackgroundTasks = false });
        return new StreamsBench(root, log);
    }

    public static Dictionary<string, string> Settings(BenchmarkContext context, long records, int keys, int partitions, StreamsOptions options) => new()
    {
        ["records"] = records.ToString("#,0", CultureInfo.InvariantCulture),
        ["distinct keys"] = keys.ToString("#,0", CultureInfo.InvariantCulture),
        ["input partitions"] = partitions.ToString(CultureInfo.InvariantCulture),
        ["stream threads"] = options.NumStreamThreads.ToString(CultureInfo.InvariantCulture),
        ["commit.interval.ms"] = options.CommitIntervalMs.ToString(CultureInfo.InvariantCulture),
        ["cache.max.bytes.buffering"] = options.CacheMaxBytesBuffering.ToString(CultureInfo.InvariantCulture),
        ["mode"] = "embedded (in-process storage, no sockets)",
    };

    public async Task CreateTopicAsync(string topic, int partitions, IReadOnlyDictionary<string, string>? configs = null)
    {
        await using var admin = Clients.CreateAdmin();
        await admin.CreateTopicsAsync([new TopicSpec(topic, partitions) { Configs = configs ?? new Dictionary<string, string>() }]);
    }

    /// <summary>Fills a topic with <paramref name="count"/> records (partitioned by key) and waits until all are in the log.</summary>
    public async Task FillAsync(string topic, long count, int keys, CancellationToken cancellationToken)
    {
        await using var producer = Clients.CreateProducer(new ProducerOptions { ClientId = "bench-fill", LingerMs = 5, Acks = 1 });
        var keyBytes = Enumerable.Range(0, keys).Select(k => Encoding.UTF8.GetBytes("k" + k.ToString(CultureInfo.InvariantCulture))).ToArray();
        var value = new byte[8];
        for (long i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(value, i);
            producer.Produce(new ProduceRecord(topic, keyBytes[KeyIndex(i, keys)], value, -1, StartTimestamp + i));
            if ((i & 0xFFFFF) == 0xFFFFF)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await producer.FlushAsync(cancellationToken);
            }
        }

        await producer.FlushAsync(cancellationToken);
    }

    /// <summary>Spreads keys over the records without a visible pattern (a multiplicative hash of the index).</summary>
    public static int KeyIndex(long i, int keys) => (int)(unchecked((ulong)i * 0x9E3779B97F4A7C15UL) % (ulong)keys);

    /// <summary>
    /// Starts the application and waits until <paramref name="processed"/> reaches <paramref name="records"/>, measuring
    /// wall and CPU time from the start (task creation, first poll) to then; closes it afterwards (not measured).
    /// </summary>
    public static async Task<PhaseResult> RunToEndAsync(StreamsApp app, Func<long> processed, long records, CancellationToken cancellationToken)
    {
        var meter = CpuWallMeter.Start();
        await app.StartAsync(cancellationToken);
        while (processed() < records)
        {
            if (app.State == StreamsState.Error) { throw new InvalidOperationException("The application failed: " + app.Error?.Message, app.Error); }
            await Task.Delay(5, cancellationToken);
        }

        var (wall, cpu) = meter.Elapsed();
        await app.CloseAsync();
        return new PhaseResult(records, 0, wall, cpu);
    }

    /// <summary>
    /// Reads every record of a topic through an embedded consumer (assigned, not grouped) and hands each to
    /// <paramref name="onRecord"/>; measures wall and CPU time.
    /// </summary>
    public async Task<PhaseResult> ReadAllAsync(string topic, Action<ConsumedRecord> onRecord, CancellationToken cancellationToken)
    {
        var meter = CpuWallMeter.Start();
        await using var admin = Clients.CreateAdmin();
        var partitions = (await admin.DescribeTopicsAsync([topic], cancellationToken))[0].Partitions;
        var ends = (await admin.ListOffsetsAsync(Enumerable.Range(0, partitions).Select(p => (new TopicPartition(topic, p), OffsetSpec.Latest)), cancellationToken))
            .Where(e => e.Offset > 0).ToDictionary(e => e.TopicPartition, e => e.Offset);
        long count = 0;
        await using var consumer = Clients.CreateConsumer(new ConsumerOptions { ClientId = "bench-reader", MaxPollRecords = 10_000 });
        consumer.Assign(ends.Keys.Select(tp => new TopicPartitionOffset(tp.Topic, tp.Partition, Offsets.Beginning)));
        while (ends.Count > 0)
        {
            foreach (var r in await consumer.PollAsync(TimeSpan.FromMilliseconds(100), cancellationToken))
            {
                onRecord(r);
                count++;
            }

            foreach (var (tp, end) in ends.ToList())
            {
                if (consumer.Position(tp) >= end) { ends.Remove(tp); }
            }
        }

        var (wall, cpu) = meter.Elapsed();
        return new PhaseResult(count, 0, wall, cpu);
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Counts records passing a point of a topology (a Peek), read from the benchmark's thread.</summary>
internal sealed class ProcessedCounter
{
    private long _count;

    public long Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
