using System.Buffers;
using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rhei.Formats.Conversion;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Json;

/// <summary>
/// Writes rows as JSON the way ksqlDB does: an object of the columns (names as declared, NULLs written), or the
/// single column's value alone when unwrapped (an unwrapped NULL is null bytes). DOUBLE uses Java's text
/// (<c>1.0</c>, <c>1.0E10</c>; NaN and infinities as strings), DECIMAL a number with the type's scale (<c>1.10</c>),
/// BYTES Base64, DATE days, TIME ms of day, TIMESTAMP epoch ms, MAP an object. One reusable writer; no allocations
/// beyond the output.
/// </summary>
internal sealed class JsonRowSerializer : RowSerializer
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
        Indented = false,
    };

    private readonly JsonTypePlan _row;
    private readonly bool _unwrapped;
    private readonly byte[] _prefix;
    private readonly Utf8JsonWriter _writer = new(new ArrayBufferWriter<byte>(1), WriterOptions);

    /// <param name="prefix">Bytes written before the JSON (the schema-registry header of JSON_SR).</param>
    public JsonRowSerializer(SerdeSchema schema, SerdeOptions options, byte[]? prefix = null)
        : base(schema, options)
    {
        _row = JsonTypePlan.ForRow(schema);
        _unwrapped = schema.Count == 1 && options.UnwrapSingle;
        _prefix = prefix ?? [];
    }

    public override bool Serialize(ReadOnlySpan<object?> row, IBufferWriter<byte> output)
    {
        CheckWidth(row);
        if (_unwrapped && row[0] is null)
        {
            return false;
        }

        if (_prefix.Length > 0)
        {
            output.Write(_prefix);
        }

        _writer.Reset(output);
        try
        {
            if (_unwrapped)
            {
                WriteValue(row[0]!, _row.Fields[0]);
            }
            else
            {
                _writer.WriteStartObject();
                for (var i = 0; i < row.Length; i++)
                {
                    _writer.WritePropertyName(_row.EncodedNames[i]);
                    Write(row[i], _row.Fields[i]);
                }

                _writer.WriteEndObject();
            }

            _writer.Flush();
        }
        catch (InvalidCastException e)
        {
            _writer.Reset();
            throw SerdeException.Serialize(Options, e.Message, e);
        }

        return true;
    }

    private void Write(object? value, JsonTypePlan plan)
    {
        if (value is null)
        {
            _writer.WriteNullValue();
        }
        else
        {
            WriteValue(value, plan);
        }
    }

    private void WriteValue(object value, JsonTypePlan plan)
    {
        var type = plan.Type;
        switch (plan.BaseType)
        {
            case SqlBaseType.Boolean:
                _writer.WriteBooleanValue(RowValues.ToBoolean(value, type));
                break;
            case SqlBaseType.Integer:
                _writer.WriteNumberValue(RowValues.ToInt32(value, type));
                break;
            case SqlBaseType.BigInt:
                _writer.WriteNumberValue(RowValues.ToInt64(value, type));
                break;
            case SqlBaseType.Double:
                WriteDouble(RowValues.ToDouble(value, type));
                break;
            case SqlBaseType.Decimal:
                {
                    Span<byte> text = stackalloc byte[48 + plan.Scale];
                    DecimalValues.TryFormat(RowValues.ToDecimal(value, type), plan.Scale, text, out var n);
                    _writer.WriteRawValue(text[..n], skipInputValidation: true);
                    break;
                }

            case SqlBaseType.String:
                _writer.WriteStringValue(RowValues.ToStringValue(value, type));
                break;
            case SqlBaseType.Bytes:
                _writer.WriteBase64StringValue(RowValues.ToBytes(value, type));
                break;
            case SqlBaseType.Date:
                _writer.WriteNumberValue(RowValues.ToEpochDays(value, type));
                break;
            case SqlBaseType.Time:
                _writer.WriteNumberValue(RowValues.ToMillisOfDay(value, type));
                break;
            case SqlBaseType.Timestamp:
                _writer.WriteNumberValue(RowValues.ToEpochMillis(value, type));
                break;
            case SqlBaseType.Array:
                if (value is not IList list)
                {
                    throw RowValues.Mismatch(value, type);
                }

                _writer.WriteStartArray();
                for (var i = 0; i < list.Count; i++)
                {
                    Write(list[i], plan.Element!);
                }

                _writer.WriteEndArray();
                break;
            case SqlBaseType.Map:
                if (value is not IDictionary map)
                {
                    throw RowValues.Mismatch(value, type);
                }

                _writer.WriteStartObject();
                foreach (DictionaryEntry e in map)
                {
                    _writer.WritePropertyName(e.Key as string ?? SqlValueText.ToSqlString(e.Key) ?? "null");
                    Write(e.Value, plan.Value!);
                }

                _writer.WriteEndObject();
                break;
            case SqlBaseType.Struct:
                if (value is not SqlStruct st)
                {
                    throw RowValues.Mismatch(value, type);
                }

                WriteStruct(st, plan);
                break;
            default:
                throw RowValues.Mismatch(value, type);
        }
    }

    private void WriteStruct(SqlStruct st, JsonTypePlan plan)
    {
        _writer.WriteStartObject();
        if (ReferenceEquals(st.Type, plan.StructType) || st.Type.Equals(plan.StructType))
        {
            for (var i = 0; i < plan.Fields.Length; i++)
            {
                _writer.WritePropertyName(plan.EncodedNames[i]);
                Write(st[i], plan.Fields[i]);
            }
        }
        else
        {
            // A struct of another shape: write the declared fields, by name.
            for (var i = 0; i < plan.Fields.Length; i++)
            {
                _writer.WritePropertyName(plan.EncodedNames[i]);
                Write(st.Get(plan.FieldNames[i]), plan.Fields[i]);
            }
        }

        _writer.WriteEndObject();
    }

    private void WriteDouble(double d)
    {
        if (!double.IsFinite(d))
        {
            _writer.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
            return;
        }

        Span<byte> text = stackalloc byte[JavaDouble.MaxLength];
        JavaDouble.TryFormat(d, text, out var n);
        _writer.WriteRawValue(text[..n], skipInputValidation: true);
    }
}
