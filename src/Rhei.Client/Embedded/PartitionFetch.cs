using Rhei.Protocol.Records;
using Rhei.Storage.Partitions;

namespace Rhei.Client.Embedded;

/// <summary>
/// The read state of one assigned partition in an embedded consumer: the position (the next offset to
/// return; negative while a special offset waits to be resolved), the read buffer being consumed and the
/// reader positioned inside its current batch.
/// </summary>
internal sealed class PartitionFetch(TopicPartition topicPartition, long position)
{
    public TopicPartition TopicPartition { get; } = topicPartition;

    public string Topic { get; } = topicPartition.Topic;

    public int Partition { get; } = topicPartition.Partition;

    /// <summary>The next offset to return, or <see cref="Offsets.Beginning"/>/<see cref="Offsets.End"/>/<see cref="Offsets.Stored"/> until resolved.</summary>
    public long Position = position;

    public bool Paused;

    /// <summary>The partition's log (null while the topic or partition does not exist).</summary>
    public PartitionLog? Log;

    /// <summary>The batches being consumed (a pooled buffer that the returned records point into).</summary>
    public LogReadResult? Read;

    /// <summary>Where the next batch starts in <see cref="Read"/>.</summary>
    public int ReadPosition;

    /// <summary>The reader inside the current batch, or null between batches.</summary>
    public RecordBatchReader? Reader;

    /// <summary>The offset after the current batch (its last offset delta + 1, which compaction keeps).</summary>
    public long BatchNextOffset;

    public bool IsResolved => Position >= 0;
}
