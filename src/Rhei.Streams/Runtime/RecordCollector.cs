using Rhei.Client;

namespace Rhei.Streams.Runtime;

/// <summary>Where a task's output goes: sink topics, repartition topics, changelogs, the processing-log topic.</summary>
internal abstract class RecordCollector
{
    /// <summary>Sends one record; partition -1 lets the producer's default partitioner (murmur2 of the key) choose.</summary>
    public abstract void Send(string topic, int partition, byte[]? key, byte[]? value, long timestamp, IReadOnlyList<RecordHeader>? headers);

    /// <summary>The partition count of a topic (for custom partitioners), or -1 when unknown.</summary>
    public abstract int PartitionCount(string topic);

    /// <summary>The offset of the last acknowledged record per partition written (changelog checkpoints use them).</summary>
    public abstract IReadOnlyDictionary<TopicPartition, long> Offsets { get; }

    public abstract ValueTask FlushAsync(CancellationToken cancellationToken);
}

/// <summary>A collector over an <see cref="IProducer"/>: queues without waiting; flush waits and throws the first delivery error.</summary>
internal sealed class ProducerRecordCollector(IProducer producer, Func<string, int> partitionCount) : RecordCollector
{
    private readonly Dictionary<TopicPartition, long> _offsets = [];
    private readonly Lock _sync = new();
    private Exception? _error;

    public override void Send(string topic, int partition, byte[]? key, byte[]? value, long timestamp, IReadOnlyList<RecordHeader>? headers)
    {
        if (_error is { } e) { throw new StreamsException($"A previous record could not be produced: {e.Message}", e); }
        producer.Produce(new ProduceRecord(topic, key, value, partition, timestamp, headers), OnDelivery);
    }

    private void OnDelivery(RecordMetadata metadata, Exception? error)
    {
        lock (_sync)
        {
            if (error is not null)
            {
                _error ??= error;
                return;
            }

            var tp = new TopicPartition(metadata.Topic, metadata.Partition);
            if (!_offsets.TryGetValue(tp, out var last) || metadata.Offset > last) { _offsets[tp] = metadata.Offset; }
        }
    }

    public override int PartitionCount(string topic) => partitionCount(topic);

    public override IReadOnlyDictionary<TopicPartition, long> Offsets
    {
        get { lock (_sync) { return new Dictionary<TopicPartition, long>(_offsets); } }
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await producer.FlushAsync(cancellationToken);
        if (_error is { } e) { throw new StreamsException($"Records could not be produced: {e.Message}", e); }
    }
}
