using static Rhei.Configuration.ConfigImportance;

namespace Rhei.Configuration;

/// <summary>The broker's settings (listeners, topic defaults, request limits, groups, transactions) and the cluster's.</summary>
internal static class BrokerSettingsTable
{
    public static void Define(ConfigDef def)
    {
        const RheiLayer broker = RheiLayer.Broker;

        def.Define(RheiSettings.Listeners, ConfigType.Listeners, "PLAINTEXT://127.0.0.1:9092,HTTP://127.0.0.1:8088", High, RheiLayer.Server,
            "Where Rhei accepts connections, as `NAME://host:port` entries separated by commas. `PLAINTEXT` serves the " +
            "Kafka protocol (Kafka clients, kcat, other brokers' tools); `HTTP` serves the ksqlDB REST API, the Schema " +
            "Registry API and the web console; `SASL_PLAINTEXT` serves the Kafka protocol with SASL authentication. " +
            "Use host `0.0.0.0` (or an empty host) for every IPv4 interface, `[::]` for every IPv6 one, and port 0 " +
            "for any free port. A configuration without a `PLAINTEXT` listener has no Kafka endpoint: only in-process " +
            "clients reach the data. When `bootstrap.servers` is set, Kafka-protocol listeners are not opened.");

        def.Define(RheiSettings.AdvertisedListeners, ConfigType.Listeners, null, High, broker,
            "The addresses Rhei gives Kafka clients in metadata responses, when they differ from `listeners` (for " +
            "example behind NAT or in a container). Each name must also appear in `listeners`, and the host must be " +
            "one clients can reach, not `0.0.0.0`. When unset, `listeners` is advertised.");

        def.Define(RheiSettings.NodeId, ConfigType.Int, "0", High, broker,
            "This node's id, as reported to Kafka clients in metadata.",
            ConfigValidator.AtLeast(0), aliases: ["broker.id"]);

        def.Define(RheiSettings.NumPartitions, ConfigType.Int, "1", Medium, broker,
            "Number of partitions of a topic created without saying how many (automatic creation, or " +
            "CreateTopics with -1).",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.DefaultReplicationFactor, ConfigType.Int, "1", Medium, broker,
            "Replication factor of a topic created without saying. The embedded broker is a single node and never " +
            "replicates, so only 1 can be satisfied there; replication is Kafka's job when `bootstrap.servers` is set.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.AutoCreateTopicsEnable, ConfigType.Boolean, "true", High, broker,
            "Whether a Metadata request from a client that allows it creates a topic that doesn't exist yet, with " +
            "`num.partitions` partitions.");

        def.Define(RheiSettings.MessageMaxBytes, ConfigType.Int, "1048588", High, broker,
            "Largest record batch, in bytes after compression, the broker accepts in a Produce request. Topics may " +
            "override it with `max.message.bytes`.",
            ConfigValidator.AtLeast(0));

        def.Define(RheiSettings.SocketRequestMaxBytes, ConfigType.Int, "104857600", High, broker,
            "Largest request, in bytes, the broker reads from a connection. The size prefix is checked before the " +
            "request is buffered; a larger request closes the connection.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.GroupInitialRebalanceDelayMs, ConfigType.Int, "3000", Medium, broker,
            "How long, in milliseconds, the group coordinator waits for more members to join an empty group before " +
            "its first rebalance, so that members starting together don't cause a rebalance each.",
            ConfigValidator.AtLeast(0));

        def.Define(RheiSettings.GroupMinSessionTimeoutMs, ConfigType.Int, "6000", Medium, broker,
            "Smallest session timeout, in milliseconds, a consumer group member may ask for.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.GroupMaxSessionTimeoutMs, ConfigType.Int, "1800000", Medium, broker,
            "Largest session timeout, in milliseconds, a consumer group member may ask for.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.OffsetsRetentionMinutes, ConfigType.Int, "10080", High, broker,
            "How long, in minutes, the committed offsets of a group without members are kept (7 days).",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.OffsetsTopicNumPartitions, ConfigType.Int, "50", High, broker,
            "Number of partitions of the committed-offsets topic `__consumer_offsets`; it decides how groups are " +
            "spread over coordinators. Takes effect only when the topic is created.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.TransactionalIdExpirationMs, ConfigType.Int, "604800000", High, broker,
            "How long, in milliseconds, the broker remembers a transactional id whose producer sent no transaction " +
            "request (7 days).",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.TransactionMaxTimeoutMs, ConfigType.Int, "900000", High, broker,
            "Largest transaction timeout, in milliseconds, a transactional producer may ask for (15 minutes).",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.BootstrapServers, ConfigType.List, "", High, RheiLayer.Client,
            "Empty: Rhei runs its own broker and everything stays in this process. Set to `host:port` pairs of a " +
            "Kafka cluster (Apache Kafka, Confluent, Redpanda, another Rhei): the embedded broker is off, topics live " +
            "in that cluster, and every Rhei node with the same `rhei.service.id` shares the work.",
            ConfigValidator.HostPortList, aliases: ["ksql.streams.bootstrap.servers"]);

        def.Define(RheiSettings.ServiceId, ConfigType.String, "default_", High, RheiLayer.Engine,
            "The name of the Rhei cluster this node belongs to (ksqlDB's `ksql.service.id`). Nodes on the same Kafka " +
            "cluster with the same id share the command topic and the queries; the id also prefixes internal topic " +
            "names (`_confluent-ksql-<id>_command_topic`), which is why it conventionally ends with `_` or `-`.",
            ConfigValidator.TopicNameChars, aliases: ["ksql.service.id"]);
    }
}
