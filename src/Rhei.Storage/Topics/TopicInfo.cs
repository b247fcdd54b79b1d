namespace Rhei.Storage.Topics;

/// <summary>
/// A topic as storage knows it: id, partition count, effective config and the overrides that were set
/// (Kafka's names; everything not overridden follows the broker defaults).
/// </summary>
public sealed record TopicInfo(
    string Name,
    Guid TopicId,
    int PartitionCount,
    TopicConfig Config,
    IReadOnlyDictionary<string, string> ConfigOverrides)
{
    public bool IsInternal => TopicNames.IsInternal(Name);
}
