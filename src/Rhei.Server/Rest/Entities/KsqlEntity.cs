using System.Text.Json.Serialization;

namespace Rhei.Server.Rest.Entities;

/// <summary>
/// One result of <c>POST /ksql</c>, as ksqlDB writes it: an object with an <c>@type</c> naming its kind, the statement
/// it answers and any warnings. The server writes these; the CLI reads them back (an unknown <c>@type</c> reads as a
/// plain <see cref="KsqlEntity"/>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "@type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FallBackToBaseType)]
[JsonDerivedType(typeof(CommandStatusEntity), "currentStatus")]
[JsonDerivedType(typeof(StreamsList), "streams")]
[JsonDerivedType(typeof(TablesList), "tables")]
[JsonDerivedType(typeof(QueriesList), "queries")]
[JsonDerivedType(typeof(SourceDescriptionEntity), "sourceDescription")]
[JsonDerivedType(typeof(SourceDescriptionList), "source_descriptions")]
[JsonDerivedType(typeof(QueryDescriptionEntity), "queryDescription")]
[JsonDerivedType(typeof(QueryDescriptionList), "query_descriptions")]
[JsonDerivedType(typeof(FunctionNameList), "function_names")]
[JsonDerivedType(typeof(FunctionDescriptionList), "describe_function")]
[JsonDerivedType(typeof(PropertiesList), "properties")]
[JsonDerivedType(typeof(TypeList), "type_list")]
[JsonDerivedType(typeof(KafkaTopicsList), "kafka_topics")]
[JsonDerivedType(typeof(KafkaTopicsListExtended), "kafka_topics_extended")]
[JsonDerivedType(typeof(VariablesList), "variables")]
[JsonDerivedType(typeof(WarningEntity), "warning_entity")]
[JsonDerivedType(typeof(ConnectorList), "connector_list")]
[JsonDerivedType(typeof(ConnectorDescription), "connector_description")]
[JsonDerivedType(typeof(CreateConnectorEntity), "connector_info")]
[JsonDerivedType(typeof(DropConnectorEntity), "drop_connector")]
[JsonDerivedType(typeof(ConnectorPluginsList), "connector_plugins_list")]
[JsonDerivedType(typeof(ErrorEntity), "error_entity")]
public record KsqlEntity
{
    public string StatementText { get; init; } = "";

    public IReadOnlyList<KsqlWarning> Warnings { get; init; } = [];
}

/// <summary>A condition worth telling the user that did not stop the statement.</summary>
public sealed record KsqlWarning(string Message);

/// <summary>A non-fatal message in place of a result (for example "no queries to terminate").</summary>
public sealed record WarningEntity : KsqlEntity
{
    public string Message { get; init; } = "";
}

/// <summary>An error reported as an entity (connector operations do this in ksqlDB).</summary>
public sealed record ErrorEntity : KsqlEntity
{
    public string ErrorMessage { get; init; } = "";
}
