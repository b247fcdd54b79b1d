namespace Rhei.Client;

/// <summary>
/// Writes records to topics. Thread-safe. Key, value and headers are copied before
/// <see cref="Produce"/> or <see cref="ProduceAsync"/> returns, so the caller may reuse its buffers.
/// Failures are <see cref="ProduceException"/> with Kafka's error name.
/// </summary>
public interface IProducer : IAsyncDisposable
{
    /// <summary>Produces one record and completes when it is acknowledged (per <c>acks</c>).</summary>
    ValueTask<RecordMetadata> ProduceAsync(ProduceRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues one record without waiting; <paramref name="onDelivery"/> (if any) runs when it is
    /// acknowledged or failed. Use <see cref="FlushAsync"/> to wait for everything queued.
    /// </summary>
    void Produce(ProduceRecord record, Action<RecordMetadata, Exception?>? onDelivery = null);

    /// <summary>Waits until every queued record is acknowledged; throws the first delivery error.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}
