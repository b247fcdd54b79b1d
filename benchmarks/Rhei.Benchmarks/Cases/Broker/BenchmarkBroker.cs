using Rhei.Broker;
using Rhei.Storage;

namespace Rhei.Benchmarks.Cases.Broker;

/// <summary>Storage and the Kafka-protocol broker in this process, on a loopback port, over a temporary data directory.</summary>
internal sealed class BenchmarkBroker : IAsyncDisposable
{
    private BenchmarkBroker(string dataDir, LogManager storage, KafkaBroker broker)
    {
        DataDir = dataDir;
        Storage = storage;
        Broker = broker;
    }

    public string DataDir { get; }

    public LogManager Storage { get; }

    public KafkaBroker Broker { get; }

    public string BootstrapServers => Broker.BootstrapServers;

    public static async Task<BenchmarkBroker> StartAsync(long flushIntervalMessages = long.MaxValue)
    {
        // As rhei server does (ServerHost): appends and fsyncs block their thread, so keep enough workers.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
        var dataDir = Path.Combine(Path.GetTempPath(), $"rhei-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDir);
        var storage = await LogManager.OpenAsync(new StorageOptions { LogDirs = [dataDir], LogFlushIntervalMessages = flushIntervalMessages });
        var broker = await KafkaBroker.StartAsync(storage, new BrokerOptions
        {
            Listeners = [new BrokerListener("PLAINTEXT", "127.0.0.1", 0)],
            GroupInitialRebalanceDelayMs = 0,
        });
        return new BenchmarkBroker(dataDir, storage, broker);
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Storage.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
