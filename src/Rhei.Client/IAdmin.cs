namespace Rhei.Client;

/// <summary>A topic to create. ReplicationFactor -1 means the cluster's default.</summary>
public sealed record TopicSpec(string Name, int Partitions, short ReplicationFactor = -1)
{
    /// <summary>Topic configs, Kafka's names (<c>cleanup.policy</c>, <c>retention.ms</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Configs { get; init; } = new Dictionary<string, string>();
}

public sealed record TopicDescription(string Name, int Partitions, short ReplicationFactor, IReadOnlyDictionary<string, string> Configs, bool IsInternal);

/// <summary>Which offset ListOffsets asks for.</summary>
public readonly record struct OffsetSpec(long Value)
{
    public static OffsetSpec Earliest => new(-2);
    public static OffsetSpec Latest => new(-1);
    public static OffsetSpec MaxTimestamp => new(-3);
    public static OffsetSpec ForTimestamp(long timestampMs) => new(timestampMs);
}

public readonly record struct ListOffsetsResult(TopicPartition TopicPartition, long Offset, long Timestamp);

/// <summary>Topic already exists / does not exist / invalid request, with Kafka's error name.</summary>
public sealed class AdminException(string errorName, string message) : Exception(message)
{
    /// <summary>Kafka's error name, e.g. TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_OR_PARTITION.</summary>
    public string ErrorName { get; } = errorName;
}

/// <summary>Administers topics and consumer groups.</summary>
public interface IAdmin : IAsyncDisposable
{
    ValueTask CreateTopicsAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default);

    ValueTask DeleteTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default);

    /// <summary>Descriptions of these topics; a missing topic throws <see cref="AdminException"/> UNKNOWN_TOPIC_OR_PARTITION.</summary>
    ValueTask<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default);

    /// <summary>Names of all topics; internal ones only when asked.</summary>
    ValueTask<IReadOnlyList<string>> ListTopicsAsync(bool includeInternal = false, CancellationToken cancellationToken = default);

    ValueTask CreatePartitionsAsync(string topic, int totalPartitions, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<ListOffsetsResult>> ListOffsetsAsync(IEnumerable<(TopicPartition Partition, OffsetSpec Spec)> requests, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<string>> ListConsumerGroupsAsync(CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<TopicPartitionOffset>> ListConsumerGroupOffsetsAsync(string groupId, CancellationToken cancellationToken = default);

    ValueTask DeleteConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Makes clients of one kind: Embedded (straight on Rhei.Storage) or Kafka (Confluent.Kafka against
/// <c>bootstrap.servers</c>). Everything above Rhei.Client depends on this and nothing else.
/// </summary>
public interface IClientFactory
{
    IProducer CreateProducer(ProducerOptions options);

    IConsumer CreateConsumer(ConsumerOptions options);

    IAdmin CreateAdmin();
}
