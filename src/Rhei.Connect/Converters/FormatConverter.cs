using Rhei.Connect.Data;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Connect.Converters;

/// <summary>
/// Writes keys or values with one of Rhei's formats (the ksqlDB way to name them: <c>key.format</c>/<c>value.format</c>
/// = KAFKA, JSON, DELIMITED, AVRO, PROTOBUF, JSON_SR, ...; Confluent's AvroConverter, ProtobufConverter and
/// JsonSchemaConverter map to AVRO, PROTOBUF and JSON_SR). A struct is written as the format's row of its fields; a
/// primitive as a single unwrapped column (for a key in the KAFKA format: the bytes ksqlDB reads for an
/// <c>INT KEY</c>, <c>BIGINT KEY</c> or <c>STRING KEY</c>). Reading back is supported for JSON (schemaless).
/// </summary>
public sealed class FormatConverter : Converter
{
    private readonly SerdeFormat _format;
    private readonly bool _isKey;
    private readonly IReadOnlyDictionary<string, string> _properties;
    private readonly Dictionary<SqlType, RowSerializer> _serializers = [];
    private readonly JsonConverter? _jsonReader;

    public FormatConverter(SerdeFormat format, bool isKey, IReadOnlyDictionary<string, string>? properties = null)
    {
        _format = format;
        _isKey = isKey;
        _properties = properties ?? new Dictionary<string, string>();
        if (string.Equals(format.Name, "JSON", StringComparison.OrdinalIgnoreCase))
        {
            _jsonReader = new JsonConverter(schemasEnabled: false, DecimalFormat.Numeric);
        }
    }

    public string FormatName => _format.Name;

    public override byte[]? FromConnectData(string topic, SqlType? schema, object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_jsonReader is not null)
        {
            // JSON needs no schema: the Connect JSON writer gives the same bytes as ksqlDB's JSON format.
            return _jsonReader.FromConnectData(topic, schema, value);
        }

        schema ??= ConnectSchemas.Infer(value);
        if (!_serializers.TryGetValue(schema, out var serializer))
        {
            serializer = CreateSerializer(topic, schema);
            _serializers[schema] = serializer;
        }

        try
        {
            return value is SqlStruct s && schema is SqlStructType
                ? serializer.Serialize(s.Values.ToArray())
                : serializer.Serialize([ConnectSchemas.Coerce(value, schema)]);
        }
        catch (SerdeException e)
        {
            throw new ConnectDataException(e.Message, e);
        }
    }

    public override ConnectValue ToConnectData(string topic, ReadOnlySpan<byte> data) =>
        _jsonReader is not null
            ? _jsonReader.ToConnectData(topic, data)
            : throw new ConnectDataException(
                $"Reading the {_format.Name} format in a sink connector is not supported yet (topic {topic}). " +
                "Use key.converter/value.converter = org.apache.kafka.connect.json.JsonConverter, StringConverter or a number converter.");

    private RowSerializer CreateSerializer(string topic, SqlType schema)
    {
        SerdeSchema serde;
        SerdeFeatures features;
        if (schema is SqlStructType st)
        {
            serde = new SerdeSchema(st.Fields.Select(f => new SerdeColumn(f.Name, f.Type)));
            features = SerdeFeatures.None;
        }
        else
        {
            serde = SerdeSchema.Of(new SerdeColumn(_isKey ? "ROWKEY" : "ROWVAL", schema));
            features = _format.Supports(SerdeFeatures.UnwrapSingles) ? SerdeFeatures.UnwrapSingles : SerdeFeatures.None;
        }

        try
        {
            _format.ValidateSchema(serde, _isKey ? SerdeTarget.Key : SerdeTarget.Value, features);
            var options = (_isKey ? SerdeOptions.Key(topic) : SerdeOptions.Value(topic)) with { Features = features, Properties = _properties };
            return _format.CreateSerializer(serde, options);
        }
        catch (FormatValidationException e)
        {
            throw new ConnectDataException($"The {(_isKey ? "key" : "value")} of topic {topic} cannot be written in the {_format.Name} format: {e.Reason ?? e.Message}", e);
        }
    }
}
