using Rhei.Connect.Config;

namespace Rhei.Connect.Plugins;

/// <summary>
/// A connector: its properties, its own checks across properties, and how it splits its work into task configs.
/// One instance per running connector; the runtime calls <see cref="TaskConfigsAsync"/> again when it restarts the
/// connector (after a failure or a resume).
/// </summary>
public abstract class Connector
{
    public abstract ConnectorKind Kind { get; }

    /// <summary>The connector's own properties (the runtime adds the common ones: converters, transforms, errors.*).</summary>
    public abstract ConfigDef ConfigDef { get; }

    /// <summary>Checks that need several properties together; the ConfigDef has already parsed them.</summary>
    public virtual IEnumerable<ConfigError> Validate(ParsedConfig config) => [];

    /// <summary>
    /// The configs of up to <paramref name="maxTasks"/> tasks (each the connector's properties plus the task's share,
    /// e.g. its tables). May reach the external system (and fail, which makes the connector FAILED and retried).
    /// </summary>
    public abstract ValueTask<IReadOnlyList<IReadOnlyDictionary<string, string>>> TaskConfigsAsync(ConnectorContext context, ParsedConfig config, int maxTasks, CancellationToken cancellationToken);

    /// <summary>A new task of this connector (<see cref="SourceTask"/> or <see cref="SinkTask"/>).</summary>
    public abstract object CreateTask();

    /// <summary>The topics the connector will write to or read from, when known from the config alone.</summary>
    public virtual IReadOnlyList<string> ConfiguredTopics(ParsedConfig config) => [];

    /// <summary>Copies the properties and adds task-specific ones.</summary>
    protected static IReadOnlyDictionary<string, string> TaskConfig(ParsedConfig config, params (string Key, string Value)[] extra)
    {
        var result = new Dictionary<string, string>(config.Raw, StringComparer.Ordinal);
        foreach (var (k, v) in extra)
        {
            result[k] = v;
        }

        return result;
    }
}
