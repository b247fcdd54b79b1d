using Rhei.Streams.Graph;
using Rhei.Streams.Operators;
using Rhei.Streams.State;

namespace Rhei.Streams;

/// <summary>
/// Builds a topology with the streams DSL: sources (<see cref="Stream{K,V}(string,Consumed{K,V})"/>,
/// <see cref="Table{K,V}"/>), then operators on <see cref="KStream{K,V}"/> and <see cref="KTable{K,V}"/>,
/// then <see cref="Build"/>. Unnamed nodes, stores and topics get Kafka Streams' generated names
/// (KSTREAM-FILTER-0000000001, KSTREAM-AGGREGATE-STATE-STORE-0000000003, ...).
/// </summary>
public sealed class StreamsBuilder
{
    private readonly List<GraphNode> _nodes = [];
    private readonly Dictionary<string, StoreSpec> _stores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int?> _repartitionTopics = new(StringComparer.Ordinal);
    private readonly List<HashSet<TopicName>> _copartition = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _index;
    private bool _built;

    public KStream<K, V> Stream<K, V>(string topic, Consumed<K, V> consumed)
        where K : notnull => Stream([topic], consumed);

    public KStream<K, V> Stream<K, V>(IReadOnlyList<string> topics, Consumed<K, V> consumed)
        where K : notnull
    {
        if (topics.Count == 0) { throw new ArgumentException("A stream needs at least one topic.", nameof(topics)); }
        var node = Add(new SourceNode<K, V>(Name(consumed.Name, "KSTREAM-SOURCE-"), [.. topics.Select(t => new TopicName(t, false))], consumed.KeySerde, consumed.ValueSerde, consumed.TimestampExtractor));
        return new KStream<K, V>(this, node, consumed.KeySerde, consumed.ValueSerde, false);
    }

    /// <summary>
    /// A table over a topic: each record upserts its key, a null value deletes it. Materialized in a store when
    /// <paramref name="materialized"/> names one or when a downstream join or aggregation needs its values.
    /// </summary>
    public KTable<K, V> Table<K, V>(string topic, Consumed<K, V> consumed, Materialized<K, V>? materialized = null)
        where K : notnull
    {
        var sourceName = Name(consumed.Name, "KSTREAM-SOURCE-");
        var source = Add(new SourceNode<K, V>(sourceName, [new TopicName(topic, false)], consumed.KeySerde, consumed.ValueSerde, consumed.TimestampExtractor));
        var tableName = consumed.Name is null ? NewName("KTABLE-SOURCE-") : Name(consumed.Name + "-table-source", "");
        var m = materialized is null ? null : materialized with { KeySerde = materialized.KeySerde ?? consumed.KeySerde, ValueSerde = materialized.ValueSerde ?? consumed.ValueSerde };
        return KTableSourceOperator.Create(this, source, tableName, m, consumed.KeySerde, consumed.ValueSerde);
    }

    /// <summary>Adds a store for processors added with <see cref="KStream{K,V}.Process{KR,VR}"/>.</summary>
    public StreamsBuilder AddStateStore(StoreSpec store)
    {
        AddStore(store);
        return this;
    }

    public Topology Build()
    {
        if (_built) { throw new InvalidOperationException("This builder has already built its topology; make a new StreamsBuilder."); }
        _built = true;

        var topicOwner = new Dictionary<TopicName, GraphNode>();
        foreach (var n in _nodes)
        {
            foreach (var t in n.SourceTopics)
            {
                if (!topicOwner.TryAdd(t, n))
                {
                    throw new InvalidOperationException($"Invalid topology: topic {t.Name} is read by two sources ({topicOwner[t].Name} and {n.Name}); read it once and use the stream twice.");
                }
            }
        }

        var parent = new Dictionary<GraphNode, GraphNode>();
        GraphNode Find(GraphNode n)
        {
            while (parent.TryGetValue(n, out var p) && p != n) { n = p; }
            return n;
        }

        void Union(GraphNode a, GraphNode b)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra == rb) { return; }
            if (ra.Order < rb.Order) { parent[rb] = ra; } else { parent[ra] = rb; }
        }

        foreach (var n in _nodes) { parent[n] = n; }
        foreach (var n in _nodes)
        {
            foreach (var c in n.Children) { Union(n, c); }
        }

        var storeUsers = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
        foreach (var n in _nodes)
        {
            foreach (var s in n.StoreNames)
            {
                if (!_stores.ContainsKey(s)) { throw new InvalidOperationException($"Processor {n.Name} uses state store {s}, which is not defined; add it with AddStateStore."); }
                if (storeUsers.TryGetValue(s, out var other)) { Union(n, other); } else { storeUsers[s] = n; }
            }
        }

        var groups = _nodes.GroupBy(Find).OrderBy(g => g.Key.Order).ToList();
        var subs = new List<SubTopology>();
        foreach (var g in groups)
        {
            var nodes = g.OrderBy(n => n.Order).ToList();
            if (!nodes.Any(n => n.Kind == NodeKind.Source)) { continue; }
            subs.Add(new SubTopology(subs.Count, nodes));
        }

        return new Topology(subs, new Dictionary<string, StoreSpec>(_stores), new Dictionary<string, int?>(_repartitionTopics), [.. _copartition]);
    }

    internal string NewName(string prefix) => $"{prefix}{_index++:D10}";

    /// <summary>A node name: the given one (checked unique), or a generated one.</summary>
    internal string Name(string? given, string prefix)
    {
        if (given is null) { return NewName(prefix); }
        if (!_names.Add(given)) { throw new ArgumentException($"The name {given} is used by two processors; names in a topology must be unique."); }
        return given;
    }

    internal T Add<T>(T node)
        where T : GraphNode
    {
        if (_built) { throw new InvalidOperationException("The topology is already built; operators cannot be added to it."); }
        node.Order = _nodes.Count;
        _names.Add(node.Name);
        _nodes.Add(node);
        return node;
    }

    internal void AddStore(StoreSpec store)
    {
        if (!_stores.TryAdd(store.Name, store))
        {
            throw new ArgumentException($"A state store named {store.Name} already exists in this topology; store names must be unique.");
        }
    }

    internal bool HasStore(string name) => _stores.ContainsKey(name);

    internal void AddRepartitionTopic(string name, int? partitions)
    {
        if (!_repartitionTopics.TryAdd(name, partitions))
        {
            throw new ArgumentException($"The repartition topic {name} is defined twice; give the groupings or joins distinct names.");
        }
    }

    internal void RequireCopartition(IEnumerable<TopicName> topics)
    {
        var set = new HashSet<TopicName>(topics);
        foreach (var existing in _copartition.Where(g => g.Overlaps(set)).ToList())
        {
            set.UnionWith(existing);
            _copartition.Remove(existing);
        }

        _copartition.Add(set);
    }

    /// <summary>The source topics upstream of a node within its part of the graph (for co-partitioning rules).</summary>
    internal static IEnumerable<TopicName> UpstreamSourceTopics(GraphNode node)
    {
        var seen = new HashSet<GraphNode>();
        var stack = new Stack<GraphNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n)) { continue; }
            foreach (var t in n.SourceTopics) { yield return t; }
            foreach (var p in n.Parents) { stack.Push(p); }
        }
    }
}
