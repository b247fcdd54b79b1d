using System.Text.Json;

namespace Rhei.Server.Rest.Json;

/// <summary>
/// The body of <c>POST /ksql</c> and <c>POST /query</c>. Property and variable values may be any JSON scalar (ksqlDB's
/// clients send numbers and booleans as such); they are read as their text.
/// </summary>
public sealed record KsqlRequest
{
    public string? Ksql { get; init; }

    public Dictionary<string, JsonElement>? StreamsProperties { get; init; }

    /// <summary>Hints for the request itself rather than the statements (ksqlDB's request properties).</summary>
    public Dictionary<string, JsonElement>? RequestProperties { get; init; }

    public Dictionary<string, JsonElement>? SessionVariables { get; init; }

    public long? CommandSequenceNumber { get; init; }
}

/// <summary>The body of <c>POST /query-stream</c>.</summary>
public sealed record QueryStreamArgs
{
    public string? Sql { get; init; }

    public Dictionary<string, JsonElement>? Properties { get; init; }

    public Dictionary<string, JsonElement>? SessionVariables { get; init; }

    public Dictionary<string, JsonElement>? RequestProperties { get; init; }
}

/// <summary>The body of <c>POST /close-query</c>.</summary>
public sealed record CloseQueryArgs
{
    public string? QueryId { get; init; }
}

/// <summary>The first JSON object of <c>POST /inserts-stream</c>: the stream to insert into.</summary>
public sealed record InsertsStreamArgs
{
    public string? Target { get; init; }

    public Dictionary<string, JsonElement>? Properties { get; init; }

    public Dictionary<string, JsonElement>? RequestProperties { get; init; }
}

/// <summary>The body of <c>POST /ksql/terminate</c>: topics (names or regular expressions) to delete as well.</summary>
public sealed record ClusterTerminateRequest
{
    public List<string>? DeleteTopicList { get; init; }

    public Dictionary<string, JsonElement>? StreamsProperties { get; init; }
}
