using Rhei.Protocol.Records;

namespace Rhei.Client.Embedded;

/// <summary>What the embedded producer knows of one topic: its partition count and per-partition batches.</summary>
internal sealed class ProducerTopic(string name)
{
    private PartitionBatch[] _batches = [];

    public string Name { get; } = name;

    /// <summary>Partitions as last seen in storage; 0 while the topic is missing.</summary>
    public int PartitionCount;

    /// <summary>The partition records without a key go to until its batch is sent (the sticky partitioner).</summary>
    public int StickyPartition = -1;

    /// <summary>Auto-creation in flight, and the records waiting for it (copied).</summary>
    public Task? Creating;

    public List<PendingRecord>? Pending;

    public PartitionBatch[] Batches => Volatile.Read(ref _batches);

    public PartitionBatch Batch(int partition)
    {
        var batches = Volatile.Read(ref _batches);
        if ((uint)partition < (uint)batches.Length)
        {
            return batches[partition];
        }

        lock (this)
        {
            batches = _batches;
            if (partition >= batches.Length)
            {
                var grown = new PartitionBatch[partition + 1];
                batches.CopyTo(grown, 0);
                for (var p = batches.Length; p < grown.Length; p++)
                {
                    grown[p] = new PartitionBatch(this, p);
                }

                Volatile.Write(ref _batches, grown);
                batches = grown;
            }

            return batches[partition];
        }
    }
}

/// <summary>The open batch of one partition (guarded by locking the instance).</summary>
internal sealed class PartitionBatch(ProducerTopic topic, int partition)
{
    public ProducerTopic Topic { get; } = topic;

    public int Partition { get; } = partition;

    public RecordBatchBuilder? Builder;

    /// <summary>The size the open batch must stay under (batch.size capped by the topic's max.message.bytes).</summary>
    public int MaxBytes;

    /// <summary>Records of the open batch that want a delivery report.</summary>
    public List<Delivery> Deliveries = [];

    /// <summary>When the open batch got its first record (timestamp ticks), for linger.ms.</summary>
    public long OpenedAt;

    /// <summary>True while the open batch waits in the sender's queue.</summary>
    public bool Queued;
}

/// <summary>A record of a batch that wants a delivery report: a callback, an awaiter, or both absent (acks=0).</summary>
internal readonly record struct Delivery(int Index, long Timestamp, Action<RecordMetadata, Exception?>? Callback, DeliverySource? Source);

/// <summary>A record produced while its topic is being auto-created: a copy, replayed once the topic exists.</summary>
internal sealed record PendingRecord(ProduceRecord Record, Action<RecordMetadata, Exception?>? Callback, DeliverySource? Source);
