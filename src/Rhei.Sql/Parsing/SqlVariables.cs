using System.Text;

namespace Rhei.Sql.Parsing;

/// <summary>
/// <c>${name}</c> variable substitution (ksqlDB's DEFINE / session variables). References are replaced everywhere
/// except in comments: in SQL text the value goes in as written (<c>DEFINE n = '3'</c> makes <c>LIMIT ${n}</c> read
/// <c>LIMIT 3</c>), inside a string literal or a quoted name it is escaped for that context. Names compare
/// case-insensitively. A reference to an undefined variable is left as it is, and the parser then rejects it.
/// </summary>
public static class SqlVariables
{
    /// <summary>Returns <paramref name="sql"/> with every defined variable reference replaced (the same instance when none is).</summary>
    public static string Substitute(string sql, IReadOnlyDictionary<string, string>? variables)
    {
        if (variables is null || variables.Count == 0 || !sql.Contains("${", StringComparison.Ordinal))
        {
            return sql;
        }

        IReadOnlyDictionary<string, string> lookup =
            variables is Dictionary<string, string> d && d.Comparer == StringComparer.OrdinalIgnoreCase
                ? variables
                : new Dictionary<string, string>(variables, StringComparer.OrdinalIgnoreCase);
        var sb = new StringBuilder(sql.Length);
        var i = 0;
        char? quote = null;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (quote is null)
            {
                if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
                {
                    var end = sql.IndexOf('\n', i);
                    end = end < 0 ? sql.Length : end;
                    sb.Append(sql, i, end - i);
                    i = end;
                    continue;
                }

                if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
                {
                    var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    end = end < 0 ? sql.Length : end + 2;
                    sb.Append(sql, i, end - i);
                    i = end;
                    continue;
                }

                if (c is '\'' or '`' or '"')
                {
                    quote = c;
                    sb.Append(c);
                    i++;
                    continue;
                }
            }
            else if (c == quote)
            {
                // A doubled quote stays inside; a single one closes.
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    sb.Append(c).Append(c);
                    i += 2;
                    continue;
                }

                quote = null;
                sb.Append(c);
                i++;
                continue;
            }

            if (c == '$' && TryReadReference(sql, i, out var name, out var length) && lookup.TryGetValue(name, out var value))
            {
                sb.Append(quote is { } q ? value.Replace(q.ToString(), new string(q, 2), StringComparison.Ordinal) : value);
                i += length;
                continue;
            }

            sb.Append(c);
            i++;
        }

        return sb.ToString();
    }

    private static bool TryReadReference(string sql, int i, out string name, out int length)
    {
        name = "";
        length = 0;
        if (i + 2 >= sql.Length || sql[i + 1] != '{' || !SqlTokenizer.IsWordStart(sql[i + 2]))
        {
            return false;
        }

        var j = i + 3;
        while (j < sql.Length && SqlTokenizer.IsWordPart(sql[j]))
        {
            j++;
        }

        if (j >= sql.Length || sql[j] != '}')
        {
            return false;
        }

        name = sql[(i + 2)..j];
        length = j + 1 - i;
        return true;
    }
}
