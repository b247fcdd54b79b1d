using Rhei.Engine.Runtime;
using Rhei.Sql.Planning;

namespace Rhei.Engine.Metastore;

/// <summary>The state of a persistent query, as ksqlDB reports it.</summary>
public enum QueryState
{
    Running,
    Paused,
    Error,
    Terminated,
}

/// <summary>
/// A persistent query (CSAS, CTAS, INSERT INTO): its id, statement, the sources it reads and the one it writes, its
/// plan and, once started, its runtime handle.
/// </summary>
public sealed class PersistentQuery
{
    internal PersistentQuery(string id, string statementText, string sink, IReadOnlyList<string> sources, PlannedQuery plan, string applicationId)
    {
        Id = id;
        StatementText = statementText;
        Sink = sink;
        Sources = sources;
        Plan = plan;
        ApplicationId = applicationId;
    }

    /// <summary>CSAS_OUTPUT_0, CTAS_T_1, INSERTQUERY_2, ...</summary>
    public string Id { get; }

    public string StatementText { get; }

    /// <summary>The name of the stream or table the query writes.</summary>
    public string Sink { get; }

    /// <summary>The names of the streams and tables the query reads.</summary>
    public IReadOnlyList<string> Sources { get; }

    public PlannedQuery Plan { get; }

    /// <summary>The Kafka Streams application id: <c>_confluent-ksql-&lt;service id&gt;query_&lt;id&gt;</c>.</summary>
    public string ApplicationId { get; }

    public QueryState State { get; internal set; } = QueryState.Running;

    /// <summary>The running instance, once started.</summary>
    public IQueryHandle? Handle { get; internal set; }

    /// <summary>The last error that put the query in <see cref="QueryState.Error"/>.</summary>
    public Exception? Error { get; internal set; }

    /// <summary>How to start the query, when its start was deferred (replayed, not started yet, or paused at replay).</summary>
    internal Func<CancellationToken, Task>? DeferredStart { get; set; }

    public override string ToString() => $"{Id} ({State}): {StatementText}";
}
