namespace Rhei.Connect.Config;

/// <summary>
/// A connector configuration is not valid. The message lists each error as Kafka Connect does
/// (<c>Connector configuration is invalid and contains the following 1 error(s):\nMissing required configuration
/// "connection.url" which has no default value.</c>); <see cref="Errors"/> has them per property.
/// </summary>
public sealed class ConnectorConfigException : Exception
{
    public ConnectorConfigException(string message, IReadOnlyList<ConfigError> errors)
        : base(message)
    {
        Errors = errors;
    }

    /// <summary>One error about one property.</summary>
    public ConnectorConfigException(string property, string message)
        : base(message)
    {
        Errors = [new ConfigError(property, message)];
    }

    public IReadOnlyList<ConfigError> Errors { get; }

    public static ConnectorConfigException FromErrors(string connectorName, IReadOnlyList<ConfigError> errors)
    {
        var lines = string.Join("\n", errors.Select(e => e.Message));
        return new ConnectorConfigException(
            $"Connector configuration is invalid and contains the following {errors.Count} error(s):\n{lines}\n" +
            $"(connector '{connectorName}'; SHOW CONNECTOR PLUGINS lists the classes, and DESCRIBE CONNECTOR shows a running one's config)",
            errors);
    }
}
