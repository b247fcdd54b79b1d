using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Rhei.Engine.Runtime;
using Rhei.Sql.Schema;

namespace Rhei.Engine;

/// <summary>One row of a push query: the key columns, the selected columns (null for a table's delete) and the window.</summary>
public sealed record QueryRow(IReadOnlyList<object?> Key, IReadOnlyList<object?>? Values, long? WindowStart = null, long? WindowEnd = null);

/// <summary>
/// A running push query (<c>SELECT ... EMIT CHANGES</c>): its result schema and its rows as they are produced.
/// Dispose it to stop the query. Rows are buffered without bound until read.
/// </summary>
public sealed class PushQuery : IAsyncDisposable
{
    private readonly Channel<QueryRow> _rows = Channel.CreateUnbounded<QueryRow>(new UnboundedChannelOptions { SingleReader = true });
    private IQueryHandle? _handle;

    internal PushQuery(string id, LogicalSchema schema, int? limit)
    {
        Id = id;
        Schema = schema;
        Limit = limit;
    }

    /// <summary>The transient query's id (<c>transient_...</c>).</summary>
    public string Id { get; }

    /// <summary>The key columns and the selected columns.</summary>
    public LogicalSchema Schema { get; }

    public int? Limit { get; }

    private int _written;

    internal void Attach(IQueryHandle handle) => _handle = handle;

    internal void Write(QueryRow row)
    {
        _rows.Writer.TryWrite(row);
        if (Limit is { } limit && Interlocked.Increment(ref _written) >= limit)
        {
            _rows.Writer.TryComplete();
        }
    }

    /// <summary>The rows, in the order the query produces them; ends when a LIMIT is reached or the query is disposed.</summary>
    public async IAsyncEnumerable<QueryRow> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _rows.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_rows.Reader.TryRead(out var row))
            {
                yield return row;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _rows.Writer.TryComplete();
        if (_handle is { } handle)
        {
            _handle = null;
            await handle.StopAsync(cleanUp: true);
            await handle.DisposeAsync();
        }
    }
}
