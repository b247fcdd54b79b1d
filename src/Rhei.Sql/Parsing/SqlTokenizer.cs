using System.Text;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

/// <summary>
/// Splits SQL text into tokens as ksqlDB's lexer does: case-insensitive keywords, unquoted words upper-cased,
/// <c>`back-quoted`</c> and <c>"double-quoted"</c> names kept as written, <c>'strings'</c> with <c>''</c> escapes,
/// numbers (integer, decimal, with exponent), <c>${variable}</c> references, operators, and <c>--</c> / <c>/* */</c>
/// comments skipped. Every token carries its offset, line and column. The last token is
/// <see cref="SqlTokenKind.EndOfInput"/>.
/// </summary>
public static class SqlTokenizer
{
    /// <summary>Tokenizes the whole text.</summary>
    /// <exception cref="SqlParseException">An unterminated string, quoted name or comment, or a character that is not SQL.</exception>
    public static IReadOnlyList<SqlToken> Tokenize(string text) => Tokenize(text, 0, text.Length, 1, 1);

    /// <summary>Tokenizes <c>text[start..end)</c>, numbering positions from <paramref name="line"/>:<paramref name="column"/>.</summary>
    internal static List<SqlToken> Tokenize(string text, int start, int end, int line, int column)
    {
        var tokens = new List<SqlToken>();
        var lineStart = start - (column - 1);
        var i = start;

        while (true)
        {
            // Skip white space and comments.
            while (i < end)
            {
                var c = text[i];
                if (c == '\n')
                {
                    line++;
                    i++;
                    lineStart = i;
                }
                else if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c == '-' && i + 1 < end && text[i + 1] == '-')
                {
                    while (i < end && text[i] != '\n')
                    {
                        i++;
                    }
                }
                else if (c == '/' && i + 1 < end && text[i + 1] == '*')
                {
                    var commentPosition = new SourcePosition(line, i - lineStart + 1);
                    i += 2;
                    while (i < end && !(text[i] == '*' && i + 1 < end && text[i + 1] == '/'))
                    {
                        if (text[i] == '\n')
                        {
                            line++;
                            lineStart = i + 1;
                        }

                        i++;
                    }

                    if (i >= end)
                    {
                        throw new SqlParseException("Syntax Error\nUnterminated comment: '/*' has no closing '*/'", commentPosition, "/*");
                    }

                    i += 2;
                }
                else
                {
                    break;
                }
            }

            var position = new SourcePosition(line, i - lineStart + 1);
            if (i >= end)
            {
                tokens.Add(new SqlToken(SqlTokenKind.EndOfInput, "", "", SqlKeyword.None, end, position));
                return tokens;
            }

            var tokenStart = i;
            var ch = text[i];
            SqlTokenKind kind;
            string? value = null;
            var keyword = SqlKeyword.None;

            if (IsWordStart(ch))
            {
                i++;
                while (i < end && IsWordPart(text[i]))
                {
                    i++;
                }

                kind = SqlTokenKind.Identifier;
                value = text[tokenStart..i].ToUpperInvariant();
                keyword = SqlKeywords.Lookup(value);
            }
            else if (char.IsAsciiDigit(ch) || (ch == '.' && i + 1 < end && char.IsAsciiDigit(text[i + 1])))
            {
                kind = ScanNumber(text, i, end, out var numberEnd);

                // A word starting with a digit (ksqlDB's DIGIT_IDENTIFIER) wins when it is longer than the number.
                var wordEnd = i;
                if (char.IsAsciiDigit(ch))
                {
                    while (wordEnd < end && IsWordPart(text[wordEnd]))
                    {
                        wordEnd++;
                    }
                }

                if (wordEnd > numberEnd)
                {
                    i = wordEnd;
                    kind = SqlTokenKind.Identifier;
                    value = text[tokenStart..i].ToUpperInvariant();
                }
                else
                {
                    i = numberEnd;
                }
            }
            else
            {
                switch (ch)
                {
                    case '\'':
                        value = ScanQuoted(text, ref i, end, '\'', position, ref line, ref lineStart, "string literal");
                        kind = SqlTokenKind.String;
                        break;
                    case '`':
                    case '"':
                        value = ScanQuoted(text, ref i, end, ch, position, ref line, ref lineStart, "quoted identifier");
                        if (value.Length == 0)
                        {
                            throw new SqlParseException("Syntax Error\nA quoted identifier cannot be empty", position, text[tokenStart..i]);
                        }

                        kind = SqlTokenKind.QuotedIdentifier;
                        break;
                    case '$' when i + 1 < end && text[i + 1] == '{':
                        value = ScanVariable(text, ref i, end, position);
                        kind = SqlTokenKind.Variable;
                        break;
                    default:
                        kind = ScanSymbol(text, ref i, end);
                        if (kind == SqlTokenKind.EndOfInput)
                        {
                            throw new SqlParseException(
                                $"Syntax Error\nUnexpected character '{ch}'", position, ch.ToString());
                        }

                        break;
                }
            }

            var tokenText = text[tokenStart..i];
            tokens.Add(new SqlToken(kind, tokenText, value ?? tokenText, keyword, tokenStart, position));
        }
    }

    internal static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    internal static bool IsWordPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>digits [. digits*] [E [+-] digits] | . digits [E [+-] digits].</summary>
    private static SqlTokenKind ScanNumber(string text, int i, int end, out int numberEnd)
    {
        var kind = SqlTokenKind.Integer;
        while (i < end && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < end && text[i] == '.')
        {
            kind = SqlTokenKind.Decimal;
            i++;
            while (i < end && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < end && (text[i] == 'e' || text[i] == 'E'))
        {
            var j = i + 1;
            if (j < end && (text[j] == '+' || text[j] == '-'))
            {
                j++;
            }

            if (j < end && char.IsAsciiDigit(text[j]))
            {
                while (j < end && char.IsAsciiDigit(text[j]))
                {
                    j++;
                }

                kind = SqlTokenKind.Double;
                i = j;
            }
        }

        numberEnd = i;
        return kind;
    }

    private static string ScanQuoted(
        string text, ref int i, int end, char quote, SourcePosition position, ref int line, ref int lineStart, string what)
    {
        var start = i;
        i++;
        StringBuilder? sb = null;
        var segmentStart = i;
        while (true)
        {
            if (i >= end)
            {
                throw new SqlParseException(
                    $"Syntax Error\nUnterminated {what}: {quote} has no closing {quote}", position, text[start..Math.Min(end, start + 20)]);
            }

            var c = text[i];
            if (c == quote)
            {
                if (i + 1 < end && text[i + 1] == quote)
                {
                    sb ??= new StringBuilder();
                    sb.Append(text, segmentStart, i + 1 - segmentStart);
                    i += 2;
                    segmentStart = i;
                    continue;
                }

                var value = sb is null ? text[segmentStart..i] : sb.Append(text, segmentStart, i - segmentStart).ToString();
                i++;
                return value;
            }

            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
            }

            i++;
        }
    }

    private static string ScanVariable(string text, ref int i, int end, SourcePosition position)
    {
        var start = i;
        var j = i + 2;
        if (j < end && IsWordStart(text[j]))
        {
            j++;
            while (j < end && IsWordPart(text[j]))
            {
                j++;
            }

            if (j < end && text[j] == '}')
            {
                i = j + 1;
                return text[(start + 2)..j];
            }
        }

        throw new SqlParseException(
            "Syntax Error\nInvalid variable reference: write ${name}, where name starts with a letter or '_' followed by letters, digits or '_'",
            position,
            "${");
    }

    private static SqlTokenKind ScanSymbol(string text, ref int i, int end)
    {
        var c = text[i];
        var next = i + 1 < end ? text[i + 1] : '\0';
        (SqlTokenKind kind, int length) = c switch
        {
            '(' => (SqlTokenKind.LeftParen, 1),
            ')' => (SqlTokenKind.RightParen, 1),
            '[' => (SqlTokenKind.LeftBracket, 1),
            ']' => (SqlTokenKind.RightBracket, 1),
            ',' => (SqlTokenKind.Comma, 1),
            '.' => (SqlTokenKind.Dot, 1),
            ';' => (SqlTokenKind.Semicolon, 1),
            '*' => (SqlTokenKind.Asterisk, 1),
            '+' => (SqlTokenKind.Plus, 1),
            '/' => (SqlTokenKind.Slash, 1),
            '%' => (SqlTokenKind.Percent, 1),
            '-' when next == '>' => (SqlTokenKind.Arrow, 2),
            '-' => (SqlTokenKind.Minus, 1),
            '=' when next == '>' => (SqlTokenKind.Lambda, 2),
            '=' => (SqlTokenKind.Equal, 1),
            '<' when next == '=' => (SqlTokenKind.LessThanOrEqual, 2),
            '<' when next == '>' => (SqlTokenKind.NotEqual, 2),
            '<' => (SqlTokenKind.LessThan, 1),
            '>' when next == '=' => (SqlTokenKind.GreaterThanOrEqual, 2),
            '>' => (SqlTokenKind.GreaterThan, 1),
            '!' when next == '=' => (SqlTokenKind.NotEqual, 2),
            '|' when next == '|' => (SqlTokenKind.Concat, 2),
            ':' when next == '=' => (SqlTokenKind.Assign, 2),
            _ => (SqlTokenKind.EndOfInput, 0),
        };
        i += length;
        return kind;
    }
}
