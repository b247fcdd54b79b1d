using System.Text.Json;
using System.Text.Json.Serialization;
using Rhei.Server.Rest.Entities;

namespace Rhei.Server.Rest.Json;

/// <summary>
/// Source-generated System.Text.Json metadata for every type the REST API reads or writes (no reflection at run time).
/// Names are camelCase, as in ksqlDB; nulls are written (ksqlDB's entities carry explicit nulls).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    AllowOutOfOrderMetadataProperties = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(KsqlRequest))]
[JsonSerializable(typeof(QueryStreamArgs))]
[JsonSerializable(typeof(CloseQueryArgs))]
[JsonSerializable(typeof(InsertsStreamArgs))]
[JsonSerializable(typeof(ClusterTerminateRequest))]
[JsonSerializable(typeof(KsqlEntity))]
[JsonSerializable(typeof(IReadOnlyList<KsqlEntity>))]
[JsonSerializable(typeof(List<KsqlEntity>))]
[JsonSerializable(typeof(KsqlErrorMessage))]
[JsonSerializable(typeof(KsqlStatementErrorMessage))]
[JsonSerializable(typeof(ServerInfoResponse))]
[JsonSerializable(typeof(HealthCheckResponse))]
[JsonSerializable(typeof(CommandStatuses))]
[JsonSerializable(typeof(CommandStatus))]
[JsonSerializable(typeof(ClusterStatusResponse))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class RestJsonContext : JsonSerializerContext;
