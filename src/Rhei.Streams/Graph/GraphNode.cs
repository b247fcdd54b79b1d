using Rhei.Streams.Processors;

namespace Rhei.Streams.Graph;

/// <summary>A topic a node reads or writes; internal topics are named without the application id and resolved per application.</summary>
internal readonly record struct TopicName(string Name, bool Internal)
{
    public string Resolve(string applicationId) => Internal ? $"{applicationId}-{Name}" : Name;

    public override string ToString() => Name;
}

/// <summary>What kind of node a graph node is, for the topology description.</summary>
internal enum NodeKind
{
    Source,
    Processor,
    Sink,
}

/// <summary>A node of the logical topology, built once; each task makes its own processor from it.</summary>
internal abstract class GraphNode(string name)
{
    public string Name { get; } = name;

    /// <summary>Creation order (deterministic descriptions and sub-topology numbering).</summary>
    public int Order { get; set; }

    public List<GraphNode> Parents { get; } = [];

    public List<GraphNode> Children { get; } = [];

    /// <summary>Stores this node reads or writes (nodes sharing a store run in one sub-topology).</summary>
    public List<string> StoreNames { get; } = [];

    public virtual NodeKind Kind => NodeKind.Processor;

    public virtual IReadOnlyList<TopicName> SourceTopics => [];

    public virtual TopicName? SinkTopic => null;

    /// <summary>For sources: builds the node's processors in the task and registers its input partitions.</summary>
    public virtual void BuildSource(TaskBuilder builder)
    {
    }
}

/// <summary>A node whose output records have key type K and value type V.</summary>
internal abstract class GraphNode<K, V>(string name) : GraphNode(name)
{
    private readonly List<Func<TaskBuilder, Processor<K, V>>> _outputs = [];

    /// <summary>Connects a child; <paramref name="input"/> returns the child's processor (for this edge) in a task.</summary>
    public void AddChild(GraphNode child, Func<TaskBuilder, Processor<K, V>> input)
    {
        _outputs.Add(input);
        Children.Add(child);
        child.Parents.Add(this);
    }

    public Downstream<K, V> Downstream(TaskBuilder builder)
    {
        var children = new Processor<K, V>[_outputs.Count];
        for (var i = 0; i < children.Length; i++) { children[i] = _outputs[i](builder); }
        return new Downstream<K, V>(children);
    }
}

/// <summary>An ordinary node: one processor per task, made by a factory from the task and the node's children.</summary>
internal sealed class ProcessorGraphNode<KIn, VIn, KOut, VOut>(string name, Func<TaskBuilder, Downstream<KOut, VOut>, Processor<KIn, VIn>> factory)
    : GraphNode<KOut, VOut>(name)
{
    public Processor<KIn, VIn> Get(TaskBuilder builder) => builder.GetOrCreate(this, b => factory(b, Downstream(b)));

    /// <summary>Makes this node a child of <paramref name="parent"/>.</summary>
    public ProcessorGraphNode<KIn, VIn, KOut, VOut> From(GraphNode<KIn, VIn> parent)
    {
        parent.AddChild(this, Get);
        return this;
    }
}
