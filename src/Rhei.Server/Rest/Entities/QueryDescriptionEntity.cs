namespace Rhei.Server.Rest.Entities;

/// <summary>EXPLAIN of a query: its schema, sources, sinks, plan and topology.</summary>
public sealed record QueryDescription
{
    public string Id { get; init; } = "";

    public string StatementText { get; init; } = "";

    public string? WindowType { get; init; }

    public IReadOnlyList<FieldInfo> Fields { get; init; } = [];

    public IReadOnlyList<string> Sources { get; init; } = [];

    public IReadOnlyList<string> Sinks { get; init; } = [];

    public string Topology { get; init; } = "";

    public string ExecutionPlan { get; init; } = "";

    public IReadOnlyDictionary<string, string> OverriddenProperties { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> KsqlHostQueryStatus { get; init; } = new Dictionary<string, string>();

    public string QueryType { get; init; } = "PERSISTENT";

    public IReadOnlyList<string> QueryErrors { get; init; } = [];

    public IReadOnlyList<string> SinkKafkaTopics { get; init; } = [];

    public string State { get; init; } = "RUNNING";
}

/// <summary>EXPLAIN.</summary>
public sealed record QueryDescriptionEntity : KsqlEntity
{
    public QueryDescription QueryDescription { get; init; } = new();
}

/// <summary>SHOW QUERIES EXTENDED.</summary>
public sealed record QueryDescriptionList : KsqlEntity
{
    public IReadOnlyList<QueryDescription> QueryDescriptions { get; init; } = [];
}
