using System.Globalization;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

/// <summary>
/// Expressions, with ksqlDB's grammar and precedence (lowest first): OR; AND; NOT; one predicate
/// (comparison, IS [NOT] NULL, IS [NOT] DISTINCT FROM, [NOT] BETWEEN, [NOT] IN, [NOT] LIKE); <c>||</c>; <c>+ -</c>;
/// <c>* / %</c>; unary <c>- +</c>; postfix <c>[i]</c> and <c>-&gt;field</c> on primaries.
/// </summary>
internal sealed class ExpressionParser
{
    private const int UnaryPrecedence = 4;

    private readonly TokenCursor _c;
    private readonly TypeParser _types;

    public ExpressionParser(TokenCursor cursor, TypeParser types)
    {
        _c = cursor;
        _types = types;
    }

    /// <summary>A full expression (ksqlDB's <c>expression</c>: boolean operators and predicates included).</summary>
    public Expression ParseExpression() => ParseBoolean(1);

    /// <summary>A value expression: arithmetic and concatenation, no predicates or boolean operators.</summary>
    public Expression ParseValueExpression() => ParseValue(1);

    /// <summary>Continues a value expression whose first primary (a parenthesized expression) is already parsed.</summary>
    public Expression ContinueValueExpression(Expression primary, SqlToken start)
    {
        var left = ParsePostfix(primary, start);
        return ParseBinaryValue(left, start, 1);
    }

    private Expression ParseBoolean(int minPrecedence)
    {
        _c.EnsureStack();
        var start = _c.Current;
        Expression left;
        if (_c.Accept(SqlKeyword.Not))
        {
            left = new NotExpression(ParseBoolean(3)) { Position = start.Position };
        }
        else
        {
            left = ParsePredicated();
        }

        while (true)
        {
            LogicalOperator op;
            int precedence;
            if (_c.At(SqlKeyword.And))
            {
                op = LogicalOperator.And;
                precedence = 2;
            }
            else if (_c.At(SqlKeyword.Or))
            {
                op = LogicalOperator.Or;
                precedence = 1;
            }
            else
            {
                break;
            }

            if (precedence < minPrecedence)
            {
                break;
            }

            _c.Advance();
            var right = ParseBoolean(precedence + 1);
            left = new LogicalBinaryExpression(op, left, right) { Position = start.Position };
        }

        return left;
    }

    private Expression ParsePredicated()
    {
        var start = _c.Current;
        var value = ParseValue(1);
        var position = start.Position;

        var comparison = ComparisonOf(_c.Current.Kind);
        if (comparison is { } op)
        {
            _c.Advance();
            return new ComparisonExpression(op, value, ParseValue(1)) { Position = position };
        }

        if (_c.Accept(SqlKeyword.Is))
        {
            var negated = _c.Accept(SqlKeyword.Not);
            if (_c.Accept(SqlKeyword.Null))
            {
                return new IsNullPredicate(value, negated) { Position = position };
            }

            if (_c.Accept(SqlKeyword.Distinct))
            {
                _c.Expect(SqlKeyword.From);
                var distinctOp = negated ? ComparisonOperator.IsNotDistinctFrom : ComparisonOperator.IsDistinctFrom;
                return new ComparisonExpression(distinctOp, value, ParseValue(1)) { Position = position };
            }

            throw negated
                ? _c.Expecting("'NULL'", "'DISTINCT'")
                : _c.Expecting("'NOT'", "'NULL'", "'DISTINCT'");
        }

        var not = _c.At(SqlKeyword.Not)
            && (_c.Peek().IsKeyword(SqlKeyword.Between) || _c.Peek().IsKeyword(SqlKeyword.In) || _c.Peek().IsKeyword(SqlKeyword.Like));
        if (not)
        {
            _c.Advance();
        }

        if (_c.Accept(SqlKeyword.Between))
        {
            var min = ParseValue(1);
            _c.Expect(SqlKeyword.And);
            var max = ParseValue(1);
            return new BetweenPredicate(value, min, max, not) { Position = position };
        }

        if (_c.Accept(SqlKeyword.In))
        {
            _c.Expect(SqlTokenKind.LeftParen);
            var values = new List<Expression> { ParseExpression() };
            while (_c.Accept(SqlTokenKind.Comma))
            {
                values.Add(ParseExpression());
            }

            _c.Expect(SqlTokenKind.RightParen);
            return new InPredicate(value, [.. values], not) { Position = position };
        }

        if (_c.Accept(SqlKeyword.Like))
        {
            var pattern = ParseValue(1);
            char? escape = null;
            if (_c.At(SqlKeyword.Escape) && _c.Peek().Kind == SqlTokenKind.String)
            {
                _c.Advance();
                var escapeToken = _c.Advance();
                if (escapeToken.Value.Length == 1)
                {
                    escape = escapeToken.Value[0];
                }
                else
                {
                    _c.Defer(new SqlParseException(
                        $"Invalid ESCAPE {escapeToken.Text}: the escape must be exactly one character", escapeToken.Position, escapeToken.Display));
                }
            }

            return new LikePredicate(value, pattern, escape, not) { Position = position };
        }

        return value;
    }

    /// <summary>A literal (NULL, TRUE, FALSE, a string, a number with an optional minus), or null (nothing consumed).</summary>
    public Literal? TryParseLiteral()
    {
        var token = _c.Current;
        var isLiteral = token.Kind is SqlTokenKind.String or SqlTokenKind.Integer or SqlTokenKind.Decimal or SqlTokenKind.Double
            || (token.Kind == SqlTokenKind.Minus && IsNumber(_c.Peek().Kind))
            || token.IsKeyword(SqlKeyword.Null) || token.IsKeyword(SqlKeyword.True) || token.IsKeyword(SqlKeyword.False);
        return isLiteral ? (Literal)ParsePrimaryCore(token) : null;
    }

    private static ComparisonOperator? ComparisonOf(SqlTokenKind kind) => kind switch
    {
        SqlTokenKind.Equal => ComparisonOperator.Equal,
        SqlTokenKind.NotEqual => ComparisonOperator.NotEqual,
        SqlTokenKind.LessThan => ComparisonOperator.LessThan,
        SqlTokenKind.LessThanOrEqual => ComparisonOperator.LessThanOrEqual,
        SqlTokenKind.GreaterThan => ComparisonOperator.GreaterThan,
        SqlTokenKind.GreaterThanOrEqual => ComparisonOperator.GreaterThanOrEqual,
        _ => null,
    };

    private Expression ParseValue(int minPrecedence)
    {
        _c.EnsureStack();
        var start = _c.Current;
        Expression left;
        var isUnary = (start.Kind == SqlTokenKind.Minus && !IsNumber(_c.Peek().Kind)) || start.Kind == SqlTokenKind.Plus;
        if (isUnary)
        {
            _c.Advance();
            var op = start.Kind == SqlTokenKind.Minus ? ArithmeticUnaryOperator.Minus : ArithmeticUnaryOperator.Plus;
            left = new ArithmeticUnaryExpression(op, ParseValue(UnaryPrecedence)) { Position = start.Position };
        }
        else
        {
            left = ParsePrimary();
        }

        return ParseBinaryValue(left, start, minPrecedence);
    }

    private Expression ParseBinaryValue(Expression left, SqlToken start, int minPrecedence)
    {
        while (true)
        {
            var kind = _c.Current.Kind;
            var precedence = kind switch
            {
                SqlTokenKind.Concat => 1,
                SqlTokenKind.Plus or SqlTokenKind.Minus => 2,
                SqlTokenKind.Asterisk or SqlTokenKind.Slash or SqlTokenKind.Percent => 3,
                _ => 0,
            };
            if (precedence == 0 || precedence < minPrecedence)
            {
                break;
            }

            _c.Advance();
            var right = ParseValue(precedence + 1);
            left = kind switch
            {
                // ksqlDB parses a || b as CONCAT(a, b).
                SqlTokenKind.Concat => new FunctionCall("CONCAT", [left, right]),
                SqlTokenKind.Plus => new ArithmeticBinaryExpression(ArithmeticOperator.Add, left, right),
                SqlTokenKind.Minus => new ArithmeticBinaryExpression(ArithmeticOperator.Subtract, left, right),
                SqlTokenKind.Asterisk => new ArithmeticBinaryExpression(ArithmeticOperator.Multiply, left, right),
                SqlTokenKind.Slash => new ArithmeticBinaryExpression(ArithmeticOperator.Divide, left, right),
                _ => new ArithmeticBinaryExpression(ArithmeticOperator.Modulus, left, right),
            };
            left = left with { Position = start.Position };
        }

        return left;
    }

    private static bool IsNumber(SqlTokenKind kind) => kind is SqlTokenKind.Integer or SqlTokenKind.Decimal or SqlTokenKind.Double;

    private Expression ParsePrimary()
    {
        var start = _c.Current;
        return ParsePostfix(ParsePrimaryCore(start), start);
    }

    private Expression ParsePostfix(Expression primary, SqlToken start)
    {
        while (true)
        {
            if (_c.Accept(SqlTokenKind.LeftBracket))
            {
                var index = ParseValue(1);
                _c.Expect(SqlTokenKind.RightBracket);
                primary = new SubscriptExpression(primary, index) { Position = start.Position };
            }
            else if (_c.At(SqlTokenKind.Arrow) && _c.Peek().Kind != SqlTokenKind.Asterisk)
            {
                _c.Advance();
                primary = new DereferenceExpression(primary, _c.ExpectIdentifier()) { Position = start.Position };
            }
            else
            {
                return primary;
            }
        }
    }

    private Expression ParsePrimaryCore(SqlToken start)
    {
        var position = start.Position;
        switch (start.Kind)
        {
            case SqlTokenKind.String:
                _c.Advance();
                return new StringLiteral(start.Value) { Position = position };
            case SqlTokenKind.Integer or SqlTokenKind.Decimal or SqlTokenKind.Double:
                _c.Advance();
                return NumberLiteral(start, start, negative: false);
            case SqlTokenKind.Minus when IsNumber(_c.Peek().Kind):
                _c.Advance();
                return NumberLiteral(_c.Advance(), start, negative: true);
            case SqlTokenKind.LeftParen:
                return ParseParenthesized();
            case SqlTokenKind.Identifier:
                switch (start.Keyword)
                {
                    case SqlKeyword.Null:
                        _c.Advance();
                        return new NullLiteral { Position = position };
                    case SqlKeyword.True or SqlKeyword.False:
                        _c.Advance();
                        return new BooleanLiteral(start.Keyword == SqlKeyword.True) { Position = position };
                    case SqlKeyword.Case:
                        return ParseCase();
                    case SqlKeyword.Cast:
                        return ParseCast();
                    case SqlKeyword.Array when _c.Peek().Kind == SqlTokenKind.LeftBracket:
                        return ParseArrayConstructor();
                    case SqlKeyword.Map when _c.Peek().Kind == SqlTokenKind.LeftParen:
                        return ParseMapConstructor();
                    case SqlKeyword.Struct when _c.Peek().Kind == SqlTokenKind.LeftParen:
                        return ParseStructConstructor();
                }

                break;
        }

        if (start.IsIdentifier)
        {
            var next = _c.Peek();
            if (next.Kind == SqlTokenKind.LeftParen)
            {
                return ParseFunctionCall();
            }

            _c.Advance();
            if (next.Kind == SqlTokenKind.Dot && _c.Peek().IsIdentifier)
            {
                _c.Advance();
                var column = _c.ExpectIdentifier();
                return new ColumnReference(start.Value, column) { Position = position };
            }

            return _c.IsLambdaParameter(start.Value)
                ? new LambdaVariable(start.Value) { Position = position }
                : new ColumnReference(null, start.Value) { Position = position };
        }

        if (start.Kind == SqlTokenKind.Identifier && start.Keyword != SqlKeyword.None)
        {
            throw _c.Error(
                $"Expecting an expression, found the reserved keyword '{start.Text}' (back-quote it, `{start.Value}`, to use it as a name)");
        }

        throw _c.Error(start.Kind == SqlTokenKind.EndOfInput
            ? "Expecting an expression, found the end of the statement"
            : $"Expecting an expression, found '{start.Text}'");
    }

    private Expression ParseParenthesized()
    {
        _c.Advance();
        var inner = ParseExpression();
        _c.Expect(SqlTokenKind.RightParen);
        return inner;
    }

    /// <summary>Numbers are typed as ksqlDB types them: INT when it fits, else BIGINT; DECIMAL with a point; DOUBLE with an exponent.</summary>
    private Literal NumberLiteral(SqlToken number, SqlToken start, bool negative)
    {
        var text = negative ? "-" + number.Text : number.Text;
        var position = start.Position;

        // ksqlDB reports literal errors one column to the right of the literal (its AST builder adds one to an
        // already 1-based column); the conformance cases check that column.
        var errorPosition = new SourcePosition(position.Line, position.Column + 1);
        switch (number.Kind)
        {
            case SqlTokenKind.Integer:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                {
                    return value is >= int.MinValue and <= int.MaxValue
                        ? new IntegerLiteral((int)value) { Position = position }
                        : new BigIntLiteral(value) { Position = position };
                }

                _c.Defer(new SqlParseException($"Invalid numeric literal: {text} is out of the range of BIGINT", errorPosition, text));
                return new BigIntLiteral(0) { Position = position };

            case SqlTokenKind.Decimal:
                return new DecimalLiteral(CanonicalDecimal(number.Text, negative)) { Position = position };

            default:
                var d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (double.IsInfinity(d))
                {
                    _c.Defer(new SqlParseException($"Number overflows DOUBLE: {text}", errorPosition, text));
                }

                return new DoubleLiteral(d) { Position = position };
        }
    }

    /// <summary><c>[-]digits.digits</c> with leading zeros of the integer part dropped (one kept) and the fraction kept as written.</summary>
    internal static string CanonicalDecimal(string text, bool negative)
    {
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = text[..point].TrimStart('0');
        var fraction = text[(point + 1)..];
        if (integerPart.Length == 0)
        {
            integerPart = "0";
        }

        var isZero = integerPart == "0" && fraction.All(c => c == '0');
        return (negative && !isZero ? "-" : "") + integerPart + "." + fraction;
    }

    private Expression ParseCase()
    {
        var start = _c.Advance();
        Expression? operand = null;
        if (!_c.At(SqlKeyword.When))
        {
            operand = ParseValue(1);
        }

        var whens = new List<WhenClause>();
        do
        {
            var whenToken = _c.Expect(SqlKeyword.When);
            var condition = ParseExpression();
            _c.Expect(SqlKeyword.Then);
            var result = ParseExpression();
            whens.Add(new WhenClause(condition, result) { Position = whenToken.Position });
        }
        while (_c.At(SqlKeyword.When));

        Expression? defaultValue = null;
        if (_c.Accept(SqlKeyword.Else))
        {
            defaultValue = ParseExpression();
        }

        _c.Expect(SqlKeyword.End);
        return operand is null
            ? new SearchedCaseExpression([.. whens], defaultValue) { Position = start.Position }
            : new SimpleCaseExpression(operand, [.. whens], defaultValue) { Position = start.Position };
    }

    private CastExpression ParseCast()
    {
        var start = _c.Advance();
        _c.Expect(SqlTokenKind.LeftParen);
        var value = ParseExpression();
        _c.Expect(SqlKeyword.As);
        var type = _types.ParseType();
        _c.Expect(SqlTokenKind.RightParen);
        return new CastExpression(value, type) { Position = start.Position };
    }

    private CreateArrayExpression ParseArrayConstructor()
    {
        var start = _c.Advance();
        _c.Advance();
        var values = new List<Expression>();
        if (!_c.At(SqlTokenKind.RightBracket))
        {
            do
            {
                values.Add(ParseExpression());
            }
            while (_c.Accept(SqlTokenKind.Comma));
        }

        _c.Expect(SqlTokenKind.RightBracket);
        return new CreateArrayExpression([.. values]) { Position = start.Position };
    }

    private CreateMapExpression ParseMapConstructor()
    {
        var start = _c.Advance();
        _c.Advance();
        var entries = new List<MapEntry>();
        if (!_c.At(SqlTokenKind.RightParen))
        {
            do
            {
                var keyStart = _c.Current;
                var key = ParseExpression();
                _c.Expect(SqlTokenKind.Assign);
                entries.Add(new MapEntry(key, ParseExpression()) { Position = keyStart.Position });
            }
            while (_c.Accept(SqlTokenKind.Comma));
        }

        _c.Expect(SqlTokenKind.RightParen);
        return new CreateMapExpression([.. entries]) { Position = start.Position };
    }

    private CreateStructExpression ParseStructConstructor()
    {
        var start = _c.Advance();
        _c.Advance();
        var fields = new List<StructFieldValue>();
        if (!_c.At(SqlTokenKind.RightParen))
        {
            do
            {
                var nameToken = _c.ExpectIdentifierToken();
                _c.Expect(SqlTokenKind.Assign);
                fields.Add(new StructFieldValue(nameToken.Value, ParseExpression()) { Position = nameToken.Position });
            }
            while (_c.Accept(SqlTokenKind.Comma));
        }

        _c.Expect(SqlTokenKind.RightParen);
        return new CreateStructExpression([.. fields]) { Position = start.Position };
    }

    private FunctionCall ParseFunctionCall()
    {
        var nameToken = _c.Advance();
        _c.Advance();
        if (_c.Accept(SqlTokenKind.Asterisk))
        {
            _c.Expect(SqlTokenKind.RightParen);
            return new FunctionCall(nameToken.Value, [], Star: true) { Position = nameToken.Position };
        }

        var arguments = new List<Expression>();
        if (!_c.At(SqlTokenKind.RightParen))
        {
            do
            {
                arguments.Add(ParseFunctionArgument());
            }
            while (_c.Accept(SqlTokenKind.Comma));
        }

        _c.Expect(SqlTokenKind.RightParen);
        return new FunctionCall(nameToken.Value, [.. arguments]) { Position = nameToken.Position };
    }

    private Expression ParseFunctionArgument()
    {
        var token = _c.Current;
        if (IsLambdaAhead())
        {
            return ParseLambda();
        }

        // The plural units and MILLISECOND are reserved, so they can only be time units; DAY, HOUR, MINUTE and SECOND
        // are non-reserved and read as column names here, as in ksqlDB.
        var next = _c.Peek().Kind;
        if (token.Kind == SqlTokenKind.Identifier && next is SqlTokenKind.Comma or SqlTokenKind.RightParen)
        {
            SqlTimeUnit? unit = token.Keyword switch
            {
                SqlKeyword.Milliseconds or SqlKeyword.Millisecond => SqlTimeUnit.Millisecond,
                SqlKeyword.Seconds => SqlTimeUnit.Second,
                SqlKeyword.Minutes => SqlTimeUnit.Minute,
                SqlKeyword.Hours => SqlTimeUnit.Hour,
                SqlKeyword.Days => SqlTimeUnit.Day,
                _ => null,
            };
            if (unit is { } u)
            {
                _c.Advance();
                return new TimeUnitExpression(u) { Position = token.Position };
            }
        }

        return ParseExpression();
    }

    private bool IsLambdaAhead()
    {
        if (_c.Current.IsIdentifier)
        {
            return _c.Peek().Kind == SqlTokenKind.Lambda;
        }

        if (!_c.At(SqlTokenKind.LeftParen))
        {
            return false;
        }

        var k = 1;
        while (true)
        {
            if (!_c.Peek(k).IsIdentifier)
            {
                return false;
            }

            k++;
            var separator = _c.Peek(k).Kind;
            if (separator == SqlTokenKind.RightParen)
            {
                return _c.Peek(k + 1).Kind == SqlTokenKind.Lambda;
            }

            if (separator != SqlTokenKind.Comma)
            {
                return false;
            }

            k++;
        }
    }

    private LambdaExpression ParseLambda()
    {
        var start = _c.Current;
        var parameters = new List<string>();
        if (_c.Accept(SqlTokenKind.LeftParen))
        {
            do
            {
                parameters.Add(_c.ExpectIdentifier());
            }
            while (_c.Accept(SqlTokenKind.Comma));

            _c.Expect(SqlTokenKind.RightParen);
        }
        else
        {
            parameters.Add(_c.ExpectIdentifier());
        }

        _c.Expect(SqlTokenKind.Lambda);
        EquatableArray<string> names = [.. parameters];
        _c.PushLambdaParameters(names);
        var body = ParseExpression();
        _c.PopLambdaParameters(names.Count);
        return new LambdaExpression(names, body) { Position = start.Position };
    }
}
