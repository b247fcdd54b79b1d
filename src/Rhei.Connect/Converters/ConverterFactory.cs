using Rhei.Connect.Config;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;

namespace Rhei.Connect.Converters;

/// <summary>
/// Makes a connector's key and value converters from its properties: <c>key.converter</c>/<c>value.converter</c>
/// (Kafka Connect class names, with <c>key.converter.*</c>/<c>value.converter.*</c> settings such as
/// <c>schemas.enable</c> and <c>decimal.format</c>), or ksqlDB-style <c>key.format</c>/<c>value.format</c> (a format
/// name). Without either, keys use <see cref="DefaultKeyConverter"/> and values JSON without schemas
/// (<c>JsonConverter</c>, <c>schemas.enable=false</c>, <c>decimal.format=NUMERIC</c>): what ksqlDB's JSON reads.
/// </summary>
public static class ConverterFactory
{
    public const string JsonConverterClass = "org.apache.kafka.connect.json.JsonConverter";
    public const string StringConverterClass = "org.apache.kafka.connect.storage.StringConverter";
    public const string ByteArrayConverterClass = "org.apache.kafka.connect.converters.ByteArrayConverter";
    public const string AvroConverterClass = "io.confluent.connect.avro.AvroConverter";
    public const string ProtobufConverterClass = "io.confluent.connect.protobuf.ProtobufConverter";
    public const string JsonSchemaConverterClass = "io.confluent.connect.json.JsonSchemaConverter";

    /// <summary>The converter class names Rhei knows.</summary>
    public static IReadOnlyList<string> KnownClasses { get; } =
    [
        JsonConverterClass, StringConverterClass, ByteArrayConverterClass,
        "org.apache.kafka.connect.converters.IntegerConverter", "org.apache.kafka.connect.converters.LongConverter",
        "org.apache.kafka.connect.converters.DoubleConverter", "org.apache.kafka.connect.converters.FloatConverter",
        "org.apache.kafka.connect.converters.ShortConverter",
        AvroConverterClass, ProtobufConverterClass, JsonSchemaConverterClass,
    ];

    /// <summary>The key (<paramref name="isKey"/>) or value converter of a connector's properties.</summary>
    /// <exception cref="ConnectorConfigException">An unknown class or format, or a format that is not registered.</exception>
    public static Converter Create(IReadOnlyDictionary<string, string> properties, bool isKey, FormatRegistry formats)
    {
        var prefix = isKey ? "key." : "value.";
        var converterKey = prefix + "converter";
        var formatKey = prefix + "format";
        if (properties.TryGetValue(converterKey, out var className) && !string.IsNullOrWhiteSpace(className))
        {
            var settings = properties
                .Where(kv => kv.Key.StartsWith(converterKey + ".", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[(converterKey.Length + 1)..], kv => kv.Value, StringComparer.Ordinal);
            return FromClass(className.Trim(), settings, isKey, formats, converterKey);
        }

        if (properties.TryGetValue(formatKey, out var formatName) && !string.IsNullOrWhiteSpace(formatName))
        {
            return FromFormat(formatName.Trim(), isKey, formats, formatKey, null);
        }

        return isKey ? new DefaultKeyConverter(formats) : new JsonConverter(schemasEnabled: false, DecimalFormat.Numeric);
    }

    private static Converter FromClass(string className, IReadOnlyDictionary<string, string> settings, bool isKey, FormatRegistry formats, string property)
    {
        var shortName = className[(className.LastIndexOf('.') + 1)..];
        switch (shortName.ToUpperInvariant())
        {
            case "JSONCONVERTER":
                var schemas = !settings.TryGetValue("schemas.enable", out var se) || !bool.TryParse(se, out var enabled) || enabled;
                var decimalFormat = settings.TryGetValue("decimal.format", out var df) && string.Equals(df, "NUMERIC", StringComparison.OrdinalIgnoreCase)
                    ? DecimalFormat.Numeric
                    : DecimalFormat.Base64;
                if (settings.TryGetValue("decimal.format", out var dfv) && !string.Equals(dfv, "NUMERIC", StringComparison.OrdinalIgnoreCase) && !string.Equals(dfv, "BASE64", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ConnectorConfigException(property + ".decimal.format", $"Invalid value {dfv} for configuration {property}.decimal.format: String must be one of: BASE64, NUMERIC");
                }

                return new JsonConverter(schemas, decimalFormat);
            case "STRINGCONVERTER":
                return new StringConverter();
            case "BYTEARRAYCONVERTER":
                return new ByteArrayConverter();
            case "INTEGERCONVERTER":
                return new NumberConverter(NumberWidth.Int32);
            case "LONGCONVERTER":
                return new NumberConverter(NumberWidth.Int64);
            case "DOUBLECONVERTER":
                return new NumberConverter(NumberWidth.Float64);
            case "FLOATCONVERTER":
                return new NumberConverter(NumberWidth.Float32);
            case "SHORTCONVERTER":
                return new NumberConverter(NumberWidth.Int16);
            case "AVROCONVERTER":
                return FromFormat("AVRO", isKey, formats, property, className);
            case "PROTOBUFCONVERTER":
                return FromFormat("PROTOBUF", isKey, formats, property, className);
            case "JSONSCHEMACONVERTER":
                return FromFormat("JSON_SR", isKey, formats, property, className);
            default:
                throw new ConnectorConfigException(property,
                    $"Invalid value {className} for configuration {property}: Class {className} could not be found. Known converters: {string.Join(", ", KnownClasses)}.");
        }
    }

    private static FormatConverter FromFormat(string formatName, bool isKey, FormatRegistry formats, string property, string? className)
    {
        if (!formats.TryGet(formatName, out var format))
        {
            var what = className is null ? $"format {formatName}" : $"{className} (the {formatName} format)";
            throw new ConnectorConfigException(property,
                $"Invalid value {className ?? formatName} for configuration {property}: {what} is not available in this server" +
                (className is null
                    ? $" (known formats: {string.Join(", ", formats.Formats.Select(f => f.Name).Order())})."
                    : "; it needs Rhei's schema registry formats. Use org.apache.kafka.connect.json.JsonConverter meanwhile."));
        }

        if (format is SchemaRegistryFormat { HasClient: false })
        {
            throw new ConnectorConfigException(property,
                $"Invalid value {className ?? formatName} for configuration {property}: the {format.Name} format needs a schema registry, and none is configured (ksql.schema.registry.url, or Rhei's embedded registry).");
        }

        return new FormatConverter(format, isKey);
    }
}
