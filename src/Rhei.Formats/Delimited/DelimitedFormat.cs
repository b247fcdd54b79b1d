using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Delimited;

/// <summary>
/// The DELIMITED format: one CSV record (Apache Commons CSV rules: <c>"</c> quotes, doubled to escape) whose fields are
/// the columns in order. Primitive types only; an empty field is NULL; DATE, TIME and TIMESTAMP are written as their
/// numbers (days, ms of day, epoch ms), BYTES as Base64. The delimiter is the <see cref="FormatPropertyNames.Delimiter"/>
/// property (comma by default).
/// </summary>
public sealed class DelimitedFormat : SerdeFormat
{
    public static readonly DelimitedFormat Instance = new();

    private static readonly IReadOnlySet<string> Properties = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { FormatPropertyNames.Delimiter };

    private DelimitedFormat()
        : base("DELIMITED")
    {
    }

    public override SerdeFeatures SupportedFeatures => SerdeFeatures.UnwrapSingles;

    public override IReadOnlySet<string> SupportedProperties => Properties;

    public override RowSerializer CreateSerializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target);
        return new DelimitedRowSerializer(schema, options, Delimiter.From(options));
    }

    public override RowDeserializer CreateDeserializer(SerdeSchema schema, SerdeOptions options)
    {
        ValidateSchema(schema, options.Target);
        return new DelimitedRowDeserializer(schema, options, Delimiter.From(options));
    }

    protected override void CheckProperties(IReadOnlyDictionary<string, string> properties)
    {
        foreach (var (name, value) in properties)
        {
            if (value.Length != 1)
            {
                Delimiter.Parse(name, value);
            }
        }
    }

    protected override string? FindSchemaProblem(SerdeSchema schema, SerdeTarget target)
    {
        foreach (var column in schema)
        {
            if (!column.Type.IsPrimitive)
            {
                return $"The 'DELIMITED' format does not support type '{column.Type.BaseType.SqlName()}', column: `{column.Name}`";
            }
        }

        return null;
    }
}
