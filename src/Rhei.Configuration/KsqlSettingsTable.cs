using static Rhei.Configuration.ConfigImportance;

namespace Rhei.Configuration;

/// <summary>The ksqlDB server settings Rhei honours: engine, SQL, stream processing and the HTTP API.</summary>
internal static class KsqlSettingsTable
{
    private static readonly string[] s_formats = ["KAFKA", "JSON", "JSON_SR", "DELIMITED", "AVRO", "PROTOBUF", "PROTOBUF_NOSR", "NONE"];

    public static void Define(ConfigDef def)
    {
        DefineStreams(def);
        DefineEngine(def);
        DefineSql(def);
        DefineServer(def);
    }

    private static void DefineStreams(ConfigDef def)
    {
        const RheiLayer streams = RheiLayer.Streams;

        def.Define(RheiSettings.StreamsNumStreamThreads, ConfigType.Int, "4", Medium, streams,
            "Number of threads that run the tasks of persistent queries on this node.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.StreamsStateDir, ConfigType.String, null, High, streams,
            "Directory of the local state stores (aggregations, joins, tables). When unset: `state` under the first " +
            "directory of `log.dirs`. Must not be shared by two nodes on one machine.");

        def.Define(RheiSettings.StreamsCommitIntervalMs, ConfigType.Long, "2000", Medium, streams,
            "How often, in milliseconds, a persistent query commits its input offsets together with its state.",
            ConfigValidator.AtLeast(0));

        def.Define(RheiSettings.StreamsCacheMaxBytesBuffering, ConfigType.Long, "10000000", Medium, streams,
            "Bytes of memory, across all tasks, used to buffer updates to tables before they are forwarded. A larger " +
            "cache emits fewer intermediate results; 0 emits every update.",
            ConfigValidator.AtLeast(0), perQuery: true);

        def.Define(RheiSettings.StreamsAutoOffsetReset, ConfigType.String, "latest", High, streams,
            "Where a new query starts reading a topic that has no committed offset for it: `latest` (only new " +
            "records) or `earliest` (everything retained). Usually changed per session with " +
            "`SET 'auto.offset.reset'='earliest';`.",
            ConfigValidator.OneOf("earliest", "latest"), perQuery: true);

        def.Define(RheiSettings.StreamsProcessingGuarantee, ConfigType.String, "at_least_once", High, streams,
            "`at_least_once`: after a failure some input may be processed again. `exactly_once_v2`: output records, " +
            "state changes and input offsets commit atomically, in transactions.",
            ConfigValidator.OneOf("at_least_once", "exactly_once_v2"));

        def.Define(RheiSettings.StreamsReplicationFactor, ConfigType.Int, "1", Medium, streams,
            "Replication factor of the changelog and repartition topics that queries create. -1 uses the cluster's " +
            "default. Only 1 is possible on the embedded broker.",
            ConfigValidator.AtLeast(-1));

        def.Define(RheiSettings.FailOnDeserializationError, ConfigType.Boolean, "false", Medium, streams,
            "`false`: a record that cannot be deserialized is written to the processing log and skipped. `true`: the " +
            "query stops with an error.");

        def.Define(RheiSettings.FailOnProductionError, ConfigType.Boolean, "true", Medium, streams,
            "`true`: a query whose output cannot be written stops with an error. `false`: the failure is written to " +
            "the processing log and the query goes on.");
    }

    private static void DefineEngine(ConfigDef def)
    {
        const RheiLayer engine = RheiLayer.Engine;

        def.Define(RheiSettings.InternalTopicReplicas, ConfigType.Int, "1", Medium, engine,
            "Replication factor of the topics the engine creates for itself (the command topic). -1 uses the " +
            "cluster's default.",
            ConfigValidator.AtLeast(-1));

        def.Define(RheiSettings.ProcessingLogTopicName, ConfigType.String, null, Medium, engine,
            "Topic of the processing log, where records that a query could not process are described. When unset: " +
            "`<rhei.service.id>ksql_processing_log`.");

        def.Define(RheiSettings.ProcessingLogTopicAutoCreate, ConfigType.Boolean, "true", Medium, engine,
            "Whether the processing log topic is created at startup. Rhei turns this on by default (ksqlDB: off) so " +
            "that bad records are always queryable.");

        def.Define(RheiSettings.ProcessingLogTopicPartitions, ConfigType.Int, "1", Low, engine,
            "Partitions of the processing log topic when Rhei creates it.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.ProcessingLogTopicReplicationFactor, ConfigType.Int, "1", Low, engine,
            "Replication factor of the processing log topic when Rhei creates it; -1 uses the cluster's default.",
            ConfigValidator.AtLeast(-1));

        def.Define(RheiSettings.ProcessingLogStreamAutoCreate, ConfigType.Boolean, "true", Medium, engine,
            "Whether a stream over the processing log topic is created at startup, so that `SELECT * FROM " +
            "KSQL_PROCESSING_LOG EMIT CHANGES;` works. Rhei turns this on by default (ksqlDB: off).");

        def.Define(RheiSettings.ProcessingLogStreamName, ConfigType.String, "KSQL_PROCESSING_LOG", Low, engine,
            "Name of the processing log stream.");

        def.Define(RheiSettings.ProcessingLogRowsInclude, ConfigType.Boolean, "false", Medium, engine,
            "Whether processing log entries include the content of the record that failed. Off by default because " +
            "records may hold sensitive data.");

        def.Define(RheiSettings.PersistentPrefix, ConfigType.String, "query_", Low, engine,
            "Prefix of the names of persistent queries' consumer groups and internal topics " +
            "(`_confluent-ksql-<service id><prefix><query id>`).");

        def.Define(RheiSettings.OutputTopicNamePrefix, ConfigType.String, "", Medium, engine,
            "Prefix added to the name of every sink topic that a statement doesn't name explicitly.");

        def.Define(RheiSettings.QueryPersistentActiveLimit, ConfigType.Int, "2147483647", Medium, engine,
            "Most persistent queries that may run at once; statements that would start more are rejected.",
            ConfigValidator.AtLeast(0));

        def.Define(RheiSettings.AdvertisedListener, ConfigType.String, null, Medium, engine,
            "The URL other Rhei nodes use to reach this node's HTTP listener (to forward pull queries to the node " +
            "that owns a key). Needed only when the `HTTP` listener's address is not reachable from the other nodes, " +
            "such as `0.0.0.0` or a container-local name.",
            ConfigValidator.HttpUrl);

        def.Define(RheiSettings.PullTableScanEnabled, ConfigType.Boolean, "true", Medium, engine,
            "Whether pull queries may scan a whole table (no WHERE clause, ranges, non-key filters) rather than only " +
            "look keys up. A session may turn it off, not on.",
            perQuery: true);
    }

    private static void DefineSql(ConfigDef def)
    {
        const RheiLayer sql = RheiLayer.Sql;

        def.Define(RheiSettings.SchemaRegistryUrl, ConfigType.String, "", High, RheiLayer.Formats,
            "Empty: Rhei's built-in schema registry (stored in the `_schemas` topic, served on the HTTP listener) is " +
            "used for AVRO, PROTOBUF and JSON_SR. Set to the URL of a Confluent-compatible Schema Registry to use " +
            "that instead.",
            ConfigValidator.HttpUrlsOrEmpty);

        def.Define(RheiSettings.TimestampThrowOnInvalid, ConfigType.Boolean, "false", Medium, sql,
            "What happens when a `TIMESTAMP` column of a record is null or unparseable: `false` writes it to the " +
            "processing log and skips the record, `true` stops the query.");

        def.Define(RheiSettings.CollectListLimit, ConfigType.Int, "2147483647", Low, sql,
            "Largest array `COLLECT_LIST` builds; further values are ignored.",
            ConfigValidator.AtLeast(0));

        def.Define(RheiSettings.CollectSetLimit, ConfigType.Int, "2147483647", Low, sql,
            "Largest array `COLLECT_SET` builds; further values are ignored.",
            ConfigValidator.AtLeast(0));

        def.Define(RheiSettings.DefaultKeyFormat, ConfigType.String, "KAFKA", Medium, sql,
            "`KEY_FORMAT` of a stream or table whose statement names neither `KEY_FORMAT` nor `FORMAT`.",
            ConfigValidator.OneOfIgnoreCase(s_formats));

        def.Define(RheiSettings.DefaultValueFormat, ConfigType.String, null, Medium, sql,
            "`VALUE_FORMAT` of a stream or table whose statement names neither `VALUE_FORMAT` nor `FORMAT`. When " +
            "unset, such a statement is rejected.",
            ConfigValidator.OneOfIgnoreCase(s_formats));

        def.Define(RheiSettings.WrapSingleValues, ConfigType.Boolean, null, Low, sql,
            "Default of `WRAP_SINGLE_VALUE`: whether a value with a single column is written inside a record/object " +
            "(`true`) or bare (`false`). When unset, each format's own default applies.");

        def.Define(RheiSettings.SuppressEnabled, ConfigType.Boolean, "true", Low, sql,
            "Whether `EMIT FINAL` (one result per window, when it closes) is allowed.",
            perQuery: true);

        def.Define(RheiSettings.VariableSubstitutionEnable, ConfigType.Boolean, "true", Low, sql,
            "Whether `${name}` in statements is replaced by the value given with `DEFINE`.");

        def.Define(RheiSettings.HeadersColumnsEnabled, ConfigType.Boolean, "true", Low, sql,
            "Whether new streams and tables may declare `HEADERS` or `HEADER('<key>')` columns.");

        def.Define(RheiSettings.SourceTableMaterializationEnabled, ConfigType.Boolean, "true", Low, sql,
            "Whether `CREATE SOURCE TABLE` (a read-only table that pull queries can read) is allowed.");
    }

    private static void DefineServer(ConfigDef def)
    {
        const RheiLayer server = RheiLayer.Server;

        def.Define(RheiSettings.PullMaxQps, ConfigType.Int, "2147483647", Low, server,
            "Most pull queries per second this node answers; beyond it requests fail until the rate drops.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.PullMaxConcurrentRequests, ConfigType.Int, "2147483647", Low, server,
            "Most pull queries this node runs at the same time; beyond it requests fail.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.SchemaRegistryPrefix, ConfigType.String, "/schema-registry", Medium, server,
            "The path under which the HTTP listener serves the built-in schema registry's Confluent-compatible API " +
            "(`<prefix>/subjects`, `<prefix>/schemas/ids/{id}`, ...): the URL to give Confluent clients is " +
            "`http://host:port<prefix>`. `/` serves it at the root, as a standalone registry; empty turns the HTTP " +
            "API off. Not served when `ksql.schema.registry.url` names an external registry.",
            new ConfigValidator("empty, or a path starting with '/'", v =>
                v is string s && (s.Length == 0 || (s[0] == '/' && !s.Contains("//", StringComparison.Ordinal) && !s.Any(char.IsWhiteSpace))) ? null : "not a path starting with '/'"));

        def.Define(RheiSettings.IdleConnectionTimeoutSeconds, ConfigType.Long, "600", Low, server,
            "Seconds without traffic in either direction after which an HTTP connection (for example a quiet push " +
            "query) is closed.",
            ConfigValidator.AtLeast(1));

        def.Define(RheiSettings.CommandResponseTimeoutMs, ConfigType.Long, "5000", Low, server,
            "Milliseconds a `/ksql` request that names a `commandSequenceNumber` waits for this node to have run that " +
            "command (it may come from another node through the command topic). After that the request fails with " +
            "503 and error code 50301.",
            ConfigValidator.AtLeast(0));
    }
}
