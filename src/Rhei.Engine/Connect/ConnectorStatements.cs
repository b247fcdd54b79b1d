using System.Globalization;
using Rhei.Connect.Config;
using Rhei.Connect.Plugins;
using Rhei.Connect.Runtime;
using Rhei.Engine.Entities;
using Rhei.Sql.Ast;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;

namespace Rhei.Engine.Connect;

/// <summary>
/// CREATE SOURCE|SINK CONNECTOR, DROP CONNECTOR, SHOW [SOURCE|SINK] CONNECTORS, DESCRIBE CONNECTOR and SHOW CONNECTOR
/// PLUGINS on the engine's <see cref="ConnectorRuntime"/>. They run on the engine's statement path like any DDL, so
/// whatever records statements (the command topic) records these too, and replaying CREATE CONNECTOR at start makes
/// the connector resume from its stored offsets.
/// </summary>
internal sealed class ConnectorStatements(RheiEngine engine, Func<DataSource, bool, CancellationToken, Task<SourceDescription>> describeSource)
{
    /// <summary>The statement when it is a connector statement, else null.</summary>
    public async Task<StatementResult?> TryExecuteAsync(Statement statement, string text, CancellationToken ct) => statement switch
    {
        CreateConnector create => await CreateAsync(create, text, ct),
        DropConnector drop => await DropAsync(drop, text, ct),
        ListConnectors list => new ConnectorListEntity(text, Runtime.List(list.Type is { } t ? Kind(t) : null)),
        DescribeConnector describe => await DescribeAsync(describe, text, ct),
        ListConnectorPlugins => new ConnectorPluginsListEntity(text, Runtime.Plugins),
        _ => null,
    };

    private ConnectorRuntime Runtime => engine.Connectors
        ?? throw new KsqlException("This engine runs no connectors: it was created without Kafka clients (RheiEngineOptions.ClientFactory) or connector runtime (RheiEngineOptions.Connectors).");

    private static ConnectorKind Kind(ConnectorType type) => type == ConnectorType.Sink ? ConnectorKind.Sink : ConnectorKind.Source;

    private async Task<StatementResult> CreateAsync(CreateConnector create, string text, CancellationToken ct)
    {
        var runtime = Runtime;
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in create.Properties)
        {
            properties[p.Name] = p.Value switch
            {
                StringLiteral s => s.Text,
                NullLiteral => "",
                BooleanLiteral b => b.BooleanValue ? "true" : "false",
                _ => Convert.ToString(p.Value.Value, CultureInfo.InvariantCulture) ?? p.Value.ToSql(),
            };
        }

        if (create.IfNotExists && runtime.TryDescribe(create.Name) is not null)
        {
            return new WarningResult(text, $"Connector {create.Name} already exists");
        }

        ConnectorInfo info;
        try
        {
            info = await runtime.CreateAsync(create.Name, properties, create.IfNotExists, Kind(create.Type), ct);
        }
        catch (ConnectorConfigException e)
        {
            throw new KsqlException($"Failed to create connector {create.Name}: {e.Message}");
        }
        catch (ConnectorAlreadyExistsException e)
        {
            throw new KsqlException(e.Message);
        }

        var status = runtime.TryDescribe(info.Name);
        return new ConnectorInfoEntity(text, info.Name, info.Kind, status?.Config ?? properties, status?.Tasks.Count ?? 0);
    }

    private async Task<StatementResult> DropAsync(DropConnector drop, string text, CancellationToken ct)
    {
        if (!await Runtime.DeleteAsync(drop.Name, ifExists: true, ct))
        {
            return drop.IfExists
                ? new WarningResult(text, $"Connector '{drop.Name}' does not exist.")
                : throw new KsqlException($"Connector {drop.Name} does not exist. SHOW CONNECTORS lists the connectors.");
        }

        return new DropConnectorEntity(text, drop.Name);
    }

    private async Task<StatementResult> DescribeAsync(DescribeConnector describe, string text, CancellationToken ct)
    {
        var status = Runtime.TryDescribe(describe.Name)
            ?? throw new KsqlException($"Connector {describe.Name} does not exist. SHOW CONNECTORS lists the connectors.");
        var topics = new HashSet<string>(status.Topics, StringComparer.Ordinal);
        var sources = new List<SourceDescription>();
        foreach (var source in engine.MetaStore.Sources.Where(s => topics.Contains(s.KafkaTopicName)))
        {
            sources.Add(await describeSource(source, false, ct));
        }

        return new ConnectorDescriptionEntity(text, status, sources, [.. status.Topics.Order(StringComparer.Ordinal)]);
    }
}
