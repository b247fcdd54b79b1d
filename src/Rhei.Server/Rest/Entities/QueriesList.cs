namespace Rhei.Server.Rest.Entities;

/// <summary>A query in SHOW QUERIES and in DESCRIBE's read/write queries.</summary>
public sealed record RunningQuery
{
    public string QueryString { get; init; } = "";

    public IReadOnlyList<string> Sinks { get; init; } = [];

    public IReadOnlyList<string> SinkKafkaTopics { get; init; } = [];

    public string Id { get; init; } = "";

    /// <summary>How many nodes report the query in each state (<c>{"RUNNING": 1}</c>).</summary>
    public IReadOnlyDictionary<string, int> StatusCount { get; init; } = new Dictionary<string, int>();

    /// <summary>PERSISTENT or PUSH.</summary>
    public string QueryType { get; init; } = "PERSISTENT";

    public string State { get; init; } = "RUNNING";
}

/// <summary>SHOW QUERIES.</summary>
public sealed record QueriesList : KsqlEntity
{
    public IReadOnlyList<RunningQuery> Queries { get; init; } = [];
}
