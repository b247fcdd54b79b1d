using Rhei.Connect.Config;
using Rhei.Connect.Jdbc.Dialects;
using Rhei.Connect.Plugins;

namespace Rhei.Connect.Jdbc;

/// <summary>
/// Reads tables of PostgreSQL or SQLite into topics (<c>io.confluent.connect.jdbc.JdbcSourceConnector</c>): one task per
/// group of tables (up to <c>tasks.max</c>), or one task for a <c>query</c>.
/// </summary>
public sealed class JdbcSourceConnector : Connector
{
    public override ConnectorKind Kind => ConnectorKind.Source;

    public override ConfigDef ConfigDef => JdbcSourceConfig.Definition;

    public override IEnumerable<ConfigError> Validate(ParsedConfig config)
    {
        var mode = config.GetString(JdbcSourceConfig.Mode)!;
        var incrementing = config.GetString(JdbcSourceConfig.IncrementingColumn);
        var timestamps = config.GetList(JdbcSourceConfig.TimestampColumn);
        if (mode is JdbcSourceConfig.ModeIncrementing or JdbcSourceConfig.ModeTimestampIncrementing && string.IsNullOrWhiteSpace(incrementing))
        {
            yield return new ConfigError(JdbcSourceConfig.IncrementingColumn,
                $"Invalid value  for configuration {JdbcSourceConfig.IncrementingColumn}: mode '{mode}' needs the name of a strictly increasing column (e.g. 'id').");
        }

        if (mode is JdbcSourceConfig.ModeTimestamp or JdbcSourceConfig.ModeTimestampIncrementing && timestamps.Count == 0)
        {
            yield return new ConfigError(JdbcSourceConfig.TimestampColumn,
                $"Invalid value  for configuration {JdbcSourceConfig.TimestampColumn}: mode '{mode}' needs the name of a last-modified timestamp column.");
        }

        var query = config.GetString(JdbcSourceConfig.Query);
        if (!string.IsNullOrWhiteSpace(query) && config.GetList(JdbcSourceConfig.TableIncludeList).Count > 0)
        {
            yield return new ConfigError(JdbcSourceConfig.Query,
                $"Invalid value {query} for configuration {JdbcSourceConfig.Query}: query and {JdbcSourceConfig.TableIncludeList} (table.whitelist) cannot both be set.");
        }

        if (!string.IsNullOrWhiteSpace(query) && string.IsNullOrWhiteSpace(config.GetString(JdbcSourceConfig.TopicPrefix)))
        {
            yield return new ConfigError(JdbcSourceConfig.TopicPrefix,
                $"Invalid value  for configuration {JdbcSourceConfig.TopicPrefix}: with a query, topic.prefix is the whole topic name and cannot be empty.");
        }

        ConfigError? urlError = null;
        try
        {
            JdbcUrl.Parse(config.GetString(JdbcSourceConfig.ConnectionUrl)!);
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

    public override async ValueTask<IReadOnlyList<IReadOnlyDictionary<string, string>>> TaskConfigsAsync(ConnectorContext context, ParsedConfig config, int maxTasks, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(config.GetString(JdbcSourceConfig.Query)))
        {
            return [TaskConfig(config)];
        }

        var include = config.GetList(JdbcSourceConfig.TableIncludeList);
        var exclude = config.GetList(JdbcSourceConfig.TableExcludeList);
        var url = JdbcUrl.Parse(config.GetString(JdbcSourceConfig.ConnectionUrl)!, config.GetString(JdbcSourceConfig.ConnectionUser), config.GetString(JdbcSourceConfig.ConnectionPassword));
        var dialect = JdbcDialect.For(url);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        IReadOnlyList<string> available;
        try
        {
            var includeViews = config.GetList(JdbcSourceConfig.TableTypes).Any(t => t.Equals("VIEW", StringComparison.OrdinalIgnoreCase));
            available = await dialect.ListTablesAsync(connection, config.GetString(JdbcSourceConfig.SchemaPattern), includeViews, cancellationToken);
        }
        catch (System.Data.Common.DbException e)
        {
            throw new JdbcException($"Could not list the tables of {url.Display}: {e.Message}", e);
        }

        List<string> tables;
        if (include.Count > 0)
        {
            tables = [];
            foreach (var wanted in include)
            {
                var match = available.FirstOrDefault(t => t == wanted) ?? available.FirstOrDefault(t => string.Equals(t, wanted, StringComparison.OrdinalIgnoreCase));
                tables.Add(match ?? throw new JdbcException(
                    $"The table '{wanted}' of {JdbcSourceConfig.TableIncludeList} was not found in {url.Display} (tables: {(available.Count == 0 ? "none" : string.Join(", ", available))}).", null));
            }
        }
        else
        {
            tables = [.. available.Where(t => !exclude.Contains(t, StringComparer.OrdinalIgnoreCase))];
        }

        if (tables.Count == 0)
        {
            throw new JdbcException($"No tables to read in {url.Display}: create one, or check {JdbcSourceConfig.TableIncludeList} and {JdbcSourceConfig.SchemaPattern}.", null);
        }

        var taskCount = Math.Min(maxTasks, tables.Count);
        var groups = Enumerable.Range(0, taskCount).Select(_ => new List<string>()).ToList();
        for (var i = 0; i < tables.Count; i++)
        {
            groups[i % taskCount].Add(tables[i]);
        }

        return [.. groups.Select(g => TaskConfig(config, (JdbcSourceConfig.TaskTables, string.Join(",", g))))];
    }

    public override object CreateTask() => new JdbcSourceTask();

    public override IReadOnlyList<string> ConfiguredTopics(ParsedConfig config)
    {
        var prefix = config.GetString(JdbcSourceConfig.TopicPrefix) ?? "";
        return !string.IsNullOrWhiteSpace(config.GetString(JdbcSourceConfig.Query))
            ? [prefix]
            : [.. config.GetList(JdbcSourceConfig.TableIncludeList).Select(t => prefix + t.Split('.')[^1])];
    }
}
