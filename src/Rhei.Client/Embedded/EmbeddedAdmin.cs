using Rhei.Storage;
using Rhei.Storage.Partitions;

namespace Rhei.Client.Embedded;

/// <summary>
/// Topic and group administration straight on the <see cref="LogManager"/>. Storage errors become
/// <see cref="AdminException"/> with Kafka's error names; a request over several topics tries them all and
/// then throws for the first failure (the message names every one).
/// </summary>
public sealed class EmbeddedAdmin : IAdmin
{
    private readonly LogManager _log;
    private readonly EmbeddedGroupCoordinator _groups;

    public EmbeddedAdmin(LogManager log, EmbeddedGroupCoordinator groups, EmbeddedClientOptions options)
    {
        _log = log;
        _groups = groups;
        _ = options;
    }

    public async ValueTask CreateTopicsAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default)
    {
        var failures = new List<AdminException>();
        foreach (var spec in topics)
        {
            if (spec.ReplicationFactor is not (-1 or 1))
            {
                failures.Add(new AdminException("INVALID_REPLICATION_FACTOR", $"Topic '{spec.Name}': replication factor {spec.ReplicationFactor} is larger than the number of brokers (1)."));
                continue;
            }

            try
            {
                await _log.CreateTopicAsync(spec.Name, spec.Partitions, spec.Configs, cancellationToken);
            }
            catch (StorageException e)
            {
                failures.Add(new AdminException(e.ErrorName, e.Message));
            }
        }

        ThrowIfAny(failures);
    }

    public async ValueTask DeleteTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        var failures = new List<AdminException>();
        foreach (var topic in topics)
        {
            try
            {
                await _log.DeleteTopicAsync(topic, cancellationToken);
            }
            catch (StorageException e)
            {
                failures.Add(new AdminException(e.ErrorName, e.Message));
            }
        }

        ThrowIfAny(failures);
    }

    public ValueTask<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        var result = new List<TopicDescription>();
        var failures = new List<AdminException>();
        foreach (var name in topics)
        {
            if (_log.DescribeTopic(name) is { } info)
            {
                result.Add(new TopicDescription(info.Name, info.PartitionCount, 1, new Dictionary<string, string>(info.ConfigOverrides, StringComparer.Ordinal), info.IsInternal));
            }
            else
            {
                failures.Add(new AdminException("UNKNOWN_TOPIC_OR_PARTITION", $"Topic '{name}' does not exist."));
            }
        }

        ThrowIfAny(failures);
        return ValueTask.FromResult<IReadOnlyList<TopicDescription>>(result);
    }

    public ValueTask<IReadOnlyList<string>> ListTopicsAsync(bool includeInternal = false, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_log.ListTopics(includeInternal));

    public async ValueTask CreatePartitionsAsync(string topic, int totalPartitions, CancellationToken cancellationToken = default)
    {
        try
        {
            await _log.CreatePartitionsAsync(topic, totalPartitions, cancellationToken);
        }
        catch (StorageException e)
        {
            throw new AdminException(e.ErrorName, e.Message);
        }
    }

    public async ValueTask<IReadOnlyList<ListOffsetsResult>> ListOffsetsAsync(IEnumerable<(TopicPartition Partition, OffsetSpec Spec)> requests, CancellationToken cancellationToken = default)
    {
        var result = new List<ListOffsetsResult>();
        foreach (var (tp, spec) in requests)
        {
            var log = _log.GetPartition(tp.Topic, tp.Partition) ?? throw new AdminException("UNKNOWN_TOPIC_OR_PARTITION", $"Partition {tp} does not exist.");
            if (spec.Value == OffsetTimestamps.Earliest)
            {
                result.Add(new ListOffsetsResult(tp, log.LogStartOffset, -1));
            }
            else if (spec.Value == OffsetTimestamps.Latest)
            {
                result.Add(new ListOffsetsResult(tp, log.HighWatermark, -1));
            }
            else if (spec.Value >= 0 || spec.Value == OffsetTimestamps.MaxTimestamp)
            {
                var found = await log.GetOffsetForTimestampAsync(spec.Value, cancellationToken);
                result.Add(found is { } f ? new ListOffsetsResult(tp, f.Offset, f.Timestamp) : new ListOffsetsResult(tp, -1, -1));
            }
            else
            {
                throw new AdminException("INVALID_REQUEST", $"Offset spec {spec.Value} for {tp} is not earliest (-2), latest (-1), max timestamp (-3) or a timestamp.");
            }
        }

        return result;
    }

    public ValueTask<IReadOnlyList<string>> ListConsumerGroupsAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> groups = [.. _log.GroupOffsets.ListGroups().Union(_groups.ActiveGroups, StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return ValueTask.FromResult(groups);
    }

    public ValueTask<IReadOnlyList<TopicPartitionOffset>> ListConsumerGroupOffsetsAsync(string groupId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<TopicPartitionOffset> offsets =
        [
            .. _log.GroupOffsets.FetchOffsets(groupId)
                .Select(o => new TopicPartitionOffset(o.Topic, o.Partition, o.Offset))
                .OrderBy(o => o.Topic, StringComparer.Ordinal)
                .ThenBy(o => o.Partition),
        ];
        return ValueTask.FromResult(offsets);
    }

    public async ValueTask DeleteConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        if (_groups.HasMembers(groupId))
        {
            throw new AdminException("NON_EMPTY_GROUP", $"Group '{groupId}' has active members: stop its consumers before deleting it.");
        }

        try
        {
            if (!await _log.GroupOffsets.DeleteGroupAsync(groupId, cancellationToken))
            {
                throw new AdminException("GROUP_ID_NOT_FOUND", $"Group '{groupId}' does not exist.");
            }
        }
        catch (StorageException e)
        {
            throw new AdminException(e.ErrorName, e.Message);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void ThrowIfAny(List<AdminException> failures)
    {
        if (failures.Count == 1)
        {
            throw failures[0];
        }

        if (failures.Count > 1)
        {
            throw new AdminException(failures[0].ErrorName, string.Join(" ", failures.Select(f => $"{f.Message} ({f.ErrorName})")));
        }
    }
}
