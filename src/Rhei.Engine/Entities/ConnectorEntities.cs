using Rhei.Connect.Plugins;
using Rhei.Connect.Runtime;

namespace Rhei.Engine.Entities;

/// <summary>CREATE SOURCE|SINK CONNECTOR: the connector as created (ksqlDB's <c>connector_info</c>).</summary>
public sealed record ConnectorInfoEntity(string StatementText, string Name, ConnectorKind Kind, IReadOnlyDictionary<string, string> Config, int Tasks) : StatementResult(StatementText)
{
    public override string TypeName => "connector_info";
}

/// <summary>DROP CONNECTOR (ksqlDB's <c>drop_connector</c>).</summary>
public sealed record DropConnectorEntity(string StatementText, string ConnectorName) : StatementResult(StatementText)
{
    public override string TypeName => "drop_connector";
}

/// <summary>SHOW [SOURCE|SINK] CONNECTORS (ksqlDB's <c>connector_list</c>).</summary>
public sealed record ConnectorListEntity(string StatementText, IReadOnlyList<ConnectorInfo> Connectors) : StatementResult(StatementText)
{
    public override string TypeName => "connector_list";
}

/// <summary>
/// DESCRIBE CONNECTOR (ksqlDB's <c>connector_description</c>): the connector's and its tasks' states with the last
/// error, the streams and tables over the topics it writes or reads, and those topics.
/// </summary>
public sealed record ConnectorDescriptionEntity(string StatementText, ConnectorStatus Status, IReadOnlyList<SourceDescription> Sources, IReadOnlyList<string> Topics) : StatementResult(StatementText)
{
    public override string TypeName => "connector_description";
}

/// <summary>SHOW CONNECTOR PLUGINS (ksqlDB's <c>connector_plugins_list</c>).</summary>
public sealed record ConnectorPluginsListEntity(string StatementText, IReadOnlyList<ConnectorPluginInfo> Plugins) : StatementResult(StatementText)
{
    public override string TypeName => "connector_plugins_list";
}

/// <summary>A statement that did nothing, with why (ksqlDB's <c>warning_entity</c>): DROP CONNECTOR IF EXISTS of an absent connector, ...</summary>
public sealed record WarningResult(string StatementText, string Message) : StatementResult(StatementText)
{
    public override string TypeName => "warning_entity";
}
