using System.Text.Json.Serialization;

namespace Rhei.Server.Rest.Entities;

/// <summary><c>GET /info</c>: <c>{"KsqlServerInfo": {...}}</c>.</summary>
public sealed record ServerInfoResponse([property: JsonPropertyName("KsqlServerInfo")] ServerInfo KsqlServerInfo);

/// <summary>The server's version, the Kafka cluster it runs on, its service id and status.</summary>
public sealed record ServerInfo(string Version, string KafkaClusterId, string KsqlServiceId, string ServerStatus);

/// <summary><c>GET /healthcheck</c>: overall health and each subsystem's.</summary>
public sealed record HealthCheckResponse(bool IsHealthy, IReadOnlyDictionary<string, HealthCheckDetail> Details);

public sealed record HealthCheckDetail(bool IsHealthy);

/// <summary><c>GET /status</c>: the state of every command by command id.</summary>
public sealed record CommandStatuses([property: JsonPropertyName("commandStatuses")] IReadOnlyDictionary<string, string> Statuses);

/// <summary><c>GET /clusterStatus</c>: every known node by <c>host:port</c>.</summary>
public sealed record ClusterStatusResponse(IReadOnlyDictionary<string, HostStatus> ClusterStatus);

/// <summary>One node in <c>/clusterStatus</c>.</summary>
public sealed record HostStatus(
    bool HostAlive,
    long LastStatusUpdateMs,
    IReadOnlyDictionary<string, ActiveStandbyEntity> ActiveStandbyPerQuery,
    HostStoreLags HostStoreLags);

/// <summary>The stores and partitions a node runs for one query, active and standby.</summary>
public sealed record ActiveStandbyEntity(
    IReadOnlyList<string> ActiveStores,
    IReadOnlyList<TopicPartitionEntity> ActivePartitions,
    IReadOnlyList<string> StandByStores,
    IReadOnlyList<TopicPartitionEntity> StandByPartitions);

public sealed record TopicPartitionEntity(string Topic, int Partition);

/// <summary>State store lag by store, reported when <c>ksql.lag.reporting.enable</c> is on.</summary>
public sealed record HostStoreLags(IReadOnlyDictionary<string, StateStoreLags> StateStoreLags, long UpdateTimeMs);

/// <summary>The lag of one state store, by partition.</summary>
public sealed record StateStoreLags(IReadOnlyDictionary<string, LagInfo> LagByPartition, int Size);

/// <summary>How far a store's partition is behind its changelog.</summary>
public sealed record LagInfo(long CurrentOffsetPosition, long EndOffsetPosition, long OffsetLag);
