using Rhei.Streams.State;
using Rhei.Streams.Graph;

namespace Rhei.Streams;

/// <summary>
/// A built topology: sub-topologies, their source and sink topics, stores and internal topics. Immutable;
/// run it with <see cref="StreamsApp"/> or <see cref="Testing.TopologyTestDriver"/>.
/// </summary>
public sealed class Topology
{
    internal Topology(
        IReadOnlyList<SubTopology> subTopologies,
        IReadOnlyDictionary<string, StoreSpec> stores,
        IReadOnlyDictionary<string, int?> repartitionTopics,
        IReadOnlyList<IReadOnlySet<TopicName>> copartitionGroups)
    {
        SubTopologies = subTopologies;
        Stores = stores;
        RepartitionTopics = repartitionTopics;
        CopartitionGroups = copartitionGroups;
        StoreOwner = subTopologies.SelectMany(s => s.StoreNames.Select(n => (n, s))).ToDictionary(p => p.n, p => p.s);
    }

    internal IReadOnlyList<SubTopology> SubTopologies { get; }

    /// <summary>Store definitions by name.</summary>
    public IReadOnlyDictionary<string, StoreSpec> Stores { get; }

    /// <summary>Repartition topics (unresolved names) with their requested partition counts.</summary>
    internal IReadOnlyDictionary<string, int?> RepartitionTopics { get; }

    internal IReadOnlyList<IReadOnlySet<TopicName>> CopartitionGroups { get; }

    internal IReadOnlyDictionary<string, SubTopology> StoreOwner { get; }

    /// <summary>The topics the application reads that it does not create (its external inputs).</summary>
    public IReadOnlyList<string> SourceTopics => [.. SubTopologies.SelectMany(s => s.SourceTopics).Where(t => !t.Internal).Select(t => t.Name).Distinct()];

    /// <summary>The topics the application writes that are not internal.</summary>
    public IReadOnlyList<string> SinkTopics => [.. SubTopologies.SelectMany(s => s.SinkTopics).Where(t => !t.Internal).Select(t => t.Name).Distinct()];

    /// <summary>The sub-topology that owns a store (whose tasks hold its instances).</summary>
    public int SubTopologyOfStore(string storeName) =>
        StoreOwner.TryGetValue(storeName, out var s) ? s.Id : throw new KeyNotFoundException($"No state store named {storeName} is defined in the topology.");

    /// <summary>
    /// The topology's description. Nodes (and their successor and predecessor lists) are ordered as Kafka
    /// Streams orders them: larger sub-tree first (so sources come first), then by name.
    /// </summary>
    public TopologyDescription Describe()
    {
        var sizes = new Dictionary<GraphNode, int>();
        int Size(GraphNode n)
        {
            if (sizes.TryGetValue(n, out var size)) { return size; }
            var seen = new HashSet<GraphNode>();
            var stack = new Stack<GraphNode>();
            stack.Push(n);
            while (stack.Count > 0)
            {
                var x = stack.Pop();
                if (!seen.Add(x)) { continue; }
                foreach (var c in x.Children) { stack.Push(c); }
            }

            sizes[n] = seen.Count;
            return seen.Count;
        }

        int Compare(GraphNode a, GraphNode b)
        {
            var c = Size(b).CompareTo(Size(a));
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        }

        List<GraphNode> Sorted(IEnumerable<GraphNode> nodes)
        {
            var list = nodes.Distinct().ToList();
            list.Sort(Compare);
            return list;
        }

        var subs = new List<SubTopologyDescription>();
        foreach (var sub in SubTopologies)
        {
            var nodes = new List<NodeDescription>();
            foreach (var n in Sorted(sub.Nodes))
            {
                nodes.Add(new NodeDescription(
                    n.Name,
                    n.Kind.ToString(),
                    n.Kind == NodeKind.Sink ? [n.SinkTopic!.Value.Name] : [.. n.SourceTopics.Select(t => t.Name)],
                    [.. n.StoreNames.Distinct()],
                    [.. Sorted(n.Children).Select(c => c.Name)],
                    [.. Sorted(n.Parents).Select(p => p.Name)]));
            }

            subs.Add(new SubTopologyDescription(sub.Id, nodes));
        }

        return new TopologyDescription(subs);
    }

    /// <summary>
    /// Partition counts of every source topic (resolved names) and of every sub-topology, given the counts of
    /// external topics. Repartition topics take their requested count, else the count of the external topics
    /// they are co-partitioned with, else the largest count among the inputs of the sub-topologies writing them.
    /// </summary>
    internal (Dictionary<string, int> Topics, Dictionary<int, int> SubTopologies) ResolvePartitions(string applicationId, Func<string, int> externalPartitions)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sub in SubTopologies)
        {
            foreach (var t in sub.SourceTopics.Where(t => !t.Internal)) { counts[t.Name] = externalPartitions(t.Name); }
        }

        foreach (var (name, requested) in RepartitionTopics)
        {
            if (requested is { } n) { counts[new TopicName(name, true).Resolve(applicationId)] = n; }
        }

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var name in RepartitionTopics.Keys)
            {
                var topic = new TopicName(name, true);
                var resolved = topic.Resolve(applicationId);
                if (counts.ContainsKey(resolved)) { continue; }

                var group = CopartitionGroups.FirstOrDefault(g => g.Contains(topic));
                var fromGroup = group?.Where(t => !t.Internal || RepartitionTopics.ContainsKey(t.Name)).Select(t => counts.GetValueOrDefault(t.Resolve(applicationId))).Where(c => c > 0).DefaultIfEmpty(0).Max() ?? 0;
                if (fromGroup > 0)
                {
                    counts[resolved] = fromGroup;
                    changed = true;
                    continue;
                }

                var writers = SubTopologies.Where(s => s.SinkTopics.Contains(topic)).ToList();
                var inputs = writers.SelectMany(w => w.SourceTopics).Select(t => t.Resolve(applicationId)).ToList();
                if (inputs.Count > 0 && inputs.All(counts.ContainsKey))
                {
                    counts[resolved] = inputs.Max(i => counts[i]);
                    changed = true;
                }
            }
        }

        foreach (var name in RepartitionTopics.Keys)
        {
            var resolved = new TopicName(name, true).Resolve(applicationId);
            if (!counts.ContainsKey(resolved)) { counts[resolved] = 1; }
        }

        foreach (var group in CopartitionGroups)
        {
            var distinct = group.Select(t => (t.Name, Count: counts[t.Resolve(applicationId)])).ToList();
            if (distinct.Select(d => d.Count).Distinct().Count() > 1)
            {
                throw new InvalidOperationException(
                    "Topics not co-partitioned: " + string.Join(", ", distinct.Select(d => $"{d.Name} ({d.Count} partitions)")) +
                    ". Joined inputs must have the same number of partitions; repartition one side (e.g. PARTITION BY) to match the other.");
            }
        }

        var subCounts = SubTopologies.ToDictionary(s => s.Id, s => s.SourceTopics.Select(t => counts[t.Resolve(applicationId)]).DefaultIfEmpty(1).Max());
        return (counts, subCounts);
    }

    /// <summary>The internal topics to create: repartition topics and one changelog per logged store.</summary>
    internal List<InternalTopic> InternalTopics(string applicationId, Dictionary<string, int> topicCounts, Dictionary<int, int> subCounts, StreamsOptions options)
    {
        var list = new List<InternalTopic>();
        foreach (var name in RepartitionTopics.Keys)
        {
            var resolved = new TopicName(name, true).Resolve(applicationId);
            list.Add(new InternalTopic(resolved, false, topicCounts[resolved], new Dictionary<string, string>
            {
                ["cleanup.policy"] = "delete",
                ["segment.bytes"] = "52428800",
                ["retention.ms"] = "-1",
            }));
        }

        if (options.ChangelogEnabled)
        {
            foreach (var (name, spec) in Stores)
            {
                if (!spec.LoggingEnabled || !StoreOwner.TryGetValue(name, out var owner)) { continue; }
                var configs = new Dictionary<string, string>(spec.ChangelogConfigs);
                if (spec.RetentionMs is { } retention)
                {
                    configs.TryAdd("cleanup.policy", "compact,delete");
                    configs.TryAdd("retention.ms", (retention + options.WindowStoreChangelogAdditionalRetentionMs).ToString());
                }
                else
                {
                    configs.TryAdd("cleanup.policy", "compact");
                }

                list.Add(new InternalTopic(StoreSpec.ChangelogTopic(applicationId, name), true, subCounts[owner.Id], configs));
            }
        }

        return list;
    }

    public override string ToString() => Describe().ToString();
}
