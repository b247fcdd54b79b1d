using Rhei.Connect.Config;
using Rhei.Connect.Plugins;

namespace Rhei.Connect.Jdbc;

/// <summary>Writes topics to PostgreSQL or SQLite tables (<c>io.confluent.connect.jdbc.JdbcSinkConnector</c>).</summary>
public sealed class JdbcSinkConnector : Connector
{
    public override ConnectorKind Kind => ConnectorKind.Sink;

    public override ConfigDef ConfigDef => JdbcSinkConfig.Definition;

    public override IEnumerable<ConfigError> Validate(ParsedConfig config)
    {
        var insertMode = config.GetString(JdbcSinkConfig.InsertMode)!.ToLowerInvariant();
        var pkMode = config.GetString(JdbcSinkConfig.PkMode)!.ToLowerInvariant();
        if (insertMode is "upsert" or "update" && pkMode == "none")
        {
            yield return new ConfigError(JdbcSinkConfig.PkMode,
                $"Invalid value none for configuration {JdbcSinkConfig.PkMode}: insert.mode={insertMode} needs a primary key; set pk.mode to record_key, record_value or kafka.");
        }

        if (config.GetBoolean(JdbcSinkConfig.DeleteEnabled) && pkMode != "record_key")
        {
            yield return new ConfigError(JdbcSinkConfig.DeleteEnabled,
                $"Invalid value true for configuration {JdbcSinkConfig.DeleteEnabled}: Deletes are only supported for pk.mode record_key (pk.mode is {pkMode}).");
        }

        if (pkMode == "kafka" && config.GetList(JdbcSinkConfig.PkFields) is { Count: > 0 and not 3 } fields)
        {
            yield return new ConfigError(JdbcSinkConfig.PkFields,
                $"Invalid value {string.Join(",", fields)} for configuration {JdbcSinkConfig.PkFields}: pk.mode=kafka needs exactly 3 names (topic, partition, offset) or none.");
        }

        ConfigError? urlError = null;
        try
        {
            JdbcUrl.Parse(config.GetString(JdbcSinkConfig.ConnectionUrl)!);
        }
        catch (ConnectorConfigException e)
        {
            urlError = e.Errors[0];
        }

        if (urlError is not null)
        {
            yield return urlError;
        }
    }

    public override ValueTask<IReadOnlyList<IReadOnlyDictionary<string, string>>> TaskConfigsAsync(ConnectorContext context, ParsedConfig config, int maxTasks, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<IReadOnlyDictionary<string, string>>>([.. Enumerable.Range(0, maxTasks).Select(_ => TaskConfig(config))]);

    public override object CreateTask() => new JdbcSinkTask();

    public override IReadOnlyList<string> ConfiguredTopics(ParsedConfig config) => config.GetList(JdbcSinkConfig.Topics);
}
