using Rhei.Connect.Config;

namespace Rhei.Connect.Jdbc;

/// <summary>The JDBC sink's properties (the Confluent JDBC sink connector's names).</summary>
public static class JdbcSinkConfig
{
    public const string ConnectionUrl = "connection.url";
    public const string ConnectionUser = "connection.user";
    public const string ConnectionPassword = "connection.password";
    public const string Topics = "topics";
    public const string TableNameFormat = "table.name.format";
    public const string InsertMode = "insert.mode";
    public const string PkMode = "pk.mode";
    public const string PkFields = "pk.fields";
    public const string FieldsIncludeList = "fields.include.list";
    public const string AutoCreate = "auto.create";
    public const string AutoEvolve = "auto.evolve";
    public const string DeleteEnabled = "delete.enabled";
    public const string BatchSize = "batch.size";

    public static ConfigDef Definition { get; } = new ConfigDef()
        .DefineRequired(ConnectionUrl, ConfigType.String, ConfigImportance.High,
            "The database: jdbc:postgresql://host:port/db[?user=...&password=...], jdbc:sqlite:/path/file.db, or a native connection string.")
        .Define(ConnectionUser, ConfigType.String, null, ConfigImportance.High, "The database user (overrides the URL's).")
        .Define(ConnectionPassword, ConfigType.Password, null, ConfigImportance.High, "The database password (overrides the URL's).")
        .DefineRequired(Topics, ConfigType.List, ConfigImportance.High, "The topics to write to tables.", value =>
            value is IReadOnlyList<string> { Count: 0 } ? "The list of topics may not be empty" : null)
        .Define(TableNameFormat, ConfigType.String, "${topic}", ConfigImportance.Medium, "The table of a topic; ${topic} is replaced by the topic name.")
        .DefineEnum(InsertMode, "insert", ConfigImportance.High,
            "insert: plain INSERT; upsert: insert or update by primary key (ON CONFLICT ... DO UPDATE); update: UPDATE by primary key.",
            "insert", "upsert", "update")
        .DefineEnum(PkMode, "none", ConfigImportance.High,
            "Where the primary key comes from: none; kafka (__connect_topic, __connect_partition, __connect_offset); record_key (the key's fields, or pk.fields naming a primitive key); record_value (pk.fields of the value).",
            "none", "kafka", "record_key", "record_value")
        .Define(PkFields, ConfigType.List, Array.Empty<string>(), ConfigImportance.Medium,
            "The primary key column(s): for record_key, the key fields to use (the column name of a primitive key); for record_value, the value fields (default: all).")
        .Define(new ConfigKey(FieldsIncludeList, ConfigType.List, Array.Empty<string>(), ConfigImportance.Medium, "The value fields to write (default: all).")
        {
            Aliases = ["fields.whitelist"],
        })
        .Define(AutoCreate, ConfigType.Boolean, false, ConfigImportance.Medium, "Create a missing table from the record's schema (CREATE TABLE with the primary key).")
        .Define(AutoEvolve, ConfigType.Boolean, false, ConfigImportance.Medium, "Add missing columns to an existing table (ALTER TABLE ... ADD).")
        .Define(DeleteEnabled, ConfigType.Boolean, false, ConfigImportance.Medium, "Delete the row of a tombstone's key (needs pk.mode=record_key). Otherwise tombstones are skipped.")
        .Define(BatchSize, ConfigType.Int, 3000, ConfigImportance.Medium, "The most records written in one transaction.", ConfigValidators.AtLeast(1));
}
