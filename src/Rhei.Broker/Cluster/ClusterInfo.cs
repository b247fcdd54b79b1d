namespace Rhei.Broker.Cluster;

/// <summary>What this node tells clients about the cluster: its id, the cluster id, and the address to reach it per listener.</summary>
internal sealed class ClusterInfo(int nodeId, string clusterId, IReadOnlyDictionary<string, BrokerListener> advertised)
{
    public int NodeId { get; } = nodeId;

    public string ClusterId { get; } = clusterId;

    /// <summary>The advertised address of the listener a connection came in on (the first listener's when the name is unknown).</summary>
    public BrokerListener Advertised(string listenerName) =>
        advertised.TryGetValue(listenerName, out var listener) ? listener : advertised.Values.First();
}
