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

/// <summary>
/// A collector over an <see cref="IProducer"/>: queues without waiting; flush waits and throws the first delivery
/// error. Delivery reports keep the last offset per partition; consecutive reports usually concern the same
/// partition, so its slot is found without hashing the topic name.
/// </summary>
internal sealed class ProducerRecordCollector : RecordCollector
{
    private sealed class Slot
    {
        public long Offset = -1;
    }

    private readonly IProducer _producer;
    private readonly Func<string, int> _partitionCount;
    private readonly IReadOnlyDictionary<string, State.TopicTableStore>? _materialized;
    private readonly Dictionary<TopicPartition, Slot> _offsets = [];
    private readonly Action<RecordMetadata, Exception?> _onDelivery;
    private readonly Lock _sync = new();
    private string? _lastTopic;
    private int _lastPartition = -1;
    private Slot? _lastSlot;
    private Exception? _error;

    /// <param name="materialized">Queryable stores of topics the application writes: each record sent to one also updates it.</param>
    public ProducerRecordCollector(IProducer producer, Func<string, int> partitionCount, IReadOnlyDictionary<string, State.TopicTableStore>? materialized = null)
    {
        _producer = producer;
        _materialized = materialized is { Count: > 0 } ? materialized : null;
        _partitionCount = partitionCount;
        _onDelivery = OnDelivery;
    }

    public override void Send(string topic, int partition, byte[]? key, byte[]? value, long timestamp, IReadOnlyList<RecordHeader>? headers)
    {
        if (_error is { } e) { throw new StreamsException($"A previous record could not be produced: {e.Message}", e); }
        if (_materialized is not null && _materialized.TryGetValue(topic, out var store)) { store.ApplyLive(key, value, timestamp, partition, headers); }
        _producer.Produce(new ProduceRecord(topic, key, value, partition, timestamp, headers), _onDelivery);
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

            var slot = _lastSlot;
            if (slot is null || !ReferenceEquals(metadata.Topic, _lastTopic) || metadata.Partition != _lastPartition)
            {
                var tp = new TopicPartition(metadata.Topic, metadata.Partition);
                if (!_offsets.TryGetValue(tp, out slot)) { _offsets[tp] = slot = new Slot(); }
                _lastTopic = metadata.Topic;
                _lastPartition = metadata.Partition;
                _lastSlot = slot;
            }

            if (metadata.Offset > slot.Offset) { slot.Offset = metadata.Offset; }
        }
    }

    public override int PartitionCount(string topic) => _partitionCount(topic);

    public override IReadOnlyDictionary<TopicPartition, long> Offsets
    {
        get { lock (_sync) { return _offsets.Where(o => o.Value.Offset >= 0).ToDictionary(o => o.Key, o => o.Value.Offset); } }
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _producer.FlushAsync(cancellationToken);
        if (_error is { } e) { throw new StreamsException($"Records could not be produced: {e.Message}", e); }
    }
}
