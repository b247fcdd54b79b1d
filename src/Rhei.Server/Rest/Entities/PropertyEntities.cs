namespace Rhei.Server.Rest.Entities;

/// <summary>A property in SHOW PROPERTIES: its name, scope (KSQL, KAFKA_STREAMS, ...) and value.</summary>
public sealed record PropertyInfo(string Name, string Scope, string Value);

/// <summary>SHOW PROPERTIES.</summary>
public sealed record PropertiesList : KsqlEntity
{
    public IReadOnlyList<PropertyInfo> Properties { get; init; } = [];

    public IReadOnlyList<string> OverwrittenProperties { get; init; } = [];

    public IReadOnlyList<string> DefaultProperties { get; init; } = [];
}

/// <summary>SHOW TYPES: custom type names and their schemas.</summary>
public sealed record TypeList : KsqlEntity
{
    public IReadOnlyDictionary<string, SchemaInfo> Types { get; init; } = new Dictionary<string, SchemaInfo>();
}

/// <summary>A variable in SHOW VARIABLES.</summary>
public sealed record VariableInfo(string Name, string Value);

/// <summary>SHOW VARIABLES.</summary>
public sealed record VariablesList : KsqlEntity
{
    public IReadOnlyList<VariableInfo> Variables { get; init; } = [];
}
