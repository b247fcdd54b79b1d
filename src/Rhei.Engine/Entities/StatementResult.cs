namespace Rhei.Engine.Entities;

/// <summary>
/// The result of one statement, as ksqlDB's /ksql endpoint returns it (the REST layer serializes these with an
/// <c>@type</c>): every result carries the statement text and any warnings.
/// </summary>
public abstract record StatementResult(string StatementText)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>ksqlDB's <c>@type</c> name of the entity (<c>currentStatus</c>, <c>streams</c>, ...).</summary>
    public abstract string TypeName { get; }
}

/// <summary>Status of a command: SUCCESS, ERROR, ...</summary>
public enum CommandStatus
{
    Queued,
    Parsing,
    Executing,
    Terminated,
    Success,
    Error,
}

/// <summary>CREATE, DROP, TERMINATE, ...: <c>{"commandId": "stream/OUT/create", "commandStatus": {...}}</c>.</summary>
public sealed record CommandStatusEntity(string StatementText, string CommandId, CommandStatus Status, string Message, long CommandSequenceNumber) : StatementResult(StatementText)
{
    public override string TypeName => "currentStatus";

    /// <summary>The id of the query a CSAS/CTAS/INSERT started, when there is one.</summary>
    public string? QueryId { get; init; }
}

/// <summary>One field of a schema in SHOW/DESCRIBE output (<c>{"name", "schema": {"type", ...}, "type": "KEY"}</c>).</summary>
public sealed record FieldInfo(string Name, string Type, bool IsKey, string? HeaderKey = null);

/// <summary>A stream or table in SHOW STREAMS / SHOW TABLES.</summary>
public sealed record SourceInfo(string Name, string Topic, string KeyFormat, string ValueFormat, bool IsWindowed, string Type);

public sealed record StreamsListEntity(string StatementText, IReadOnlyList<SourceInfo> Streams) : StatementResult(StatementText)
{
    public override string TypeName => "streams";
}

public sealed record TablesListEntity(string StatementText, IReadOnlyList<SourceInfo> Tables) : StatementResult(StatementText)
{
    public override string TypeName => "tables";
}

/// <summary>A query in SHOW QUERIES.</summary>
public sealed record RunningQueryInfo(string Id, string QueryString, IReadOnlyList<string> Sinks, IReadOnlyList<string> SinkTopics, string State, string QueryType);

public sealed record QueriesEntity(string StatementText, IReadOnlyList<RunningQueryInfo> Queries) : StatementResult(StatementText)
{
    public override string TypeName => "queries";
}

/// <summary>DESCRIBE [EXTENDED] source.</summary>
public sealed record SourceDescription(
    string Name,
    string Type,
    IReadOnlyList<FieldInfo> Fields,
    IReadOnlyList<string> ReadQueries,
    IReadOnlyList<string> WriteQueries,
    string Timestamp,
    string KeyFormat,
    string ValueFormat,
    string Topic,
    bool Windowed,
    string? WindowType,
    bool Extended,
    int Partitions,
    int Replication,
    string Statement);

public sealed record SourceDescriptionEntity(string StatementText, SourceDescription SourceDescription) : StatementResult(StatementText)
{
    public override string TypeName => "sourceDescription";
}

public sealed record SourceDescriptionList(string StatementText, IReadOnlyList<SourceDescription> SourceDescriptions) : StatementResult(StatementText)
{
    public override string TypeName => "source_descriptions";
}

/// <summary>A function name in SHOW FUNCTIONS.</summary>
public sealed record SimpleFunctionInfo(string Name, string Type, string Category);

public sealed record FunctionNameListEntity(string StatementText, IReadOnlyList<SimpleFunctionInfo> Functions) : StatementResult(StatementText)
{
    public override string TypeName => "function_names";
}

/// <summary>One overload in DESCRIBE FUNCTION.</summary>
public sealed record FunctionVariant(IReadOnlyList<string> Arguments, string ReturnType, string Description);

public sealed record FunctionDescriptionEntity(string StatementText, string Name, string Description, string Type, IReadOnlyList<FunctionVariant> Functions) : StatementResult(StatementText)
{
    public override string TypeName => "describe_function";
}

public sealed record PropertiesListEntity(string StatementText, IReadOnlyDictionary<string, string> Properties, IReadOnlyList<string> OverwrittenProperties) : StatementResult(StatementText)
{
    public override string TypeName => "properties";
}

public sealed record TypeListEntity(string StatementText, IReadOnlyDictionary<string, string> Types) : StatementResult(StatementText)
{
    public override string TypeName => "type_list";
}

public sealed record KafkaTopicInfo(string Name, int Partitions, int Replicas);

public sealed record KafkaTopicsListEntity(string StatementText, IReadOnlyList<KafkaTopicInfo> Topics) : StatementResult(StatementText)
{
    public override string TypeName => "kafka_topics";
}

public sealed record VariablesListEntity(string StatementText, IReadOnlyDictionary<string, string> Variables) : StatementResult(StatementText)
{
    public override string TypeName => "variables";
}

/// <summary>EXPLAIN: each stage of the query (logical plan, stream plan, topology).</summary>
public sealed record QueryDescription(
    string Id,
    string StatementText,
    IReadOnlyList<FieldInfo> Fields,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Sinks,
    string LogicalPlan,
    string ExecutionPlan,
    string Topology,
    string State);

public sealed record QueryDescriptionEntity(string StatementText, QueryDescription QueryDescription) : StatementResult(StatementText)
{
    public override string TypeName => "queryDescription";
}
