using System.Text;
using System.Text.RegularExpressions;

namespace Rhei.Sql.Compilation;

/// <summary>
/// A compiled LIKE pattern: <c>%</c> matches any run of characters, <c>_</c> exactly one, the escape character makes
/// the next character literal. Case-sensitive, whole-string. Common shapes (<c>abc</c>, <c>abc%</c>, <c>%abc</c>,
/// <c>%abc%</c>) match without a regular expression. Immutable and thread-safe.
/// </summary>
internal sealed class LikePattern
{
    private readonly Kind _kind;
    private readonly string _text;
    private readonly Regex? _regex;

    private LikePattern(Kind kind, string text, Regex? regex)
    {
        _kind = kind;
        _text = text;
        _regex = regex;
    }

    private enum Kind
    {
        Exact,
        Prefix,
        Suffix,
        Contains,
        Any,
        General,
    }

    public static LikePattern Create(string pattern, char? escape)
    {
        // Tokenize: literal runs, '%' and '_'.
        var tokens = new List<(char Kind, string Text)>();
        var literal = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (escape is { } e && c == e && i + 1 < pattern.Length)
            {
                literal.Append(pattern[++i]);
            }
            else if (c is '%' or '_')
            {
                if (literal.Length > 0)
                {
                    tokens.Add(('L', literal.ToString()));
                    literal.Clear();
                }

                if (c == '%' && tokens.Count > 0 && tokens[^1].Kind == '%')
                {
                    continue;
                }

                tokens.Add((c, ""));
            }
            else
            {
                literal.Append(c);
            }
        }

        if (literal.Length > 0)
        {
            tokens.Add(('L', literal.ToString()));
        }

        switch (tokens.Count)
        {
            case 0:
                return new LikePattern(Kind.Exact, "", null);
            case 1 when tokens[0].Kind == 'L':
                return new LikePattern(Kind.Exact, tokens[0].Text, null);
            case 1 when tokens[0].Kind == '%':
                return new LikePattern(Kind.Any, "", null);
            case 2 when tokens[0].Kind == 'L' && tokens[1].Kind == '%':
                return new LikePattern(Kind.Prefix, tokens[0].Text, null);
            case 2 when tokens[0].Kind == '%' && tokens[1].Kind == 'L':
                return new LikePattern(Kind.Suffix, tokens[1].Text, null);
            case 3 when tokens[0].Kind == '%' && tokens[1].Kind == 'L' && tokens[2].Kind == '%':
                return new LikePattern(Kind.Contains, tokens[1].Text, null);
        }

        var regex = new StringBuilder("^");
        foreach (var (kind, text) in tokens)
        {
            regex.Append(kind switch
            {
                '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(text),
            });
        }

        regex.Append('$');
        return new LikePattern(Kind.General, "", new Regex(regex.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant));
    }

    public bool IsMatch(string value) => _kind switch
    {
        Kind.Exact => value == _text,
        Kind.Prefix => value.StartsWith(_text, StringComparison.Ordinal),
        Kind.Suffix => value.EndsWith(_text, StringComparison.Ordinal),
        Kind.Contains => value.Contains(_text, StringComparison.Ordinal),
        Kind.Any => true,
        _ => _regex!.IsMatch(value),
    };

    /// <summary>Matches against a pattern that changes per row, re-compiling only when the pattern text changes.</summary>
    internal sealed class Cache
    {
        private readonly char? _escape;
        private Entry? _last;

        public Cache(char? escape) => _escape = escape;

        public bool IsMatch(string? value, string? pattern)
        {
            if (value is null || pattern is null)
            {
                return false;
            }

            var last = _last;
            if (last is null || !string.Equals(last.Pattern, pattern, StringComparison.Ordinal))
            {
                last = new Entry(pattern, Create(pattern, _escape));
                _last = last;
            }

            return last.Compiled.IsMatch(value);
        }

        private sealed record Entry(string Pattern, LikePattern Compiled);
    }
}
