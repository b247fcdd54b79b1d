using Rhei.Client;

namespace Rhei.Engine.Topics;

/// <summary>The topic operations the engine needs (create, describe, delete, list), over an admin client or in memory.</summary>
public abstract class TopicClient
{
    /// <summary>The topic, or null when it does not exist.</summary>
    public abstract ValueTask<TopicDescription?> DescribeAsync(string topic, CancellationToken cancellationToken = default);

    public abstract ValueTask CreateAsync(string topic, int partitions, short replicas, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default);

    public abstract ValueTask DeleteAsync(string topic, CancellationToken cancellationToken = default);

    public abstract ValueTask<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes one record (INSERT ... VALUES).</summary>
    public abstract ValueTask ProduceAsync(ProduceRecord record, CancellationToken cancellationToken = default);

    public async ValueTask<bool> ExistsAsync(string topic, CancellationToken cancellationToken = default) =>
        await DescribeAsync(topic, cancellationToken) is not null;
}
