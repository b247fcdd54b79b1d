using System.Globalization;
using System.Text;
using Rhei.Formats.Conversion;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Delimited;

/// <summary>
/// Reads the first CSV record of the bytes (Apache Commons CSV rules: a field starting with <c>"</c> is quoted and
/// <c>""</c> inside it is a quote; a quote elsewhere is literal) and parses each field as its column's type (Java's
/// parsers: <c>Integer.parseInt</c>, <c>Double.parseDouble</c>, <c>new BigDecimal</c>, <c>Boolean.parseBoolean</c>).
/// An empty field is NULL. The field count must equal the column count.
/// </summary>
internal sealed class DelimitedRowDeserializer : RowDeserializer
{
    private readonly char _delimiter;
    private char[] _chars = new char[256];
    private (int Start, int Length)[] _fields = new (int, int)[8];

    public DelimitedRowDeserializer(SerdeSchema schema, SerdeOptions options, char delimiter)
        : base(schema, options)
    {
        _delimiter = delimiter;
    }

    public override bool Deserialize(ReadOnlySpan<byte> data, Span<object?> destination)
    {
        CheckWidth(destination);
        var charCount = Encoding.UTF8.GetMaxCharCount(data.Length);
        if (_chars.Length < charCount)
        {
            _chars = new char[Math.Max(charCount, _chars.Length * 2)];
        }

        var length = Encoding.UTF8.GetChars(data, _chars);
        var count = ParseRecord(length);
        if (count != Schema.Count)
        {
            throw SerdeException.Deserialize(Options,
                $"Column count mismatch on deserialization. topic: {Options.Topic}, expected: {Schema.Count}, got: {count}");
        }

        for (var i = 0; i < count; i++)
        {
            var (start, len) = _fields[i];
            try
            {
                destination[i] = len == 0 ? null : Parse(_chars.AsSpan(start, len), i);
            }
            catch (OverflowException e)
            {
                throw SerdeException.Deserialize(Options, $"{e.Message} (column `{Schema[i].Name}`)", e);
            }
        }

        return true;
    }

    /// <summary>Splits the first record into fields, unescaping quoted fields in place. Returns the field count.</summary>
    private int ParseRecord(int length)
    {
        var chars = _chars;
        var pos = 0;

        // Empty lines before the record are skipped (ignoreEmptyLines).
        while (pos < length && chars[pos] is '\r' or '\n')
        {
            pos++;
        }

        var count = 0;
        while (true)
        {
            var start = pos;
            var write = pos;
            var endOfRecord = false;
            if (pos < length && chars[pos] == '"')
            {
                pos++;
                while (true)
                {
                    if (pos >= length)
                    {
                        throw SerdeException.Deserialize(Options, "EOF reached before encapsulated token finished");
                    }

                    var c = chars[pos++];
                    if (c == '"')
                    {
                        if (pos < length && chars[pos] == '"')
                        {
                            chars[write++] = '"';
                            pos++;
                            continue;
                        }

                        break;
                    }

                    chars[write++] = c;
                }

                // After the closing quote: spaces, then a delimiter, a line end, or the end.
                while (pos < length && chars[pos] != _delimiter && chars[pos] is not ('\r' or '\n'))
                {
                    if (!char.IsWhiteSpace(chars[pos]))
                    {
                        throw SerdeException.Deserialize(Options, "Invalid char between encapsulated token and delimiter");
                    }

                    pos++;
                }
            }
            else
            {
                while (pos < length && chars[pos] != _delimiter && chars[pos] is not ('\r' or '\n'))
                {
                    pos++;
                }

                write = pos;
            }

            AddField(count++, start, write - start);
            if (pos >= length || chars[pos] is '\r' or '\n')
            {
                endOfRecord = true;
            }
            else
            {
                pos++; // the delimiter
            }

            if (endOfRecord)
            {
                return count;
            }
        }
    }

    private void AddField(int index, int start, int length)
    {
        if (index == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }

        _fields[index] = (start, length);
    }

    private object Parse(ReadOnlySpan<char> text, int column)
    {
        var type = Schema[column].Type;
        switch (type.BaseType)
        {
            case SqlBaseType.String:
                return new string(text);
            case SqlBaseType.Boolean:
                return text.Equals("true", StringComparison.OrdinalIgnoreCase);
            case SqlBaseType.Integer:
                return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : throw Invalid(text, column);
            case SqlBaseType.BigInt:
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : throw Invalid(text, column);
            case SqlBaseType.Double:
                return JavaDouble.TryParse(text, out var d) ? d : throw Invalid(text, column);
            case SqlBaseType.Decimal:
                {
                    var decimalType = (SqlDecimalType)type;
                    if (!DecimalValues.TryParse(text, out var m))
                    {
                        throw Invalid(text, column);
                    }

                    return DecimalValues.EnsureFit(m, decimalType.Precision, decimalType.Scale);
                }

            case SqlBaseType.Date:
                return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var days)
                    ? TemporalValues.DateFromEpochDays(days)
                    : throw Invalid(text, column);
            case SqlBaseType.Time:
                return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
                    ? TemporalValues.TimeFromMillis(ms)
                    : throw Invalid(text, column);
            case SqlBaseType.Timestamp:
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epoch)
                    ? TemporalValues.TimestampFromMillis(epoch)
                    : throw Invalid(text, column);
            case SqlBaseType.Bytes:
                {
                    var bytes = new byte[(text.Length * 3 / 4) + 3];
                    return Convert.TryFromBase64Chars(text, bytes, out var n) ? bytes.AsSpan(0, n).ToArray() : throw Invalid(text, column);
                }

            default:
                throw Invalid(text, column);
        }
    }

    private SerdeException Invalid(ReadOnlySpan<char> text, int column) =>
        SerdeException.Deserialize(Options,
            $"Invalid {Schema[column].Type.BaseType.SqlName()} value for column `{Schema[column].Name}`: \"{text}\"");
}
