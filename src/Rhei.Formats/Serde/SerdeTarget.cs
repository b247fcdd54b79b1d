namespace Rhei.Formats.Serde;

/// <summary>Which part of a Kafka record a serde handles.</summary>
public enum SerdeTarget
{
    Key,
    Value,
}

/// <summary>
/// ksqlDB's serde features. A format lists those it supports (<see cref="SerdeFormat.SupportedFeatures"/>); a serde
/// is created with the features resolved for one source (<see cref="SerdeOptions.Features"/>).
/// </summary>
[Flags]
public enum SerdeFeatures
{
    None = 0,

    /// <summary>A single column is written inside a record/object named after the column (<c>{"V": 1}</c>).</summary>
    WrapSingles = 1,

    /// <summary>A single column is written as an anonymous value (<c>1</c>).</summary>
    UnwrapSingles = 2,

    /// <summary>The columns can be read from a schema registry (AVRO, PROTOBUF, JSON_SR).</summary>
    SchemaInference = 4,
}

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

internal static class SerdeFeatureNames
{
    public static string Describe(SerdeFeatures features)
    {
        var names = new List<string>(3);
        if (features.HasFlag(SerdeFeatures.WrapSingles))
        {
            names.Add("WRAP_SINGLES");
        }

        if (features.HasFlag(SerdeFeatures.UnwrapSingles))
        {
            names.Add("UNWRAP_SINGLES");
        }

        if (features.HasFlag(SerdeFeatures.SchemaInference))
        {
            names.Add("SCHEMA_INFERENCE");
        }

        return string.Join(", ", names);
    }
}
