using System.Text.Json.Serialization;

namespace Rhei.Server.Rest.Entities;

/// <summary>A connector in SHOW CONNECTORS: <c>type</c> is <c>source</c> or <c>sink</c>, <c>state</c> the summary (<c>RUNNING (1/1 tasks RUNNING)</c>).</summary>
public sealed record SimpleConnectorInfo(string Name, string Type, string ClassName, string State);

/// <summary>SHOW CONNECTORS (<c>connector_list</c>).</summary>
public sealed record ConnectorList : KsqlEntity
{
    public IReadOnlyList<SimpleConnectorInfo> Connectors { get; init; } = [];
}

/// <summary>One task of a created connector (Kafka Connect's <c>ConnectorTaskId</c>).</summary>
public sealed record ConnectorTaskId(string Connector, int Task);

/// <summary>A created connector as Kafka Connect's REST API returns it: name, config, tasks, type.</summary>
public sealed record ConnectorInfoBody(string Name, IReadOnlyDictionary<string, string> Config, IReadOnlyList<ConnectorTaskId> Tasks, string Type);

/// <summary>CREATE SOURCE|SINK CONNECTOR (<c>connector_info</c>).</summary>
public sealed record CreateConnectorEntity : KsqlEntity
{
    public ConnectorInfoBody? Info { get; init; }
}

/// <summary>DROP CONNECTOR (<c>drop_connector</c>).</summary>
public sealed record DropConnectorEntity : KsqlEntity
{
    public string ConnectorName { get; init; } = "";
}

/// <summary>The state of a connector or one of its tasks; <c>trace</c> holds the error (its message first) when FAILED.</summary>
public sealed record ConnectorStateBody(
    string State,
    [property: JsonPropertyName("worker_id")] string WorkerId,
    string? Trace)
{
    /// <summary>The task's id (absent for the connector itself).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Id { get; init; }
}

/// <summary>Kafka Connect's status of a connector: its own state, its tasks', and its type.</summary>
public sealed record ConnectorStatusBody(string Name, ConnectorStateBody Connector, IReadOnlyList<ConnectorStateBody> Tasks, string Type);

/// <summary>DESCRIBE CONNECTOR (<c>connector_description</c>).</summary>
public sealed record ConnectorDescription : KsqlEntity
{
    public string ConnectorClass { get; init; } = "";

    public ConnectorStatusBody? Status { get; init; }

    public IReadOnlyList<SourceDescription> Sources { get; init; } = [];

    public IReadOnlyList<string> Topics { get; init; } = [];
}

/// <summary>A plugin in SHOW CONNECTOR PLUGINS.</summary>
public sealed record SimpleConnectorPluginInfo(string ClassName, string Type, string Version);

/// <summary>SHOW CONNECTOR PLUGINS (<c>connector_plugins_list</c>).</summary>
public sealed record ConnectorPluginsList : KsqlEntity
{
    public IReadOnlyList<SimpleConnectorPluginInfo> ConnectorPlugins { get; init; } = [];
}
