using Rhei.Formats.Types;

namespace Rhei.Formats.Serde;

/// <summary>
/// A serialization format (KAFKA, JSON, DELIMITED, NONE; AVRO, PROTOBUF, PROTOBUF_NOSR and JSON_SR register the same
/// way, taking their schema-registry client in their constructor). A format states what it supports, validates
/// properties and schemas with ksqlDB's messages, and creates serializers and deserializers for a physical schema.
/// </summary>
public abstract class SerdeFormat
{
    private static readonly IReadOnlySet<string> NoProperties = new HashSet<string>();

    protected SerdeFormat(string name)
    {
        Name = name;
    }

    /// <summary>The format's name, upper case (<c>JSON</c>).</summary>
    public string Name { get; }

    /// <summary>The serde features the format can honour.</summary>
    public abstract SerdeFeatures SupportedFeatures { get; }

    /// <summary>True when the format needs a schema registry (AVRO, PROTOBUF, JSON_SR).</summary>
    public virtual bool RequiresSchemaRegistry => false;

    /// <summary>The format properties it accepts (<see cref="FormatPropertyNames"/>).</summary>
    public virtual IReadOnlySet<string> SupportedProperties => NoProperties;

    public bool Supports(SerdeFeatures feature) => (SupportedFeatures & feature) == feature;

    /// <summary>
    /// Checks format properties: unknown ones fail with <c>JSON does not support the following configs: [fullSchemaName]</c>,
    /// then the format checks values.
    /// </summary>
    /// <exception cref="FormatValidationException">A property is not supported or not valid.</exception>
    public void ValidateProperties(IReadOnlyDictionary<string, string> properties)
    {
        var unsupported = properties.Keys
            .Where(k => !SupportedProperties.Any(p => string.Equals(p, k, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (unsupported.Count > 0)
        {
            throw new FormatValidationException($"{Name} does not support the following configs: [{string.Join(", ", unsupported)}]");
        }

        CheckProperties(properties);
    }

    /// <summary>
    /// Checks that the format can carry the schema as a key or value. The message is ksqlDB's:
    /// <c>Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K` BOOLEAN KEY], features=[]}\nreason: The 'KAFKA' format does not support type 'BOOLEAN'</c>;
    /// <see cref="FormatValidationException.Reason"/> holds the reason alone.
    /// </summary>
    public void ValidateSchema(SerdeSchema schema, SerdeTarget target, SerdeFeatures features = SerdeFeatures.None)
    {
        var reason = FindSchemaProblem(schema, target);
        if (reason is null)
        {
            return;
        }

        var which = target == SerdeTarget.Key ? "Key" : "Value";
        throw new FormatValidationException(
            $"{which} format does not support schema.\nformat: {Name}\n" +
            $"schema: Persistence{{columns={schema.Describe(target)}, features=[{SerdeFeatureNames.Describe(features)}]}}\n" +
            $"reason: {reason}",
            reason);
    }

    /// <summary>
    /// The features of a key: a single key column is written unwrapped when the format can do so; several key columns
    /// are always wrapped (explicit wrapping is a value-only property).
    /// </summary>
    public SerdeFeatures ResolveKeyFeatures(int columnCount) =>
        columnCount == 1 && Supports(SerdeFeatures.UnwrapSingles) ? SerdeFeatures.UnwrapSingles : SerdeFeatures.None;

    /// <summary>
    /// The features of a value from WRAP_SINGLE_VALUE (<paramref name="wrapSingleValue"/>, null when not set) and the
    /// default <c>ksql.persistence.wrap.single.values</c> (<paramref name="defaultWrapSingleValues"/>), with ksqlDB's errors:
    /// <c>'WRAP_SINGLE_VALUE' is only valid for single-field value schemas</c> and
    /// <c>Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.</c>
    /// </summary>
    public SerdeFeatures ResolveValueFeatures(int columnCount, bool? wrapSingleValue, bool defaultWrapSingleValues = true)
    {
        if (columnCount != 1)
        {
            if (wrapSingleValue is not null)
            {
                throw new FormatValidationException("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
            }

            return SerdeFeatures.None;
        }

        var wrap = wrapSingleValue ?? defaultWrapSingleValues;
        var feature = wrap ? SerdeFeatures.WrapSingles : SerdeFeatures.UnwrapSingles;
        if (Supports(feature))
        {
            return feature;
        }

        if (wrapSingleValue is not null)
        {
            throw new FormatValidationException(
                $"Format '{Name}' does not support 'WRAP_SINGLE_VALUE' set to '{(wrap ? "true" : "false")}'.");
        }

        return SerdeFeatures.None;
    }

    /// <summary>Creates a serializer for rows of <paramref name="schema"/>.</summary>
    public abstract RowSerializer CreateSerializer(SerdeSchema schema, SerdeOptions options);

    /// <summary>Creates a deserializer for rows of <paramref name="schema"/>.</summary>
    public abstract RowDeserializer CreateDeserializer(SerdeSchema schema, SerdeOptions options);

    public override string ToString() => Name;

    /// <summary>The format's check of property values (names are already known to be supported).</summary>
    protected virtual void CheckProperties(IReadOnlyDictionary<string, string> properties)
    {
    }

    /// <summary>Why the format cannot carry the schema, or null when it can.</summary>
    protected abstract string? FindSchemaProblem(SerdeSchema schema, SerdeTarget target);

    /// <summary>True when the type or any type nested in it matches.</summary>
    protected static bool Contains(SqlType type, Func<SqlType, bool> predicate) => predicate(type) || type switch
    {
        SqlArrayType a => Contains(a.ElementType, predicate),
        SqlMapType m => Contains(m.KeyType, predicate) || Contains(m.ValueType, predicate),
        SqlStructType s => s.Fields.Any(f => Contains(f.Type, predicate)),
        _ => false,
    };
}
