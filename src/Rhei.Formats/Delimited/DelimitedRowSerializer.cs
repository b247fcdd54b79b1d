using System.Buffers;
using System.Globalization;
using System.Text;
using Rhei.Formats.Conversion;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Delimited;

/// <summary>
/// Writes a row as one CSV record without a line terminator. NULL is an empty field. Fields are quoted as Apache
/// Commons CSV's minimal quoting does (the version ksqlDB uses): the first field when it does not start with a letter
/// or digit, any field starting with a char up to <c>#</c>, containing a quote, CR, LF or the delimiter, or ending in
/// a char up to space.
/// </summary>
internal sealed class DelimitedRowSerializer : RowSerializer
{
    private readonly char _delimiter;
    private char[] _chars = new char[128];

    public DelimitedRowSerializer(SerdeSchema schema, SerdeOptions options, char delimiter)
        : base(schema, options)
    {
        _delimiter = delimiter;
    }

    public override bool Serialize(ReadOnlySpan<object?> row, IBufferWriter<byte> output)
    {
        CheckWidth(row);
        for (var i = 0; i < row.Length; i++)
        {
            if (i > 0)
            {
                WriteChar(output, _delimiter);
            }

            if (row[i] is not { } value)
            {
                continue;
            }

            ReadOnlySpan<char> text;
            try
            {
                text = Format(value, Schema[i].Type);
            }
            catch (InvalidCastException e)
            {
                throw SerdeException.Serialize(Options, $"{e.Message} (column `{Schema[i].Name}`)", e);
            }

            WriteField(output, text, first: i == 0);
        }

        return true;
    }

    private ReadOnlySpan<char> Format(object value, SqlType type)
    {
        int n;
        switch (type.BaseType)
        {
            case SqlBaseType.String:
                return RowValues.ToStringValue(value, type);
            case SqlBaseType.Boolean:
                return RowValues.ToBoolean(value, type) ? "true" : "false";
            case SqlBaseType.Integer:
                RowValues.ToInt32(value, type).TryFormat(_chars, out n, default, CultureInfo.InvariantCulture);
                break;
            case SqlBaseType.BigInt:
                RowValues.ToInt64(value, type).TryFormat(_chars, out n, default, CultureInfo.InvariantCulture);
                break;
            case SqlBaseType.Double:
                JavaDouble.TryFormat(RowValues.ToDouble(value, type), _chars, out n);
                break;
            case SqlBaseType.Decimal:
                {
                    var scale = ((SqlDecimalType)type).Scale;
                    Ensure(48 + scale);
                    DecimalValues.TryFormat(RowValues.ToDecimal(value, type), scale, _chars, out n);
                    break;
                }

            case SqlBaseType.Date:
                RowValues.ToEpochDays(value, type).TryFormat(_chars, out n, default, CultureInfo.InvariantCulture);
                break;
            case SqlBaseType.Time:
                RowValues.ToMillisOfDay(value, type).TryFormat(_chars, out n, default, CultureInfo.InvariantCulture);
                break;
            case SqlBaseType.Timestamp:
                RowValues.ToEpochMillis(value, type).TryFormat(_chars, out n, default, CultureInfo.InvariantCulture);
                break;
            case SqlBaseType.Bytes:
                {
                    var bytes = RowValues.ToBytes(value, type);
                    Ensure(((bytes.Length + 2) / 3 * 4) + 4);
                    Convert.TryToBase64Chars(bytes, _chars, out n);
                    break;
                }

            default:
                throw RowValues.Mismatch(value, type);
        }

        return _chars.AsSpan(0, n);
    }

    private void WriteField(IBufferWriter<byte> output, ReadOnlySpan<char> text, bool first)
    {
        if (!NeedsQuotes(text, first, _delimiter))
        {
            WriteChars(output, text);
            return;
        }

        WriteChar(output, '"');
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                WriteChars(output, text[start..(i + 1)]);
                start = i; // the quote is written again: doubled
            }
        }

        WriteChars(output, text[start..]);
        WriteChar(output, '"');
    }

    internal static bool NeedsQuotes(ReadOnlySpan<char> text, bool first, char delimiter)
    {
        if (text.Length == 0)
        {
            return first;
        }

        var c = text[0];
        if (first && !(char.IsAsciiDigit(c) || char.IsAsciiLetter(c)))
        {
            return true;
        }

        if (c <= '#')
        {
            return true;
        }

        foreach (var ch in text)
        {
            if (ch is '\n' or '\r' or '"' || ch == delimiter)
            {
                return true;
            }
        }

        return text[^1] <= ' ';
    }

    private static void WriteChars(IBufferWriter<byte> output, ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return;
        }

        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(chars.Length));
        output.Advance(Encoding.UTF8.GetBytes(chars, span));
    }

    private static void WriteChar(IBufferWriter<byte> output, char c)
    {
        if (c < 0x80)
        {
            output.GetSpan(1)[0] = (byte)c;
            output.Advance(1);
        }
        else
        {
            WriteChars(output, [c]);
        }
    }

    private void Ensure(int length)
    {
        if (_chars.Length < length)
        {
            _chars = new char[Math.Max(length, _chars.Length * 2)];
        }
    }
}
