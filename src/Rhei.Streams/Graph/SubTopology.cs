namespace Rhei.Streams.Graph;

/// <summary>A connected part of the topology: nodes linked by edges or shared stores. Repartition topics separate sub-topologies.</summary>
internal sealed class SubTopology(int id, IReadOnlyList<GraphNode> nodes)
{
    public int Id { get; } = id;

    /// <summary>Nodes in creation order.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; } = nodes;

    public IEnumerable<GraphNode> Sources => Nodes.Where(n => n.Kind == NodeKind.Source);

    public IReadOnlyList<TopicName> SourceTopics { get; } = [.. nodes.SelectMany(n => n.SourceTopics).Distinct()];

    public IReadOnlyList<TopicName> SinkTopics { get; } = [.. nodes.Select(n => n.SinkTopic).OfType<TopicName>().Distinct()];

    public IReadOnlyList<string> StoreNames { get; } = [.. nodes.SelectMany(n => n.StoreNames).Distinct()];
}

/// <summary>An internal topic the topology needs: repartition topics (partitions from the inputs) and changelogs (one partition per task).</summary>
internal sealed record InternalTopic(string Name, bool IsChangelog, int Partitions, IReadOnlyDictionary<string, string> Configs);
