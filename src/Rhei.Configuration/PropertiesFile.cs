using System.Globalization;
using System.Text;

namespace Rhei.Configuration;

/// <summary>One <c>key=value</c> entry of a properties file; <see cref="Line"/> is where it starts (1-based).</summary>
public sealed record PropertyEntry(string Key, string Value, int Line);

/// <summary>A syntax problem in a properties file, at a 1-based line.</summary>
public sealed record PropertySyntaxError(int Line, string Message);

/// <summary>
/// Reads the Java properties syntax that Kafka's and ksqlDB's <c>*.properties</c> files use:
/// <c>key=value</c>, <c>key: value</c> or <c>key value</c>; lines starting with <c>#</c> or <c>!</c> are comments;
/// a line ending in an odd number of <c>\</c> continues on the next (whose leading white space is dropped);
/// escapes <c>\t \n \r \f \uXXXX</c>, and <c>\</c> before any other character stands for that character.
/// Unlike <c>java.util.Properties.load(InputStream)</c>, files are read as UTF-8 (identical for ASCII).
/// A key given twice keeps its last value.
/// </summary>
public static class PropertiesFile
{
    /// <summary>Parses properties text. Entries are returned in file order; malformed escapes become errors.</summary>
    public static (IReadOnlyList<PropertyEntry> Entries, IReadOnlyList<PropertySyntaxError> Errors) Parse(string text)
    {
        var entries = new List<PropertyEntry>();
        var errors = new List<PropertySyntaxError>();
        var lines = SplitLines(text);
        var logical = new StringBuilder();
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index];
            var start = SkipWhitespace(line, 0);
            if (start == line.Length || line[start] is '#' or '!')
            {
                continue;
            }
            var firstLine = index + 1;
            logical.Clear();
            var piece = line[start..];
            while (EndsWithContinuation(piece))
            {
                logical.Append(piece, 0, piece.Length - 1);
                if (index + 1 >= lines.Count)
                {
                    piece = "";
                    break;
                }
                index++;
                var next = lines[index];
                piece = next[SkipWhitespace(next, 0)..];
            }
            logical.Append(piece);
            SplitEntry(logical.ToString(), firstLine, entries, errors);
        }
        return (entries, errors);
    }

    private static void SplitEntry(string line, int lineNumber, List<PropertyEntry> entries, List<PropertySyntaxError> errors)
    {
        var keyEnd = 0;
        var escaped = false;
        for (; keyEnd < line.Length; keyEnd++)
        {
            var c = line[keyEnd];
            if (escaped)
            {
                escaped = false;
            }
            else if (c == '\\')
            {
                escaped = true;
            }
            else if (c is '=' or ':' || IsWhitespace(c))
            {
                break;
            }
        }
        // After the key: white space, at most one '=' or ':' (unless the key already ended on one), white space.
        var hasSeparator = keyEnd < line.Length && line[keyEnd] is '=' or ':';
        var valueStart = Math.Min(keyEnd + 1, line.Length);
        while (valueStart < line.Length)
        {
            var c = line[valueStart];
            if (!IsWhitespace(c))
            {
                if (hasSeparator || c is not ('=' or ':'))
                {
                    break;
                }
                hasSeparator = true;
            }
            valueStart++;
        }
        var key = Unescape(line[..keyEnd], lineNumber, errors);
        var value = Unescape(line[valueStart..], lineNumber, errors);
        if (key is not null && value is not null)
        {
            entries.Add(new PropertyEntry(key, value, lineNumber));
        }
    }

    private static string? Unescape(string text, int lineNumber, List<PropertySyntaxError> errors)
    {
        if (!text.Contains('\\'))
        {
            return text;
        }
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i == text.Length - 1)
            {
                if (c != '\\')
                {
                    sb.Append(c);
                }
                continue;
            }
            var e = text[++i];
            switch (e)
            {
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    if (i + 4 < text.Length
                        && ushort.TryParse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        sb.Append((char)code);
                        i += 4;
                    }
                    else
                    {
                        var shown = text.Substring(i - 1, Math.Min(6, text.Length - i + 1));
                        errors.Add(new PropertySyntaxError(lineNumber, $"malformed escape '{shown}': \\u must be followed by four hexadecimal digits"));
                        return null;
                    }
                    break;
                default: sb.Append(e); break;
            }
        }
        return sb.ToString();
    }

    private static bool EndsWithContinuation(string line)
    {
        var count = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            count++;
        }
        return count % 2 == 1;
    }

    private static int SkipWhitespace(string s, int from)
    {
        while (from < s.Length && IsWhitespace(s[from]))
        {
            from++;
        }
        return from;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\f';

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\n' or '\r')
            {
                lines.Add(text[start..i]);
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }
        return lines;
    }
}
