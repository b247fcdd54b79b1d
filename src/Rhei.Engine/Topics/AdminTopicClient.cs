using Rhei.Client;

namespace Rhei.Engine.Topics;

/// <summary>Topic operations through an <see cref="IAdmin"/> of the engine's client factory, writes through one of its producers.</summary>
public sealed class AdminTopicClient(IAdmin admin, IClientFactory? clients = null) : TopicClient
{
    private readonly Lazy<IProducer>? _producer = clients is null ? null : new(() => clients.CreateProducer(new ProducerOptions { ClientId = "rhei-engine" }));

    public override async ValueTask ProduceAsync(ProduceRecord record, CancellationToken cancellationToken = default)
    {
        var producer = _producer?.Value ?? throw new InvalidOperationException("This topic client has no client factory to produce with.");
        await producer.ProduceAsync(record, cancellationToken);
    }

    public override async ValueTask<TopicDescription?> DescribeAsync(string topic, CancellationToken cancellationToken = default)
    {
        try
        {
            var list = await admin.DescribeTopicsAsync([topic], cancellationToken);
            return list.Count == 0 ? null : list[0];
        }
        catch (AdminException e) when (e.ErrorName == "UNKNOWN_TOPIC_OR_PARTITION")
        {
            return null;
        }
    }

    public override ValueTask CreateAsync(string topic, int partitions, short replicas, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default) =>
        admin.CreateTopicsAsync([new TopicSpec(topic, partitions, replicas) { Configs = configs }], cancellationToken);

    public override ValueTask DeleteAsync(string topic, CancellationToken cancellationToken = default) =>
        admin.DeleteTopicsAsync([topic], cancellationToken);

    public override async ValueTask<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        await admin.ListTopicsAsync(false, cancellationToken);
}
