using System.Text.Json;

namespace Rhei.Server.Rest.Entities;

/// <summary>DESCRIBE [EXTENDED] of a stream or table.</summary>
public sealed record SourceDescription
{
    public string Name { get; init; } = "";

    /// <summary>TUMBLING, HOPPING or SESSION for windowed sources.</summary>
    public string? WindowType { get; init; }

    public IReadOnlyList<RunningQuery> ReadQueries { get; init; } = [];

    public IReadOnlyList<RunningQuery> WriteQueries { get; init; } = [];

    public IReadOnlyList<FieldInfo> Fields { get; init; } = [];

    /// <summary>STREAM or TABLE.</summary>
    public string Type { get; init; } = "STREAM";

    /// <summary>The timestamp column, or empty for the record timestamp.</summary>
    public string Timestamp { get; init; } = "";

    public string Statistics { get; init; } = "";

    public string ErrorStats { get; init; } = "";

    public bool Extended { get; init; }

    public string KeyFormat { get; init; } = "";

    public string ValueFormat { get; init; } = "";

    public string Topic { get; init; } = "";

    public int Partitions { get; init; }

    public int Replication { get; init; }

    /// <summary>The statement that created the source.</summary>
    public string Statement { get; init; } = "";

    public IReadOnlyList<JsonElement> QueryOffsetSummaries { get; init; } = [];

    public IReadOnlyList<string> SourceConstraints { get; init; } = [];

    public IReadOnlyList<string> ClusterStatistics { get; init; } = [];

    public IReadOnlyList<string> ClusterErrorStats { get; init; } = [];
}

/// <summary>DESCRIBE source.</summary>
public sealed record SourceDescriptionEntity : KsqlEntity
{
    public SourceDescription SourceDescription { get; init; } = new();
}

/// <summary>SHOW STREAMS EXTENDED, SHOW TABLES EXTENDED, DESCRIBE STREAMS.</summary>
public sealed record SourceDescriptionList : KsqlEntity
{
    public IReadOnlyList<SourceDescription> SourceDescriptions { get; init; } = [];
}
