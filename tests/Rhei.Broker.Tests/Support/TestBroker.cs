using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Rhei.Storage;

namespace Rhei.Broker.Tests.Support;

/// <summary>
/// Storage plus a broker on a loopback port, in this process, over a temporary data directory. A restart
/// closes both cleanly and reopens them on the same directory and port, as a restarted server would.
/// </summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private readonly TempDirectory? _ownedDirectory;
    private readonly Func<BrokerOptions, BrokerOptions>? _tweakBroker;
    private readonly Func<StorageOptions, StorageOptions>? _tweakStorage;
    private readonly ILoggerFactory? _loggerFactory;

    private TestBroker(string dataDir, TempDirectory? owned, int port, Func<BrokerOptions, BrokerOptions>? tweakBroker, Func<StorageOptions, StorageOptions>? tweakStorage, ILoggerFactory? loggerFactory)
    {
        DataDir = dataDir;
        _ownedDirectory = owned;
        Port = port;
        _tweakBroker = tweakBroker;
        _tweakStorage = tweakStorage;
        _loggerFactory = loggerFactory;
    }

    public string DataDir { get; }

    public int Port { get; private set; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    public LogManager Storage { get; private set; } = null!;

    public KafkaBroker Broker { get; private set; } = null!;

    /// <summary>Options that keep tests quick: a short initial rebalance delay and session timeouts clients may lower.</summary>
    public static BrokerOptions DefaultOptions(int port) => new()
    {
        Listeners = [new BrokerListener("PLAINTEXT", "127.0.0.1", port)],
        GroupInitialRebalanceDelayMs = 100,
        GroupMinSessionTimeoutMs = 1000,
        NumPartitions = 1,
    };

    public static async Task<TestBroker> StartAsync(
        Func<BrokerOptions, BrokerOptions>? tweakBroker = null,
        Func<StorageOptions, StorageOptions>? tweakStorage = null,
        string? dataDir = null,
        ILoggerFactory? loggerFactory = null)
    {
        var owned = dataDir is null ? new TempDirectory() : null;
        var broker = new TestBroker(dataDir ?? owned!.Path, owned, FreePort(), tweakBroker, tweakStorage, loggerFactory);
        await broker.OpenAsync();
        return broker;
    }

    /// <summary>A port that was free a moment ago (the OS picks it).</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private async Task OpenAsync()
    {
        var storageOptions = new StorageOptions { LogDirs = [DataDir], NumPartitions = 1 };
        Storage = await LogManager.OpenAsync(_tweakStorage?.Invoke(storageOptions) ?? storageOptions, _loggerFactory);
        var options = DefaultOptions(Port);
        Broker = await KafkaBroker.StartAsync(Storage, _tweakBroker?.Invoke(options) ?? options, _loggerFactory);
        Port = Broker.BoundListeners[0].Port;
    }

    /// <summary>Stops the broker and storage cleanly and starts them again on the same directory and port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await OpenAsync();
    }

    public async Task StopAsync()
    {
        await Broker.DisposeAsync();
        await Storage.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _ownedDirectory?.Dispose();
    }
}
