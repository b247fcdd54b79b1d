namespace Rhei.Configuration;

/// <summary>
/// Rhei's settings table (<see cref="Definition"/>) and the names of its keys. Each key is defined once, in
/// <see cref="StorageSettingsTable"/>, <see cref="BrokerSettingsTable"/> or <see cref="KsqlSettingsTable"/>.
/// </summary>
public static class RheiSettings
{
    // Storage (the log)
    public const string LogDirs = "log.dirs";
    public const string LogSegmentBytes = "log.segment.bytes";
    public const string LogRollMs = "log.roll.ms";
    public const string LogRollHours = "log.roll.hours";
    public const string LogRetentionMs = "log.retention.ms";
    public const string LogRetentionMinutes = "log.retention.minutes";
    public const string LogRetentionHours = "log.retention.hours";
    public const string LogRetentionBytes = "log.retention.bytes";
    public const string LogRetentionCheckIntervalMs = "log.retention.check.interval.ms";
    public const string LogFlushIntervalMessages = "log.flush.interval.messages";
    public const string LogFlushIntervalMs = "log.flush.interval.ms";
    public const string LogCleanupPolicy = "log.cleanup.policy";
    public const string LogCleanerEnable = "log.cleaner.enable";
    public const string LogCleanerDeleteRetentionMs = "log.cleaner.delete.retention.ms";
    public const string LogCleanerMinCleanableRatio = "log.cleaner.min.cleanable.ratio";
    public const string LogIndexIntervalBytes = "log.index.interval.bytes";
    public const string LogMessageTimestampType = "log.message.timestamp.type";

    // Broker
    public const string Listeners = "listeners";
    public const string AdvertisedListeners = "advertised.listeners";
    public const string NodeId = "node.id";
    public const string NumPartitions = "num.partitions";
    public const string DefaultReplicationFactor = "default.replication.factor";
    public const string AutoCreateTopicsEnable = "auto.create.topics.enable";
    public const string MessageMaxBytes = "message.max.bytes";
    public const string SocketRequestMaxBytes = "socket.request.max.bytes";
    public const string GroupInitialRebalanceDelayMs = "group.initial.rebalance.delay.ms";
    public const string GroupMinSessionTimeoutMs = "group.min.session.timeout.ms";
    public const string GroupMaxSessionTimeoutMs = "group.max.session.timeout.ms";
    public const string OffsetsRetentionMinutes = "offsets.retention.minutes";
    public const string OffsetsTopicNumPartitions = "offsets.topic.num.partitions";
    public const string TransactionalIdExpirationMs = "transactional.id.expiration.ms";
    public const string TransactionMaxTimeoutMs = "transaction.max.timeout.ms";

    // Cluster and clients
    public const string BootstrapServers = "bootstrap.servers";
    public const string ServiceId = "rhei.service.id";

    // ksqlDB engine, SQL and streams
    public const string StreamsNumStreamThreads = "ksql.streams.num.stream.threads";
    public const string StreamsStateDir = "ksql.streams.state.dir";
    public const string StreamsCommitIntervalMs = "ksql.streams.commit.interval.ms";
    public const string StreamsCacheMaxBytesBuffering = "ksql.streams.cache.max.bytes.buffering";
    public const string StreamsAutoOffsetReset = "ksql.streams.auto.offset.reset";
    public const string StreamsProcessingGuarantee = "ksql.streams.processing.guarantee";
    public const string StreamsReplicationFactor = "ksql.streams.replication.factor";
    public const string FailOnDeserializationError = "ksql.fail.on.deserialization.error";
    public const string FailOnProductionError = "ksql.fail.on.production.error";
    public const string InternalTopicReplicas = "ksql.internal.topic.replicas";
    public const string SchemaRegistryUrl = "ksql.schema.registry.url";
    public const string SchemaRegistryPrefix = "rhei.schema.registry.prefix";
    public const string ProcessingLogTopicName = "ksql.logging.processing.topic.name";
    public const string ProcessingLogTopicAutoCreate = "ksql.logging.processing.topic.auto.create";
    public const string ProcessingLogTopicPartitions = "ksql.logging.processing.topic.partitions";
    public const string ProcessingLogTopicReplicationFactor = "ksql.logging.processing.topic.replication.factor";
    public const string ProcessingLogStreamAutoCreate = "ksql.logging.processing.stream.auto.create";
    public const string ProcessingLogStreamName = "ksql.logging.processing.stream.name";
    public const string ProcessingLogRowsInclude = "ksql.logging.processing.rows.include";
    public const string PersistentPrefix = "ksql.persistent.prefix";
    public const string OutputTopicNamePrefix = "ksql.output.topic.name.prefix";
    public const string QueryPersistentActiveLimit = "ksql.query.persistent.active.limit";
    public const string AdvertisedListener = "ksql.advertised.listener";
    public const string PullTableScanEnabled = "ksql.query.pull.table.scan.enabled";
    public const string PullMaxQps = "ksql.query.pull.max.qps";
    public const string PullMaxConcurrentRequests = "ksql.query.pull.max.concurrent.requests";
    public const string IdleConnectionTimeoutSeconds = "ksql.idle.connection.timeout.seconds";
    public const string CommandResponseTimeoutMs = "ksql.server.command.response.timeout.ms";
    public const string TimestampThrowOnInvalid = "ksql.timestamp.throw.on.invalid";
    public const string CollectListLimit = "ksql.functions.collect_list.limit";
    public const string CollectSetLimit = "ksql.functions.collect_set.limit";
    public const string DefaultKeyFormat = "ksql.persistence.default.format.key";
    public const string DefaultValueFormat = "ksql.persistence.default.format.value";
    public const string WrapSingleValues = "ksql.persistence.wrap.single.values";
    public const string SuppressEnabled = "ksql.suppress.enabled";
    public const string VariableSubstitutionEnable = "ksql.variable.substitution.enable";
    public const string HeadersColumnsEnabled = "ksql.headers.columns.enabled";
    public const string SourceTableMaterializationEnabled = "ksql.source.table.materialization.enabled";

    private static readonly Lazy<ConfigDef> s_definition = new(Build);

    /// <summary>The table. Built once; read-only by convention (do not call <c>Define</c> on it).</summary>
    public static ConfigDef Definition => s_definition.Value;

    private static ConfigDef Build()
    {
        var def = new ConfigDef();
        StorageSettingsTable.Define(def);
        BrokerSettingsTable.Define(def);
        KsqlSettingsTable.Define(def);
        PassThroughTable.Define(def);
        def.AddCheck(CrossChecks.SessionTimeoutBounds);
        def.AddCheck(CrossChecks.AdvertisedListenersMatch);
        return def;
    }
}
