using System.Runtime.CompilerServices;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

/// <summary>
/// The parsers' shared state: the tokens of one statement (ending with <see cref="SqlTokenKind.EndOfInput"/>), the
/// current position, the lambda parameters in scope and the first deferred (non-syntax) error.
/// Also builds the error messages, in ksqlDB's wording where ksqlDB has one.
/// </summary>
internal sealed class TokenCursor
{
    private readonly List<SqlToken> _tokens;
    private readonly List<string> _lambdaParameters = [];
    private int _index;
    private SqlParseException? _deferred;

    public TokenCursor(List<SqlToken> tokens, SqlParserOptions options)
    {
        _tokens = tokens;
        Options = options;
    }

    public SqlParserOptions Options { get; }

    public SqlToken Current => _tokens[_index];

    public SqlToken Peek(int offset = 1) => _tokens[Math.Min(_index + offset, _tokens.Count - 1)];

    public SqlToken Advance()
    {
        var token = _tokens[_index];
        if (_index < _tokens.Count - 1)
        {
            _index++;
        }

        return token;
    }

    public bool At(SqlTokenKind kind) => Current.Kind == kind;

    public bool At(SqlKeyword keyword) => Current.IsKeyword(keyword);

    public bool Accept(SqlTokenKind kind)
    {
        if (!At(kind))
        {
            return false;
        }

        Advance();
        return true;
    }

    public bool Accept(SqlKeyword keyword)
    {
        if (!At(keyword))
        {
            return false;
        }

        Advance();
        return true;
    }

    public SqlToken Expect(SqlTokenKind kind)
    {
        if (!At(kind))
        {
            throw kind is SqlTokenKind.RightParen or SqlTokenKind.RightBracket or SqlTokenKind.GreaterThan
                ? Error($"missing {Describe(kind)} at '{Current.Display}'")
                : Expecting(Describe(kind));
        }

        return Advance();
    }

    public SqlToken Expect(SqlKeyword keyword)
    {
        if (!At(keyword))
        {
            throw Expecting(Describe(keyword));
        }

        return Advance();
    }

    /// <summary>A name: a quoted identifier as written, or an unquoted non-reserved word upper-cased.</summary>
    public string ExpectIdentifier() => ExpectIdentifierToken().Value;

    public SqlToken ExpectIdentifierToken()
    {
        var token = Current;
        if (token.IsIdentifier)
        {
            return Advance();
        }

        if (token.Kind == SqlTokenKind.Identifier && token.Keyword != SqlKeyword.None)
        {
            throw Error(
                $"'{token.Text}' is a reserved keyword and can't be used as an identifier; back-quote it (`{token.Value}`) to use it as a name");
        }

        throw Expecting("IDENTIFIER");
    }

    /// <summary>An integer with an optional minus sign.</summary>
    public long ExpectInteger()
    {
        var start = Current;
        var negative = Accept(SqlTokenKind.Minus);
        if (!At(SqlTokenKind.Integer))
        {
            throw Expecting("INTEGER_VALUE");
        }

        var token = Advance();
        var text = negative ? "-" + token.Text : token.Text;
        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            throw new SqlParseException($"Invalid numeric literal: {text}", start.Position, start.Display);
        }

        return value;
    }

    public int ExpectInt32()
    {
        var start = Current;
        var value = ExpectInteger();
        if (value is > int.MaxValue or < int.MinValue)
        {
            throw new SqlParseException($"Invalid numeric literal: {value} is out of the range of INT", start.Position, start.Display);
        }

        return (int)value;
    }

    /// <summary>
    /// Throws a <see cref="SqlParseException"/> when the thread's stack is nearly used up, so that deeply nested input
    /// ends in an error instead of a crash. (The depth of the resulting AST is checked separately, against
    /// <see cref="SqlParserOptions.MaxDepth"/>, by <see cref="AstDepth"/>.)
    /// </summary>
    public void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new SqlParseException(
                "Syntax Error\nThe statement nests expressions too deeply to parse; simplify it",
                Current.Position,
                Current.Display);
        }
    }

    public void PushLambdaParameters(EquatableArray<string> names) => _lambdaParameters.AddRange(names);

    public void PopLambdaParameters(int count) => _lambdaParameters.RemoveRange(_lambdaParameters.Count - count, count);

    public bool IsLambdaParameter(string name) => _lambdaParameters.Contains(name);

    /// <summary>
    /// Records an error that is not a syntax error (a literal out of range, a malformed ESCAPE): parsing goes on so
    /// that syntax errors later in the statement are reported first, as ksqlDB reports them.
    /// </summary>
    public void Defer(SqlParseException error) => _deferred ??= error;

    public void ThrowDeferred()
    {
        if (_deferred is not null)
        {
            throw _deferred;
        }
    }

    /// <summary>A syntax error at the current token.</summary>
    public SqlParseException Error(string detail) => Error(detail, Current);

    public static SqlParseException Error(string detail, SqlToken at) =>
        new("Syntax Error\n" + detail, at.Position, at.Display);

    /// <summary><c>Expecting {a, b}</c> at the current token.</summary>
    public SqlParseException Expecting(params string[] expected) =>
        Error(expected.Length == 1 ? $"Expecting {expected[0]}" : $"Expecting {{{string.Join(", ", expected)}}}");

    public static string Describe(SqlKeyword keyword) => $"'{keyword.ToSql()}'";

    public static string Describe(SqlTokenKind kind) => kind switch
    {
        SqlTokenKind.EndOfInput => "<EOF>",
        SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier => "IDENTIFIER",
        SqlTokenKind.String => "STRING",
        SqlTokenKind.Integer => "INTEGER_VALUE",
        SqlTokenKind.Decimal => "DECIMAL_VALUE",
        SqlTokenKind.Double => "FLOATING_POINT_VALUE",
        SqlTokenKind.Variable => "VARIABLE",
        SqlTokenKind.LeftParen => "'('",
        SqlTokenKind.RightParen => "')'",
        SqlTokenKind.LeftBracket => "'['",
        SqlTokenKind.RightBracket => "']'",
        SqlTokenKind.Comma => "','",
        SqlTokenKind.Dot => "'.'",
        SqlTokenKind.Semicolon => "';'",
        SqlTokenKind.Asterisk => "'*'",
        SqlTokenKind.Plus => "'+'",
        SqlTokenKind.Minus => "'-'",
        SqlTokenKind.Slash => "'/'",
        SqlTokenKind.Percent => "'%'",
        SqlTokenKind.Equal => "'='",
        SqlTokenKind.NotEqual => "'<>'",
        SqlTokenKind.LessThan => "'<'",
        SqlTokenKind.LessThanOrEqual => "'<='",
        SqlTokenKind.GreaterThan => "'>'",
        SqlTokenKind.GreaterThanOrEqual => "'>='",
        SqlTokenKind.Concat => "'||'",
        SqlTokenKind.Assign => "':='",
        SqlTokenKind.Arrow => "'->'",
        _ => "'=>'",
    };
}
