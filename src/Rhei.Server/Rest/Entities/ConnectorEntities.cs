namespace Rhei.Server.Rest.Entities;

/// <summary>A connector in SHOW CONNECTORS.</summary>
public sealed record SimpleConnectorInfo(string Name, string Type, string ClassName, string State);

/// <summary>SHOW CONNECTORS.</summary>
public sealed record ConnectorList : KsqlEntity
{
    public IReadOnlyList<SimpleConnectorInfo> Connectors { get; init; } = [];
}

/// <summary>DESCRIBE CONNECTOR.</summary>
public sealed record ConnectorDescription : KsqlEntity
{
    public string ConnectorClass { get; init; } = "";

    public IReadOnlyDictionary<string, string> Status { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<SourceDescription> Sources { get; init; } = [];

    public IReadOnlyList<string> Topics { get; init; } = [];
}
