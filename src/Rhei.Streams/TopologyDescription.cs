using System.Text;

namespace Rhei.Streams;

/// <summary>A description of a topology: its sub-topologies and, in each, its sources, processors (with their stores) and sinks.</summary>
public sealed class TopologyDescription
{
    internal TopologyDescription(IReadOnlyList<SubTopologyDescription> subTopologies) => SubTopologies = subTopologies;

    public IReadOnlyList<SubTopologyDescription> SubTopologies { get; }

    /// <summary>The text Kafka Streams prints for <c>Topology.describe()</c> (what ksqlDB's EXPLAIN shows).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("Topologies:\n");
        foreach (var sub in SubTopologies)
        {
            sb.Append("   Sub-topology: ").Append(sub.Id).Append('\n');
            foreach (var node in sub.Nodes)
            {
                sb.Append("    ");
                switch (node.Kind)
                {
                    case "Source":
                        sb.Append("Source: ").Append(node.Name).Append(" (topics: [").Append(string.Join(", ", node.Topics)).Append("])\n");
                        break;
                    case "Sink":
                        sb.Append("Sink: ").Append(node.Name).Append(" (topic: ").Append(node.Topics.FirstOrDefault()).Append(")\n");
                        break;
                    default:
                        sb.Append("Processor: ").Append(node.Name).Append(" (stores: [").Append(string.Join(", ", node.Stores)).Append("])\n");
                        break;
                }

                if (node.Kind != "Sink")
                {
                    sb.Append("      --> ").Append(node.Successors.Count == 0 ? "none" : string.Join(", ", node.Successors)).Append('\n');
                }

                if (node.Kind != "Source")
                {
                    sb.Append("      <-- ").Append(node.Predecessors.Count == 0 ? "none" : string.Join(", ", node.Predecessors)).Append('\n');
                }
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}

public sealed record SubTopologyDescription(int Id, IReadOnlyList<NodeDescription> Nodes);

/// <summary>A node: Kind is "Source", "Processor" or "Sink"; Topics are source topics or the sink topic.</summary>
public sealed record NodeDescription(string Name, string Kind, IReadOnlyList<string> Topics, IReadOnlyList<string> Stores, IReadOnlyList<string> Successors, IReadOnlyList<string> Predecessors);
