using System.Threading.Channels;

namespace Rhei.Engine.Queries;

/// <summary>
/// One push query's end of a <see cref="SourceFanOut"/>: the rows queued for its client, in chunks (the rows of one
/// read of the source that passed the query's filter). A chunk is shared by every subscriber of the same statement
/// and never changed after it is offered; queueing it is one write, whatever its size, so the reader and the
/// subscriber meet once per read rather than once per row. A subscriber that falls more than
/// <see cref="SourceFanOut.SubscriberCapacity"/> rows behind is ended with an error rather than slowing the others down.
/// </summary>
internal sealed class FanOutSubscriber
{
    private readonly int? _limit;
    private readonly Channel<QueryRow[]> _chunks = Channel.CreateUnbounded<QueryRow[]>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
    });

    private long _queued;
    private long _offered;

    public FanOutSubscriber(int? limit) => _limit = limit;

    /// <summary>True once the subscriber has had its LIMIT of rows.</summary>
    public bool LimitReached { get; private set; }

    /// <summary>Rows offered and not yet taken by the subscriber's reader.</summary>
    public long Queued => Volatile.Read(ref _queued);

    /// <summary>Queues a chunk of rows (called by the fan-out's reader only). The chunk must not change afterwards.</summary>
    public void Offer(QueryRow[] chunk)
    {
        if (LimitReached || chunk.Length == 0)
        {
            return;
        }

        if (_limit is { } max && max - _offered < chunk.Length)
        {
            chunk = chunk[..(int)(max - _offered)];
        }

        if (Interlocked.Add(ref _queued, chunk.Length) > SourceFanOut.SubscriberCapacity)
        {
            Complete(new InvalidOperationException(
                $"The push query fell more than {SourceFanOut.SubscriberCapacity} rows behind its source and was stopped; read its rows faster or filter more."));
            return;
        }

        if (!_chunks.Writer.TryWrite(chunk))
        {
            return; // completed: ended by an error, or closed
        }

        _offered += chunk.Length;
        if (_limit is { } limit && _offered >= limit)
        {
            LimitReached = true;
            _chunks.Writer.TryComplete();
        }
    }

    /// <summary>Waits until a chunk can be read: false when no more will come; throws the error that ended the subscription, if one did.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _chunks.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes the next queued chunk, if there is one.</summary>
    public bool TryRead(out QueryRow[] chunk)
    {
        if (!_chunks.Reader.TryRead(out chunk!))
        {
            return false;
        }

        Interlocked.Add(ref _queued, -chunk.Length);
        return true;
    }

    /// <summary>Ends the rows: after those queued, the reader sees the end (or <paramref name="error"/>).</summary>
    public void Complete(Exception? error) => _chunks.Writer.TryComplete(error);
}
