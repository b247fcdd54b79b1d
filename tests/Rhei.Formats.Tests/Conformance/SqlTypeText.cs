using System.Collections.Immutable;
using Rhei.Formats.Types;

namespace Rhei.Formats.Tests.Conformance;

/// <summary>
/// A small reader of ksqlDB column lists (<c>ID STRING KEY, `f0` STRUCT&lt;A INT&gt;</c>) for the test harness only —
/// the product's parser lives in Rhei.Sql. Unquoted names are upper-cased.
/// </summary>
internal sealed class SqlTypeText
{
    private readonly string _text;
    private int _pos;

    private SqlTypeText(string text)
    {
        _text = text;
    }

    public static List<(string Name, SqlType Type, bool Key)> ParseColumns(string text)
    {
        var reader = new SqlTypeText(text);
        var columns = new List<(string, SqlType, bool)>();
        while (true)
        {
            reader.SkipSpace();
            if (reader._pos >= text.Length)
            {
                return columns;
            }

            var name = reader.Identifier();
            var type = reader.Type();
            var key = false;
            reader.SkipSpace();
            if (reader.TryWord("PRIMARY"))
            {
                reader.Word("KEY");
                key = true;
            }
            else if (reader.TryWord("KEY"))
            {
                key = true;
            }

            columns.Add((name, type, key));
            reader.SkipSpace();
            if (reader._pos < text.Length)
            {
                reader.Expect(',');
            }
        }
    }

    private SqlType Type()
    {
        SkipSpace();
        var word = Identifier().ToUpperInvariant();
        switch (word)
        {
            case "BOOLEAN": return SqlTypes.Boolean;
            case "INT" or "INTEGER": return SqlTypes.Integer;
            case "BIGINT": return SqlTypes.BigInt;
            case "DOUBLE": return SqlTypes.Double;
            case "BYTES": return SqlTypes.Bytes;
            case "DATE": return SqlTypes.Date;
            case "TIME": return SqlTypes.Time;
            case "TIMESTAMP": return SqlTypes.Timestamp;
            case "STRING" or "VARCHAR":
                SkipSpace();
                if (_pos < _text.Length && _text[_pos] == '(')
                {
                    _pos = _text.IndexOf(')', _pos) + 1;
                }

                return SqlTypes.String;
            case "DECIMAL":
                {
                    Expect('(');
                    var p = Number();
                    Expect(',');
                    var s = Number();
                    Expect(')');
                    return SqlTypes.Decimal(p, s);
                }

            case "ARRAY":
                {
                    Expect('<');
                    var element = Type();
                    Expect('>');
                    return SqlTypes.Array(element);
                }

            case "MAP":
                {
                    Expect('<');
                    var key = Type();
                    Expect(',');
                    var value = Type();
                    Expect('>');
                    return SqlTypes.Map(key, value);
                }

            case "STRUCT":
                {
                    Expect('<');
                    var fields = ImmutableArray.CreateBuilder<SqlField>();
                    SkipSpace();
                    while (_text[_pos] != '>')
                    {
                        var name = Identifier();
                        fields.Add(new SqlField(name, Type()));
                        SkipSpace();
                        if (_text[_pos] == ',')
                        {
                            _pos++;
                            SkipSpace();
                        }
                    }

                    _pos++;
                    return new SqlStructType(fields.ToImmutable());
                }

            default:
                throw new FormatException($"Unknown type {word}");
        }
    }

    private string Identifier()
    {
        SkipSpace();
        if (_text[_pos] == '`')
        {
            var end = _text.IndexOf('`', _pos + 1);
            var quoted = _text[(_pos + 1)..end];
            _pos = end + 1;
            return quoted;
        }

        var start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '@'))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw new FormatException($"Expected a name at {_pos} in {_text}");
        }

        return _text[start.._pos].ToUpperInvariant();
    }

    private int Number()
    {
        SkipSpace();
        var start = _pos;
        while (char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }

        return int.Parse(_text[start.._pos], System.Globalization.CultureInfo.InvariantCulture);
    }

    private bool TryWord(string word)
    {
        SkipSpace();
        if (_pos + word.Length <= _text.Length && string.Compare(_text, _pos, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
            && (_pos + word.Length == _text.Length || !char.IsLetterOrDigit(_text[_pos + word.Length])))
        {
            _pos += word.Length;
            return true;
        }

        return false;
    }

    private void Word(string word)
    {
        if (!TryWord(word))
        {
            throw new FormatException($"Expected {word} at {_pos} in {_text}");
        }
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (_pos >= _text.Length || _text[_pos] != c)
        {
            throw new FormatException($"Expected '{c}' at {_pos} in {_text}");
        }

        _pos++;
        SkipSpace();
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }
}
