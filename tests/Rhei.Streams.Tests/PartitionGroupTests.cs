using Rhei.Client;
using Rhei.Streams.Runtime;

namespace Rhei.Streams.Tests;

public class PartitionGroupTests
{
    private sealed class TimestampSlot(List<string> processed, string name) : SourceSlot
    {
        private long _offset;

        public override bool Prepare(in RawRecord raw, string topic, int partition, long partitionTime)
        {
            if (raw.Value is null) { return false; }
            Timestamp = raw.Timestamp;
            _offset = raw.Offset;
            return true;
        }

        public override void Process() => processed.Add($"{name}{_offset}@{Timestamp}");

        public override void Clear()
        {
        }
    }

    [Fact]
    public void Next_record_is_the_smallest_head_timestamp_across_partitions_and_bad_heads_are_skipped()
    {
        var processed = new List<string>();
        var a = new RecordQueue(new TopicPartition("a", 0), new TimestampSlot(processed, "a"));
        var b = new RecordQueue(new TopicPartition("b", 0), new TimestampSlot(processed, "b"));
        var group = new PartitionGroup([a, b]);
        a.Enqueue(RawRecord.Wrap(null, [1], 5, 0, null));
        a.Enqueue(RawRecord.Wrap(null, [1], 1, 1, null));
        b.Enqueue(RawRecord.Wrap(null, null, 0, 0, null));   // fails to prepare: skipped
        b.Enqueue(RawRecord.Wrap(null, [1], 3, 1, null));
        b.Enqueue(RawRecord.Wrap(null, [1], 7, 2, null));
        var skipped = new List<long>();
        RecordQueue? q;
        while ((q = group.Next((_, offset) => skipped.Add(offset))) is not null)
        {
            q.Slot.Process();
            q.Dequeue();
        }

        // heads are compared, not whole buffers: a's head (5) goes before b's 7 but after b's 3
        Assert.Equal(["b1@3", "a0@5", "a1@1", "b2@7"], processed);
        Assert.Equal([0L], skipped);
    }
}
