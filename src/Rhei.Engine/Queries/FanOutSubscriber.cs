using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;

namespace Rhei.Engine.Queries;

/// <summary>
/// One push query's end of a <see cref="SourceFanOut"/>: the rows queued for its client, in chunks (the rows of one
/// read of the source that passed the query's filter). A chunk is shared by every subscriber of the same statement
/// and never changed after it is offered. Queueing a chunk is one lock-free enqueue, and waking a waiting reader is one
/// exchange: the fan-out's reader and a hundred subscribers going back to wait never take a lock in common (a lock
/// held by a thread that the OS preempts stalls everyone on a busy machine). A subscriber that falls more than
/// <see cref="SourceFanOut.SubscriberCapacity"/> rows behind is ended with an error rather than slowing the others down.
/// One reader at a time (<see cref="TryRead"/>, <see cref="WaitAsync"/>); <see cref="Offer"/> from the fan-out's reader.
/// </summary>
internal sealed class FanOutSubscriber : IValueTaskSource
{
    private readonly int? _limit;
    private readonly ConcurrentQueue<RowChunk> _chunks = new();
    private ManualResetValueTaskSourceCore<bool> _signal = new() { RunContinuationsAsynchronously = true };
    private static readonly object s_ended = new();

    private int _waiting;
    private object? _end; // null while rows may come; then the error that ended them, or s_ended
    private long _queued;
    private long _offered;

    public FanOutSubscriber(int? limit) => _limit = limit;

    /// <summary>True once the subscriber has had its LIMIT of rows.</summary>
    public bool LimitReached { get; private set; }

    /// <summary>Rows offered and not yet taken by the subscriber's reader.</summary>
    public long Queued => Volatile.Read(ref _queued);

    /// <summary>True once no more rows will be offered (the rows already queued can still be read).</summary>
    public bool IsCompleted => Volatile.Read(ref _end) is not null;

    /// <summary>Why the rows ended early, if they did (read after <see cref="IsCompleted"/>).</summary>
    public Exception? Error => Volatile.Read(ref _end) as Exception;

    /// <summary>Queues a chunk of rows (called by the fan-out's reader only). The chunk must not change afterwards.</summary>
    public void Offer(RowChunk chunk)
    {
        if (LimitReached || chunk.Rows.Length == 0 || IsCompleted)
        {
            return;
        }

        if (_limit is { } max && max - _offered < chunk.Rows.Length)
        {
            chunk = new RowChunk(chunk.Rows[..(int)(max - _offered)], null); // this query's own: the others get all the rows
        }

        if (Interlocked.Add(ref _queued, chunk.Rows.Length) > SourceFanOut.SubscriberCapacity)
        {
            Complete(new InvalidOperationException(
                $"The push query fell more than {SourceFanOut.SubscriberCapacity} rows behind its source and was stopped; read its rows faster or filter more."));
            return;
        }

        _chunks.Enqueue(chunk);
        _offered += chunk.Rows.Length;
        if (_limit is { } limit && _offered >= limit)
        {
            LimitReached = true;
            Complete(null);
            return;
        }

        Wake();
    }

    /// <summary>Takes the next queued chunk, if there is one.</summary>
    public bool TryRead(out RowChunk chunk)
    {
        if (!_chunks.TryDequeue(out chunk!))
        {
            return false;
        }

        Interlocked.Add(ref _queued, -chunk.Rows.Length);
        return true;
    }

    /// <summary>
    /// Completes when a chunk may be there to read, the rows have ended, or one of the tokens is cancelled — provided
    /// that the caller registered <see cref="Wake"/> with them. Never throws: the caller looks at <see cref="TryRead"/>,
    /// <see cref="IsCompleted"/> and its tokens afterwards.
    /// </summary>
    public ValueTask WaitAsync(CancellationToken first, CancellationToken second)
    {
        if (ShouldWake(first, second))
        {
            return ValueTask.CompletedTask;
        }

        _signal.Reset();
        Interlocked.Exchange(ref _waiting, 1);
        // Anything that happened before the wait was published did not see it: look again, and take the wait back.
        if (ShouldWake(first, second) && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            return ValueTask.CompletedTask;
        }

        return new ValueTask(this, _signal.Version);
    }

    private bool ShouldWake(CancellationToken first, CancellationToken second) =>
        !_chunks.IsEmpty || IsCompleted || first.IsCancellationRequested || second.IsCancellationRequested;

    /// <summary>Wakes the reader if it waits (whoever takes the wait completes it, exactly once).</summary>
    public void Wake()
    {
        if (Volatile.Read(ref _waiting) == 1 && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _signal.SetResult(true);
        }
    }

    /// <summary>Ends the rows: after those queued, the reader sees the end (and <paramref name="error"/>, if given). The first call wins.</summary>
    public void Complete(Exception? error)
    {
        if (Interlocked.CompareExchange(ref _end, error ?? s_ended, null) is null)
        {
            Wake();
        }
    }

    void IValueTaskSource.GetResult(short token) => _signal.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _signal.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _signal.OnCompleted(continuation, state, token, flags);
}
