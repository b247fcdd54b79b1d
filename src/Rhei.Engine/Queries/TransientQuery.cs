namespace Rhei.Engine.Queries;

/// <summary>
/// A query started by a client (not a persistent query): a pull query's answer, or a push query's stream of changes.
/// Read the rows once with <see cref="ReadAsync"/>; after the enumeration ends, <see cref="CompletionMessage"/> says
/// why (a push query's LIMIT: "Limit Reached"). Dispose (or <see cref="QueryService.CloseAsync"/>) to stop it: a push
/// query runs until then, its LIMIT, or the engine stops.
/// </summary>
public abstract class TransientQuery : IAsyncDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private int _disposed;

    protected TransientQuery(string queryId, QueryKind kind, IReadOnlyList<QueryColumn> columns, bool isTable, string statementText)
    {
        QueryId = queryId;
        Kind = kind;
        Columns = columns;
        IsTable = isTable;
        StatementText = statementText;
    }

    /// <summary>Unique among running queries; what <c>/close-query</c> names.</summary>
    public string QueryId { get; }

    public QueryKind Kind { get; }

    public IReadOnlyList<QueryColumn> Columns { get; }

    /// <summary>True when the result is a table's changes (rows may be tombstones).</summary>
    public bool IsTable { get; }

    public string StatementText { get; }

    /// <summary>Why the rows ended, once they have: "Limit Reached" after a push query's LIMIT, else null.</summary>
    public string? CompletionMessage { get; protected set; }

    /// <summary>Cancelled when the query is closed (by the client, <c>/close-query</c>, or the engine stopping).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Raised once, when the query is disposed.</summary>
    internal event Action<TransientQuery>? Disposed;

    /// <summary>
    /// The whole answer at once, when the query has it in memory without waiting (pull queries on tables): lets a
    /// server write it without an asynchronous enumeration. Null otherwise; <see cref="ReadAsync"/> always works.
    /// </summary>
    public virtual IEnumerable<QueryRow>? ImmediateRows => null;

    /// <summary>The rows, as they come. Stops (without error) when the query is closed.</summary>
    public abstract IAsyncEnumerable<QueryRow> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>True when the rows come in chunks (<see cref="ReadChunksAsync"/>) that may be shared with other queries.</summary>
    public virtual bool ReadsInChunks => false;

    /// <summary>
    /// The rows in the chunks they come in (read either this or <see cref="ReadAsync"/>, once). A chunk with a
    /// <see cref="RowChunk.Shared"/> slot goes to other queries too: encode it once for all of them. Queries that do not
    /// read in chunks give one row per chunk.
    /// </summary>
    public virtual async IAsyncEnumerable<RowChunk> ReadChunksAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in ReadAsync(cancellationToken))
        {
            yield return new RowChunk([row], null);
        }
    }

    /// <summary>The result in ksqlDB's schema notation: <c>`ID` BIGINT KEY, `NAME` STRING</c>.</summary>
    public string SchemaText => string.Join(", ", Columns.Select(c => $"`{c.Name}` {c.Type}{(c.IsKey ? " KEY" : "")}"));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _closed.CancelAsync();
        try
        {
            await StopAsync();
        }
        finally
        {
            Disposed?.Invoke(this);
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Releases what the query holds (consumers, applications, subscriptions).</summary>
    protected virtual ValueTask StopAsync() => ValueTask.CompletedTask;
}
