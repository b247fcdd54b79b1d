namespace Rhei.Configuration;

/// <summary>
/// Prefixes whose settings are accepted without being in the table. Each exists because a known population of
/// settings lives under it that Rhei hands to someone else, or that appears in property files written for
/// ksqlDB or Confluent Platform; a name under no prefix and not in the table is an error.
/// </summary>
internal static class PassThroughTable
{
    public static void Define(ConfigDef def)
    {
        def.AllowPrefix("ksql.streams.", RheiLayer.Streams,
            "Kafka Streams and client settings of persistent queries, as in ksqlDB (for example " +
            "`ksql.streams.producer.compression.type`). The settings the stream runtime knows are in the table " +
            "above and validated; the runtime hands `ksql.streams.producer.*`, `ksql.streams.consumer.*` and " +
            "`ksql.streams.admin.*` to its Kafka clients when `bootstrap.servers` is set, and ignores the rest.");
        def.AllowPrefix("producer.", RheiLayer.Client,
            "Settings for every Kafka producer Rhei creates when `bootstrap.servers` is set (librdkafka names, " +
            "e.g. `producer.linger.ms`); the prefix is removed.");
        def.AllowPrefix("consumer.", RheiLayer.Client,
            "Settings for every Kafka consumer Rhei creates when `bootstrap.servers` is set; the prefix is removed.");
        def.AllowPrefix("admin.", RheiLayer.Client,
            "Settings for the Kafka admin client Rhei creates when `bootstrap.servers` is set; the prefix is removed.");
        def.AllowPrefix("ksql.functions.", RheiLayer.Sql,
            "Settings for a function, `ksql.functions.<function name>.<setting>`, made available to that function " +
            "(ksqlDB's UDF configuration).");
        def.AllowPrefix("ksql.connect.", RheiLayer.Connect,
            "ksqlDB's settings for an external Kafka Connect cluster. Rhei runs connectors in-process, so they are " +
            "accepted (property files written for ksqlDB load) and ignored.");
        def.AllowPrefix("confluent.", RheiLayer.Server,
            "Confluent Platform settings (license, telemetry, support metrics) that appear in Confluent's sample " +
            "property files; accepted and ignored.");
    }
}
