using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Rhei.Client.Kafka;

/// <summary>
/// The dedicated thread of a Kafka consumer: it runs the blocking librdkafka calls (Consume, Close,
/// Unsubscribe) one operation at a time, so that no thread-pool thread is ever blocked in them. An operation
/// reports to its awaiting caller through a channel: rebalance requests first (the caller runs the
/// callbacks in its own async flow while this thread waits), then the result.
/// </summary>
internal sealed class ConsumerThread : IDisposable
{
    private readonly BlockingCollection<ConsumerOperation> _queue = [];
    private readonly Thread _thread;

    public ConsumerThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>The operation running now (rebalance handlers report to it).</summary>
    public ConsumerOperation? Current { get; private set; }

    public void Post(ConsumerOperation operation) => _queue.Add(operation);

    private void Run()
    {
        // The thread owns the queue's disposal: Dispose only completes it, so an operation still being taken when the
        // consumer is disposed ends the loop instead of throwing on a disposed collection (which would end the process).
        using var queue = _queue;
        foreach (var operation in queue.GetConsumingEnumerable())
        {
            Current = operation;
            try
            {
                operation.Complete(operation.Execute());
            }
            catch (Exception e)
            {
                operation.Fail(e);
            }
            finally
            {
                Current = null;
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _queue.CompleteAdding();
        }
        catch (ObjectDisposedException)
        {
            // The thread has already finished and disposed the queue.
        }
    }
}

/// <summary>A rebalance step the awaiting caller must run its callbacks for; the consumer thread waits on <see cref="Done"/>.</summary>
internal sealed class RebalanceRequest(bool assigned, IReadOnlyList<TopicPartition> partitions) : IDisposable
{
    public bool Assigned { get; } = assigned;

    public IReadOnlyList<TopicPartition> Partitions { get; } = partitions;

    public ManualResetEventSlim Done { get; } = new();

    public Exception? Error { get; set; }

    public void Dispose() => Done.Dispose();
}

/// <summary>One blocking step for the consumer thread, with a channel of events for its caller.</summary>
internal sealed class ConsumerOperation(Func<object?> execute, bool inlineCallbacks = false) : IDisposable
{
    private readonly Channel<object?> _events = Channel.CreateUnbounded<object?>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Run the synchronous callbacks on the consumer thread (the caller blocks and cannot run them).</summary>
    public bool InlineCallbacks { get; } = inlineCallbacks;

    /// <summary>The first exception a rebalance callback threw (rethrown to the caller after the operation).</summary>
    public Exception? CallbackError { get; set; }

    public object? Execute() => execute();

    /// <summary>Set once the operation completed or failed (for the few synchronous callers).</summary>
    public ManualResetEventSlim Finished { get; } = new();

    public void Complete(object? result)
    {
        _events.Writer.TryWrite(new Completed(result, null));
        Finished.Set();
    }

    public void Fail(Exception error)
    {
        _events.Writer.TryWrite(new Completed(null, error));
        Finished.Set();
    }

    /// <summary>The outcome, once <see cref="Finished"/> is set (synchronous callers only).</summary>
    public Completed Outcome => _events.Reader.TryRead(out var e) && e is Completed c ? c : throw new InvalidOperationException("The consumer operation has not finished.");

    public void Dispose() => Finished.Dispose();

    public void Request(RebalanceRequest request) => _events.Writer.TryWrite(request);

    public ValueTask<object?> NextEventAsync(CancellationToken cancellationToken) => _events.Reader.ReadAsync(cancellationToken);

    public sealed record Completed(object? Result, Exception? Error);
}
