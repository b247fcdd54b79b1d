using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Rhei.Client;
using Rhei.Formats.Serde;
using Rhei.Sql.Execution;
using Rhei.Sql.Functions.Scalar;
using Rhei.Sql.Schema;
using Rhei.Streams;

namespace Rhei.Server.Console;

/// <summary>
/// Turns a record's key, value and headers into JSON for the topic browser. When a stream or table is declared over the
/// topic, its key and value formats decode the bytes into columns; otherwise the bytes are shown as JSON when they
/// parse as JSON, as text when they are UTF-8, and as hex else. A decoder keeps serde state: one per request.
/// </summary>
internal sealed class RecordDecoder
{
    private const int MaxShownBytes = 64 * 1024;
    private readonly DataSource? _source;
    private readonly Serde<GenericKey>? _key;
    private readonly Serde<Windowed<GenericKey>>? _windowedKey;
    private readonly Serde<object?[]>? _value;
    private readonly IReadOnlyList<string> _keyColumns = [];
    private readonly IReadOnlyList<string> _valueColumns = [];

    public RecordDecoder(DataSource? source, FormatRegistry formats)
    {
        _source = source;
        if (source is null)
        {
            return;
        }

        try
        {
            var topic = source.KafkaTopicName;
            var keySchema = source.Schema.KeySerdeSchema();
            var valueSchema = source.Schema.ValueSerdeSchema();
            if (source.Topic.KeyFormat.IsWindowed)
            {
                _windowedKey = FormatSerdes.WindowedKey(formats, source.Topic.KeyFormat, keySchema, topic);
            }
            else
            {
                _key = FormatSerdes.Key(formats, source.Topic.KeyFormat, keySchema, topic);
            }

            _value = FormatSerdes.Value(formats, source.Topic.ValueFormat, valueSchema, topic);
            _keyColumns = [.. source.Schema.Key.Select(c => c.Name)];
            _valueColumns = [.. source.Schema.PhysicalValue.Select(c => c.Name)];
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or FormatValidationException)
        {
            // A format the console cannot build (a registry format without its registry): fall back to guessing.
            _key = null;
            _windowedKey = null;
            _value = null;
        }
    }

    /// <summary>Writes one record as a JSON object.</summary>
    public void Write(Utf8JsonWriter w, ConsumedRecord record)
    {
        w.WriteStartObject();
        w.WriteNumber("partition", record.Partition);
        w.WriteNumber("offset", record.Offset);
        w.WriteNumber("timestamp", record.Timestamp);
        w.WriteString("timestampType", record.TimestampType.ToString());
        w.WritePropertyName("key");
        WriteKey(w, record);
        w.WritePropertyName("value");
        WriteValue(w, record);
        w.WriteStartArray("headers");
        foreach (var header in record.Headers)
        {
            w.WriteStartObject();
            w.WriteString("key", header.Key);
            w.WritePropertyName("value");
            WriteGuessed(w, header.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteKey(Utf8JsonWriter w, ConsumedRecord record)
    {
        if (_source is not null && (_key is not null || _windowedKey is not null) && record.Key is { } key)
        {
            try
            {
                if (_windowedKey is not null)
                {
                    var windowed = _windowedKey.Deserialize(key.Span, false, record.Topic);
                    WriteColumns(w, _source.Topic.KeyFormat.Name, _keyColumns, windowed.Key?.ToArray() ?? [], windowed.Window, key.Length);
                }
                else
                {
                    var generic = _key!.Deserialize(key.Span, false, record.Topic);
                    WriteColumns(w, _source.Topic.KeyFormat.Name, _keyColumns, generic.ToArray(), null, key.Length);
                }

                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                WriteGuessed(w, key, $"not {_source.Topic.KeyFormat.Name} as {_source.Name} declares: {e.Message}");
                return;
            }
        }

        WriteGuessed(w, record.Key);
    }

    private void WriteValue(Utf8JsonWriter w, ConsumedRecord record)
    {
        if (_source is not null && _value is not null && record.Value is { } value)
        {
            try
            {
                var row = _value.Deserialize(value.Span, false, record.Topic);
                if (row is null)
                {
                    WriteGuessed(w, value, $"not {_source.Topic.ValueFormat.Name} as {_source.Name} declares");
                    return;
                }

                WriteColumns(w, _source.Topic.ValueFormat.Name, _valueColumns, row, null, value.Length);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                WriteGuessed(w, value, $"not {_source.Topic.ValueFormat.Name} as {_source.Name} declares: {e.Message}");
                return;
            }
        }

        WriteGuessed(w, record.Value);
    }

    private static void WriteColumns(Utf8JsonWriter w, string format, IReadOnlyList<string> columns, object?[] values, Window? window, int size)
    {
        w.WriteStartObject();
        w.WriteString("format", format);
        w.WriteNumber("size", size);
        w.WritePropertyName("data");
        if (columns.Count == 1 && window is null && format is not ("JSON" or "JSON_SR" or "AVRO" or "PROTOBUF" or "PROTOBUF_NOSR") )
        {
            WriteSqlValue(w, values.Length > 0 ? values[0] : null);
        }
        else
        {
            w.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                w.WritePropertyName(columns[i]);
                WriteSqlValue(w, i < values.Length ? values[i] : null);
            }

            w.WriteEndObject();
        }

        if (window is { } win)
        {
            w.WriteStartObject("window");
            w.WriteNumber("start", win.Start);
            w.WriteNumber("end", win.End);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteSqlValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                return;
            case string s:
                w.WriteStringValue(s);
                return;
            case bool b:
                w.WriteBooleanValue(b);
                return;
            case int i:
                w.WriteNumberValue(i);
                return;
            case long l:
                w.WriteNumberValue(l);
                return;
            case double d when double.IsFinite(d):
                w.WriteNumberValue(d);
                return;
            case byte[] bytes:
                w.WriteBase64StringValue(bytes);
                return;
        }

        var json = JsonFunctions.ToJsonString(value);
        if (json is null)
        {
            w.WriteNullValue();
            return;
        }

        try
        {
            w.WriteRawValue(json);
        }
        catch (JsonException)
        {
            w.WriteStringValue(value.ToString());
        }
        catch (ArgumentException)
        {
            w.WriteStringValue(value.ToString());
        }
    }

    /// <summary>Bytes of unknown format: JSON when they parse as JSON, text when UTF-8, hex else (null stays null).</summary>
    internal static void WriteGuessed(Utf8JsonWriter w, ReadOnlyMemory<byte>? bytes, string? note = null)
    {
        if (bytes is not { } data)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartObject();
        w.WriteNumber("size", data.Length);
        if (note is not null)
        {
            w.WriteString("note", note);
        }

        var span = data.Span;
        var shown = span.Length > MaxShownBytes ? span[..MaxShownBytes] : span;
        if (shown.Length < span.Length)
        {
            w.WriteBoolean("truncated", true);
        }

        if (span.Length >= 5 && span[0] == 0 && shown.Length == span.Length)
        {
            // Confluent's schema-registry framing: magic byte 0 and a 4-byte schema id before the payload.
            var id = (span[1] << 24) | (span[2] << 16) | (span[3] << 8) | span[4];
            w.WriteString("format", "SCHEMA_REGISTRY");
            w.WriteNumber("schemaId", id);
            w.WriteString("data", Convert.ToHexString(span[5..]));
        }
        else if (shown.Length == span.Length && LooksLikeJson(span) && IsJson(span))
        {
            w.WriteString("format", "JSON");
            w.WritePropertyName("data");
            w.WriteRawValue(span, skipInputValidation: true);
        }
        else if (IsText(shown))
        {
            w.WriteString("format", "STRING");
            w.WriteString("data", Encoding.UTF8.GetString(shown));
        }
        else
        {
            w.WriteString("format", "BYTES");
            w.WriteString("data", Convert.ToHexString(shown));
            if (span.Length is 4 or 8)
            {
                // KAFKA INT/BIGINT keys are big-endian integers.
                w.WriteNumber("asInteger", span.Length == 4 ? System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(span) : System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(span));
            }
        }

        w.WriteEndObject();
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> span)
    {
        var trimmed = span.TrimStart(" \t\r\n"u8);
        return trimmed.Length > 0 && trimmed[0] is (byte)'{' or (byte)'[' or (byte)'"' or (byte)'-' or (>= (byte)'0' and <= (byte)'9') or (byte)'t' or (byte)'f' or (byte)'n';
    }

    private static bool IsJson(ReadOnlySpan<byte> span)
    {
        try
        {
            var reader = new Utf8JsonReader(span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
            }

            return reader.BytesConsumed == span.Length || span[(int)reader.BytesConsumed..].Trim(" \t\r\n"u8).IsEmpty;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsText(ReadOnlySpan<byte> span)
    {
        if (!Utf8.IsValid(span))
        {
            return false;
        }

        foreach (var b in span)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
