namespace Rhei.Sql.Parsing;

/// <summary>How names and strings are written in SQL text so that they read back unchanged.</summary>
public static class SqlIdentifiers
{
    /// <summary>
    /// True when <paramref name="name"/> must be back-quoted to read back as itself: it is not all upper-case
    /// letters, digits and underscores starting with a letter or underscore, or it is a reserved keyword.
    /// </summary>
    public static bool NeedsQuotes(string name) => !IsPlainWord(name) || SqlKeywords.IsReserved(name);

    /// <summary>The name as SQL: bare when possible, else back-quoted (<c>`my-topic`</c>, <c>`lower`</c>, <c>`FROM`</c>).</summary>
    public static string Format(string name) => NeedsQuotes(name) ? Backquote(name) : name;

    /// <summary>The name in back-quotes, with back-quotes inside doubled.</summary>
    public static string Backquote(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    /// <summary>The text as a SQL string literal, with single quotes inside doubled.</summary>
    public static string QuoteString(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// A case-sensitive resource name (PRINT's topic, ASSERT TOPIC/SCHEMA): a bare word when it reads back as the same
    /// text (unquoted resource names keep their case), else a string literal.
    /// </summary>
    public static string FormatResourceName(string name)
    {
        if (name.Length > 0 && SqlTokenizer.IsWordStart(name[0]) && name.All(SqlTokenizer.IsWordPart)
            && SqlKeywords.Lookup(name.ToUpperInvariant()) == SqlKeyword.None)
        {
            return name;
        }

        return QuoteString(name);
    }

    private static bool IsPlainWord(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetterUpper(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
