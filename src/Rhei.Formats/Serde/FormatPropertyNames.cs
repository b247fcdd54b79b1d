namespace Rhei.Formats.Serde;

/// <summary>Names of format properties (the format-level names ksqlDB uses, set from the WITH clause).</summary>
public static class FormatPropertyNames
{
    /// <summary>DELIMITED: the delimiter, one character (from KEY_DELIMITER / VALUE_DELIMITER, with TAB and SPACE resolved).</summary>
    public const string Delimiter = "delimiter";

    /// <summary>AVRO, PROTOBUF, JSON_SR: the full name of the record schema (KEY_/VALUE_SCHEMA_FULL_NAME).</summary>
    public const string FullSchemaName = "fullSchemaName";

    /// <summary>AVRO, PROTOBUF, JSON_SR: the schema id in the registry (KEY_/VALUE_SCHEMA_ID).</summary>
    public const string SchemaId = "schemaId";
}
