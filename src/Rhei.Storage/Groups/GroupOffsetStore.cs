using System.Text;
using Microsoft.Extensions.Logging;
using Rhei.Protocol.Records;
using Rhei.Storage.Partitions;

namespace Rhei.Storage.Groups;

/// <summary>
/// Committed consumer-group offsets and group metadata, kept in memory and persisted in the compacted
/// internal topic <c>__consumer_offsets</c> (records as <see cref="OffsetsTopicCodec"/> describes; a group
/// maps to partition <c>abs(javaHashCode(groupId)) % partitions</c>, as in Kafka). Loaded at start by
/// replaying the topic. Writes are appended first and applied to memory after, one at a time; reads come
/// from memory. Thread-safe.
/// </summary>
public sealed class GroupOffsetStore
{
    private readonly object _lock = new();
    private readonly Dictionary<string, GroupEntry> _groups = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly IReadOnlyList<PartitionLog> _partitions;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private GroupOffsetStore(IReadOnlyList<PartitionLog> partitions, StorageOptions options, TimeProvider time, ILogger logger)
    {
        _partitions = partitions;
        _options = options;
        _time = time;
        _logger = logger;
    }

    internal static async Task<GroupOffsetStore> LoadAsync(IReadOnlyList<PartitionLog> partitions, StorageOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var store = new GroupOffsetStore(partitions, options, time, logger);
        using var reader = new RecordBatchReader(options.MaxDecompressedBatchBytes);
        foreach (var partition in partitions)
        {
            var offset = partition.LogStartOffset;
            while (offset < partition.HighWatermark)
            {
                using var read = await partition.ReadAsync(offset, 1024 * 1024, true, cancellationToken);
                if (read.Error != StorageError.None || read.Records.IsEmpty)
                {
                    break;
                }

                foreach (var batch in RecordBatches.Enumerate(read.Records))
                {
                    var header = new RecordBatchHeader(batch.Span);
                    offset = Math.Max(offset, header.NextOffset);
                    if (header.IsControl)
                    {
                        continue;
                    }

                    reader.Reset(batch);
                    while (reader.TryReadNext(out var record))
                    {
                        if (record.Key is { } key)
                        {
                            try
                            {
                                store.Apply(key.Span, record.Value is { } v ? v.ToArray() : null);
                            }
                            catch (InvalidDataException e)
                            {
                                logger.SkippedOffsetsRecord(partition.Name, record.Offset, e.Message);
                            }
                        }
                    }
                }
            }
        }

        return store;
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The partition of <c>__consumer_offsets</c> that holds <paramref name="groupId"/> (Kafka's mapping).</summary>
    public int PartitionFor(string groupId)
    {
        var hash = 0;
        foreach (var c in groupId)
        {
            hash = unchecked((31 * hash) + c);
        }

        return (hash & 0x7fffffff) % _partitions.Count;
    }

    /// <summary>
    /// Commits offsets for a group (durable once this completes: appended to <c>__consumer_offsets</c>).
    /// Metadata longer than <c>offset.metadata.max.bytes</c> fails with OFFSET_METADATA_TOO_LARGE.
    /// </summary>
    public async ValueTask CommitOffsetsAsync(string groupId, IReadOnlyList<OffsetCommit> offsets, CancellationToken cancellationToken = default)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        var now = NowMs;
        var records = new List<(byte[] Key, byte[]? Value)>(offsets.Count);
        foreach (var o in offsets)
        {
            if (o.Metadata is { } m && Encoding.UTF8.GetByteCount(m) > _options.OffsetMetadataMaxBytes)
            {
                throw new StorageException(StorageError.OffsetMetadataTooLarge, $"The metadata of the offset commit of group {groupId} for {o.Topic}-{o.Partition} is longer than offset.metadata.max.bytes ({_options.OffsetMetadataMaxBytes}).");
            }

            var committed = new CommittedOffset(o.Topic, o.Partition, o.Offset, o.LeaderEpoch, o.Metadata, now);
            records.Add((OffsetsTopicCodec.OffsetKey(groupId, o.Topic, o.Partition), OffsetsTopicCodec.OffsetValue(committed)));
        }

        await WriteAsync(groupId, records, cancellationToken);
    }

    /// <summary>All committed offsets of a group (empty when none).</summary>
    public IReadOnlyList<CommittedOffset> FetchOffsets(string groupId)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(groupId, out var g) ? [.. g.Offsets.Values] : [];
        }
    }

    /// <summary>The committed offset of one partition, or null.</summary>
    public CommittedOffset? FetchOffset(string groupId, string topic, int partition)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(groupId, out var g) && g.Offsets.TryGetValue((topic, partition), out var o) ? o : null;
        }
    }

    /// <summary>Deletes the committed offsets of these partitions (OffsetDelete).</summary>
    public async ValueTask DeleteOffsetsAsync(string groupId, IEnumerable<(string Topic, int Partition)> partitions, CancellationToken cancellationToken = default)
    {
        var records = new List<(byte[] Key, byte[]? Value)>();
        foreach (var (topic, partition) in partitions)
        {
            records.Add((OffsetsTopicCodec.OffsetKey(groupId, topic, partition), null));
        }

        if (records.Count > 0)
        {
            await WriteAsync(groupId, records, cancellationToken);
        }
    }

    /// <summary>Deletes a group's offsets and metadata (DeleteGroups; the coordinator checks it is empty). False when unknown.</summary>
    public async ValueTask<bool> DeleteGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        List<(byte[] Key, byte[]? Value)> records = [];
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out var g))
            {
                return false;
            }

            foreach (var (topic, partition) in g.Offsets.Keys)
            {
                records.Add((OffsetsTopicCodec.OffsetKey(groupId, topic, partition), null));
            }
        }

        records.Add((OffsetsTopicCodec.GroupKey(groupId), null));
        await WriteAsync(groupId, records, cancellationToken);
        return true;
    }

    /// <summary>Groups with committed offsets or stored metadata.</summary>
    public IReadOnlyList<string> ListGroups()
    {
        lock (_lock)
        {
            return [.. _groups.Keys];
        }
    }

    /// <summary>Stores a group's metadata (after a rebalance completes, or when it empties).</summary>
    public ValueTask StoreGroupMetadataAsync(GroupMetadata metadata, CancellationToken cancellationToken = default) =>
        WriteAsync(metadata.GroupId, [(OffsetsTopicCodec.GroupKey(metadata.GroupId), OffsetsTopicCodec.GroupValue(metadata))], cancellationToken);

    public GroupMetadata? GetGroupMetadata(string groupId)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(groupId, out var g) ? g.Metadata : null;
        }
    }

    /// <summary>The metadata of every group that has some (for the coordinator to reload at start).</summary>
    public IReadOnlyList<GroupMetadata> GetAllGroupMetadata()
    {
        lock (_lock)
        {
            return [.. _groups.Values.Where(g => g.Metadata is not null).Select(g => g.Metadata!)];
        }
    }

    /// <summary>
    /// Expires the offsets of empty groups (no metadata, or metadata without members) after
    /// <c>offsets.retention.minutes</c>, counted from when the group became empty (its metadata's state
    /// timestamp) or, without metadata, from each commit. Returns the offsets removed.
    /// </summary>
    public async ValueTask<int> ExpireOffsetsAsync(CancellationToken cancellationToken = default)
    {
        var now = NowMs;
        var retention = _options.OffsetsRetentionMinutes * 60_000L;
        var expired = new List<(string Group, string Topic, int Partition)>();
        lock (_lock)
        {
            foreach (var (id, g) in _groups)
            {
                if (g.Metadata is { IsEmpty: false })
                {
                    continue;
                }

                foreach (var o in g.Offsets.Values)
                {
                    var since = g.Metadata is { StateTimestamp: >= 0 } m ? Math.Max(m.StateTimestamp, 0) : o.CommitTimestamp;
                    if (now - since >= retention)
                    {
                        expired.Add((id, o.Topic, o.Partition));
                    }
                }
            }
        }

        foreach (var group in expired.GroupBy(e => e.Group))
        {
            await DeleteOffsetsAsync(group.Key, group.Select(e => (e.Topic, e.Partition)), cancellationToken);
        }

        if (expired.Count > 0)
        {
            _logger.ExpiredOffsets(expired.Count);
        }

        return expired.Count;
    }

    /// <summary>Removes committed offsets of a deleted topic from every group.</summary>
    public async ValueTask RemoveTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        var byGroup = new List<(string Group, List<(string, int)> Partitions)>();
        lock (_lock)
        {
            foreach (var (id, g) in _groups)
            {
                var partitions = g.Offsets.Keys.Where(k => k.Topic == topic).ToList();
                if (partitions.Count > 0)
                {
                    byGroup.Add((id, partitions));
                }
            }
        }

        foreach (var (group, partitions) in byGroup)
        {
            await DeleteOffsetsAsync(group, partitions, cancellationToken);
        }
    }

    private async ValueTask WriteAsync(string groupId, List<(byte[] Key, byte[]? Value)> records, CancellationToken cancellationToken)
    {
        var partition = _partitions[PartitionFor(groupId)];
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var builder = new RecordBatchBuilder();
            var now = NowMs;
            foreach (var (key, value) in records)
            {
                builder.Add(now, key, value is null ? (ReadOnlyMemory<byte>?)null : value);
            }

            var batch = builder.Build();
            var result = await partition.AppendAsync(batch, AppendOrigin.Coordinator, cancellationToken);
            if (!result.Succeeded)
            {
                throw new StorageException(result.Error, $"Writing group {groupId} to __consumer_offsets failed: {result.ErrorMessage}");
            }

            foreach (var (key, value) in records)
            {
                Apply(key, value);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void Apply(ReadOnlySpan<byte> key, byte[]? value)
    {
        var (version, group, topic, partition) = OffsetsTopicCodec.ReadKey(key);
        lock (_lock)
        {
            if (!_groups.TryGetValue(group, out var entry))
            {
                if (value is null)
                {
                    return;
                }

                entry = new GroupEntry();
                _groups[group] = entry;
            }

            if (version is 0 or 1 && topic is not null)
            {
                if (value is null)
                {
                    entry.Offsets.Remove((topic, partition));
                }
                else
                {
                    entry.Offsets[(topic, partition)] = OffsetsTopicCodec.ReadOffsetValue(topic, partition, value);
                }
            }
            else if (version == OffsetsTopicCodec.GroupKeyVersion)
            {
                entry.Metadata = value is null ? null : OffsetsTopicCodec.ReadGroupValue(group, value);
            }

            if (entry.Offsets.Count == 0 && entry.Metadata is null)
            {
                _groups.Remove(group);
            }
        }
    }

    private sealed class GroupEntry
    {
        public Dictionary<(string Topic, int Partition), CommittedOffset> Offsets { get; } = [];

        public GroupMetadata? Metadata { get; set; }
    }
}
