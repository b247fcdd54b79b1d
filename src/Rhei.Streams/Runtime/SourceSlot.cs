namespace Rhei.Streams.Runtime;

/// <summary>
/// The typed head of one partition buffer: the source node deserializes the head record into it (to
/// learn its timestamp, which may come from the value), and later forwards it.
/// </summary>
internal abstract class SourceSlot
{
    /// <summary>The extracted timestamp of the prepared head.</summary>
    public long Timestamp;

    /// <summary>Deserializes the record and extracts its timestamp; false when the record is to be skipped.</summary>
    public abstract bool Prepare(in RawRecord raw, string topic, int partition, long partitionTime);

    /// <summary>Forwards the prepared record into the topology.</summary>
    public abstract void Process();

    /// <summary>Drops references to the prepared key and value.</summary>
    public abstract void Clear();
}
