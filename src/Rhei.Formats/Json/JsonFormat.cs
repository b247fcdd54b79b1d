using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Json;

/// <summary>
/// The JSON format (no schema registry): a row is a JSON object of its columns, or — for a single key column, or a
/// single value column with WRAP_SINGLE_VALUE=false — the column's value alone. Every SQL type is supported; MAP keys
/// must be STRING.
/// </summary>
public sealed class JsonFormat : SerdeFormat
{
    public static readonly JsonFormat Instance = new();

    private JsonFormat()
        : base("JSON")
    {
    }

    public override SerdeFeatures SupportedFeatures => SerdeFeatures.WrapSingles | SerdeFeatures.UnwrapSingles;

    public override RowSerializer CreateSerializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target);
        return new JsonRowSerializer(schema, options);
    }

    public override RowDeserializer CreateDeserializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target);
        return new JsonRowDeserializer(schema, options);
    }

    protected override string? FindSchemaProblem(SerdeSchema schema, SerdeTarget target)
    {
        foreach (var column in schema)
        {
            if (Contains(column.Type, t => t is SqlMapType m && m.KeyType.BaseType != SqlBaseType.String))
            {
                return "JSON only supports MAP types with STRING keys";
            }
        }

        return null;
    }
}
