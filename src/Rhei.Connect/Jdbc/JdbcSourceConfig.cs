using Rhei.Connect.Config;

namespace Rhei.Connect.Jdbc;

/// <summary>The JDBC source's properties (the Confluent JDBC source connector's names).</summary>
public static class JdbcSourceConfig
{
    public const string ConnectionUrl = "connection.url";
    public const string ConnectionUser = "connection.user";
    public const string ConnectionPassword = "connection.password";
    public const string Mode = "mode";
    public const string IncrementingColumn = "incrementing.column.name";
    public const string TimestampColumn = "timestamp.column.name";
    public const string TimestampInitial = "timestamp.initial";
    public const string TimestampDelay = "timestamp.delay.interval.ms";
    public const string IncrementingInitial = "incrementing.initial";
    public const string TableIncludeList = "table.include.list";
    public const string TableExcludeList = "table.exclude.list";
    public const string Query = "query";
    public const string TopicPrefix = "topic.prefix";
    public const string PollInterval = "poll.interval.ms";
    public const string BatchMaxRows = "batch.max.rows";
    public const string ValidateNonNull = "validate.non.null";
    public const string SchemaPattern = "schema.pattern";
    public const string TableTypes = "table.types";

    /// <summary>Set on each task's config: the tables it reads (comma-separated).</summary>
    public const string TaskTables = "tables";

    public const string ModeBulk = "bulk";
    public const string ModeIncrementing = "incrementing";
    public const string ModeTimestamp = "timestamp";
    public const string ModeTimestampIncrementing = "timestamp+incrementing";

    public static ConfigDef Definition { get; } = new ConfigDef()
        .DefineRequired(ConnectionUrl, ConfigType.String, ConfigImportance.High,
            "The database: jdbc:postgresql://host:port/db[?user=...&password=...], jdbc:sqlite:/path/file.db, or a native connection string.")
        .Define(ConnectionUser, ConfigType.String, null, ConfigImportance.High, "The database user (overrides the URL's).")
        .Define(ConnectionPassword, ConfigType.Password, null, ConfigImportance.High, "The database password (overrides the URL's).")
        .Define(new ConfigKey(Mode, ConfigType.String, null, ConfigImportance.High,
            "How each poll finds new rows: bulk (the whole table each time), incrementing (a strictly increasing column), timestamp (a last-modified column), timestamp+incrementing (both: updates and inserts, none missed).")
        {
            Required = true,
            Validator = ConfigValidators.OneOf(ModeBulk, ModeTimestamp, ModeIncrementing, ModeTimestampIncrementing),
            ValidValues = [ModeBulk, ModeTimestamp, ModeIncrementing, ModeTimestampIncrementing],
        })
        .Define(IncrementingColumn, ConfigType.String, "", ConfigImportance.Medium, "The strictly increasing column (incrementing modes).")
        .Define(TimestampColumn, ConfigType.List, Array.Empty<string>(), ConfigImportance.Medium,
            "The last-modified column(s) (timestamp modes); several are COALESCEd in order.")
        .Define(TimestampInitial, ConfigType.Long, null, ConfigImportance.Low,
            "Epoch ms to start timestamp mode from when there is no stored offset; -1 means now. Default: from the beginning.")
        .Define(TimestampDelay, ConfigType.Long, 0L, ConfigImportance.High,
            "How long (ms) after a row's timestamp it is read, so transactions with earlier timestamps can commit first.", ConfigValidators.AtLeast(0))
        .Define(IncrementingInitial, ConfigType.Long, -1L, ConfigImportance.Low, "Rows with an incrementing value above this are read first (when there is no stored offset).")
        .Define(new ConfigKey(TableIncludeList, ConfigType.List, Array.Empty<string>(), ConfigImportance.Medium,
            "The tables to read (default: all). table.whitelist is the older name.")
        {
            Aliases = ["table.whitelist"],
        })
        .Define(new ConfigKey(TableExcludeList, ConfigType.List, Array.Empty<string>(), ConfigImportance.Medium, "Tables not to read. table.blacklist is the older name.")
        {
            Aliases = ["table.blacklist"],
        })
        .Define(Query, ConfigType.String, "", ConfigImportance.Medium,
            "A query to read instead of tables (one task; the topic is topic.prefix). Incremental modes filter and order its rows.")
        .Define(TopicPrefix, ConfigType.String, "", ConfigImportance.High, "Prefix of the topic names: the topic is the prefix and the table name (or the prefix alone for query).")
        .Define(PollInterval, ConfigType.Int, 5000, ConfigImportance.High, "How often (ms) each table is polled for new rows.", ConfigValidators.AtLeast(1))
        .Define(BatchMaxRows, ConfigType.Int, 100, ConfigImportance.Low, "The most rows read per query in the incrementing modes, and written per batch.", ConfigValidators.AtLeast(1))
        .Define(ValidateNonNull, ConfigType.Boolean, true, ConfigImportance.Low, "Check at start that the incrementing and timestamp columns are NOT NULL (PostgreSQL).")
        .Define(SchemaPattern, ConfigType.String, null, ConfigImportance.Medium, "Schemas to list tables from (a LIKE pattern; PostgreSQL).")
        .Define(TableTypes, ConfigType.List, new[] { "TABLE" }, ConfigImportance.Low, "TABLE and/or VIEW.");
}
