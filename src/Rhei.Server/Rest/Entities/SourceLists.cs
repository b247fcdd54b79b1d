namespace Rhei.Server.Rest.Entities;

/// <summary>A stream or table in SHOW STREAMS / SHOW TABLES.</summary>
public sealed record SourceInfo(string Type, string Name, string Topic, string KeyFormat, string ValueFormat, bool IsWindowed);

/// <summary>SHOW STREAMS.</summary>
public sealed record StreamsList : KsqlEntity
{
    public IReadOnlyList<SourceInfo> Streams { get; init; } = [];
}

/// <summary>SHOW TABLES.</summary>
public sealed record TablesList : KsqlEntity
{
    public IReadOnlyList<SourceInfo> Tables { get; init; } = [];
}

/// <summary>A Kafka topic in SHOW TOPICS: its name and the replica count of each partition.</summary>
public sealed record KafkaTopicInfo(string Name, IReadOnlyList<int> ReplicaInfo);

/// <summary>SHOW TOPICS.</summary>
public sealed record KafkaTopicsList : KsqlEntity
{
    public IReadOnlyList<KafkaTopicInfo> Topics { get; init; } = [];
}

/// <summary>A topic in SHOW TOPICS EXTENDED, with consumer counts.</summary>
public sealed record KafkaTopicInfoExtended(string Name, IReadOnlyList<int> ReplicaInfo, int ConsumerCount, int ConsumerGroupCount);

/// <summary>SHOW TOPICS EXTENDED.</summary>
public sealed record KafkaTopicsListExtended : KsqlEntity
{
    public IReadOnlyList<KafkaTopicInfoExtended> Topics { get; init; } = [];
}
