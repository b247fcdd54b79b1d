using Rhei.Client;

namespace Rhei.Streams.Runtime;

/// <summary>
/// The buffer of one input partition of a task: a ring of raw records, the head deserialized on demand. Keys and
/// values of consumed records are copied into an arena (one growing byte array, reset whenever the buffer is
/// empty), so buffering a record costs one copy and no allocation.
/// </summary>
internal sealed class RecordQueue(TopicPartition partition, SourceSlot slot)
{
    private RawRecord[] _ring = new RawRecord[64];
    private int _head;
    private const int ArenaChunk = 64 * 1024;
    private byte[] _arena = new byte[ArenaChunk];
    private int _arenaUsed;

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

    /// <summary>Buffers a consumed record, copying its key and value into the arena.</summary>
    public void Enqueue(ConsumedRecord r)
    {
        var raw = new RawRecord { Timestamp = r.Timestamp, Offset = r.Offset, Headers = r.Headers };
        var key = r.Key;
        var value = r.Value;
        var size = (key?.Length ?? 0) + (value?.Length ?? 0);
        if (_arenaUsed + size > _arena.Length)
        {
            // Records already buffered keep their chunk alive; new ones go to a fresh one (so a buffer that never
            // empties holds at most its records plus one chunk).
            _arena = new byte[Math.Max(ArenaChunk, size)];
            _arenaUsed = 0;
        }

        if (key is { } k)
        {
            raw.Key = _arena;
            raw.KeyOffset = _arenaUsed;
            raw.KeyLength = k.Length;
            k.Span.CopyTo(_arena.AsSpan(_arenaUsed));
            _arenaUsed += k.Length;
        }

        if (value is { } v)
        {
            raw.Value = _arena;
            raw.ValueOffset = _arenaUsed;
            raw.ValueLength = v.Length;
            v.Span.CopyTo(_arena.AsSpan(_arenaUsed));
            _arenaUsed += v.Length;
        }

        Enqueue(in raw);
    }

    /// <summary>Removes the head, returning its offset.</summary>
    public long Dequeue()
    {
        ref var head = ref _ring[_head];
        var offset = head.Offset;
        head = default;
        _head = (_head + 1) % _ring.Length;
        Count--;
        HeadPrepared = false;
        Slot.Clear();
        if (Count == 0) { _arenaUsed = 0; }
        return offset;
    }

    public void Clear()
    {
        while (Count > 0) { Dequeue(); }
    }
}
