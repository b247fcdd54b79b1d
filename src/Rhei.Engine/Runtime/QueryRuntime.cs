using Rhei.Streams;

namespace Rhei.Engine.Runtime;

/// <summary>Everything needed to run one persistent query's topology.</summary>
public sealed record QueryStart(
    string QueryId,
    string ApplicationId,
    Topology Topology,
    StreamsOptions Options,
    IReadOnlyList<string> SourceTopics,
    string SinkTopic);

/// <summary>A running persistent query.</summary>
public interface IQueryHandle : IAsyncDisposable
{
    /// <summary>Why the query stopped processing, when it failed (null while it runs).</summary>
    Exception? Error { get; }

    /// <summary>Stops processing without giving up the query's state (PAUSE).</summary>
    ValueTask PauseAsync(CancellationToken cancellationToken = default);

    ValueTask ResumeAsync(CancellationToken cancellationToken = default);

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
