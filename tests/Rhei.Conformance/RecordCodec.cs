using System.Text;
using System.Text.Json;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using Rhei.Formats.Windowed;
using Rhei.Sql.Schema;

namespace Rhei.Conformance;

/// <summary>
/// Converts the JSON of a test record's key or value to bytes in a topic's format, and reads bytes back for comparison,
/// as ksqlDB's test executor does: JSON stays JSON text, DELIMITED values are strings, KAFKA values are typed by the
/// column (numbers, strings, Base64 bytes).
/// </summary>
internal sealed class RecordCodec
{
    private readonly FormatRegistry _formats;
    private readonly SerdeFormat _format;
    private readonly SerdeSchema _schema;
    private readonly SerdeOptions _options;
    private RowSerializer? _serializer;
    private readonly RowDeserializer _deserializer;
    private readonly RowDeserializer? _fromJson;

    public RecordCodec(FormatRegistry formats, FormatInfo format, SerdeFeatures features, SerdeSchema schema, SerdeTarget target, string topic)
    {
        _formats = formats;
        _format = formats.Get(format.Format);
        _schema = schema;
        _options = new SerdeOptions(target) { Features = features, Properties = format.Properties, Topic = topic };
        _deserializer = _format.CreateDeserializer(schema, _options);
        if (schema.Count > 0)
        {
            var json = formats.Get("JSON");
            var unwrapped = schema.Count == 1 && (features.HasFlag(SerdeFeatures.UnwrapSingles) || !_format.Supports(SerdeFeatures.WrapSingles));
            var unwrap = unwrapped ? SerdeFeatures.UnwrapSingles : SerdeFeatures.None;
            _fromJson = json.CreateDeserializer(schema, new SerdeOptions(target) { Features = unwrap, Topic = topic });
        }
    }

    public string FormatName => _format.Name;

    private RowSerializer Serializer => _serializer ??= _format.CreateSerializer(_schema, _options);

    public SerdeSchema Schema => _schema;

    /// <summary>The bytes of a test record's key or value (null for JSON null or a missing element).</summary>
    public byte[]? Encode(JsonElement? element)
    {
        if (element is not { } e || e.ValueKind == JsonValueKind.Null || e.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        switch (_format.Name)
        {
            case "JSON":
                return Encoding.UTF8.GetBytes(e.GetRawText());
            case "DELIMITED":
                return Encoding.UTF8.GetBytes(e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText());
            case "NONE":
                return e.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(e.GetString()!) : Encoding.UTF8.GetBytes(e.GetRawText());
            case "KAFKA" when _schema.Count == 0:
                return e.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(e.GetString()!) : Encoding.UTF8.GetBytes(e.GetRawText());
            default:
                var row = FromJson(e);
                return row is null ? null : Serializer.Serialize(row);
        }
    }

    /// <summary>The bytes of a windowed key.</summary>
    public byte[]? EncodeWindowed(JsonElement? key, WindowType type, long start, long end)
    {
        var inner = key is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } k
            ? FromJson(k) ?? new object?[_schema.Count]
            : new object?[_schema.Count];
        var serializer = new WindowedKeySerializer(Serializer, type);
        return serializer.Serialize(inner, new WindowBounds(start, end));
    }

    /// <summary>A test record's JSON as a typed row of this schema (through the JSON reader, which coerces as ksqlDB's).</summary>
    public object?[]? FromJson(JsonElement e)
    {
        if (_fromJson is null)
        {
            return [];
        }

        if (e.ValueKind == JsonValueKind.String && _schema.Count == 1 && _schema[0].Type.BaseType != SqlBaseType.String
            && _schema[0].Type.BaseType != SqlBaseType.Bytes)
        {
            // A typed key written as a string ("1" for an INT key): read the text as JSON.
            var text = e.GetString()!;
            try
            {
                return _fromJson.Deserialize(Encoding.UTF8.GetBytes(text));
            }
            catch (SerdeException)
            {
            }
        }

        return _fromJson.Deserialize(Encoding.UTF8.GetBytes(e.GetRawText()));
    }

    /// <summary>Reads bytes written in this format (null bytes give null).</summary>
    public object?[]? Decode(byte[]? bytes) => bytes is null ? null : _deserializer.Deserialize(bytes);

    /// <summary>Reads a windowed key: the inner key row and the window.</summary>
    public (object?[]? Key, WindowBounds Window) DecodeWindowed(byte[] bytes, WindowType type, long? sizeMs)
    {
        var d = new WindowedKeyDeserializer(_deserializer, type, type == WindowType.Session ? null : sizeMs ?? 1);
        var row = new object?[_schema.Count];
        var window = d.Deserialize(bytes, row, out var isNull);
        return (isNull ? null : row, window);
    }

    /// <summary>True when the actual bytes are what the test expects; <paramref name="actualText"/> describes them.</summary>
    public bool Matches(JsonElement? expected, byte[]? actual, out string actualText)
    {
        var expectNull = expected is not { } ex || ex.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;
        actualText = Describe(actual);
        if (_format.Name == "NONE" || (_schema.Count == 0 && _format.Name != "JSON"))
        {
            return true;
        }

        if (actual is null || expectNull)
        {
            return actual is null && expectNull;
        }

        var e = expected!.Value;
        switch (_format.Name)
        {
            case "JSON":
                try
                {
                    using var doc = JsonDocument.Parse(actual);
                    if (JsonComparer.Equal(e, doc.RootElement))
                    {
                        return true;
                    }

                    // As ksqlDB's executor: both read with the topic's schema (field names match case-insensitively,
                    // decimals may be written as strings, fields the schema lacks are ignored).
                    var got = _deserializer.Deserialize(actual);
                    var want = _deserializer.Deserialize(Encoding.UTF8.GetBytes(e.GetRawText()));
                    return RowsEqual(want, got);
                }
                catch (Exception err) when (err is JsonException or SerdeException or FormatException or InvalidCastException)
                {
                    return false;
                }

            case "DELIMITED":
                return Encoding.UTF8.GetString(actual) == (e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText());
            default:
                try
                {
                    var got = Decode(actual);
                    var want = FromJson(e);
                    actualText = got is null ? "null" : string.Join(",", got.Select(SqlValueComparer.Format));
                    return RowsEqual(want, got);
                }
                catch (Exception err) when (err is SerdeException or FormatException or InvalidCastException)
                {
                    return false;
                }
        }
    }

    public static bool RowsEqual(object?[]? a, object?[]? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!SqlValueComparer.Instance.Equals(a[i], b[i]) && !(a[i] is double x && b[i] is double y && x.Equals(y)))
            {
                return false;
            }
        }

        return true;
    }

    public string Describe(byte[]? bytes)
    {
        if (bytes is null)
        {
            return "null";
        }

        if (_format.Name is "JSON" or "DELIMITED")
        {
            return Encoding.UTF8.GetString(bytes);
        }

        try
        {
            var row = Decode(bytes);
            return row is null ? "null" : string.Join(",", row.Select(SqlValueComparer.Format));
        }
        catch (Exception ex) when (ex is SerdeException or FormatException)
        {
            return Convert.ToHexString(bytes);
        }
    }

    public override string ToString() => $"{_format.Name} {_schema}";

    internal FormatRegistry Formats => _formats;
}
