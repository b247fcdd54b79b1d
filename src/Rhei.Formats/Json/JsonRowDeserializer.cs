using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rhei.Formats.Conversion;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Json;

/// <summary>
/// Reads JSON with ksqlDB's leniency: properties matched to columns by exact or upper-cased name (unknown ones
/// ignored, missing ones NULL); numbers accepted as strings and truncated into INTEGER/BIGINT; any JSON as STRING
/// (numbers and booleans as their text, objects as compact JSON, arrays as <c>[a, b]</c>); DECIMAL from a number or
/// a string, which must fit the type without rounding; BYTES from Base64; DATE, TIME and TIMESTAMP from numbers
/// (days, ms of day, epoch ms). A wrapped row is an object; an unwrapped single column is a bare value; the text
/// <c>null</c> is a null row. Works on the bytes with <see cref="Utf8JsonReader"/>; allocates only the values.
/// </summary>
internal sealed class JsonRowDeserializer : RowDeserializer
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 1000 };

    private readonly JsonTypePlan _row;
    private readonly bool _unwrapped;
    private readonly bool _schemaRegistryHeader;
    private ArrayBufferWriter<byte>? _scratch;
    private Utf8JsonWriter? _scratchWriter;

    /// <param name="schemaRegistryHeader">Expect (and skip) the 5-byte schema-registry header of JSON_SR.</param>
    public JsonRowDeserializer(SerdeSchema schema, SerdeOptions options, bool schemaRegistryHeader = false)
        : base(schema, options)
    {
        _row = JsonTypePlan.ForRow(schema);
        _unwrapped = schema.Count == 1 && options.UnwrapSingle;
        _schemaRegistryHeader = schemaRegistryHeader;
    }

    public override bool Deserialize(ReadOnlySpan<byte> data, Span<object?> destination)
    {
        CheckWidth(destination);
        if (_schemaRegistryHeader)
        {
            if (data.Length < 5 || data[0] != 0)
            {
                throw SerdeException.Deserialize(Options, "Unknown magic byte!");
            }

            data = data[5..];
        }

        if (data.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw SerdeException.Deserialize(Options, "No content to map due to end-of-input");
        }

        var reader = new Utf8JsonReader(data, ReaderOptions);
        try
        {
            reader.Read();

            if (reader.TokenType == JsonTokenType.Null)
            {
                destination.Clear();
                return false;
            }

            if (_unwrapped)
            {
                destination[0] = ReadValue(ref reader, _row.Fields[0]);
            }
            else
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw CannotConvert(reader.TokenType, SqlBaseType.Struct);
                }

                ReadObject(ref reader, _row, destination);
            }

            return true;
        }
        catch (JsonPathException e)
        {
            throw SerdeException.Deserialize(Options, e.Describe(), e);
        }
        catch (JsonException e)
        {
            throw SerdeException.Deserialize(Options, e.Message, e);
        }
    }

    /// <summary>
    /// Reads an object (reader on StartObject) into one slot per field of <paramref name="plan"/>. A value matched only
    /// by its upper-cased name is tentative: if it does not fit the field, the error is kept and raised at the end of
    /// the object unless a property with the exact name fills the field (ksqlDB looks the exact name up first).
    /// </summary>
    private void ReadObject(ref Utf8JsonReader reader, JsonTypePlan plan, Span<object?> values)
    {
        values.Clear();
        var state = plan.MatchState;
        Array.Clear(state);
        var lookup = plan.Lookup!;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int exact, upper;
            if (reader.ValueIsEscaped)
            {
                lookup.MatchSlow(reader.GetString()!, out exact, out upper);
            }
            else
            {
                lookup.Match(reader.ValueSpan, out exact, out upper);
            }

            reader.Read();
            var takeExact = exact >= 0; // a repeated exact name overwrites, as Jackson's tree does
            var takeUpper = upper >= 0 && state[upper] == Unset;
            if (takeUpper)
            {
                ReadTentative(ref reader, plan, upper, values, advance: !takeExact);
            }

            if (takeExact)
            {
                values[exact] = ReadField(ref reader, plan, exact);
                state[exact] = Exact;
            }
            else if (!takeUpper)
            {
                reader.Skip();
            }
        }

        for (var i = 0; i < state.Length; i++)
        {
            if (state[i] == Failed)
            {
                var error = plan.PendingErrors[i]!;
                plan.PendingErrors[i] = null;
                throw error;
            }
        }
    }

    private const byte Unset = 0;
    private const byte Upper = 1;
    private const byte Exact = 2;
    private const byte Failed = 3;

    /// <summary>Reads a value matched by upper-cased name; leaves the reader after it only when <paramref name="advance"/>.</summary>
    private void ReadTentative(ref Utf8JsonReader reader, JsonTypePlan plan, int field, Span<object?> values, bool advance)
    {
        var copy = reader;
        try
        {
            values[field] = ReadField(ref copy, plan, field);
            plan.MatchState[field] = Upper;
        }
        catch (JsonPathException e)
        {
            values[field] = null;
            plan.MatchState[field] = Failed;
            plan.PendingErrors[field] = e;
            if (advance)
            {
                reader.Skip();
            }

            return;
        }

        if (advance)
        {
            reader = copy;
        }
    }

    private object? ReadField(ref Utf8JsonReader reader, JsonTypePlan plan, int field)
    {
        try
        {
            return ReadValue(ref reader, plan.Fields[field]);
        }
        catch (JsonPathException e)
        {
            e.Prepend("." + plan.FieldNames[field]);
            throw;
        }
    }

    /// <summary>Reads the value at the reader's current token as <paramref name="plan"/>'s type; the reader ends on the value's last token.</summary>
    private object? ReadValue(ref Utf8JsonReader reader, JsonTypePlan plan)
    {
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            return null;
        }

        switch (plan.BaseType)
        {
            case SqlBaseType.Boolean:
                return token switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    JsonTokenType.String when Ascii.EqualsIgnoreCase(StringSpan(ref reader), "true"u8) => true,
                    JsonTokenType.String when Ascii.EqualsIgnoreCase(StringSpan(ref reader), "false"u8) => false,
                    _ => throw CannotConvert(token, SqlBaseType.Boolean),
                };
            case SqlBaseType.Integer:
                return token switch
                {
                    JsonTokenType.Number => reader.TryGetInt32(out var i) ? i : unchecked((int)NumberToInt64(ref reader)),
                    JsonTokenType.String => int.TryParse(StringSpan(ref reader), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var si)
                        ? si
                        : throw CannotCoerce(SqlBaseType.Integer),
                    _ => throw CannotConvert(token, SqlBaseType.Integer),
                };
            case SqlBaseType.BigInt:
                return token switch
                {
                    JsonTokenType.Number => reader.TryGetInt64(out var l) ? l : NumberToInt64(ref reader),
                    JsonTokenType.String => long.TryParse(StringSpan(ref reader), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sl)
                        ? sl
                        : throw CannotCoerce(SqlBaseType.BigInt),
                    _ => throw CannotConvert(token, SqlBaseType.BigInt),
                };
            case SqlBaseType.Double:
                return token switch
                {
                    JsonTokenType.Number => reader.TryGetDouble(out var d) ? d : JavaDouble.TryParse(reader.ValueSpan, out var big) ? big : throw CannotCoerce(SqlBaseType.Double),
                    JsonTokenType.String => JavaDouble.TryParse(StringSpan(ref reader), out var sd) ? sd : throw CannotCoerce(SqlBaseType.Double),
                    _ => throw CannotConvert(token, SqlBaseType.Double),
                };
            case SqlBaseType.Decimal:
                {
                    var parsed = token switch
                    {
                        JsonTokenType.Number => DecimalValues.TryParse(reader.ValueSpan, out var m) ? m : throw CannotCoerce(SqlBaseType.Decimal),
                        JsonTokenType.String => DecimalValues.TryParse(StringSpan(ref reader), out var sm) ? sm : throw CannotCoerce(SqlBaseType.Decimal),
                        _ => throw CannotConvert(token, SqlBaseType.Decimal),
                    };
                    try
                    {
                        return DecimalValues.EnsureFit(parsed, plan.Precision, plan.Scale);
                    }
                    catch (OverflowException e)
                    {
                        throw new JsonPathException(e.Message);
                    }
                }

            case SqlBaseType.String:
                return token switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    JsonTokenType.StartObject => ObjectText(ref reader),
                    JsonTokenType.StartArray => ArrayText(ref reader),
                    _ => throw CannotConvert(token, SqlBaseType.String),
                };
            case SqlBaseType.Bytes:
                return token == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes)
                    ? bytes
                    : throw CannotConvert(token, SqlBaseType.Bytes);
            case SqlBaseType.Date:
                {
                    var days = ReadInt64(ref reader, SqlBaseType.Date);
                    try
                    {
                        return TemporalValues.DateFromEpochDays(days);
                    }
                    catch (OverflowException e)
                    {
                        throw new JsonPathException(e.Message);
                    }
                }

            case SqlBaseType.Time:
                {
                    var ms = ReadInt64(ref reader, SqlBaseType.Time);
                    try
                    {
                        return TemporalValues.TimeFromMillis(ms);
                    }
                    catch (OverflowException e)
                    {
                        throw new JsonPathException(e.Message);
                    }
                }

            case SqlBaseType.Timestamp:
                return ReadTimestamp(ref reader);
            case SqlBaseType.Array:
                {
                    if (token != JsonTokenType.StartArray)
                    {
                        throw CannotConvert(token, SqlBaseType.Array);
                    }

                    var list = new List<object?>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        try
                        {
                            list.Add(ReadValue(ref reader, plan.Element!));
                        }
                        catch (JsonPathException e)
                        {
                            e.Prepend($"[{list.Count}]");
                            throw;
                        }
                    }

                    return list;
                }

            case SqlBaseType.Map:
                {
                    if (token != JsonTokenType.StartObject)
                    {
                        throw CannotConvert(token, SqlBaseType.Map);
                    }

                    var map = new Dictionary<object, object?>();
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = reader.GetString()!;
                        reader.Read();
                        try
                        {
                            var key = plan.Key!.BaseType == SqlBaseType.String ? name : MapKey(name, plan.Key.Type);
                            map[key] = ReadValue(ref reader, plan.Value!);
                        }
                        catch (JsonPathException e)
                        {
                            e.Prepend($"['{name}']");
                            throw;
                        }
                    }

                    return map;
                }

            case SqlBaseType.Struct:
                {
                    if (token != JsonTokenType.StartObject)
                    {
                        throw CannotConvert(token, SqlBaseType.Struct);
                    }

                    var values = new object?[plan.Fields.Length];
                    ReadObject(ref reader, plan, values);
                    return new SqlStruct(plan.StructType!, values);
                }

            default:
                throw CannotConvert(token, plan.BaseType);
        }
    }

    private static long ReadInt64(ref Utf8JsonReader reader, SqlBaseType type) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.TryGetInt64(out var l) ? l : NumberToInt64(ref reader),
        JsonTokenType.String => long.TryParse(StringSpan(ref reader), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sl)
            ? sl
            : throw CannotCoerce(type),
        _ => throw CannotConvert(reader.TokenType, type),
    };

    private static DateTime ReadTimestamp(ref Utf8JsonReader reader)
    {
        try
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                var span = StringSpan(ref reader);
                if (long.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
                {
                    return TemporalValues.TimestampFromMillis(ms);
                }

                return TemporalValues.TryParseTimestamp(Encoding.UTF8.GetString(span), out var ts, out _)
                    ? ts
                    : throw CannotCoerce(SqlBaseType.Timestamp);
            }

            return TemporalValues.TimestampFromMillis(ReadInt64(ref reader, SqlBaseType.Timestamp));
        }
        catch (OverflowException e)
        {
            throw new JsonPathException(e.Message);
        }
    }

    /// <summary>Java's <c>longValue()</c> of a JSON number that is not a plain long: the fraction dropped, low 64 bits kept.</summary>
    private static long NumberToInt64(ref Utf8JsonReader reader)
    {
        if (DecimalValues.TryParse(reader.ValueSpan, out var m))
        {
            return DecimalValues.ToInt64Wrapping(m);
        }

        return JavaDouble.TryParse(reader.ValueSpan, out var d) ? CastFunctions.JavaDoubleToLong(d) : 0;
    }

    /// <summary>The unescaped bytes of a string token (no allocation unless it has escapes).</summary>
    private static ReadOnlySpan<byte> StringSpan(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;

    private static object MapKey(string name, SqlType keyType)
    {
        try
        {
            return SqlCoercion.CoerceStringLiteral(name, keyType) ?? name;
        }
        catch (FormatException e)
        {
            throw new JsonPathException(e.Message);
        }
    }

    /// <summary>An object as compact JSON text (Jackson's <c>writeValueAsString</c>).</summary>
    private string ObjectText(ref Utf8JsonReader reader)
    {
        var scratch = _scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        var writer = _scratchWriter ??= new Utf8JsonWriter(scratch, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        writer.Reset(scratch);
        Copy(ref reader, writer);
        writer.Flush();
        return Encoding.UTF8.GetString(scratch.WrittenSpan);
    }

    /// <summary>An array as ksqlDB turns it into a STRING: its elements as text, <c>[a, b]</c>.</summary>
    private string ArrayText(ref Utf8JsonReader reader)
    {
        var sb = new StringBuilder("[");
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            sb.Append(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                JsonTokenType.Null => "null",
                JsonTokenType.StartObject => ObjectText(ref reader),
                _ => ArrayText(ref reader),
            });
        }

        return sb.Append(']').ToString();
    }

    private static void Copy(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                writer.WriteStartObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    writer.WritePropertyName(reader.GetString()!);
                    reader.Read();
                    Copy(ref reader, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Copy(ref reader, writer);
                }

                writer.WriteEndArray();
                break;
            case JsonTokenType.String:
                writer.WriteStringValue(reader.GetString());
                break;
            case JsonTokenType.Number:
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
            case JsonTokenType.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonTokenType.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static JsonPathException CannotConvert(JsonTokenType token, SqlBaseType required) =>
        new($"Can't convert type. sourceType: {NodeName(token)}, requiredType: {required.SqlName()}");

    private static JsonPathException CannotCoerce(SqlBaseType required) =>
        new($"Can't coerce string to type. targetType: {required.SqlName()}");

    /// <summary>The Jackson node class ksqlDB's messages name.</summary>
    private static string NodeName(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "ObjectNode",
        JsonTokenType.StartArray => "ArrayNode",
        JsonTokenType.String => "TextNode",
        JsonTokenType.Number => "NumericNode",
        JsonTokenType.True or JsonTokenType.False => "BooleanNode",
        JsonTokenType.Null => "NullNode",
        _ => token.ToString(),
    };
}
