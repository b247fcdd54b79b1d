using Rhei.Connect.Config;

namespace Rhei.Connect.Runtime;

/// <summary>The properties every connector has (Kafka Connect's ConnectorConfig, plus ksqlDB's <c>key</c> and Rhei's formats).</summary>
public static class CommonConfig
{
    public const string Name = "name";
    public const string ConnectorClass = "connector.class";
    public const string TasksMax = "tasks.max";
    public const string KeyConverter = "key.converter";
    public const string ValueConverter = "value.converter";
    public const string KeyFormat = "key.format";
    public const string ValueFormat = "value.format";
    public const string Transforms = "transforms";
    public const string Key = "key";
    public const string ErrorsTolerance = "errors.tolerance";
    public const string ErrorsRetryTimeout = "errors.retry.timeout";
    public const string ErrorsRetryDelayMaxMs = "errors.retry.delay.max.ms";
    public const string ErrorsLogEnable = "errors.log.enable";
    public const string TopicCreationPartitions = "topic.creation.default.partitions";
    public const string TopicCreationReplicationFactor = "topic.creation.default.replication.factor";

    public static ConfigDef Definition { get; } = new ConfigDef()
        .Define(Name, ConfigType.String, null, ConfigImportance.High, "The connector's name (set from the statement).")
        .DefineRequired(ConnectorClass, ConfigType.Class, ConfigImportance.High,
            "The connector's class or alias (SHOW CONNECTOR PLUGINS lists them), e.g. io.confluent.connect.jdbc.JdbcSourceConnector or JdbcSource.")
        .Define(TasksMax, ConfigType.Int, 1, ConfigImportance.High, "The most tasks to run (a JDBC source runs at most one per table).", ConfigValidators.AtLeast(1))
        .Define(KeyConverter, ConfigType.Class, null, ConfigImportance.Low,
            "The key converter class (org.apache.kafka.connect.storage.StringConverter, ...json.JsonConverter, ...converters.IntegerConverter/LongConverter, io.confluent.connect.avro.AvroConverter). Default: primitive keys in the KAFKA format, struct keys as JSON.")
        .Define(ValueConverter, ConfigType.Class, null, ConfigImportance.Low,
            "The value converter class. Default: JSON without schemas (what ksqlDB's VALUE_FORMAT='JSON' reads).")
        .Define(KeyFormat, ConfigType.String, null, ConfigImportance.Low, "A Rhei format for keys instead of a converter (KAFKA, JSON, DELIMITED, AVRO, ...).")
        .Define(ValueFormat, ConfigType.String, null, ConfigImportance.Low, "A Rhei format for values instead of a converter (JSON, DELIMITED, AVRO, PROTOBUF, JSON_SR, ...).")
        .Define(Transforms, ConfigType.List, Array.Empty<string>(), ConfigImportance.Low,
            "Aliases of single message transforms, each set by transforms.<alias>.type and its settings.")
        .Define(Key, ConfigType.String, null, ConfigImportance.Medium,
            "ksqlDB's shortcut: the value column(s) that become the record key (ValueToKey + ExtractField$Key).")
        .DefineEnum(ErrorsTolerance, "none", ConfigImportance.Medium,
            "none: a record that cannot be converted fails the task; all: it is skipped and logged.", "none", "all")
        .Define(ErrorsRetryTimeout, ConfigType.Long, -1L, ConfigImportance.Medium,
            "How long (ms) a failing connector or task keeps being restarted with backoff; -1 (the default) forever, 0 never.", ConfigValidators.AtLeast(-1))
        .Define(ErrorsRetryDelayMaxMs, ConfigType.Long, 60000L, ConfigImportance.Medium,
            "The longest wait (ms) between restarts of a failing connector or task (the wait doubles from 1 s up to this).", ConfigValidators.AtLeast(1))
        .Define(ErrorsLogEnable, ConfigType.Boolean, false, ConfigImportance.Low, "Log each record skipped by errors.tolerance=all.")
        .Define(TopicCreationPartitions, ConfigType.Int, -1, ConfigImportance.Low, "Partitions of topics the runtime creates for a source (-1: the runtime's default).")
        .Define(TopicCreationReplicationFactor, ConfigType.Int, -1, ConfigImportance.Low, "Replication factor of topics the runtime creates (-1: the cluster's default).");
}
