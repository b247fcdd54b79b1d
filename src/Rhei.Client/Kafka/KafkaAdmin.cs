using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using Rhei.Storage.Topics;
using ConfluentTopicPartition = Confluent.Kafka.TopicPartition;

namespace Rhei.Client.Kafka;

/// <summary>
/// Administration over Confluent's <see cref="IAdminClient"/>. Per-item errors become
/// <see cref="AdminException"/> with Kafka's error name of the first failure (the message names all).
/// Topic descriptions carry the topic's overridden configs (DescribeConfigs entries set on the topic).
/// </summary>
public sealed class KafkaAdmin : IAdmin
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    private readonly IAdminClient _admin;

    public KafkaAdmin(KafkaClientFactory factory)
    {
        var logger = factory.LoggerFactory.CreateLogger<KafkaAdmin>();
        _admin = new AdminClientBuilder(KafkaConfig.Admin(factory))
            .SetLogHandler((_, m) => KafkaConfig.Log(logger, m))
            .SetErrorHandler((c, e) => logger.KafkaError(c.Name, KafkaErrors.Describe(e)))
            .Build();
    }

    public async ValueTask CreateTopicsAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default)
    {
        var specs = topics.Select(t => new TopicSpecification
        {
            Name = t.Name,
            NumPartitions = t.Partitions,
            ReplicationFactor = t.ReplicationFactor,
            Configs = t.Configs.ToDictionary(c => c.Key, c => c.Value),
        }).ToList();
        try
        {
            await _admin.CreateTopicsAsync(specs);
        }
        catch (CreateTopicsException e)
        {
            throw First(e.Results.Where(r => r.Error.IsError).Select(r => (r.Topic, r.Error)), e);
        }
        catch (KafkaException e)
        {
            throw ToAdmin(e);
        }
    }

    public async ValueTask DeleteTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        try
        {
            await _admin.DeleteTopicsAsync(topics);
        }
        catch (DeleteTopicsException e)
        {
            throw First(e.Results.Where(r => r.Error.IsError).Select(r => (r.Topic, r.Error)), e);
        }
        catch (KafkaException e)
        {
            throw ToAdmin(e);
        }
    }

    public async ValueTask<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        var names = topics.ToList();
        Confluent.Kafka.Admin.DescribeTopicsResult described;
        try
        {
            described = await _admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(names));
        }
        catch (DescribeTopicsException e)
        {
            throw First(e.Results.TopicDescriptions.Where(d => d.Error.IsError).Select(d => (d.Name, d.Error)), e);
        }
        catch (KafkaException e)
        {
            throw ToAdmin(e);
        }

        var configs = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        try
        {
            var resources = names.Select(n => new ConfigResource { Type = ResourceType.Topic, Name = n });
            foreach (var result in await _admin.DescribeConfigsAsync(resources))
            {
                configs[result.ConfigResource.Name] = result.Entries.Values
                    .Where(e => e.Source == ConfigSource.DynamicTopicConfig && e.Value is not null)
                    .ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
            }
        }
        catch (DescribeConfigsException e)
        {
            throw First(e.Results.Where(r => r.Error.IsError).Select(r => (r.ConfigResource.Name, r.Error)), e);
        }
        catch (KafkaException e)
        {
            throw ToAdmin(e);
        }

        return
        [
            .. described.TopicDescriptions.Select(d => new TopicDescription(
                d.Name,
                d.Partitions.Count,
                (short)(d.Partitions.Count > 0 ? d.Partitions[0].Replicas.Count : 0),
                configs.GetValueOrDefault(d.Name) ?? new Dictionary<string, string>(),
                d.IsInternal)),
        ];
    }

    public async ValueTask<IReadOnlyList<string>> ListTopicsAsync(bool includeInternal = false, CancellationToken cancellationToken = default)
    {
        // GetMetadata blocks for at most one metadata round trip (bounded by the timeout).
        var metadata = await Task.Run(() => _admin.GetMetadata(MetadataTimeout), cancellationToken);
        return [.. metadata.Topics.Where(t => !t.Error.IsError).Select(t => t.Topic).Where(t => includeInternal || !TopicNames.IsInternal(t)).Order(StringComparer.Ordinal)];
    }

    public async ValueTask CreatePartitionsAsync(string topic, int totalPartitions, CancellationToken cancellationToken = default)
    {
        try
        {
            await _admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = totalPartitions }]);
        }
        catch (CreatePartitionsException e)
        {
            throw First(e.Results.Where(r => r.Error.IsError).Select(r => (r.Topic, r.Error)), e);
        }
        catch (KafkaException e)
        {
            throw ToAdmin(e);
        }
    }

    public async ValueTask<IReadOnlyList<ListOffsetsResult>> ListOffsetsAsync(IEnumerable<(TopicPartition Partition, OffsetSpec Spec)> requests, CancellationToken cancellationToken = default)
    {
        var list = requests.ToList();
        var results = new List<ListOffsetsResult>(list.Count);

        // One request per item: a request holds a partition once, and callers may ask several specs of one partition.
        foreach (var (tp, spec) in list)
        {
            var request = new TopicPartitionOffsetSpec
            {
                TopicPartition = new ConfluentTopicPartition(tp.Topic, tp.Partition),
                OffsetSpec = spec.Value switch
                {
                    -2 => Confluent.Kafka.Admin.OffsetSpec.Earliest(),
                    -1 => Confluent.Kafka.Admin.OffsetSpec.Latest(),
                    -3 => Confluent.Kafka.Admin.OffsetSpec.MaxTimestamp(),
                    _ => Confluent.Kafka.Admin.OffsetSpec.ForTimestamp(spec.Value),
                },
            };
            try
            {
                var answer = await _admin.ListOffsetsAsync([request]);
                var info = answer.ResultInfos.Single();
                results.Add(new ListOffsetsResult(tp, info.TopicPartitionOffsetError.Offset.Value, info.Timestamp));
            }
            catch (ListOffsetsException e)
            {
                throw First(e.Result.ResultInfos.Where(r => r.TopicPartitionOffsetError.Error.IsError).Select(r => (r.TopicPartitionOffsetError.TopicPartition.ToString(), r.TopicPartitionOffsetError.Error)), e);
            }
            catch (KafkaException e)
            {
                throw ToAdmin(e);
            }
        }

        return results;
    }

    public async ValueTask<IReadOnlyList<string>> ListConsumerGroupsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await _admin.ListConsumerGroupsAsync();
            return [.. result.Valid.Select(g => g.GroupId).Order(StringComparer.Ordinal)];
        }
        catch (KafkaException e)
        {
            throw ToAdmin(e);
        }
    }

    public async ValueTask<IReadOnlyList<TopicPartitionOffset>> ListConsumerGroupOffsetsAsync(string groupId, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await _admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(groupId, null)]);
            return
            [
                .. result.SelectMany(g => g.Partitions)
                    .Where(p => !p.Error.IsError && p.Offset.Value >= 0)
                    .Select(p => new TopicPartitionOffset(p.Topic, p.Partition.Value, p.Offset.Value))
                    .OrderBy(p => p.Topic, StringComparer.Ordinal)
                    .ThenBy(p => p.Partition),
            ];
        }
        catch (ListConsumerGroupOffsetsException e) when (e.Results.All(r => r.Error.Code == ErrorCode.GroupIdNotFound))
        {
            return [];
        }
        catch (ListConsumerGroupOffsetsException e)
        {
            throw First(e.Results.Where(r => r.Error.IsError).Select(r => (r.Group, r.Error)), e);
        }
        catch (KafkaException e)
        {
            throw ToAdmin(e);
        }
    }

    public async ValueTask DeleteConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        try
        {
            await _admin.DeleteGroupsAsync([groupId]);
        }
        catch (DeleteGroupsException e)
        {
            throw First(e.Results.Where(r => r.Error.IsError).Select(r => (r.Group, r.Error)), e);
        }
        catch (KafkaException e)
        {
            throw ToAdmin(e);
        }
    }

    public ValueTask DisposeAsync()
    {
        _admin.Dispose();
        return ValueTask.CompletedTask;
    }

    private static AdminException First(IEnumerable<(string Item, Error Error)> failures, KafkaException fallback)
    {
        var list = failures.ToList();
        if (list.Count == 0)
        {
            return ToAdmin(fallback);
        }

        return new AdminException(KafkaErrors.Name(list[0].Error), string.Join(" ", list.Select(f => $"{f.Item}: {KafkaErrors.Describe(f.Error)}.")));
    }

    private static AdminException ToAdmin(KafkaException e) => new(KafkaErrors.Name(e.Error), KafkaErrors.Describe(e.Error));
}
