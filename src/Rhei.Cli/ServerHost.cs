using Microsoft.Extensions.Logging;
using Rhei.Broker;
using Rhei.Client.Embedded;
using Rhei.Client.Kafka;
using Rhei.Configuration;
using Rhei.Engine;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Protocol.Records;
using Rhei.Server;
using Rhei.Storage;

namespace Rhei.Cli;

/// <summary>
/// Runs <c>rhei server</c>: maps the settings table onto each layer's options, starts the components in order
/// (storage, the Kafka-protocol broker, the SQL engine, the REST API), waits for cancellation (Ctrl+C, SIGTERM), then
/// stops them in reverse order — the REST API ends push queries and answers what is in progress, the engine stops its
/// queries, the broker answers what is in progress and closes its connections, then storage flushes and leaves its
/// clean-shutdown marker.
/// </summary>
public static class ServerHost
{
    /// <summary>
    /// Runs the server until <paramref name="cancellationToken"/> is cancelled and returns the process exit code.
    /// Prints one line per started component (the Kafka listener line says where clients connect).
    /// </summary>
    public static async Task<int> RunAsync(RheiConfig config, TextWriter output, CancellationToken cancellationToken)
    {
        // Storage appends and fsyncs block their thread (a produce that fsyncs several partitions runs them side by
        // side): keep enough thread-pool workers that socket work never waits for the pool to grow.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
        using var loggerFactory = CreateLoggerFactory();
        ServerComponents components;
        try
        {
            components = await StartAsync(config, loggerFactory, output, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or TimeoutException or InvalidOperationException or UnauthorizedAccessException or System.Net.Sockets.SocketException or InvalidDataException or NotSupportedException)
        {
            output.WriteLine($"rhei server: could not start: {e.Message}");
            return 1;
        }

        await using (components)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            output.WriteLine("rhei server: stopping");
        }

        output.WriteLine("rhei server: stopped");
        return 0;
    }

    /// <summary>Starts storage and the broker for <paramref name="config"/>; dispose the result to stop them in reverse order.</summary>
    public static async Task<ServerComponents> StartAsync(RheiConfig config, ILoggerFactory loggerFactory, TextWriter output, CancellationToken cancellationToken)
    {
        var components = new ServerComponents();
        try
        {
            if (!config.IsEmbeddedBroker)
            {
                await StartOnKafkaAsync(components, config, loggerFactory, output, cancellationToken);
                return components;
            }

            var storage = await LogManager.OpenAsync(CreateStorageOptions(config), loggerFactory, cancellationToken: cancellationToken);
            components.Add("storage", storage.DisposeAsync);
            output.WriteLine($"rhei server: storage open in {string.Join(",", config.LogDirs)} ({(storage.WasCleanStart ? "clean start" : "recovered after an unclean shutdown")})");

            var brokerOptions = CreateBrokerOptions(config);
            if (brokerOptions.Listeners.Count > 0)
            {
                var broker = await KafkaBroker.StartAsync(storage, brokerOptions, loggerFactory, cancellationToken: cancellationToken);
                components.Add("broker", broker.DisposeAsync);
                components.Broker = broker;
                foreach (var listener in broker.BoundListeners)
                {
                    output.WriteLine($"rhei server: Kafka listener {listener} ready (node {brokerOptions.NodeId}, cluster id {broker.ClusterId})");
                }
            }
            else
            {
                output.WriteLine("rhei server: no PLAINTEXT listener in `listeners`, so no Kafka endpoint was opened");
            }

            components.Storage = storage;

            await StartEngineAndRestAsync(components, config, CreateEngineOptions(config, storage, loggerFactory), components.Broker?.ClusterId ?? "", loggerFactory, output, cancellationToken);
            return components;
        }
        catch
        {
            await components.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// With <c>bootstrap.servers</c> set: no storage and no broker here; the engine's topics, queries and command topic
    /// live on that cluster (nodes with the same <c>ksql.service.id</c> share the command topic).
    /// </summary>
    private static async Task StartOnKafkaAsync(ServerComponents components, RheiConfig config, ILoggerFactory loggerFactory, TextWriter output, CancellationToken cancellationToken)
    {
        var bootstrap = string.Join(",", config.GetList(RheiSettings.BootstrapServers));
        var clients = new KafkaClientFactory(bootstrap, null, loggerFactory);
        output.WriteLine($"rhei server: on Kafka at {bootstrap}; the embedded broker and its storage stay off");
        if (config.Listeners.Any(l => l.IsKafka))
        {
            output.WriteLine("rhei server: the Kafka listeners in `listeners` are not opened (bootstrap.servers is set)");
        }

        await StartEngineAndRestAsync(components, config, CreateEngineOptions(config, clients, loggerFactory), "", loggerFactory, output, cancellationToken);
    }

    private static async Task StartEngineAndRestAsync(
        ServerComponents components, RheiConfig config, RheiEngineOptions engineOptions, string clusterId, ILoggerFactory loggerFactory, TextWriter output, CancellationToken cancellationToken)
    {
        var (formats, registryApi) = await CreateSchemaRegistryAsync(config, engineOptions.ClientFactory!, components, cancellationToken);
        output.WriteLine(registryApi is null
            ? $"rhei server: schema registry: {config.GetString(RheiSettings.SchemaRegistryUrl)} (ksql.schema.registry.url)"
            : "rhei server: schema registry: built in (topic _schemas)");
        var engine = new RheiEngine(engineOptions with { Formats = formats });
        components.Add("engine", engine.DisposeAsync);
        components.Engine = engine;

        // The metastore comes back from the command topic before anything is served.
        await engine.StartAsync(cancellationToken);
        var replay = engine.Replay;
        output.WriteLine(replay is null || replay.Records == 0
            ? $"rhei server: engine ready (command topic {engine.CommandTopicName} is new)"
            : $"rhei server: engine ready: replayed {replay.Replayed} commands of {engine.CommandTopicName} in {replay.Elapsed.TotalMilliseconds:0} ms " +
              $"({replay.SkippedFailed} skipped as failed originally, {replay.FailedOnReplay} failed on replay; {replay.QueriesStarted} persistent queries started)");

        var httpListeners = config.Listeners.Where(l => l.Protocol == ListenerProtocol.Http).ToList();
        if (httpListeners.Count > 0)
        {
            var restOptions = RestServerOptions.FromConfig(config, clusterId, loggerFactory) with
            {
                ServerVersion = VersionCommand.Version.Split('+')[0],
                SchemaRegistry = registryApi,
            };
            var rest = await RestServer.StartAsync(engine, restOptions, cancellationToken);
            components.Add("REST API", rest.DisposeAsync);
            components.RestServer = rest;
            output.WriteLine($"rhei server: REST API ready at {string.Join(", ", rest.Addresses)} (HTTP/1.1 and HTTP/2; 'rhei sql {rest.Addresses[0]}' connects)");
        }
        else
        {
            output.WriteLine("rhei server: no HTTP listener in `listeners`, so the REST API is off");
        }
    }

    /// <summary>
    /// The engine's options from the settings table: the service id, every <c>ksql.*</c> setting as a server property,
    /// and the in-process clients over <paramref name="storage"/>.
    /// </summary>
    public static RheiEngineOptions CreateEngineOptions(RheiConfig config, LogManager storage, ILoggerFactory loggerFactory) =>
        CreateEngineOptions(config, new EmbeddedClientFactory(storage), loggerFactory);

    /// <summary>The engine's options from the settings table, on <paramref name="clients"/> (embedded or Kafka).</summary>
    public static RheiEngineOptions CreateEngineOptions(RheiConfig config, Rhei.Client.IClientFactory clients, ILoggerFactory loggerFactory)
    {
        var properties = config.Values
            .Where(v => v.Value is not null && v.Key.Name.StartsWith("ksql.", StringComparison.Ordinal))
            .ToDictionary(v => v.Key.Name, v => v.Text, StringComparer.Ordinal);
        foreach (var passThrough in config.PassThrough)
        {
            properties[passThrough.Name] = passThrough.Value;
        }

        return new RheiEngineOptions
        {
            ServiceId = config.ServiceId,
            Properties = properties,
            ClientFactory = clients,
            StateDirectory = config.StreamsStateDir,
            LoggerFactory = loggerFactory,
        };
    }

    /// <summary>
    /// The formats with AVRO, PROTOBUF and JSON_SR on the external registry of <c>ksql.schema.registry.url</c> when it is
    /// set, else on the built-in registry (stored in <c>_schemas</c>; its REST API is returned to be served).
    /// </summary>
    public static async Task<(FormatRegistry Formats, SchemaRegistryApi? Api)> CreateSchemaRegistryAsync(
        RheiConfig config, Rhei.Client.IClientFactory clients, ServerComponents components, CancellationToken cancellationToken)
    {
        var url = config.GetString(RheiSettings.SchemaRegistryUrl);
        if (!string.IsNullOrWhiteSpace(url))
        {
            var external = new HttpSchemaRegistryClient(url.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)[0]);
            components.Add("schema registry client", () => { external.Dispose(); return ValueTask.CompletedTask; });
            return (SchemaRegistryFormats.AddTo(FormatRegistry.CreateDefault(), external), null);
        }

        var log = new SchemasTopicLog(clients);
        components.Add("schema registry", log.DisposeAsync);
        var store = new SchemaStore(log);
        await store.StartAsync(cancellationToken);
        return (SchemaRegistryFormats.AddTo(FormatRegistry.CreateDefault(), new EmbeddedSchemaRegistryClient(store)), new SchemaRegistryApi(store));
    }

    /// <summary>The storage layer's options from the settings table.</summary>
    public static StorageOptions CreateStorageOptions(RheiConfig config)
    {
        var options = new StorageOptions
        {
            LogDirs = config.LogDirs,
            NumPartitions = config.GetInt(RheiSettings.NumPartitions),
            LogSegmentBytes = config.GetInt(RheiSettings.LogSegmentBytes),
            LogRollMs = config.LogRollMs,
            LogRetentionMs = config.LogRetentionMs,
            LogRetentionBytes = config.GetLong(RheiSettings.LogRetentionBytes),
            LogRetentionCheckIntervalMs = config.GetLong(RheiSettings.LogRetentionCheckIntervalMs),
            LogFlushIntervalMessages = config.GetLong(RheiSettings.LogFlushIntervalMessages),
            LogFlushIntervalMs = config.GetLongOrNull(RheiSettings.LogFlushIntervalMs) ?? long.MaxValue,
            MessageMaxBytes = config.GetInt(RheiSettings.MessageMaxBytes),
            LogIndexIntervalBytes = config.GetInt(RheiSettings.LogIndexIntervalBytes),
            LogCleanupPolicy = string.Join(",", config.GetList(RheiSettings.LogCleanupPolicy)),
            LogMessageTimestampType = config.GetString(RheiSettings.LogMessageTimestampType) == "LogAppendTime" ? TimestampType.LogAppendTime : TimestampType.CreateTime,
            LogCleanerEnable = config.GetBoolean(RheiSettings.LogCleanerEnable),
            LogCleanerDeleteRetentionMs = config.GetLong(RheiSettings.LogCleanerDeleteRetentionMs),
            LogCleanerMinCleanableRatio = config.GetDouble(RheiSettings.LogCleanerMinCleanableRatio),
            OffsetsRetentionMinutes = config.GetInt(RheiSettings.OffsetsRetentionMinutes),
        };

        // Kafka's 50 partitions of __consumer_offsets spread coordinators over brokers; one node has nothing to
        // spread, so storage's own default (1) holds unless the setting is given explicitly.
        var offsetsPartitions = config.GetValue(RheiSettings.OffsetsTopicNumPartitions);
        return offsetsPartitions.IsDefault ? options : options with { OffsetsTopicNumPartitions = (int)offsetsPartitions.Value! };
    }

    /// <summary>The broker's options from the settings table (Kafka-protocol listeners only; HTTP ones are the REST API's).</summary>
    public static BrokerOptions CreateBrokerOptions(RheiConfig config)
    {
        var sasl = config.Listeners.FirstOrDefault(l => l.Protocol == ListenerProtocol.SaslPlaintext);
        if (sasl is not null)
        {
            throw new NotSupportedException($"Listener {sasl} asks for SASL, which the broker does not serve yet; use a PLAINTEXT listener.");
        }

        static BrokerListener ToBroker(ListenerEndpoint endpoint) => new(endpoint.Name, endpoint.Host, endpoint.Port);
        var advertised = config.GetValue(RheiSettings.AdvertisedListeners).Value is null
            ? []
            : config.AdvertisedListeners.Where(l => l.IsKafka).Select(ToBroker).ToList();
        return new BrokerOptions
        {
            NodeId = config.NodeId,
            Listeners = [.. config.Listeners.Where(l => l.IsKafka).Select(ToBroker)],
            AdvertisedListeners = advertised,
            AutoCreateTopicsEnable = config.GetBoolean(RheiSettings.AutoCreateTopicsEnable),
            NumPartitions = config.GetInt(RheiSettings.NumPartitions),
            DefaultReplicationFactor = config.GetInt(RheiSettings.DefaultReplicationFactor),
            SocketRequestMaxBytes = config.GetInt(RheiSettings.SocketRequestMaxBytes),
            GroupInitialRebalanceDelayMs = config.GetInt(RheiSettings.GroupInitialRebalanceDelayMs),
            GroupMinSessionTimeoutMs = config.GetInt(RheiSettings.GroupMinSessionTimeoutMs),
            GroupMaxSessionTimeoutMs = config.GetInt(RheiSettings.GroupMaxSessionTimeoutMs),
            TransactionMaxTimeoutMs = config.GetInt(RheiSettings.TransactionMaxTimeoutMs),
            BrokerConfigs = [.. config.Values
                .Where(v => v.Key.UsedBy is RheiLayer.Storage or RheiLayer.Broker || v.Key.Name is RheiSettings.Listeners)
                .Select(v => new BrokerConfigEntry(v.Key.Name, v.Value is null ? null : v.Text, v.IsDefault))],
        };
    }

    internal static ILoggerFactory CreateLoggerFactory() => LoggerFactory.Create(logging =>
    {
        // Quiet by default: warnings and errors, plus the broker's and storage's lifecycle lines.
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("Rhei.Broker.KafkaBroker", LogLevel.Information);
        logging.AddFilter("Rhei.Storage.LogManager", LogLevel.Information);
        logging.AddFilter("Rhei.Engine.CommandTopic", LogLevel.Information);
        logging.AddFilter("Rhei.Streams.Restore", LogLevel.Information);
        logging.AddFilter("Rhei.Server.RestServer", LogLevel.Warning);
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
    });
}

/// <summary>
/// The started parts of a server, stopped in reverse order of starting when disposed. Components added later
/// (the engine, the REST API) go through <see cref="Add"/> in <see cref="ServerHost.StartAsync"/>.
/// </summary>
public sealed class ServerComponents : IAsyncDisposable
{
    private readonly List<(string Name, Func<ValueTask> Stop)> _started = [];

    /// <summary>The storage engine (set once started).</summary>
    public LogManager? Storage { get; internal set; }

    /// <summary>The Kafka-protocol broker, when a PLAINTEXT listener is configured.</summary>
    public KafkaBroker? Broker { get; internal set; }

    /// <summary>The SQL engine (set once started).</summary>
    public RheiEngine? Engine { get; internal set; }

    /// <summary>The REST API, when an HTTP listener is configured.</summary>
    public RestServer? RestServer { get; internal set; }

    /// <summary>Records a started component and how to stop it.</summary>
    public void Add(string name, Func<ValueTask> stop) => _started.Add((name, stop));

    public async ValueTask DisposeAsync()
    {
        List<Exception>? errors = null;
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            try
            {
                await _started[i].Stop();
            }
            catch (Exception e)
            {
                (errors ??= []).Add(new InvalidOperationException($"Stopping {_started[i].Name} failed: {e.Message}", e));
            }
        }

        _started.Clear();
        if (errors is not null)
        {
            throw new AggregateException(errors);
        }
    }
}
