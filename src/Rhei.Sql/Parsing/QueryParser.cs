using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

/// <summary>
/// <c>SELECT items FROM source [joins] [WINDOW w] [WHERE e] [GROUP BY ...] [PARTITION BY ...] [HAVING e] [EMIT CHANGES|FINAL] [LIMIT n]</c>.
/// The WINDOW clause is also accepted right after the first FROM source, before the joins (a Rhei extension).
/// </summary>
internal sealed class QueryParser
{
    private readonly TokenCursor _c;
    private readonly ExpressionParser _expressions;

    public QueryParser(TokenCursor cursor, ExpressionParser expressions)
    {
        _c = cursor;
        _expressions = expressions;
    }

    public Query ParseQuery()
    {
        var start = _c.Expect(SqlKeyword.Select);
        var items = new List<SelectItem> { ParseSelectItem() };
        while (_c.Accept(SqlTokenKind.Comma))
        {
            items.Add(ParseSelectItem());
        }

        _c.Expect(SqlKeyword.From);
        var fromStart = _c.Current;
        var source = ParseAliasedSource();

        WindowExpression? window = null;
        if (_c.At(SqlKeyword.Window))
        {
            window = ParseWindow();
        }

        var joins = new List<JoinClause>();
        while (IsJoinStart())
        {
            joins.Add(ParseJoin());
        }

        if (_c.At(SqlKeyword.Window))
        {
            if (window is not null)
            {
                throw _c.Error("A query has at most one WINDOW clause");
            }

            window = ParseWindow();
        }

        Expression? where = null;
        if (_c.Accept(SqlKeyword.Where))
        {
            where = _expressions.ParseExpression();
        }

        EquatableArray<Expression>? groupBy = null;
        if (_c.Accept(SqlKeyword.Group))
        {
            _c.Expect(SqlKeyword.By);
            groupBy = ParseGrouping();
        }

        EquatableArray<Expression>? partitionBy = null;
        if (_c.At(SqlKeyword.Partition) && _c.Peek().IsKeyword(SqlKeyword.By))
        {
            _c.Advance();
            _c.Advance();
            partitionBy = ParseGrouping();
        }

        Expression? having = null;
        if (_c.Accept(SqlKeyword.Having))
        {
            having = _expressions.ParseExpression();
        }

        ResultMaterialization? emit = null;
        if (_c.Accept(SqlKeyword.Emit))
        {
            if (_c.Accept(SqlKeyword.Changes))
            {
                emit = ResultMaterialization.Changes;
            }
            else if (_c.Accept(SqlKeyword.Final))
            {
                emit = ResultMaterialization.Final;
            }
            else
            {
                throw _c.Expecting("'CHANGES'", "'FINAL'");
            }
        }

        int? limit = null;
        if (_c.Accept(SqlKeyword.Limit))
        {
            limit = _c.ExpectInt32();
        }

        var from = new FromClause(source, [.. joins]) { Position = fromStart.Position };
        return new Query([.. items], from, window, where, groupBy, partitionBy, having, emit, limit) { Position = start.Position };
    }

    private SelectItem ParseSelectItem()
    {
        var start = _c.Current;
        if (_c.Accept(SqlTokenKind.Asterisk))
        {
            return new AllColumns() { Position = start.Position };
        }

        if (start.IsIdentifier && _c.Peek().Kind == SqlTokenKind.Dot && _c.Peek(2).Kind == SqlTokenKind.Asterisk)
        {
            _c.Advance();
            _c.Advance();
            _c.Advance();
            return new AllColumns(start.Value) { Position = start.Position };
        }

        var expression = _expressions.ParseExpression();
        if (_c.At(SqlTokenKind.Arrow) && _c.Peek().Kind == SqlTokenKind.Asterisk)
        {
            _c.Advance();
            _c.Advance();
            return new AllStructFields(expression) { Position = start.Position };
        }

        string? alias = null;
        if (_c.Accept(SqlKeyword.As) || _c.Current.IsIdentifier)
        {
            alias = _c.ExpectIdentifier();
        }

        return new SingleColumn(expression, alias) { Position = start.Position };
    }

    private AliasedSource ParseAliasedSource()
    {
        var nameToken = _c.ExpectIdentifierToken();
        string? alias = null;
        if (_c.Accept(SqlKeyword.As))
        {
            alias = _c.ExpectIdentifier();
        }
        else if (_c.Current.IsIdentifier && !StartsClause())
        {
            alias = _c.ExpectIdentifier();
        }

        return new AliasedSource(nameToken.Value, alias) { Position = nameToken.Position };
    }

    /// <summary>A non-reserved keyword that starts the next clause rather than naming an alias.</summary>
    private bool StartsClause()
    {
        var next = _c.Peek();
        return (_c.At(SqlKeyword.Emit) && (next.IsKeyword(SqlKeyword.Changes) || next.IsKeyword(SqlKeyword.Final)))
            || (_c.At(SqlKeyword.Partition) && next.IsKeyword(SqlKeyword.By));
    }

    private bool IsJoinStart() =>
        _c.At(SqlKeyword.Join) || _c.At(SqlKeyword.Inner) || _c.At(SqlKeyword.Left) || _c.At(SqlKeyword.Right) || _c.At(SqlKeyword.Full);

    private JoinClause ParseJoin()
    {
        var start = _c.Current;
        JoinType type;
        if (_c.Accept(SqlKeyword.Left))
        {
            _c.Accept(SqlKeyword.Outer);
            type = JoinType.Left;
        }
        else if (_c.Accept(SqlKeyword.Right))
        {
            _c.Accept(SqlKeyword.Outer);
            type = JoinType.Right;
        }
        else if (_c.Accept(SqlKeyword.Full))
        {
            _c.Accept(SqlKeyword.Outer);
            type = JoinType.Full;
        }
        else
        {
            _c.Accept(SqlKeyword.Inner);
            type = JoinType.Inner;
        }

        _c.Expect(SqlKeyword.Join);
        var source = ParseAliasedSource();
        WithinClause? within = null;
        if (_c.At(SqlKeyword.Within))
        {
            within = ParseWithin();
        }

        _c.Expect(SqlKeyword.On);
        var criteria = _expressions.ParseExpression();
        return new JoinClause(type, source, within, criteria) { Position = start.Position };
    }

    private WithinClause ParseWithin()
    {
        var start = _c.Advance();
        SqlDuration before;
        SqlDuration after;
        if (_c.Accept(SqlTokenKind.LeftParen))
        {
            before = ParseDuration();
            _c.Expect(SqlTokenKind.Comma);
            after = ParseDuration();
            _c.Expect(SqlTokenKind.RightParen);
        }
        else
        {
            before = after = ParseDuration();
        }

        SqlDuration? grace = null;
        if (_c.Accept(SqlKeyword.Grace))
        {
            _c.Expect(SqlKeyword.Period);
            grace = ParseDuration();
        }

        return new WithinClause(before, after, grace) { Position = start.Position };
    }

    private WindowExpression ParseWindow()
    {
        _c.Advance();

        // ksqlDB's grammar allows a name before the window type (WINDOW w TUMBLING (...)); it has no meaning.
        if (_c.Current.Kind == SqlTokenKind.Identifier && _c.Current.Keyword == SqlKeyword.None
            && _c.Peek().Kind == SqlTokenKind.Identifier && _c.Peek().Keyword is SqlKeyword.Tumbling or SqlKeyword.Hopping or SqlKeyword.Session)
        {
            _c.Advance();
        }

        var start = _c.Current;
        WindowExpression window;
        if (_c.Accept(SqlKeyword.Tumbling))
        {
            _c.Expect(SqlTokenKind.LeftParen);
            _c.Expect(SqlKeyword.Size);
            var size = ParseDuration();
            var (retention, grace) = ParseWindowOptions();
            window = new TumblingWindow(size, retention, grace);
        }
        else if (_c.Accept(SqlKeyword.Hopping))
        {
            _c.Expect(SqlTokenKind.LeftParen);
            _c.Expect(SqlKeyword.Size);
            var size = ParseDuration();
            _c.Expect(SqlTokenKind.Comma);
            _c.Expect(SqlKeyword.Advance);
            _c.Expect(SqlKeyword.By);
            var advance = ParseDuration();
            var (retention, grace) = ParseWindowOptions();
            window = new HoppingWindow(size, advance, retention, grace);
        }
        else if (_c.Accept(SqlKeyword.Session))
        {
            _c.Expect(SqlTokenKind.LeftParen);
            var gap = ParseDuration();
            var (retention, grace) = ParseWindowOptions();
            window = new SessionWindow(gap, retention, grace);
        }
        else
        {
            throw _c.Expecting("'TUMBLING'", "'HOPPING'", "'SESSION'");
        }

        return window with { Position = start.Position };
    }

    /// <summary><c>[, RETENTION n unit] [, GRACE PERIOD n unit] )</c>.</summary>
    private (SqlDuration? Retention, SqlDuration? Grace) ParseWindowOptions()
    {
        SqlDuration? retention = null;
        SqlDuration? grace = null;
        if (_c.At(SqlTokenKind.Comma) && _c.Peek().IsKeyword(SqlKeyword.Retention))
        {
            _c.Advance();
            _c.Advance();
            retention = ParseDuration();
        }

        if (_c.Accept(SqlTokenKind.Comma))
        {
            _c.Expect(SqlKeyword.Grace);
            _c.Expect(SqlKeyword.Period);
            grace = ParseDuration();
        }

        _c.Expect(SqlTokenKind.RightParen);
        return (retention, grace);
    }

    /// <summary><c>n unit</c> with unit one of MILLISECOND(S), SECOND(S), MINUTE(S), HOUR(S), DAY(S).</summary>
    public SqlDuration ParseDuration()
    {
        var value = _c.ExpectInteger();
        var unit = _c.Current.Kind == SqlTokenKind.Identifier ? TimeUnitOf(_c.Current.Keyword) : null;
        if (unit is null)
        {
            throw _c.Expecting("'MILLISECONDS'", "'SECONDS'", "'MINUTES'", "'HOURS'", "'DAYS'");
        }

        _c.Advance();
        return new SqlDuration(value, unit.Value);
    }

    internal static SqlTimeUnit? TimeUnitOf(SqlKeyword keyword) => keyword switch
    {
        SqlKeyword.Millisecond or SqlKeyword.Milliseconds => SqlTimeUnit.Millisecond,
        SqlKeyword.Second or SqlKeyword.Seconds => SqlTimeUnit.Second,
        SqlKeyword.Minute or SqlKeyword.Minutes => SqlTimeUnit.Minute,
        SqlKeyword.Hour or SqlKeyword.Hours => SqlTimeUnit.Hour,
        SqlKeyword.Day or SqlKeyword.Days => SqlTimeUnit.Day,
        _ => null,
    };

    /// <summary>
    /// GROUP BY / PARTITION BY: <c>e1, e2, ...</c> or <c>(e1, e2, ...)</c> or <c>()</c>. A single parenthesized
    /// expression (<c>(A IS NULL)</c>, <c>(A + 1) * 2</c>) is an ordinary first item.
    /// </summary>
    private EquatableArray<Expression> ParseGrouping()
    {
        var items = new List<Expression>();
        if (_c.At(SqlTokenKind.LeftParen))
        {
            var open = _c.Advance();
            if (_c.Accept(SqlTokenKind.RightParen))
            {
                return [];
            }

            var first = _expressions.ParseExpression();
            if (_c.At(SqlTokenKind.Comma))
            {
                items.Add(first);
                while (_c.Accept(SqlTokenKind.Comma))
                {
                    items.Add(_expressions.ParseValueExpression());
                }

                _c.Expect(SqlTokenKind.RightParen);
                return [.. items];
            }

            _c.Expect(SqlTokenKind.RightParen);
            items.Add(_expressions.ContinueValueExpression(first, open));
        }
        else
        {
            items.Add(_expressions.ParseValueExpression());
        }

        while (_c.Accept(SqlTokenKind.Comma))
        {
            items.Add(_expressions.ParseValueExpression());
        }

        return [.. items];
    }
}
