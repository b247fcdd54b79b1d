using Rhei.Sql.Ast;

namespace Rhei.Sql.Schema;

/// <summary>
/// A stream or table registered in the metastore: its schema, topic and formats, event-time column, and whether it is
/// a read-only source (CREATE SOURCE ...) or the sink of a query.
/// </summary>
public sealed record DataSource(
    string Name,
    SourceType Type,
    LogicalSchema Schema,
    KsqlTopic Topic,
    TimestampColumn? Timestamp = null,
    bool IsSource = false,
    string SqlText = "")
{
    public bool IsTable => Type == SourceType.Table;

    public bool IsWindowed => Topic.KeyFormat.IsWindowed;

    public string KafkaTopicName => Topic.Name;

    /// <summary>"stream" or "table", as ksqlDB words it in messages.</summary>
    public string TypeName => Type == SourceType.Stream ? "stream" : "table";

    /// <summary>True when the source was created by CREATE ... AS SELECT (its sink), as opposed to over a topic.</summary>
    public bool IsCreateAsSelect { get; init; }
}
