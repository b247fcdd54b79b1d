using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rhei.Connect.Data;
using Rhei.Formats.Types;

namespace Rhei.Connect.Converters;

/// <summary>
/// <c>org.apache.kafka.connect.json.JsonConverter</c>. With <c>schemas.enable=true</c> (Kafka's default) each record is
/// <c>{"schema": ..., "payload": ...}</c>; with <c>false</c>, the payload alone, which is what ksqlDB's JSON format
/// reads. <c>decimal.format</c> is <c>BASE64</c> (Kafka's default) or <c>NUMERIC</c>.
/// </summary>
public sealed class JsonConverter : Converter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;

    public JsonConverter(bool schemasEnabled, DecimalFormat decimalFormat)
    {
        SchemasEnabled = schemasEnabled;
        DecimalFormat = decimalFormat;
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    public bool SchemasEnabled { get; }

    public DecimalFormat DecimalFormat { get; }

    public override byte[]? FromConnectData(string topic, SqlType? schema, object? value)
    {
        if (value is null && !SchemasEnabled)
        {
            return null;
        }

        if (value is null && schema is null)
        {
            return null;
        }

        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        if (SchemasEnabled)
        {
            _writer.WriteStartObject();
            _writer.WritePropertyName("schema");
            if (schema is null)
            {
                _writer.WriteNullValue();
            }
            else
            {
                ConnectJsonWriter.WriteSchema(_writer, schema, fieldName: null, optional: false, name: topic);
            }

            _writer.WritePropertyName("payload");
            ConnectJsonWriter.WriteValue(_writer, schema, value, DecimalFormat);
            _writer.WriteEndObject();
        }
        else
        {
            ConnectJsonWriter.WriteValue(_writer, schema, value, DecimalFormat);
        }

        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    public override ConnectValue ToConnectData(string topic, ReadOnlySpan<byte> data)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(data);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new ConnectDataException($"Converting byte[] to Kafka Connect data failed due to serialization error of topic {topic}: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            try
            {
                if (!SchemasEnabled)
                {
                    return new ConnectValue(null, ConnectJsonReader.ReadSchemaless(root));
                }

                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || !root.TryGetProperty("payload", out var payload)
                    || root.EnumerateObject().Count() != 2)
                {
                    throw new ConnectDataException(
                        "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. " +
                        "If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.");
                }

                if (schema.ValueKind == JsonValueKind.Null)
                {
                    return new ConnectValue(null, ConnectJsonReader.ReadSchemaless(payload));
                }

                var type = ConnectJsonReader.ReadSchema(schema);
                return new ConnectValue(type, ConnectJsonReader.ReadTyped(payload, type));
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or OverflowException)
            {
                throw new ConnectDataException($"Converting byte[] to Kafka Connect data failed for topic {topic}: {e.Message}", e);
            }
        }
    }
}
