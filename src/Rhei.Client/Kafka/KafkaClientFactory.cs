using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rhei.Client.Kafka;

/// <summary>
/// Makes clients for any Kafka-compatible cluster through Confluent.Kafka (librdkafka). Producers use
/// <c>partitioner=murmur2_random</c> so keyed records land where Java clients and the embedded producer put
/// them; consumers use the range assignor. <paramref name="properties"/> are librdkafka settings for every
/// client (security, timeouts, ...); per-client <c>Extra</c> settings override them.
/// </summary>
public sealed class KafkaClientFactory(string bootstrapServers, IReadOnlyDictionary<string, string>? properties = null, ILoggerFactory? loggerFactory = null) : IClientFactory
{
    public string BootstrapServers { get; } = bootstrapServers;

    public IReadOnlyDictionary<string, string> Properties { get; } = properties ?? new Dictionary<string, string>();

    public ILoggerFactory LoggerFactory { get; } = loggerFactory ?? NullLoggerFactory.Instance;

    public IProducer CreateProducer(ProducerOptions options) => new KafkaProducer(this, options);

    public IConsumer CreateConsumer(ConsumerOptions options) => new KafkaConsumer(this, options);

    public IAdmin CreateAdmin() => new KafkaAdmin(this);
}
