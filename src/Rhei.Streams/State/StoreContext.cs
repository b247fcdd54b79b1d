namespace Rhei.Streams.State;

/// <summary>What a store needs from its task when it is built.</summary>
internal sealed class StoreContext(TaskId taskId, string taskDirectory, string changelogTopic, Func<long> currentTimestamp, CacheBudget? cache)
{
    public TaskId TaskId { get; } = taskId;

    /// <summary>state.dir/application.id/task id</summary>
    public string TaskDirectory { get; } = taskDirectory;

    /// <summary>The changelog topic's name (also the topic passed to the store's serdes).</summary>
    public string ChangelogTopic { get; } = changelogTopic;

    /// <summary>The timestamp of the record being processed (changelog records of plain stores carry it).</summary>
    public Func<long> CurrentTimestamp { get; } = currentTimestamp;

    /// <summary>The thread's record cache budget; null when caching is off.</summary>
    public CacheBudget? Cache { get; } = cache;
}

/// <summary>The record cache budget shared by the caching stores of one stream thread (cache.max.bytes.buffering / threads).</summary>
internal sealed class CacheBudget(long maxBytes)
{
    public long MaxBytes { get; } = maxBytes;

    public long UsedBytes;

    public bool OverBudget => UsedBytes > MaxBytes;
}

/// <summary>Serializes keys for a store; falls back to the type's comparer for ordering when there is no serde.</summary>
internal sealed class KeyCodec<K>(Serde<K>? serde, string topic)
{
    public bool CanSerialize => serde is not null;

    public byte[] Serialize(K key) =>
        (serde ?? throw new InvalidOperationException($"The store for changelog '{topic}' has no key serde; give one in Materialized/Grouped, or turn the changelog off."))
            .Serialize(key, topic) ?? throw new InvalidOperationException($"A store key serialized to null (store changelog '{topic}').");

    public K Deserialize(ReadOnlySpan<byte> bytes) =>
        (serde ?? throw new InvalidOperationException($"The store for changelog '{topic}' has no key serde.")).Deserialize(bytes, false, topic);
}
