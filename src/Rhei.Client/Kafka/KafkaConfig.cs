using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Rhei.Client.Kafka;

/// <summary>Builds librdkafka configurations from the contract's options and routes librdkafka's logs to <see cref="ILogger"/>.</summary>
internal static class KafkaConfig
{
    public static ProducerConfig Producer(KafkaClientFactory factory, ProducerOptions options)
    {
        var config = new ProducerConfig(Base(factory));
        config.Set("client.id", options.ClientId);
        config.Set("acks", options.Acks.ToString(CultureInfo.InvariantCulture));
        config.Set("enable.idempotence", options.EnableIdempotence ? "true" : "false");
        config.Set("linger.ms", options.LingerMs.ToString(CultureInfo.InvariantCulture));
        config.Set("compression.type", options.CompressionType);
        config.Set("batch.size", options.BatchSize.ToString(CultureInfo.InvariantCulture));

        // Java's default partitioner: murmur2 of the key (random for null keys), as the embedded producer does.
        config.Set("partitioner", "murmur2_random");
        Apply(config, options.Extra);
        return config;
    }

    public static ConsumerConfig Consumer(KafkaClientFactory factory, ConsumerOptions options)
    {
        var config = new ConsumerConfig(Base(factory));
        config.Set("client.id", options.ClientId);
        if (options.GroupId is { } group)
        {
            config.Set("group.id", group);
        }
        else
        {
            // librdkafka wants a group id even for assign-only consumers; this one never joins or commits.
            config.Set("group.id", $"rhei-unused-{Guid.NewGuid():N}");
        }

        config.Set("auto.offset.reset", options.AutoOffsetReset switch
        {
            AutoOffsetReset.Earliest => "earliest",
            AutoOffsetReset.Latest => "latest",
            _ => "error",
        });
        config.Set("enable.auto.commit", options.EnableAutoCommit ? "true" : "false");
        config.Set("auto.commit.interval.ms", options.AutoCommitIntervalMs.ToString(CultureInfo.InvariantCulture));
        config.Set("isolation.level", options.ReadCommitted ? "read_committed" : "read_uncommitted");
        config.Set("session.timeout.ms", options.SessionTimeoutMs.ToString(CultureInfo.InvariantCulture));
        config.Set("max.partition.fetch.bytes", options.MaxPartitionFetchBytes.ToString(CultureInfo.InvariantCulture));
        config.Set("partition.assignment.strategy", "range");
        config.Set("enable.partition.eof", "false");
        Apply(config, options.Extra);
        return config;
    }

    public static AdminClientConfig Admin(KafkaClientFactory factory) => new(Base(factory));

    private static Dictionary<string, string> Base(KafkaClientFactory factory)
    {
        var settings = new Dictionary<string, string>(factory.Properties, StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = factory.BootstrapServers,
        };
        return settings;
    }

    private static void Apply(ClientConfig config, IReadOnlyDictionary<string, string> extra)
    {
        foreach (var (key, value) in extra)
        {
            config.Set(key, value);
        }
    }

    public static void Log(ILogger logger, LogMessage message)
    {
        var level = Level(message.Level);
        if (logger.IsEnabled(level))
        {
            logger.KafkaLog(level, message.Name, message.Facility, message.Message);
        }
    }

    private static LogLevel Level(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
