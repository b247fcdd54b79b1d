namespace Rhei.Client;

/// <summary>
/// Reads records from partitions, either assigned by hand or through a consumer group. Not thread-safe:
/// one consumer is used by one loop at a time, as with Kafka's consumers.
/// </summary>
public interface IConsumer : IAsyncDisposable
{
    /// <summary>Joins the group (<see cref="ConsumerOptions.GroupId"/>) and subscribes to these topics.</summary>
    void Subscribe(IEnumerable<string> topics);

    /// <summary>Leaves the group's subscription (revoking partitions).</summary>
    void Unsubscribe();

    /// <summary>Reads these partitions from these positions (<see cref="Offsets"/> for special ones), without a group.</summary>
    void Assign(IEnumerable<TopicPartitionOffset> partitions);

    /// <summary>The partitions currently assigned, by hand or by the group.</summary>
    IReadOnlyList<TopicPartition> Assignment { get; }

    /// <summary>
    /// Returns the next records (up to <c>max.poll.records</c>), waiting up to <paramref name="timeout"/> when
    /// none are ready; an empty list on timeout. Group membership (heartbeats, rebalances) progresses here.
    /// </summary>
    ValueTask<IReadOnlyList<ConsumedRecord>> PollAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Moves the position of an assigned partition.</summary>
    void Seek(TopicPartitionOffset position);

    /// <summary>The offset of the next record to be returned for an assigned partition.</summary>
    long Position(TopicPartition partition);

    /// <summary>Stops returning records from these partitions until resumed (membership goes on).</summary>
    void Pause(IEnumerable<TopicPartition> partitions);

    void Resume(IEnumerable<TopicPartition> partitions);

    /// <summary>Commits these positions (next offset to read) for the group.</summary>
    ValueTask CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default);

    /// <summary>The group's committed offsets for these partitions (-1001 when none, as Kafka's Invalid offset).</summary>
    ValueTask<IReadOnlyList<TopicPartitionOffset>> CommittedAsync(IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken = default);

    /// <summary>Leaves the group cleanly (commit first if needed).</summary>
    ValueTask CloseAsync(CancellationToken cancellationToken = default);
}
