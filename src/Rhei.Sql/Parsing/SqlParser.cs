using System.Collections.Immutable;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

/// <summary>
/// Parses ksqlDB-dialect SQL into AST records (<see cref="Statement"/>, <see cref="Expression"/>,
/// <see cref="TypeSyntax"/>). Errors are <see cref="SqlParseException"/>s with the line and column, in ksqlDB's
/// wording. Unquoted identifiers are upper-cased; back-quoted and double-quoted ones keep their case.
/// </summary>
public static class SqlParser
{
    /// <summary>
    /// Parses a script of statements separated by semicolons (the last one may omit it; empty statements are
    /// skipped). Variables from <see cref="SqlParserOptions.Variables"/> are substituted, and the script's own DEFINE
    /// and UNDEFINE statements apply to the statements after them. Positions count from the start of the script.
    /// </summary>
    /// <exception cref="SqlParseException">The first statement that does not parse.</exception>
    public static ImmutableArray<ParsedStatement> ParseScript(string sql, SqlParserOptions? options = null)
    {
        options ??= SqlParserOptions.Default;
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in options.Variables ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var tokens = SqlTokenizer.Tokenize(sql, 0, sql.Length, 1, 1);
        var results = ImmutableArray.CreateBuilder<ParsedStatement>();
        var i = 0;
        while (tokens[i].Kind != SqlTokenKind.EndOfInput)
        {
            if (tokens[i].Kind == SqlTokenKind.Semicolon)
            {
                i++;
                continue;
            }

            var first = i;
            while (tokens[i].Kind is not (SqlTokenKind.Semicolon or SqlTokenKind.EndOfInput))
            {
                i++;
            }

            var hasSemicolon = tokens[i].Kind == SqlTokenKind.Semicolon;
            var last = hasSemicolon ? i : i - 1;
            var start = tokens[first];
            var sourceText = sql[start.Offset..tokens[last].End];

            string text;
            List<SqlToken> statementTokens;
            if (variables.Count > 0 && NeedsSubstitution(tokens, first, last))
            {
                text = SqlVariables.Substitute(sourceText, variables);
                statementTokens = SqlTokenizer.Tokenize(text, 0, text.Length, start.Position.Line, start.Position.Column);
            }
            else
            {
                text = sourceText;
                statementTokens = tokens.GetRange(first, last - first + 1);
                var end = tokens[last];
                statementTokens.Add(new SqlToken(SqlTokenKind.EndOfInput, "", "", SqlKeyword.None, end.End, end.Position));
            }

            var statement = ParseStatementTokens(statementTokens, options);
            results.Add(new ParsedStatement(statement, text, start.Position) { SourceText = sourceText });

            switch (statement)
            {
                case DefineVariable define:
                    variables[define.Name] = define.Value;
                    break;
                case UndefineVariable undefine:
                    variables.Remove(undefine.Name);
                    break;
            }

            if (hasSemicolon)
            {
                i++;
            }
        }

        return results.ToImmutable();
    }

    /// <summary>Parses exactly one statement (a terminating semicolon is optional).</summary>
    /// <exception cref="SqlParseException">The text is not one valid statement.</exception>
    public static Statement ParseStatement(string sql, SqlParserOptions? options = null)
    {
        options ??= SqlParserOptions.Default;
        return ParseStatementTokens(Tokenize(sql, options), options);
    }

    /// <summary>Parses one expression (ksqlDB's <c>expression</c>: predicates and boolean operators included).</summary>
    /// <exception cref="SqlParseException">The text is not one valid expression.</exception>
    public static Expression ParseExpression(string sql, SqlParserOptions? options = null)
    {
        options ??= SqlParserOptions.Default;
        var cursor = new TokenCursor(Tokenize(sql, options), options);
        RejectUndefinedVariables(cursor);
        var expression = new StatementParser(cursor).Expressions.ParseExpression();
        ExpectEnd(cursor, allowSemicolon: false);
        AstDepth.Check(expression, options.MaxDepth);
        return expression;
    }

    /// <summary>Parses one type (<c>ARRAY&lt;STRUCT&lt;A INT&gt;&gt;</c>, <c>DECIMAL(10, 2)</c>, a custom type name, ...).</summary>
    /// <exception cref="SqlParseException">The text is not one valid type.</exception>
    public static TypeSyntax ParseType(string sql, SqlParserOptions? options = null)
    {
        options ??= SqlParserOptions.Default;
        var cursor = new TokenCursor(Tokenize(sql, options), options);
        RejectUndefinedVariables(cursor);
        var type = new StatementParser(cursor).Types.ParseType();
        ExpectEnd(cursor, allowSemicolon: false);
        AstDepth.Check(type, options.MaxDepth);
        return type;
    }

    private static List<SqlToken> Tokenize(string sql, SqlParserOptions options)
    {
        var text = SqlVariables.Substitute(sql, options.Variables);
        return SqlTokenizer.Tokenize(text, 0, text.Length, 1, 1);
    }

    private static Statement ParseStatementTokens(List<SqlToken> tokens, SqlParserOptions options)
    {
        var cursor = new TokenCursor(tokens, options);
        RejectUndefinedVariables(cursor);
        var statement = new StatementParser(cursor).ParseStatement();
        ExpectEnd(cursor, allowSemicolon: true);
        AstDepth.Check(statement, options.MaxDepth);
        return statement;
    }

    private static void ExpectEnd(TokenCursor cursor, bool allowSemicolon)
    {
        if (allowSemicolon)
        {
            cursor.Accept(SqlTokenKind.Semicolon);
        }

        if (!cursor.At(SqlTokenKind.EndOfInput))
        {
            // A complete statement followed by more text: ksqlDB reports the position with no detail line
            // (the offending token is in ShortMessage).
            throw allowSemicolon
                ? cursor.Error("")
                : cursor.Error($"mismatched input '{cursor.Current.Display}' expecting <EOF>");
        }

        cursor.ThrowDeferred();
    }

    private static void RejectUndefinedVariables(TokenCursor cursor)
    {
        for (var k = 0; ; k++)
        {
            var token = cursor.Peek(k);
            if (token.Kind == SqlTokenKind.EndOfInput)
            {
                return;
            }

            if (token.Kind == SqlTokenKind.Variable)
            {
                throw new SqlParseException(
                    $"Undefined variable '{token.Value}' in {token.Text}: define it first (DEFINE {token.Value} = 'value';) or pass it as a session variable",
                    token.Position,
                    token.Text);
            }
        }
    }

    private static bool NeedsSubstitution(List<SqlToken> tokens, int first, int last)
    {
        for (var k = first; k <= last; k++)
        {
            var token = tokens[k];
            if (token.Kind == SqlTokenKind.Variable
                || (token.Kind is SqlTokenKind.String or SqlTokenKind.QuotedIdentifier && token.Value.Contains("${", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
