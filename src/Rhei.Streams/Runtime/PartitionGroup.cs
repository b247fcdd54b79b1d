using Rhei.Client;

namespace Rhei.Streams.Runtime;

/// <summary>
/// The input buffers of a task. The next record is the head with the smallest timestamp across the
/// task's partitions (ties: the partition listed first), so co-partitioned inputs are merged in time order.
/// </summary>
internal sealed class PartitionGroup
{
    private readonly RecordQueue[] _queues;
    private readonly Dictionary<TopicPartition, RecordQueue> _byPartition;

    public PartitionGroup(IEnumerable<RecordQueue> queues)
    {
        _queues = [.. queues];
        _byPartition = _queues.ToDictionary(q => q.Partition);
    }

    public IReadOnlyList<RecordQueue> Queues => _queues;

    public RecordQueue? Find(TopicPartition partition) => _byPartition.GetValueOrDefault(partition);

    public int BufferedCount
    {
        get
        {
            var n = 0;
            foreach (var q in _queues) { n += q.Count; }
            return n;
        }
    }

    /// <summary>
    /// The queue whose prepared head comes next; heads that fail to prepare are skipped and reported through
    /// <paramref name="skipped"/> (their offsets count as consumed).
    /// </summary>
    public RecordQueue? Next(Action<RecordQueue, long> skipped)
    {
        RecordQueue? best = null;
        var queues = _queues;
        for (var i = 0; i < queues.Length; i++)
        {
            var q = queues[i];
            while (q.Count > 0 && !q.HeadPrepared)
            {
                if (q.Slot.Prepare(in q.Head, q.Partition.Topic, q.Partition.Partition, q.PartitionTime))
                {
                    q.HeadPrepared = true;
                }
                else
                {
                    skipped(q, q.Dequeue());
                }
            }

            if (q.Count > 0 && (best is null || q.Slot.Timestamp < best.Slot.Timestamp))
            {
                best = q;
            }
        }

        return best;
    }
}
