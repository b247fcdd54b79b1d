namespace Rhei.Connect.Runtime;

/// <summary>A connector of this name already exists (CREATE without IF NOT EXISTS).</summary>
public sealed class ConnectorAlreadyExistsException(string name)
    : InvalidOperationException($"Connector {name} already exists. Use DROP CONNECTOR {name} first, or CREATE ... CONNECTOR IF NOT EXISTS.")
{
    public string Name { get; } = name;
}

/// <summary>No connector of this name (DROP without IF EXISTS, DESCRIBE, PAUSE, ...).</summary>
public sealed class ConnectorNotFoundException(string name)
    : KeyNotFoundException($"Connector {name} not found. SHOW CONNECTORS lists the connectors.")
{
    public string Name { get; } = name;
}
