using System.Collections.Immutable;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

/// <summary>Splits a script into statement texts at semicolons outside strings, quoted names and comments.</summary>
public static class SqlScript
{
    /// <summary>
    /// The statements of <paramref name="sql"/>, each with its terminating semicolon (the last may have none) and its
    /// position. Comments and white space between statements are dropped; empty statements are skipped.
    /// </summary>
    /// <exception cref="SqlParseException">An unterminated string, quoted name or comment.</exception>
    public static ImmutableArray<SqlStatementText> Split(string sql)
    {
        var tokens = SqlTokenizer.Tokenize(sql, 0, sql.Length, 1, 1);
        var result = ImmutableArray.CreateBuilder<SqlStatementText>();
        var i = 0;
        while (tokens[i].Kind != SqlTokenKind.EndOfInput)
        {
            if (tokens[i].Kind == SqlTokenKind.Semicolon)
            {
                i++;
                continue;
            }

            var start = tokens[i];
            while (tokens[i].Kind is not (SqlTokenKind.Semicolon or SqlTokenKind.EndOfInput))
            {
                i++;
            }

            var end = tokens[i].Kind == SqlTokenKind.Semicolon ? tokens[i].End : tokens[i - 1].End;
            result.Add(new SqlStatementText(sql[start.Offset..end], start.Offset, start.Position));
            if (tokens[i].Kind == SqlTokenKind.Semicolon)
            {
                i++;
            }
        }

        return result.ToImmutable();
    }
}
