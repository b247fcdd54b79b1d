using Rhei.Client;

namespace Rhei.Streams.Runtime;

/// <summary>The buffer of one input partition of a task: a ring of raw records, the head deserialized on demand.</summary>
internal sealed class RecordQueue(TopicPartition partition, SourceSlot slot)
{
    private RawRecord[] _ring = new RawRecord[64];
    private int _head;

    public TopicPartition Partition { get; } = partition;

    public SourceSlot Slot { get; } = slot;

    public int Count { get; private set; }

    public bool HeadPrepared { get; set; }

    /// <summary>The largest timestamp taken from this partition (-1 before the first).</summary>
    public long PartitionTime { get; set; } = -1;

    /// <summary>The next offset to commit for this partition (-1 before the first record).</summary>
    public long ConsumedOffset { get; set; } = -1;

    public ref RawRecord Head => ref _ring[_head];

    public void Enqueue(in RawRecord record)
    {
        if (Count == _ring.Length)
        {
            var bigger = new RawRecord[_ring.Length * 2];
            for (var i = 0; i < Count; i++) { bigger[i] = _ring[(_head + i) % _ring.Length]; }
            _ring = bigger;
            _head = 0;
        }

        _ring[(_head + Count) % _ring.Length] = record;
        Count++;
    }

    /// <summary>Removes the head, returning its offset.</summary>
    public long Dequeue()
    {
        ref var head = ref _ring[_head];
        var offset = head.Offset;
        head.Release();
        _head = (_head + 1) % _ring.Length;
        Count--;
        HeadPrepared = false;
        Slot.Clear();
        return offset;
    }

    public void Clear()
    {
        while (Count > 0) { Dequeue(); }
    }
}
