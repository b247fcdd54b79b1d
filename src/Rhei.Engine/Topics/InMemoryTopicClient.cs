using System.Collections.Concurrent;
using Rhei.Client;

namespace Rhei.Engine.Topics;

/// <summary>Topics that exist only as names and partition counts (tests, and the conformance runner's test mode).</summary>
public sealed class InMemoryTopicClient : TopicClient
{
    private readonly ConcurrentDictionary<string, TopicDescription> _topics = new(StringComparer.Ordinal);

    public IReadOnlyCollection<TopicDescription> Topics => [.. _topics.Values];

    /// <summary>Receives the records written with <see cref="ProduceAsync"/> (null: they are kept in <see cref="Produced"/>).</summary>
    public Action<ProduceRecord>? OnProduce { get; set; }

    /// <summary>The records produced when no <see cref="OnProduce"/> is set.</summary>
    public List<ProduceRecord> Produced { get; } = [];

    public override ValueTask ProduceAsync(ProduceRecord record, CancellationToken cancellationToken = default)
    {
        if (OnProduce is { } sink)
        {
            sink(record);
        }
        else
        {
            lock (Produced)
            {
                Produced.Add(record);
            }
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask<TopicDescription?> DescribeAsync(string topic, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_topics.TryGetValue(topic, out var d) ? d : null);

    public override ValueTask CreateAsync(string topic, int partitions, short replicas, IReadOnlyDictionary<string, string> configs, CancellationToken cancellationToken = default)
    {
        _topics.TryAdd(topic, new TopicDescription(topic, partitions, replicas, configs, false));
        return ValueTask.CompletedTask;
    }

    public override ValueTask DeleteAsync(string topic, CancellationToken cancellationToken = default)
    {
        _topics.TryRemove(topic, out _);
        return ValueTask.CompletedTask;
    }

    public override ValueTask<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<string>>([.. _topics.Keys.Order(StringComparer.Ordinal)]);
}
