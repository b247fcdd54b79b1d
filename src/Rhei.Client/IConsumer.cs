namespace Rhei.Client;

/// <summary>
/// Reads records from partitions, either assigned by hand or through a consumer group. Not thread-safe:
/// one consumer is used by one loop at a time, as with Kafka's consumers.
/// </summary>
public interface IConsumer : IAsyncDisposable
{
    /// <summary>Joins the group (<see cref="ConsumerOptions.GroupId"/>) and subscribes to these topics.</summary>
    void Subscribe(IEnumerable<string> topics);

    /// <summary>
    /// Leaves the group's subscription, revoking partitions (only the synchronous revoke callback runs here:
    /// with <see cref="ConsumerOptions.OnPartitionsRevokedAsync"/> set, use <see cref="UnsubscribeAsync"/>).
    /// </summary>
    void Unsubscribe();

    /// <summary>Leaves the group's subscription, awaiting the revoke callbacks.</summary>
    ValueTask UnsubscribeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads these partitions from these positions (<see cref="Offsets"/> for special ones), without a group
    /// (replacing any earlier assignment). Special offsets are resolved here, not at the first fetch:
    /// <see cref="Offsets.End"/> means the end at the time of the call.
    /// </summary>
    void Assign(IEnumerable<TopicPartitionOffset> partitions);

    /// <summary>The partitions currently assigned, by hand or by the group.</summary>
    IReadOnlyList<TopicPartition> Assignment { get; }

    /// <summary>
    /// Returns the next records (up to <c>max.poll.records</c>), waiting up to <paramref name="timeout"/> when
    /// none are ready; an empty list on timeout. Group membership (heartbeats, rebalances) progresses here,
    /// and the rebalance callbacks run here. The list and the keys and values of its records are valid until
    /// the next poll (or close) of this consumer; header values are copies and may be kept. Errors
    /// (auto.offset.reset=error without a valid offset, ...) throw <see cref="ConsumerException"/>.
    /// </summary>
    ValueTask<IReadOnlyList<ConsumedRecord>> PollAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Moves the position of an assigned partition (special offsets resolved now, as in <see cref="Assign"/>).</summary>
    void Seek(TopicPartitionOffset position);

    /// <summary>The offset of the next record to be returned for an assigned partition.</summary>
    long Position(TopicPartition partition);

    /// <summary>Stops returning records from these partitions until resumed (membership goes on).</summary>
    void Pause(IEnumerable<TopicPartition> partitions);

    void Resume(IEnumerable<TopicPartition> partitions);

    /// <summary>
    /// Commits these positions (next offset to read) for the group. A member that lost its place in the
    /// group (a newer generation, or expelled) gets <see cref="ConsumerException"/> ILLEGAL_GENERATION or
    /// UNKNOWN_MEMBER_ID.
    /// </summary>
    ValueTask CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default);

    /// <summary>The group's committed offsets for these partitions (-1001 when none, as Kafka's Invalid offset).</summary>
    ValueTask<IReadOnlyList<TopicPartitionOffset>> CommittedAsync(IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leaves the group cleanly: auto-commits when enabled, runs the revoke callbacks, leaves at once (no
    /// session timeout to wait for). Disposing an open consumer closes it the same way.
    /// </summary>
    ValueTask CloseAsync(CancellationToken cancellationToken = default);
}
