using Rhei.Client;

namespace Rhei.Engine.Queries;

/// <summary>
/// The clients a push query's streams application runs on: those of the engine, except that records written to the
/// query's sink topic go to the query's reader instead of a topic (a push query's output is never stored), and the
/// application's own consumer group starts at the end or the beginning as the query asks (<c>auto.offset.reset</c>).
/// </summary>
internal sealed class TransientClients(IClientFactory inner, string sinkTopic, string groupId, AutoOffsetReset reset, Action<ProduceRecord> deliver) : IClientFactory
{
    public IProducer CreateProducer(ProducerOptions options) => new Producer(inner.CreateProducer(options), sinkTopic, deliver);

    public IConsumer CreateConsumer(ConsumerOptions options) =>
        inner.CreateConsumer(options.GroupId == groupId ? options with { AutoOffsetReset = reset } : options);

    public IAdmin CreateAdmin() => inner.CreateAdmin();

    private sealed class Producer(IProducer inner, string sinkTopic, Action<ProduceRecord> deliver) : IProducer
    {
        private long _offset;

        public ValueTask<RecordMetadata> ProduceAsync(ProduceRecord record, CancellationToken cancellationToken = default)
        {
            if (record.Topic != sinkTopic)
            {
                return inner.ProduceAsync(record, cancellationToken);
            }

            deliver(record);
            return ValueTask.FromResult(Metadata(record));
        }

        public void Produce(ProduceRecord record, Action<RecordMetadata, Exception?>? onDelivery = null)
        {
            if (record.Topic != sinkTopic)
            {
                inner.Produce(record, onDelivery);
                return;
            }

            deliver(record);
            onDelivery?.Invoke(Metadata(record), null);
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private RecordMetadata Metadata(ProduceRecord record) =>
            new(record.Topic, Math.Max(0, record.Partition), Interlocked.Increment(ref _offset) - 1, record.Timestamp ?? 0);
    }
}
