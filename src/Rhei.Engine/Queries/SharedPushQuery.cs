using System.Runtime.CompilerServices;

namespace Rhei.Engine.Queries;

/// <summary>
/// A push query that filters and projects one source from the latest offset, reading through the source's shared
/// <see cref="SourceFanOut"/>: however many such queries run on a source, the source is read and decoded once.
/// </summary>
internal sealed class SharedPushQuery : TransientQuery
{
    private readonly FanOutSubscriber _subscriber;
    private readonly Func<ValueTask> _unsubscribe;

    public SharedPushQuery(string queryId, SimpleSelect select, SourceRowShape shape, FanOutSubscriber subscriber, Func<ValueTask> unsubscribe)
        : base(queryId, QueryKind.Push, select.Columns, shape.Source.IsTable, select.StatementText)
    {
        _subscriber = subscriber;
        _unsubscribe = unsubscribe;
    }

    public override bool ReadsInChunks => true;

    public override async IAsyncEnumerable<QueryRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var chunk in ReadChunksAsync(cancellationToken))
        {
            foreach (var row in chunk.Rows)
            {
                yield return row;
            }
        }
    }

    public override async IAsyncEnumerable<RowChunk> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var subscriber = _subscriber;
        using var wakeOnCancel = cancellationToken.UnsafeRegister(static s => ((FanOutSubscriber)s!).Wake(), subscriber);
        using var wakeOnClose = Closed.UnsafeRegister(static s => ((FanOutSubscriber)s!).Wake(), subscriber);
        while (true)
        {
            var ended = subscriber.IsCompleted; // before looking for rows: rows queued before the end are all read
            if (subscriber.TryRead(out var chunk))
            {
                yield return chunk;
                continue;
            }

            if (ended)
            {
                if (subscriber.Error is { } error)
                {
                    throw error;
                }

                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (Closed.IsCancellationRequested)
            {
                yield break;
            }

            await subscriber.WaitAsync(cancellationToken, Closed);
        }

        if (_subscriber.LimitReached)
        {
            CompletionMessage = "Limit Reached";
        }
    }

    protected override ValueTask StopAsync() => _unsubscribe();
}
