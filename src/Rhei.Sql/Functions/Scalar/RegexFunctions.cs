using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>
/// Regular-expression functions. Patterns use Java syntax; the common subset is the same in .NET, and
/// <c>\Q...\E</c> quoting and Java replacement strings (<c>$1</c>, <c>\$</c>) are translated.
/// </summary>
public static class RegexFunctions
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The first match of <paramref name="pattern"/> in <paramref name="input"/>, or NULL.</summary>
    public static string? RegexpExtract(string? pattern, string? input) => RegexpExtract(pattern, input, 0);

    /// <summary>Group <paramref name="group"/> of the first match, or NULL (no match, or the group did not take part).</summary>
    public static string? RegexpExtract(string? pattern, string? input, int? group)
    {
        if (pattern is null || input is null || group is not { } g)
        {
            return null;
        }

        var regex = Get(pattern);
        CheckGroup(regex, g);
        var m = regex.Match(input);
        return m.Success && m.Groups[g].Success ? m.Groups[g].Value : null;
    }

    public static List<object?>? RegexpExtractAll(string? pattern, string? input) => RegexpExtractAll(pattern, input, 0);

    /// <summary>Group <paramref name="group"/> of every match (NULL elements for groups that did not take part).</summary>
    public static List<object?>? RegexpExtractAll(string? pattern, string? input, int? group)
    {
        if (pattern is null || input is null || group is not { } g)
        {
            return null;
        }

        var regex = Get(pattern);
        CheckGroup(regex, g);
        var result = new List<object?>();
        foreach (Match m in regex.Matches(input))
        {
            result.Add(m.Groups[g].Success ? m.Groups[g].Value : null);
        }

        return result;
    }

    /// <summary>Replaces every match; the replacement uses Java syntax (<c>$1</c> for a group, <c>\$</c> for a dollar).</summary>
    public static string? RegexpReplace(string? input, string? pattern, string? replacement)
    {
        if (input is null || pattern is null || replacement is null)
        {
            return null;
        }

        return Get(pattern).Replace(input, TranslateReplacement(replacement));
    }

    /// <summary>
    /// Splits around matches, keeping empty parts (also leading and trailing ones, except that a zero-width
    /// match at the start adds none); an empty pattern splits into characters.
    /// </summary>
    public static List<object?>? RegexpSplitToArray(string? input, string? pattern)
    {
        if (input is null || pattern is null)
        {
            return null;
        }

        if (pattern.Length == 0)
        {
            return [.. input.Select(c => (object?)c.ToString())];
        }

        var result = new List<object?>();
        var last = 0;
        foreach (Match m in Get(pattern).Matches(input))
        {
            if (m.Length == 0 && m.Index == 0)
            {
                continue;
            }

            result.Add(input[last..m.Index]);
            last = m.Index + m.Length;
        }

        result.Add(input[last..]);
        return result;
    }

    private static void CheckGroup(Regex regex, int group)
    {
        if (group < 0 || group >= regex.GetGroupNumbers().Length)
        {
            throw new SqlFunctionException($"No group {group} in the regular expression '{regex}'.");
        }
    }

    /// <summary>The compiled regex for a Java pattern (cached).</summary>
    public static Regex Get(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        Regex regex;
        try
        {
            regex = new Regex(TranslatePattern(pattern), RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new SqlFunctionException($"Invalid regular expression '{pattern}': {e.Message}", e);
        }

        if (Cache.Count > 1_000)
        {
            Cache.Clear();
        }

        Cache[pattern] = regex;
        return regex;
    }

    /// <summary>Rewrites Java-only syntax: <c>\Q...\E</c> literal quoting.</summary>
    internal static string TranslatePattern(string pattern)
    {
        if (!pattern.Contains("\\Q", StringComparison.Ordinal))
        {
            return pattern;
        }

        var sb = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length)
            {
                if (pattern[i + 1] == 'Q')
                {
                    var end = pattern.IndexOf("\\E", i + 2, StringComparison.Ordinal);
                    var literal = end < 0 ? pattern[(i + 2)..] : pattern[(i + 2)..end];
                    sb.Append(Regex.Escape(literal));
                    i = end < 0 ? pattern.Length : end + 2;
                    continue;
                }

                sb.Append(pattern, i, 2);
                i += 2;
                continue;
            }

            sb.Append(pattern[i]);
            i++;
        }

        return sb.ToString();
    }

    /// <summary>Java replacement syntax to .NET: <c>\x</c> is a literal x, <c>$</c> starts a group reference.</summary>
    internal static string TranslateReplacement(string replacement)
    {
        if (replacement.IndexOfAny(['\\', '$']) < 0)
        {
            return replacement;
        }

        var sb = new StringBuilder(replacement.Length + 4);
        for (var i = 0; i < replacement.Length; i++)
        {
            var c = replacement[i];
            if (c == '\\')
            {
                if (++i >= replacement.Length)
                {
                    throw new SqlFunctionException("character to be escaped is missing");
                }

                sb.Append(replacement[i] == '$' ? "$$" : replacement[i].ToString());
            }
            else if (c == '$')
            {
                if (i + 1 >= replacement.Length || !(char.IsAsciiDigit(replacement[i + 1]) || replacement[i + 1] == '{'))
                {
                    throw new SqlFunctionException("Illegal group reference in the replacement string");
                }

                sb.Append('$');
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
