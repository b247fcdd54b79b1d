namespace Rhei.Formats.Serde;

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
