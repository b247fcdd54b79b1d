using Rhei.Sql.Schema;
using Rhei.Streams;
using Rhei.Streams.State;

namespace Rhei.Engine.Runtime;

/// <summary>Everything needed to run one persistent query's topology.</summary>
public sealed record QueryStart(
    string QueryId,
    string ApplicationId,
    Topology Topology,
    StreamsOptions Options,
    IReadOnlyList<string> SourceTopics,
    string SinkTopic)
{
    /// <summary>
    /// The source the query writes, when known: a CTAS table's query keeps a queryable store of what it writes
    /// (<see cref="IQueryHandle.OutputStore"/>) for pull queries.
    /// </summary>
    public DataSource? Sink { get; init; }
}

/// <summary>A running persistent query.</summary>
public interface IQueryHandle : IAsyncDisposable
{
    /// <summary>Why the query stopped processing, when it failed (null while it runs).</summary>
    Exception? Error { get; }

    /// <summary>Stops processing without giving up the query's state (PAUSE).</summary>
    ValueTask PauseAsync(CancellationToken cancellationToken = default);

    ValueTask ResumeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The rows a CTAS table's query has written (the latest per key, or key and window), held by the running query for
    /// pull queries; null for other queries and runtimes without one. A paused query keeps the store it had.
    /// </summary>
    TopicTableStore? OutputStore => null;

    /// <summary>Stops the query for good; <paramref name="cleanUp"/> also deletes its internal topics and state.</summary>
    ValueTask StopAsync(bool cleanUp, CancellationToken cancellationToken = default);
}

/// <summary>
/// Where persistent queries run: as streams applications on the engine's client factory, or — in tests — on
/// deterministic test drivers. The engine calls <see cref="StartAsync"/> once per query.
/// </summary>
public abstract class QueryRuntime
{
    public abstract ValueTask<IQueryHandle> StartAsync(QueryStart query, CancellationToken cancellationToken = default);
}
