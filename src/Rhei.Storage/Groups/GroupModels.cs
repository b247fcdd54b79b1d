namespace Rhei.Storage.Groups;

/// <summary>An offset to commit: the next offset to read in a partition, with the consumer's leader epoch and metadata.</summary>
public sealed record OffsetCommit(string Topic, int Partition, long Offset, int LeaderEpoch = -1, string? Metadata = null);

/// <summary>A committed offset as stored: <see cref="CommitTimestamp"/> is the broker time of the commit.</summary>
public sealed record CommittedOffset(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata, long CommitTimestamp);

/// <summary>
/// A consumer group's state as the broker's coordinator persists it after each generation: what a restarted
/// coordinator needs to reload the group (Kafka's GroupMetadataValue).
/// </summary>
public sealed record GroupMetadata(
    string GroupId,
    string ProtocolType,
    int Generation,
    string? ProtocolName,
    string? Leader,
    long StateTimestamp,
    IReadOnlyList<GroupMemberMetadata> Members)
{
    public bool IsEmpty => Members.Count == 0;
}

/// <summary>A group member with its subscription and assignment (opaque protocol bytes).</summary>
public sealed record GroupMemberMetadata(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int RebalanceTimeoutMs,
    int SessionTimeoutMs,
    byte[] Subscription,
    byte[] Assignment);
