using System.Globalization;
using System.Text;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>
/// String (and BYTES) functions. Unless stated, a NULL argument gives NULL. Positions are 1-based and
/// count UTF-16 code units, as Java strings do.
/// </summary>
public static class StringFunctions
{
    /// <summary>Concatenates; NULL inputs count as empty.</summary>
    public static string? Concat(string?[] inputs)
    {
        var sb = new StringBuilder();
        foreach (var s in inputs)
        {
            sb.Append(s);
        }

        return sb.ToString();
    }

    public static byte[]? Concat(byte[]?[] inputs)
    {
        var length = 0;
        foreach (var b in inputs)
        {
            length += b?.Length ?? 0;
        }

        var result = new byte[length];
        var at = 0;
        foreach (var b in inputs)
        {
            if (b is not null)
            {
                b.CopyTo(result, at);
                at += b.Length;
            }
        }

        return result;
    }

    /// <summary>Concatenates with a separator, skipping NULL inputs; NULL when the separator is NULL.</summary>
    public static string? ConcatWs(string? separator, string?[] inputs) =>
        separator is null ? null : string.Join(separator, inputs.Where(s => s is not null));

    public static byte[]? ConcatWs(byte[]? separator, byte[]?[] inputs)
    {
        if (separator is null)
        {
            return null;
        }

        var parts = inputs.Where(b => b is not null).ToList();
        var result = new List<byte>();
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                result.AddRange(separator);
            }

            result.AddRange(parts[i]!);
        }

        return [.. result];
    }

    public static string? Ucase(string? s) => s?.ToUpperInvariant();

    public static string? Lcase(string? s) => s?.ToLowerInvariant();

    /// <summary>Removes characters up to U+0020 (spaces and control characters) from both ends, as Java's <c>String.trim</c>.</summary>
    public static string? Trim(string? s)
    {
        if (s is null)
        {
            return null;
        }

        var start = 0;
        var end = s.Length;
        while (start < end && s[start] <= ' ')
        {
            start++;
        }

        while (end > start && s[end - 1] <= ' ')
        {
            end--;
        }

        return start == 0 && end == s.Length ? s : s[start..end];
    }

    public static int? Len(string? s) => s?.Length;

    public static int? Len(byte[]? b) => b?.Length;

    /// <summary>Upper-cases the first letter of each whitespace-delimited word and lower-cases the rest; whitespace is kept as is.</summary>
    public static string? Initcap(string? s)
    {
        if (s is null)
        {
            return null;
        }

        var chars = s.ToCharArray();
        var startOfWord = true;
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsWhiteSpace(c))
            {
                startOfWord = true;
                continue;
            }

            chars[i] = startOfWord ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
            startOfWord = false;
        }

        return new string(chars);
    }

    /// <summary>
    /// SUBSTRING(str, pos): from 1-based <paramref name="pos"/> to the end; a negative position counts from
    /// the end; positions before the start clamp to it (so 0 acts as 1).
    /// </summary>
    public static string? Substring(string? s, int? pos) =>
        s is null || pos is not { } p ? null : s[StartIndex(s.Length, p)..];

    public static string? Substring(string? s, int? pos, int? length)
    {
        if (s is null || pos is not { } p || length is not { } l)
        {
            return null;
        }

        var start = StartIndex(s.Length, p);
        return s[start..EndIndex(s.Length, start, l)];
    }

    public static byte[]? Substring(byte[]? b, int? pos) =>
        b is null || pos is not { } p ? null : b[StartIndex(b.Length, p)..];

    public static byte[]? Substring(byte[]? b, int? pos, int? length)
    {
        if (b is null || pos is not { } p || length is not { } l)
        {
            return null;
        }

        var start = StartIndex(b.Length, p);
        return b[start..EndIndex(b.Length, start, l)];
    }

    private static int StartIndex(int length, int pos) =>
        pos < 0 ? Math.Max(length + pos, 0) : Math.Clamp(pos - 1, 0, length);

    private static int EndIndex(int length, int start, int count) =>
        (int)Math.Max(Math.Min((long)start + count, length), start);

    /// <summary>INSTR(str, substr): the 1-based position of the first occurrence, 0 when absent (also when str or substr is NULL).</summary>
    public static int? Instr(string? s, string? sub) => Instr(s, sub, 1, 1);

    public static int? Instr(string? s, string? sub, int? position) => Instr(s, sub, position, 1);

    /// <summary>
    /// INSTR with a start position (negative: search backward from that many characters before the end)
    /// and an occurrence number.
    /// </summary>
    public static int? Instr(string? s, string? sub, int? position, int? occurrence)
    {
        if (position is not { } p || occurrence is not { } n)
        {
            return null;
        }

        if (s is null || sub is null || n <= 0 || p == 0)
        {
            return 0;
        }

        var index = -1;
        if (p > 0)
        {
            var from = p - 1;
            for (var k = 0; k < n; k++)
            {
                if (from > s.Length)
                {
                    return 0;
                }

                index = s.IndexOf(sub, from, StringComparison.Ordinal);
                if (index < 0)
                {
                    return 0;
                }

                from = index + 1;
            }
        }
        else
        {
            var from = s.Length + p;
            for (var k = 0; k < n; k++)
            {
                index = LastIndexOf(s, sub, from);
                if (index < 0)
                {
                    return 0;
                }

                from = index - 1;
            }
        }

        return index + 1;
    }

    /// <summary>Java's <c>lastIndexOf(str, fromIndex)</c>: the last match starting at or before <paramref name="from"/>.</summary>
    private static int LastIndexOf(string s, string sub, int from)
    {
        for (var k = Math.Min(from, s.Length - sub.Length); k >= 0; k--)
        {
            if (s.AsSpan(k).StartsWith(sub, StringComparison.Ordinal))
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>
    /// LPAD: pads on the left with <paramref name="padding"/> repeated up to <paramref name="length"/>, or
    /// truncates to it; NULL when the padding is empty or the length negative.
    /// </summary>
    public static string? Lpad(string? input, int? length, string? padding) => Pad(input, length, padding, left: true);

    public static string? Rpad(string? input, int? length, string? padding) => Pad(input, length, padding, left: false);

    public static byte[]? Lpad(byte[]? input, int? length, byte[]? padding) => Pad(input, length, padding, left: true);

    public static byte[]? Rpad(byte[]? input, int? length, byte[]? padding) => Pad(input, length, padding, left: false);

    private static string? Pad(string? input, int? length, string? padding, bool left)
    {
        if (input is null || length is not { } len || padding is null || padding.Length == 0 || len < 0)
        {
            return null;
        }

        if (len <= input.Length)
        {
            return input[..len];
        }

        var sb = new StringBuilder(len);
        var padLength = len - input.Length;
        if (!left)
        {
            sb.Append(input);
        }

        while (padLength > 0)
        {
            var take = Math.Min(padLength, padding.Length);
            sb.Append(padding, 0, take);
            padLength -= take;
        }

        if (left)
        {
            sb.Append(input);
        }

        return sb.ToString();
    }

    private static byte[]? Pad(byte[]? input, int? length, byte[]? padding, bool left)
    {
        if (input is null || length is not { } len || padding is null || padding.Length == 0 || len < 0)
        {
            return null;
        }

        if (len <= input.Length)
        {
            return input[..len];
        }

        var result = new byte[len];
        var padLength = len - input.Length;
        var padStart = left ? 0 : input.Length;
        for (var i = 0; i < padLength; i++)
        {
            result[padStart + i] = padding[i % padding.Length];
        }

        input.CopyTo(result, left ? padLength : 0);
        return result;
    }

    /// <summary>Replaces every occurrence of a substring (an empty one matches between all characters, as in Java).</summary>
    public static string? Replace(string? s, string? search, string? replacement)
    {
        if (s is null || search is null || replacement is null)
        {
            return null;
        }

        if (search.Length > 0)
        {
            return s.Replace(search, replacement, StringComparison.Ordinal);
        }

        var sb = new StringBuilder(s.Length + ((s.Length + 1) * replacement.Length));
        sb.Append(replacement);
        foreach (var c in s)
        {
            sb.Append(c).Append(replacement);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Splits on a delimiter, keeping empty parts; an empty delimiter splits into characters; no
    /// delimiter found gives the input as the only element.
    /// </summary>
    public static List<object?>? Split(string? s, string? delimiter)
    {
        if (s is null || delimiter is null)
        {
            return null;
        }

        if (delimiter.Length == 0)
        {
            return [.. s.Select(c => (object?)c.ToString())];
        }

        return [.. s.Split(delimiter).Cast<object?>()];
    }

    public static List<object?>? Split(byte[]? b, byte[]? delimiter)
    {
        if (b is null || delimiter is null)
        {
            return null;
        }

        var result = new List<object?>();
        if (delimiter.Length == 0)
        {
            foreach (var x in b)
            {
                result.Add(new[] { x });
            }

            return result;
        }

        var start = 0;
        var span = b.AsSpan();
        while (true)
        {
            var i = span[start..].IndexOf(delimiter);
            if (i < 0)
            {
                result.Add(b[start..]);
                return result;
            }

            result.Add(b[start..(start + i)]);
            start += i + delimiter.Length;
        }
    }

    /// <summary>
    /// SPLIT_TO_MAP: entries split by one delimiter, keys and values by another; entries without the
    /// key-value delimiter are skipped; a later duplicate key wins. NULL when a delimiter is NULL or empty.
    /// </summary>
    public static Dictionary<object, object?>? SplitToMap(string? input, string? entryDelimiter, string? kvDelimiter)
    {
        if (input is null || string.IsNullOrEmpty(entryDelimiter) || string.IsNullOrEmpty(kvDelimiter))
        {
            return null;
        }

        var map = new Dictionary<object, object?>();
        foreach (var entry in input.Split(entryDelimiter))
        {
            if (entry.Length == 0)
            {
                continue;
            }

            var parts = entry.Split(kvDelimiter);
            if (parts.Length >= 2)
            {
                map[parts[0]] = parts[1];
            }
        }

        return map;
    }

    /// <summary>CHR(code): the character of a Unicode code point; NULL for an invalid one.</summary>
    public static string? Chr(int? code) =>
        code is { } c && c >= 0 && c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF) ? char.ConvertFromUtf32(c) : null;

    /// <summary>CHR('\uXXXX'): the character a Java-style escape (or a surrogate-pair of them) names; NULL otherwise.</summary>
    public static string? Chr(string? code)
    {
        if (code is null || code.Length < 6 || code.Length % 6 != 0)
        {
            return null;
        }

        var sb = new StringBuilder();
        for (var i = 0; i < code.Length; i += 6)
        {
            if (code[i] != '\\' || code[i + 1] != 'u'
                || !ushort.TryParse(code.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
            {
                return null;
            }

            sb.Append((char)unit);
        }

        var s = sb.ToString();
        var single = s.Length == 1 && !char.IsSurrogate(s[0]);
        var pair = s.Length == 2 && char.IsSurrogatePair(s[0], s[1]);
        return single || pair ? s : null;
    }

    /// <summary>UUID(): a random (version 4) UUID.</summary>
    public static string? Uuid() => Guid.NewGuid().ToString("D");

    /// <summary>UUID(bytes): the UUID whose 16 bytes (big-endian) are given.</summary>
    public static string? Uuid(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        if (bytes.Length != 16)
        {
            throw new SqlFunctionException($"UUID needs 16 bytes, got {bytes.Length}.");
        }

        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
