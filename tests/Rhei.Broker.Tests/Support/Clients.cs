using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Rhei.Broker.Tests.Support;

/// <summary>Confluent.Kafka (librdkafka) clients against a test broker, with their logs kept for failure messages.</summary>
internal sealed class Clients(string bootstrapServers)
{
    /// <summary>A guard against a hung client, not a timing assertion.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    public ConcurrentQueue<string> Log { get; } = new();

    public string BootstrapServers { get; } = bootstrapServers;

    public string LogText => string.Join('\n', Log.TakeLast(200));

    public IProducer<TKey, TValue> Producer<TKey, TValue>(Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            Acks = Acks.All,
            LingerMs = 5,
            MessageTimeoutMs = 30_000,
            ClientId = "rhei-test-producer",
        };
        configure?.Invoke(config);
        return new ProducerBuilder<TKey, TValue>(config).SetLogHandler((_, m) => Log.Enqueue($"producer {m.Level} {m.Facility} {m.Message}")).Build();
    }

    public IConsumer<TKey, TValue> Consumer<TKey, TValue>(string? groupId = null, Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId ?? "rhei-test-unused-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6000,
            ClientId = "rhei-test-consumer",
        };
        configure?.Invoke(config);
        return new ConsumerBuilder<TKey, TValue>(config)
            .SetLogHandler((_, m) => Log.Enqueue($"consumer {m.Level} {m.Facility} {m.Message}"))
            .SetErrorHandler((_, e) => Log.Enqueue($"consumer error {e.Code} {e.Reason}"))
            .Build();
    }

    public IAdminClient Admin() =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers, ClientId = "rhei-test-admin" })
            .SetLogHandler((_, m) => Log.Enqueue($"admin {m.Level} {m.Facility} {m.Message}"))
            .Build();

    public async Task CreateTopicAsync(string name, int partitions, Dictionary<string, string>? configs = null)
    {
        using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1, Configs = configs }]);
    }

    /// <summary>Consumes from assigned partitions until <paramref name="count"/> records arrived (fails after the guard time).</summary>
    public List<ConsumeResult<TKey, TValue>> ConsumeAssigned<TKey, TValue>(IConsumer<TKey, TValue> consumer, int count, TimeSpan? guard = null)
    {
        var results = new List<ConsumeResult<TKey, TValue>>(count);
        var deadline = DateTime.UtcNow + (guard ?? Guard);
        while (results.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Consumed {results.Count} of {count} records before the guard time ran out.\nClient log:\n{LogText}");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: false, Message: not null })
            {
                results.Add(result);
            }
        }

        return results;
    }
}
