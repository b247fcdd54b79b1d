using Rhei.Connect.Data;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Connect.Converters;

/// <summary>
/// Writes keys or values with one of Rhei's formats (the ksqlDB way to name them: <c>key.format</c>/<c>value.format</c>
/// = KAFKA, JSON, DELIMITED, AVRO, PROTOBUF, JSON_SR, ...; Confluent's AvroConverter, ProtobufConverter and
/// JsonSchemaConverter map to AVRO, PROTOBUF and JSON_SR). A struct is written as the format's row of its fields; a
/// primitive as a single unwrapped column (for a key in the KAFKA format: the bytes ksqlDB reads for an
/// <c>INT KEY</c>, <c>BIGINT KEY</c> or <c>STRING KEY</c>). Schema-registry formats register the schema under
/// <c>topic-key</c>/<c>topic-value</c> before the first write, and read with the subject's latest schema. Reading back is
/// supported for JSON (schemaless) and the schema-registry formats.
/// </summary>
public sealed class FormatConverter : Converter
{
    private readonly SerdeFormat _format;
    private readonly bool _isKey;
    private readonly IReadOnlyDictionary<string, string> _properties;
    private readonly Dictionary<(string Topic, SqlType Schema), RowSerializer> _serializers = [];
    private readonly Dictionary<string, (RowDeserializer Deserializer, SqlType Type)> _deserializers = new(StringComparer.Ordinal);
    private readonly JsonConverter? _json;

    public FormatConverter(SerdeFormat format, bool isKey, IReadOnlyDictionary<string, string>? properties = null)
    {
        _format = format;
        _isKey = isKey;
        _properties = properties ?? new Dictionary<string, string>();
        if (string.Equals(format.Name, "JSON", StringComparison.OrdinalIgnoreCase))
        {
            _json = new JsonConverter(schemasEnabled: false, DecimalFormat.Numeric);
        }
    }

    public string FormatName => _format.Name;

    public override async ValueTask PrepareWriteAsync(string topic, SqlType? schema, CancellationToken cancellationToken)
    {
        if (_json is not null || schema is null || _format is not SchemaRegistryFormat registryFormat || _serializers.ContainsKey((topic, schema)))
        {
            return;
        }

        var (serde, options) = Layout(topic, schema);
        try
        {
            _format.ValidateSchema(serde, options.Target, options.Features);
            await registryFormat.RegisterAsync(topic, serde, options, cancellationToken);
            _serializers[(topic, schema)] = _format.CreateSerializer(serde, options);
        }
        catch (FormatValidationException e)
        {
            throw new ConnectDataException($"The {options.TargetName} schema of topic {topic} cannot be registered for the {_format.Name} format: {e.Message}", e);
        }
    }

    public override async ValueTask PrepareReadAsync(string topic, CancellationToken cancellationToken)
    {
        if (_json is not null || _format is not SchemaRegistryFormat registryFormat || _deserializers.ContainsKey(topic))
        {
            return;
        }

        var target = _isKey ? SerdeTarget.Key : SerdeTarget.Value;
        try
        {
            var inferred = await registryFormat.InferAsync(topic, target, wrapSingleValue: null, cancellationToken: cancellationToken);
            var columns = inferred.Columns;
            var unwrapped = _isKey && columns.Count == 1 && _format.Supports(SerdeFeatures.UnwrapSingles);
            var features = unwrapped ? SerdeFeatures.UnwrapSingles : _format.ResolveValueFeatures(columns.Count, wrapSingleValue: null);
            var options = (_isKey ? SerdeOptions.Key(topic) : SerdeOptions.Value(topic)) with { Features = features, Properties = _properties };
            var type = unwrapped ? columns[0].Type : new SqlStructType([.. columns.Select(c => new SqlField(c.Name, c.Type))]);
            _deserializers[topic] = (_format.CreateDeserializer(columns, options), type);
        }
        catch (FormatValidationException e)
        {
            throw new ConnectDataException($"Cannot read the {(_isKey ? "keys" : "values")} of topic {topic} in the {_format.Name} format: {e.Message}", e);
        }
    }

    public override byte[]? FromConnectData(string topic, SqlType? schema, object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_json is not null)
        {
            // JSON needs no schema: the Connect JSON writer gives the same bytes as ksqlDB's JSON format.
            return _json.FromConnectData(topic, schema, value);
        }

        schema ??= ConnectSchemas.Infer(value);
        if (!_serializers.TryGetValue((topic, schema), out var serializer))
        {
            if (_format is SchemaRegistryFormat)
            {
                throw new InvalidOperationException($"PrepareWriteAsync was not called for topic {topic} and schema {schema}.");
            }

            var (serde, options) = Layout(topic, schema);
            try
            {
                _format.ValidateSchema(serde, options.Target, options.Features);
                serializer = _format.CreateSerializer(serde, options);
            }
            catch (FormatValidationException e)
            {
                throw new ConnectDataException($"The {options.TargetName} of topic {topic} cannot be written in the {_format.Name} format: {e.Reason ?? e.Message}", e);
            }

            _serializers[(topic, schema)] = serializer;
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

    public override ConnectValue ToConnectData(string topic, ReadOnlySpan<byte> data)
    {
        if (_json is not null)
        {
            return _json.ToConnectData(topic, data);
        }

        if (_format is not SchemaRegistryFormat)
        {
            throw new ConnectDataException(
                $"Reading the {_format.Name} format in a sink connector is not supported (topic {topic}). " +
                "Use key.converter/value.converter = org.apache.kafka.connect.json.JsonConverter, StringConverter, a number converter, or a schema-registry format.");
        }

        if (!_deserializers.TryGetValue(topic, out var reader))
        {
            throw new InvalidOperationException($"PrepareReadAsync was not called for topic {topic}.");
        }

        var row = new object?[reader.Deserializer.Schema.Count];
        try
        {
            if (!reader.Deserializer.Deserialize(data, row))
            {
                return ConnectValue.Null;
            }
        }
        catch (SerdeException e)
        {
            throw new ConnectDataException(e.Message, e);
        }

        return reader.Type is SqlStructType st ? new ConnectValue(st, new SqlStruct(st, row)) : new ConnectValue(reader.Type, row[0]);
    }

    private (SerdeSchema Serde, SerdeOptions Options) Layout(string topic, SqlType schema)
    {
        SerdeSchema serde;
        SerdeFeatures features;
        if (schema is SqlStructType st)
        {
            serde = new SerdeSchema(st.Fields.Select(f => new SerdeColumn(f.Name, f.Type)));
            features = _isKey ? SerdeFeatures.None : _format.ResolveValueFeatures(serde.Count, wrapSingleValue: null);
        }
        else
        {
            serde = SerdeSchema.Of(new SerdeColumn(_isKey ? "ROWKEY" : "ROWVAL", schema));
            features = _format.Supports(SerdeFeatures.UnwrapSingles) ? SerdeFeatures.UnwrapSingles : SerdeFeatures.None;
        }

        return (serde, (_isKey ? SerdeOptions.Key(topic) : SerdeOptions.Value(topic)) with { Features = features, Properties = _properties });
    }
}
