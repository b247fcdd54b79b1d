using System.Buffers.Text;
using System.Globalization;

namespace Rhei.Broker.Cluster;

/// <summary>
/// The cluster id this node reports (Metadata v2+, DescribeCluster): created once, as Kafka's 22-character
/// base64url UUID, and kept in <c>meta.properties</c> in the first log dir so it survives restarts.
/// </summary>
internal static class ClusterIdentity
{
    public const string FileName = "meta.properties";

    /// <summary>Reads the cluster id from <paramref name="logDir"/>, creating the file when missing or unreadable.</summary>
    public static string LoadOrCreate(string logDir, int nodeId)
    {
        var path = Path.Combine(logDir, FileName);
        if (File.Exists(path))
        {
            foreach (var line in File.ReadAllLines(path))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("cluster.id=", StringComparison.Ordinal) && trimmed.Length > "cluster.id=".Length)
                {
                    return trimmed["cluster.id=".Length..];
                }
            }
        }

        Span<byte> uuid = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(uuid, bigEndian: true, out _);
        var clusterId = Base64Url.EncodeToString(uuid);
        var temp = path + ".tmp";
        File.WriteAllText(temp, string.Create(CultureInfo.InvariantCulture,
            $"# Written by Rhei when the data directory was first used.\nversion=1\ncluster.id={clusterId}\nnode.id={nodeId}\n"));
        File.Move(temp, path, overwrite: true);
        return clusterId;
    }
}
