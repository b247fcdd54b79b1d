using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Configuration;
using Rhei.Formats.SchemaRegistry;

namespace Rhei.Server;

/// <summary>How a <see cref="RestServer"/> listens and describes itself.</summary>
public sealed record RestServerOptions
{
    /// <summary>The <c>HTTP://host:port</c> listeners (port 0: any free port). Others in the list are ignored.</summary>
    public IReadOnlyList<ListenerEndpoint> Listeners { get; init; } =
        [new ListenerEndpoint("HTTP", ListenerProtocol.Http, "127.0.0.1", 8088)];

    /// <summary><c>ksql.service.id</c> as <c>/info</c> reports it.</summary>
    public string ServiceId { get; init; } = "default_";

    /// <summary>The Kafka cluster id <c>/info</c> reports (the embedded broker's, or the external cluster's).</summary>
    public string KafkaClusterId { get; init; } = "";

    /// <summary>The version <c>/info</c> reports.</summary>
    public string ServerVersion { get; init; } = DefaultVersion;

    /// <summary>An HTTP connection quiet this long in both directions is closed (<c>ksql.idle.connection.timeout.seconds</c>).</summary>
    public TimeSpan IdleConnectionTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Largest request body accepted by the statement endpoints (not <c>/inserts-stream</c>, which streams).</summary>
    public int MaxRequestBodyBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Most pull queries running at once (<c>ksql.query.pull.max.concurrent.requests</c>).</summary>
    public int PullMaxConcurrentRequests { get; init; } = int.MaxValue;

    /// <summary>How long a <c>/ksql</c> request with a <c>commandSequenceNumber</c> waits for that command (<c>ksql.server.command.response.timeout.ms</c>).</summary>
    public TimeSpan CommandQueueCatchupTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Setting names that a request may not override (<c>/is_valid_property</c>, <c>streamsProperties</c>).</summary>
    public IReadOnlySet<string> ProhibitedOverrides { get; init; } = DefaultProhibitedOverrides;

    /// <summary>The embedded schema registry to serve under <see cref="SchemaRegistryPrefix"/>; null: none.</summary>
    public SchemaRegistryApi? SchemaRegistry { get; init; }

    /// <summary><c>rhei.schema.registry.prefix</c>: the path of the registry's API (<c>/schema-registry</c>; <c>/</c>: the root).</summary>
    public string SchemaRegistryPrefix { get; init; } = "/schema-registry";

    /// <summary>Settings of the pull and push queries the API runs.</summary>
    public Engine.Queries.QueryServiceOptions Queries { get; init; } = new();

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The properties a request can never override: who the node is and where it keeps its data.</summary>
    public static IReadOnlySet<string> DefaultProhibitedOverrides { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ksql.service.id",
        RheiSettings.ServiceId,
        RheiSettings.Listeners,
        RheiSettings.BootstrapServers,
        RheiSettings.LogDirs,
        RheiSettings.NodeId,
        RheiSettings.StreamsStateDir,
        RheiSettings.PersistentPrefix,
        RheiSettings.InternalTopicReplicas,
        RheiSettings.AdvertisedListener,
        "ksql.streams.bootstrap.servers",
    };

    /// <summary>The REST API's options from the settings table.</summary>
    public static RestServerOptions FromConfig(RheiConfig config, string kafkaClusterId, ILoggerFactory loggerFactory) => new()
    {
        Listeners = [.. config.Listeners.Where(l => l.Protocol == ListenerProtocol.Http)],
        ServiceId = config.ServiceId,
        KafkaClusterId = kafkaClusterId,
        IdleConnectionTimeout = TimeSpan.FromSeconds(config.GetLong(RheiSettings.IdleConnectionTimeoutSeconds)),
        PullMaxConcurrentRequests = config.GetInt(RheiSettings.PullMaxConcurrentRequests),
        CommandQueueCatchupTimeout = TimeSpan.FromMilliseconds(config.GetLong(RheiSettings.CommandResponseTimeoutMs)),
        SchemaRegistryPrefix = config.GetString(RheiSettings.SchemaRegistryPrefix),
        LoggerFactory = loggerFactory,
    };

    private static string DefaultVersion =>
        typeof(RestServerOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.1.0";
}
