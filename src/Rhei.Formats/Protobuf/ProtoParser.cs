using System.Globalization;
using System.Text;

namespace Rhei.Formats.Protobuf;

/// <summary>
/// Parses <c>.proto</c> source (proto2 and proto3): syntax, package, imports, options (kept on fields, skipped
/// elsewhere), messages with nested messages and enums, fields with labels, <c>map&lt;K, V&gt;</c> (as synthesized
/// entry messages), oneofs, reserved ranges and extensions (skipped); services and <c>extend</c> blocks are skipped.
/// Types are linked afterwards (<see cref="ProtoLinker"/>). Errors are <see cref="FormatException"/>s with a line number.
/// </summary>
public sealed class ProtoParser
{
    private readonly List<(string Text, bool IsString, int Line)> _tokens;
    private int _pos;

    private ProtoParser(string source)
    {
        _tokens = Tokenize(source);
    }

    public static ProtoFile Parse(string source) => new ProtoParser(source).ParseFile();

    private ProtoFile ParseFile()
    {
        var file = new ProtoFile();
        while (!AtEnd)
        {
            var word = Peek();
            switch (word)
            {
                case ";":
                    Next();
                    break;
                case "syntax":
                case "edition":
                    Next();
                    Expect("=");
                    file.Syntax = NextString();
                    Expect(";");
                    break;
                case "package":
                    Next();
                    file.Package = NextIdentifier();
                    Expect(";");
                    break;
                case "import":
                    Next();
                    if (Peek() is "public" or "weak")
                    {
                        Next();
                    }

                    file.Imports.Add(NextString());
                    Expect(";");
                    break;
                case "option":
                    SkipOption();
                    break;
                case "message":
                    file.Messages.Add(ParseMessage());
                    break;
                case "enum":
                    file.Enums.Add(ParseEnum());
                    break;
                case "service":
                case "extend":
                    Next();
                    NextIdentifier();
                    SkipBlock();
                    break;
                default:
                    throw Error($"unexpected '{word}'");
            }
        }

        return file;
    }

    private ProtoMessage ParseMessage()
    {
        Expect("message");
        var message = new ProtoMessage { Name = NextIdentifier() };
        Expect("{");
        while (Peek() != "}")
        {
            ParseMessageElement(message, oneofIndex: -1);
        }

        Expect("}");
        return message;
    }

    private void ParseMessageElement(ProtoMessage message, int oneofIndex)
    {
        var word = Peek();
        switch (word)
        {
            case ";":
                Next();
                return;
            case "message" when oneofIndex < 0:
                message.Messages.Add(ParseMessage());
                return;
            case "enum" when oneofIndex < 0:
                message.Enums.Add(ParseEnum());
                return;
            case "option":
                SkipOption();
                return;
            case "reserved" or "extensions":
                SkipStatement();
                return;
            case "extend":
                Next();
                NextIdentifier();
                SkipBlock();
                return;
            case "oneof" when oneofIndex < 0:
                {
                    Next();
                    var index = message.Oneofs.Count;
                    message.Oneofs.Add(NextIdentifier());
                    Expect("{");
                    while (Peek() != "}")
                    {
                        ParseMessageElement(message, index);
                    }

                    Expect("}");
                    return;
                }

            case "map":
                if (PeekAt(1) == "<")
                {
                    ParseMapField(message);
                    return;
                }

                break;
        }

        var label = ProtoLabel.Implicit;
        switch (Peek())
        {
            case "repeated":
                Next();
                label = ProtoLabel.Repeated;
                break;
            case "optional":
                Next();
                label = ProtoLabel.Optional;
                break;
            case "required":
                Next();
                label = ProtoLabel.Required;
                break;
        }

        if (Peek() == "group")
        {
            throw Error("groups are not supported");
        }

        var typeName = NextIdentifier();
        var name = NextIdentifier();
        Expect("=");
        var number = NextInt();
        var options = ParseFieldOptions();
        Expect(";");
        message.Fields.Add(new ProtoField { Name = name, Number = number, Label = label, TypeName = typeName, OneofIndex = oneofIndex, Options = options });
    }

    private void ParseMapField(ProtoMessage message)
    {
        Expect("map");
        Expect("<");
        var keyType = NextIdentifier();
        Expect(",");
        var valueType = NextIdentifier();
        Expect(">");
        var name = NextIdentifier();
        Expect("=");
        var number = NextInt();
        var options = ParseFieldOptions();
        Expect(";");
        var entryName = MapEntryName(name);
        var entry = new ProtoMessage { Name = entryName, IsMapEntry = true };
        entry.Fields.Add(new ProtoField { Name = "key", Number = 1, TypeName = keyType, Label = ProtoLabel.Implicit });
        entry.Fields.Add(new ProtoField { Name = "value", Number = 2, TypeName = valueType, Label = ProtoLabel.Implicit });
        message.Messages.Add(entry);
        message.Fields.Add(new ProtoField { Name = name, Number = number, Label = ProtoLabel.Repeated, TypeName = entryName, Options = options });
    }

    /// <summary>protoc's entry name: the field name in CamelCase plus <c>Entry</c>.</summary>
    internal static string MapEntryName(string field)
    {
        var sb = new StringBuilder();
        var upper = true;
        foreach (var c in field)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return sb.Append("Entry").ToString();
    }

    private ProtoEnum ParseEnum()
    {
        Expect("enum");
        var e = new ProtoEnum { Name = NextIdentifier() };
        Expect("{");
        while (Peek() != "}")
        {
            switch (Peek())
            {
                case ";":
                    Next();
                    continue;
                case "option":
                    SkipOption();
                    continue;
                case "reserved":
                    SkipStatement();
                    continue;
            }

            var name = NextIdentifier();
            Expect("=");
            var number = NextInt();
            ParseFieldOptions();
            Expect(";");
            e.Values.Add((name, number));
        }

        Expect("}");
        return e;
    }

    private List<(string, ProtoOptionValue)> ParseFieldOptions()
    {
        var options = new List<(string, ProtoOptionValue)>();
        if (Peek() != "[")
        {
            return options;
        }

        Next();
        while (true)
        {
            var name = ParseOptionName();
            Expect("=");
            options.Add((name, ParseOptionValue()));
            if (Peek() == ",")
            {
                Next();
                continue;
            }

            Expect("]");
            return options;
        }
    }

    private string ParseOptionName()
    {
        var sb = new StringBuilder();
        while (true)
        {
            if (Peek() == "(")
            {
                Next();
                sb.Append('(').Append(NextIdentifier()).Append(')');
                Expect(")");
            }
            else
            {
                sb.Append(NextIdentifier());
            }

            if (Peek() is { } p && p.StartsWith('.') && p.Length > 1)
            {
                sb.Append(Next());
                continue;
            }

            if (Peek() == ".")
            {
                Next();
                sb.Append('.');
                continue;
            }

            return sb.ToString();
        }
    }

    private ProtoOptionValue ParseOptionValue()
    {
        var token = Peek();
        if (token == "{")
        {
            Next();
            var fields = new List<(string, ProtoOptionValue)>();
            while (Peek() != "}")
            {
                var name = Peek() == "[" ? SkipBracketName() : NextIdentifier();
                if (Peek() == ":")
                {
                    Next();
                }

                fields.Add((name, ParseOptionValue()));
                if (Peek() is "," or ";")
                {
                    Next();
                }
            }

            Expect("}");
            return new ProtoOptionValue { Fields = fields };
        }

        if (token == "[")
        {
            Next();
            var items = new List<ProtoOptionValue>();
            while (Peek() != "]")
            {
                items.Add(ParseOptionValue());
                if (Peek() == ",")
                {
                    Next();
                }
            }

            Expect("]");
            return new ProtoOptionValue { Items = items };
        }

        if (token == "-")
        {
            Next();
            return new ProtoOptionValue { Scalar = "-" + Next() };
        }

        var (text, isString, _) = _tokens[_pos++];
        if (isString)
        {
            // adjacent string literals concatenate
            var sb = new StringBuilder(text);
            while (!AtEnd && _tokens[_pos].IsString)
            {
                sb.Append(_tokens[_pos++].Text);
            }

            return new ProtoOptionValue { Scalar = sb.ToString() };
        }

        return new ProtoOptionValue { Scalar = text };
    }

    private string SkipBracketName()
    {
        Expect("[");
        var sb = new StringBuilder();
        while (Peek() != "]")
        {
            sb.Append(Next());
        }

        Next();
        return sb.ToString();
    }

    private void SkipOption()
    {
        Expect("option");
        ParseOptionName();
        Expect("=");
        ParseOptionValue();
        Expect(";");
    }

    private void SkipStatement()
    {
        while (Next() != ";")
        {
        }
    }

    private void SkipBlock()
    {
        Expect("{");
        var depth = 1;
        while (depth > 0)
        {
            var t = Next();
            if (t == "{")
            {
                depth++;
            }
            else if (t == "}")
            {
                depth--;
            }
        }
    }

    private bool AtEnd => _pos >= _tokens.Count;

    private string? Peek() => AtEnd ? null : _tokens[_pos].IsString ? "\"" : _tokens[_pos].Text;

    private string? PeekAt(int offset) => _pos + offset < _tokens.Count ? _tokens[_pos + offset].Text : null;

    private string Next()
    {
        if (AtEnd)
        {
            throw Error("unexpected end of input");
        }

        return _tokens[_pos++].Text;
    }

    private void Expect(string text)
    {
        var line = AtEnd ? LastLine : _tokens[_pos].Line;
        var actual = AtEnd ? "end of input" : _tokens[_pos].Text;
        if (AtEnd || _tokens[_pos].IsString || _tokens[_pos].Text != text)
        {
            throw new FormatException($"line {line}: expected '{text}' but found '{actual}'");
        }

        _pos++;
    }

    private string NextString()
    {
        if (AtEnd || !_tokens[_pos].IsString)
        {
            throw Error("expected a string");
        }

        var sb = new StringBuilder(_tokens[_pos++].Text);
        while (!AtEnd && _tokens[_pos].IsString)
        {
            sb.Append(_tokens[_pos++].Text);
        }

        return sb.ToString();
    }

    private string NextIdentifier()
    {
        if (AtEnd || _tokens[_pos].IsString)
        {
            throw Error("expected an identifier");
        }

        var text = _tokens[_pos].Text;
        if (!(char.IsAsciiLetter(text[0]) || text[0] == '_' || (text[0] == '.' && text.Length > 1)))
        {
            throw Error($"expected an identifier but found '{text}'");
        }

        _pos++;
        return text;
    }

    private int NextInt()
    {
        var negative = false;
        if (Peek() == "-")
        {
            Next();
            negative = true;
        }

        var text = Next();
        int value;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            value = int.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        else if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            throw Error($"expected a number but found '{text}'");
        }

        return negative ? -value : value;
    }

    private int LastLine => _tokens.Count == 0 ? 1 : _tokens[^1].Line;

    private FormatException Error(string message) => new($"line {(AtEnd ? LastLine : _tokens[_pos].Line)}: {message}");

    private static List<(string, bool, int)> Tokenize(string s)
    {
        var tokens = new List<(string, bool, int)>();
        var line = 1;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                while (i < s.Length && s[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + 2;
                line += s.AsSpan(i, end - i).Count('\n');
                i = end;
            }
            else if (c is '"' or '\'')
            {
                var sb = new StringBuilder();
                i++;
                while (i < s.Length && s[i] != c)
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                    {
                        i++;
                        sb.Append(s[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => s[i] });
                    }
                    else
                    {
                        sb.Append(s[i]);
                    }

                    i++;
                }

                if (i >= s.Length)
                {
                    throw new FormatException($"line {line}: unterminated string");
                }

                i++;
                tokens.Add((sb.ToString(), true, line));
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '_' || (c == '.' && i + 1 < s.Length && (char.IsAsciiLetter(s[i + 1]) || s[i + 1] == '_')))
            {
                var start = i;
                i++;
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_' || s[i] == '.'))
                {
                    i++;
                }

                tokens.Add((s[start..i], false, line));
            }
            else
            {
                tokens.Add((c.ToString(), false, line));
                i++;
            }
        }

        return tokens;
    }
}
