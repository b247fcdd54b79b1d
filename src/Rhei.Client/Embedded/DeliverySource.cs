using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;

namespace Rhei.Client.Embedded;

/// <summary>
/// The completion behind one <see cref="EmbeddedProducer.ProduceAsync"/>: a pooled value-task source, so
/// awaiting a produce allocates nothing once the pool is warm.
/// </summary>
internal sealed class DeliverySource : IValueTaskSource<RecordMetadata>
{
    private readonly ConcurrentQueue<DeliverySource> _pool;
    private ManualResetValueTaskSourceCore<RecordMetadata> _core;

    private DeliverySource(ConcurrentQueue<DeliverySource> pool)
    {
        _pool = pool;
        _core.RunContinuationsAsynchronously = true;
    }

    public static DeliverySource Rent(ConcurrentQueue<DeliverySource> pool) =>
        pool.TryDequeue(out var source) ? source : new DeliverySource(pool);

    public ValueTask<RecordMetadata> Task => new(this, _core.Version);

    public void Complete(RecordMetadata metadata) => _core.SetResult(metadata);

    public void Fail(Exception error) => _core.SetException(error);

    public RecordMetadata GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            if (_pool.Count < 1024)
            {
                _pool.Enqueue(this);
            }
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
