using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Broker.Cluster;
using Rhei.Broker.Diagnostics;
using Rhei.Broker.Groups;
using Rhei.Broker.Handlers;
using Rhei.Broker.Network;
using Rhei.Broker.Producers;
using Rhei.Storage;

namespace Rhei.Broker;

/// <summary>
/// The Kafka-protocol server over a <see cref="LogManager"/>: listeners, connections, request handling, the
/// group coordinator and producer ids. Start with <see cref="StartAsync"/>; <see cref="StopAsync"/> (or
/// dispose) stops accepting, lets requests in progress finish (long-poll fetches and joins answer at once;
/// bounded by <see cref="BrokerOptions.ShutdownGracePeriod"/>), closes connections and stores group state.
/// The storage is the caller's: open it before and close it after the broker.
/// </summary>
/// <remarks>
/// The transport is raw sockets with System.IO.Pipelines rather than Kestrel's connection layer: it reads
/// 64 KiB per receive (Kestrel's transport reads into 4 KiB pool blocks, ~100K receive calls per second at
/// 400 MB/s), sends each batch of responses with one gather write that takes record bytes straight from the
/// storage read (no copy into a pipe), and reports the bound port simply. The REST API later runs on Kestrel
/// in the same host; the two share nothing but the process.
/// </remarks>
public sealed class KafkaBroker : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, (KafkaConnection Connection, Task Run)> _connections = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly List<KafkaListener> _listeners = [];
    private readonly BrokerOptions _options;
    private readonly ILogger _logger;
    private readonly BrokerMetrics _metrics;
    private readonly GroupCoordinator _groups;
    private int _stopped;

    private KafkaBroker(BrokerOptions options, ILogger logger, BrokerMetrics metrics, GroupCoordinator groups)
    {
        _options = options;
        _logger = logger;
        _metrics = metrics;
        _groups = groups;
    }

    /// <summary>The listeners as bound: the real port where 0 was configured.</summary>
    public IReadOnlyList<BrokerListener> BoundListeners { get; private set; } = [];

    /// <summary><c>host:port</c> of the first listener, for clients' <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers
    {
        get
        {
            var first = BoundListeners[0];
            var host = first.IsWildcardHost ? "127.0.0.1" : first.Host;
            return host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{first.Port}" : $"{host}:{first.Port}";
        }
    }

    /// <summary>The cluster id clients see (kept in <c>meta.properties</c> in the first log dir).</summary>
    public string ClusterId { get; private set; } = "";

    /// <summary>Connections open now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Binds the listeners and starts serving. Throws when a listener cannot be bound.</summary>
    public static Task<KafkaBroker> StartAsync(
        LogManager storage,
        BrokerOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (options.Listeners.Count == 0)
        {
            throw new ArgumentException("The broker needs at least one Kafka-protocol listener.", nameof(options));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        var time = timeProvider ?? TimeProvider.System;
        var logger = loggerFactory.CreateLogger<KafkaBroker>();
        var metrics = new BrokerMetrics(meterFactory);
        var groups = new GroupCoordinator(storage.GroupOffsets, options, time, loggerFactory.CreateLogger<GroupCoordinator>());
        var broker = new KafkaBroker(options, logger, metrics, groups);
        try
        {
            broker.Start(storage, options, loggerFactory, time, metrics, groups);
        }
        catch
        {
            broker._shutdown.Cancel();
            foreach (var listener in broker._listeners)
            {
                _ = listener.StopAsync();
            }

            metrics.Dispose();
            throw;
        }

        return Task.FromResult(broker);
    }

    private void Start(LogManager storage, BrokerOptions options, ILoggerFactory loggerFactory, TimeProvider time, BrokerMetrics metrics, GroupCoordinator groups)
    {
        var logDir = storage.Options.LogDirs[0];
        ClusterId = ClusterIdentity.LoadOrCreate(logDir, options.NodeId);
        var producerIds = ProducerIdManager.Load(logDir);
        var advertised = new Dictionary<string, BrokerListener>(StringComparer.OrdinalIgnoreCase);
        var cluster = new ClusterInfo(options.NodeId, ClusterId, advertised);
        var services = new BrokerServices(storage, options, cluster, groups, producerIds, metrics, loggerFactory.CreateLogger("Rhei.Broker.Requests"), time);
        var dispatcher = new RequestDispatcher(services);
        var bound = new List<BrokerListener>();
        foreach (var listener in options.Listeners)
        {
            var kafkaListener = KafkaListener.Bind(listener, dispatcher, metrics, _logger, options.SocketRequestMaxBytes, _connections, _shutdown.Token);
            _listeners.Add(kafkaListener);
            var endpoint = kafkaListener.BoundEndPoint;
            bound.Add(listener with { Port = endpoint.Port });
        }

        BoundListeners = bound;
        foreach (var listener in bound)
        {
            var configured = options.AdvertisedListeners.FirstOrDefault(a => string.Equals(a.Name, listener.Name, StringComparison.OrdinalIgnoreCase));
            advertised[listener.Name] = configured is not null
                ? configured with { Port = configured.Port == 0 ? listener.Port : configured.Port }
                : listener.IsWildcardHost ? listener with { Host = System.Net.Dns.GetHostName() } : listener;
        }

        groups.Start();
        foreach (var listener in _listeners)
        {
            listener.Start();
        }
    }

    /// <summary>
    /// Stops the broker: no new connections, requests in progress finish (bounded by the grace period),
    /// connections close, group state is stored. Idempotent.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _logger.Stopping(_connections.Count);
        foreach (var listener in _listeners)
        {
            await listener.StopAsync();
        }

        // Long waits (fetch, join, sync) answer now; connections stop reading new requests.
        await _shutdown.CancelAsync();
        foreach (var (connection, _) in _connections.Values)
        {
            connection.StopReading();
        }

        var all = Task.WhenAll(_connections.Values.Select(c => c.Connection.Stopped));
        try
        {
            await all.WaitAsync(_options.ShutdownGracePeriod, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }

        foreach (var (connection, _) in _connections.Values)
        {
            connection.Abort();
        }

        try
        {
            await Task.WhenAll(_connections.Values.Select(c => c.Run)).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        }
        catch (TimeoutException)
        {
        }

        await _groups.DisposeAsync();
        _metrics.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _shutdown.Dispose();
    }
}
