using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

/// <summary>One statement of every kind in ksqlDB's grammar (plus the test runner's, when enabled).</summary>
internal sealed class StatementParser
{
    private readonly TokenCursor _c;
    private readonly TypeParser _types;
    private readonly ExpressionParser _expressions;
    private readonly QueryParser _queries;

    public StatementParser(TokenCursor cursor)
    {
        _c = cursor;
        _types = new TypeParser(cursor);
        _expressions = new ExpressionParser(cursor, _types);
        _queries = new QueryParser(cursor, _expressions);
    }

    public ExpressionParser Expressions => _expressions;

    public TypeParser Types => _types;

    public Statement ParseStatement()
    {
        _c.EnsureStack();
        var start = _c.Current;
        var statement = ParseStatementCore(start);
        return statement.Position.IsKnown ? statement : statement with { Position = start.Position };
    }

    private Statement ParseStatementCore(SqlToken start)
    {
        if (start.Kind == SqlTokenKind.Identifier)
        {
            switch (start.Keyword)
            {
                case SqlKeyword.Select:
                    return _queries.ParseQuery();
                case SqlKeyword.List or SqlKeyword.Show:
                    return ParseList();
                case SqlKeyword.Describe:
                    return ParseDescribe();
                case SqlKeyword.Print:
                    return ParsePrint();
                case SqlKeyword.Terminate:
                    _c.Advance();
                    return new TerminateQuery(ParseQueryIdOrAll());
                case SqlKeyword.Pause:
                    _c.Advance();
                    return new PauseQuery(ParseQueryIdOrAll());
                case SqlKeyword.Resume:
                    _c.Advance();
                    return new ResumeQuery(ParseQueryIdOrAll());
                case SqlKeyword.Set:
                    return ParseSet();
                case SqlKeyword.Unset:
                    _c.Advance();
                    return new UnsetProperty(ExpectString());
                case SqlKeyword.Alter:
                    return ParseAlter();
                case SqlKeyword.Define:
                    return ParseDefine();
                case SqlKeyword.Undefine:
                    _c.Advance();
                    return new UndefineVariable(ExpectVariableName());
                case SqlKeyword.Create:
                    return ParseCreate();
                case SqlKeyword.Insert:
                    return ParseInsert();
                case SqlKeyword.Drop:
                    return ParseDrop();
                case SqlKeyword.Explain:
                    return ParseExplain();
                case SqlKeyword.Assert:
                    return ParseAssert();
                case SqlKeyword.Run when _c.Options.AllowTestStatements:
                    _c.Advance();
                    _c.Expect(SqlKeyword.Script);
                    return new RunScript(ExpectString());
            }
        }

        if (start.Kind == SqlTokenKind.EndOfInput || start.Kind == SqlTokenKind.Semicolon)
        {
            throw _c.Error("Empty statement: expecting a statement such as SELECT, CREATE, INSERT or SHOW");
        }

        throw _c.Error($"Unknown statement '{start.Text}'");
    }

    private Statement ParseList()
    {
        _c.Advance();
        var token = _c.Current;
        switch (token.Kind == SqlTokenKind.Identifier ? token.Keyword : SqlKeyword.None)
        {
            case SqlKeyword.Properties:
                _c.Advance();
                return new ListProperties();
            case SqlKeyword.All:
                _c.Advance();
                _c.Expect(SqlKeyword.Topics);
                return new ListTopics(All: true, Extended: _c.Accept(SqlKeyword.Extended));
            case SqlKeyword.Topics:
                _c.Advance();
                return new ListTopics(All: false, Extended: _c.Accept(SqlKeyword.Extended));
            case SqlKeyword.Streams:
                _c.Advance();
                return new ListStreams(_c.Accept(SqlKeyword.Extended));
            case SqlKeyword.Tables:
                _c.Advance();
                return new ListTables(_c.Accept(SqlKeyword.Extended));
            case SqlKeyword.Queries:
                _c.Advance();
                return new ListQueries(_c.Accept(SqlKeyword.Extended));
            case SqlKeyword.Functions:
                _c.Advance();
                return new ListFunctions();
            case SqlKeyword.Source:
                _c.Advance();
                _c.Expect(SqlKeyword.Connectors);
                return new ListConnectors(ConnectorType.Source);
            case SqlKeyword.Sink:
                _c.Advance();
                _c.Expect(SqlKeyword.Connectors);
                return new ListConnectors(ConnectorType.Sink);
            case SqlKeyword.Connectors:
                _c.Advance();
                return new ListConnectors();
            case SqlKeyword.Connector:
                _c.Advance();
                _c.Expect(SqlKeyword.Plugins);
                return new ListConnectorPlugins();
            case SqlKeyword.Types:
                _c.Advance();
                return new ListTypes();
            case SqlKeyword.Variables:
                _c.Advance();
                return new ListVariables();
            default:
                throw _c.Expecting(
                    "'PROPERTIES'", "'ALL'", "'TOPICS'", "'STREAMS'", "'TABLES'", "'QUERIES'", "'FUNCTIONS'",
                    "'SOURCE'", "'SINK'", "'CONNECTORS'", "'CONNECTOR'", "'TYPES'", "'VARIABLES'");
        }
    }

    private Statement ParseDescribe()
    {
        _c.Advance();
        if (_c.Accept(SqlKeyword.Streams))
        {
            return new DescribeStreams(_c.Accept(SqlKeyword.Extended));
        }

        if (_c.At(SqlKeyword.Function) && _c.Peek().IsIdentifier)
        {
            _c.Advance();
            return new DescribeFunction(_c.ExpectIdentifier());
        }

        if (_c.Accept(SqlKeyword.Connector))
        {
            return new DescribeConnector(_c.ExpectIdentifier());
        }

        var name = _c.ExpectIdentifierToken();
        return new DescribeSource(name.Value, _c.Accept(SqlKeyword.Extended)) { NamePosition = name.Position };
    }

    private PrintTopic ParsePrint()
    {
        _c.Advance();
        var topic = ExpectResourceName();
        var fromBeginning = false;
        if (_c.Accept(SqlKeyword.From))
        {
            _c.Expect(SqlKeyword.Beginning);
            fromBeginning = true;
        }

        int? interval = null;
        if (_c.Accept(SqlKeyword.Interval) || _c.Accept(SqlKeyword.Sample))
        {
            interval = _c.ExpectInt32();
        }

        int? limit = null;
        if (_c.Accept(SqlKeyword.Limit))
        {
            limit = _c.ExpectInt32();
        }

        return new PrintTopic(topic, fromBeginning, interval, limit);
    }

    private SetProperty ParseSet()
    {
        _c.Advance();
        var (name, value) = ParsePropertyAssignment();
        return new SetProperty(name, value);
    }

    private DefineVariable ParseDefine()
    {
        _c.Advance();
        var name = ExpectVariableName();
        _c.Expect(SqlTokenKind.Equal);
        return new DefineVariable(name, ExpectString());
    }

    private string? ParseQueryIdOrAll() => _c.Accept(SqlKeyword.All) ? null : _c.ExpectIdentifier();

    private (string Name, string Value) ParsePropertyAssignment()
    {
        var name = ExpectString();
        _c.Expect(SqlTokenKind.Equal);
        return (name, ExpectString());
    }

    private Statement ParseAlter()
    {
        _c.Advance();
        if (_c.Accept(SqlKeyword.System))
        {
            var (name, value) = ParsePropertyAssignment();
            return new AlterSystemProperty(name, value);
        }

        var type = ExpectSourceType();
        var nameToken = _c.ExpectIdentifierToken();
        var columns = new List<AddColumn>();
        do
        {
            var addToken = _c.Expect(SqlKeyword.Add);
            _c.Accept(SqlKeyword.Column);
            var column = _c.ExpectIdentifier();
            columns.Add(new AddColumn(column, _types.ParseType()) { Position = addToken.Position });
        }
        while (_c.Accept(SqlTokenKind.Comma));

        return new AlterSource(type, nameToken.Value, [.. columns]) { NamePosition = nameToken.Position };
    }

    private SourceType ExpectSourceType()
    {
        if (_c.Accept(SqlKeyword.Stream))
        {
            return SourceType.Stream;
        }

        if (_c.Accept(SqlKeyword.Table))
        {
            return SourceType.Table;
        }

        throw _c.Expecting("'STREAM'", "'TABLE'");
    }

    private Statement ParseCreate()
    {
        _c.Advance();
        var orReplace = false;
        if (_c.Accept(SqlKeyword.Or))
        {
            _c.Expect(SqlKeyword.Replace);
            orReplace = true;
        }

        if (!orReplace && _c.At(SqlKeyword.Type))
        {
            _c.Advance();
            var ifNotExists = ParseIfNotExists();
            var name = _c.ExpectIdentifier();
            _c.Expect(SqlKeyword.As);
            return new CreateType(ifNotExists, name, _types.ParseType());
        }

        if (!orReplace && (_c.At(SqlKeyword.Sink) || (_c.At(SqlKeyword.Source) && _c.Peek().IsKeyword(SqlKeyword.Connector))))
        {
            var connectorType = _c.Advance().Keyword == SqlKeyword.Sink ? ConnectorType.Sink : ConnectorType.Source;
            _c.Expect(SqlKeyword.Connector);
            var ifNotExists = ParseIfNotExists();
            var name = _c.ExpectIdentifier();
            _c.Expect(SqlKeyword.With);
            return new CreateConnector(connectorType, ifNotExists, name, ParseProperties());
        }

        var isSource = _c.Accept(SqlKeyword.Source);
        if (!_c.At(SqlKeyword.Stream) && !_c.At(SqlKeyword.Table))
        {
            throw orReplace || isSource
                ? _c.Expecting("'STREAM'", "'TABLE'")
                : _c.Expecting("'STREAM'", "'TABLE'", "'SOURCE'", "'SINK'", "'TYPE'", "'OR'");
        }

        var sourceType = ExpectSourceType();
        var ifNotExistsSource = ParseIfNotExists();
        var nameToken = _c.ExpectIdentifierToken();
        var elements = _c.At(SqlTokenKind.LeftParen) ? ParseTableElements() : [];
        var properties = _c.Accept(SqlKeyword.With) ? ParseProperties() : [];

        if (_c.At(SqlKeyword.As))
        {
            if (isSource || !elements.IsEmpty)
            {
                throw _c.Error(isSource
                    ? "CREATE SOURCE STREAM/TABLE declares a source on an existing topic and cannot have AS SELECT"
                    : "A CREATE ... AS SELECT statement takes its columns from the query and cannot declare any");
            }

            _c.Advance();
            var query = _queries.ParseQuery();
            return sourceType == SourceType.Stream
                ? new CreateStreamAsSelect(orReplace, ifNotExistsSource, nameToken.Value, properties, query) { NamePosition = nameToken.Position }
                : new CreateTableAsSelect(orReplace, ifNotExistsSource, nameToken.Value, properties, query) { NamePosition = nameToken.Position };
        }

        return sourceType == SourceType.Stream
            ? new CreateStream(orReplace, isSource, ifNotExistsSource, nameToken.Value, elements, properties) { NamePosition = nameToken.Position }
            : new CreateTable(orReplace, isSource, ifNotExistsSource, nameToken.Value, elements, properties) { NamePosition = nameToken.Position };
    }

    private bool ParseIfNotExists()
    {
        if (!_c.Accept(SqlKeyword.If))
        {
            return false;
        }

        _c.Expect(SqlKeyword.Not);
        _c.Expect(SqlKeyword.Exists);
        return true;
    }

    private bool ParseIfExists()
    {
        if (!_c.Accept(SqlKeyword.If))
        {
            return false;
        }

        _c.Expect(SqlKeyword.Exists);
        return true;
    }

    private EquatableArray<TableElement> ParseTableElements()
    {
        _c.Expect(SqlTokenKind.LeftParen);
        var elements = new List<TableElement>();
        while (true)
        {
            elements.Add(ParseTableElement());
            if (_c.Accept(SqlTokenKind.Comma))
            {
                continue;
            }

            if (_c.Accept(SqlTokenKind.RightParen))
            {
                return [.. elements];
            }

            throw _c.Expecting("','", "')'");
        }
    }

    private TableElement ParseTableElement()
    {
        var nameToken = _c.ExpectIdentifierToken();
        var type = _types.ParseType();
        var constraint = ColumnConstraint.None;
        string? headerKey = null;
        if (_c.Accept(SqlKeyword.Primary))
        {
            _c.Expect(SqlKeyword.Key);
            constraint = ColumnConstraint.PrimaryKey;
        }
        else if (_c.Accept(SqlKeyword.Key))
        {
            constraint = ColumnConstraint.Key;
        }
        else if (_c.Accept(SqlKeyword.Headers))
        {
            constraint = ColumnConstraint.Headers;
        }
        else if (_c.Accept(SqlKeyword.Header))
        {
            _c.Expect(SqlTokenKind.LeftParen);
            headerKey = ExpectString();
            _c.Expect(SqlTokenKind.RightParen);
            constraint = ColumnConstraint.Header;
        }

        return new TableElement(nameToken.Value, type, constraint, headerKey) { Position = nameToken.Position };
    }

    /// <summary><c>(name = literal, ...)</c>; a name is an identifier or a string.</summary>
    private EquatableArray<TableProperty> ParseProperties()
    {
        _c.Expect(SqlTokenKind.LeftParen);
        var properties = new List<TableProperty>();
        do
        {
            var nameToken = _c.Current;
            var name = _c.At(SqlTokenKind.String) ? _c.Advance().Value : _c.ExpectIdentifier();
            _c.Expect(SqlTokenKind.Equal);
            properties.Add(new TableProperty(name, ParseLiteral()) { Position = nameToken.Position });
        }
        while (_c.Accept(SqlTokenKind.Comma));

        _c.Expect(SqlTokenKind.RightParen);
        return [.. properties];
    }

    /// <summary>A literal: NULL, a number (with an optional minus), TRUE/FALSE, or a string.</summary>
    private Literal ParseLiteral() =>
        _expressions.TryParseLiteral()
        ?? throw _c.Expecting("STRING", "INTEGER_VALUE", "DECIMAL_VALUE", "FLOATING_POINT_VALUE", "'TRUE'", "'FALSE'", "'NULL'");

    private Statement ParseInsert()
    {
        _c.Advance();
        _c.Expect(SqlKeyword.Into);
        var target = _c.ExpectIdentifierToken();
        if (_c.At(SqlTokenKind.LeftParen) || _c.At(SqlKeyword.Values))
        {
            var columns = _c.At(SqlTokenKind.LeftParen) ? ParseColumnList() : [];
            _c.Expect(SqlKeyword.Values);
            return new InsertValues(target.Value, columns, ParseValues()) { TargetPosition = target.Position };
        }

        var properties = _c.Accept(SqlKeyword.With) ? ParseProperties() : [];
        if (!_c.At(SqlKeyword.Select))
        {
            throw properties.IsEmpty ? _c.Expecting("'SELECT'", "'VALUES'", "'WITH'", "'('") : _c.Expecting("'SELECT'");
        }

        return new InsertInto(target.Value, properties, _queries.ParseQuery()) { TargetPosition = target.Position };
    }

    private EquatableArray<string> ParseColumnList()
    {
        _c.Expect(SqlTokenKind.LeftParen);
        var columns = new List<string>();
        do
        {
            columns.Add(_c.ExpectIdentifier());
        }
        while (_c.Accept(SqlTokenKind.Comma));

        _c.Expect(SqlTokenKind.RightParen);
        return [.. columns];
    }

    /// <summary><c>(v1, v2, ...)</c> of value expressions (possibly empty).</summary>
    private EquatableArray<Expression> ParseValues()
    {
        _c.Expect(SqlTokenKind.LeftParen);
        var values = new List<Expression>();
        if (!_c.At(SqlTokenKind.RightParen))
        {
            do
            {
                values.Add(_expressions.ParseValueExpression());
            }
            while (_c.Accept(SqlTokenKind.Comma));
        }

        _c.Expect(SqlTokenKind.RightParen);
        return [.. values];
    }

    private Statement ParseDrop()
    {
        _c.Advance();
        if (_c.Accept(SqlKeyword.Connector))
        {
            var ifExists = ParseIfExists();
            return new DropConnector(ifExists, _c.ExpectIdentifier());
        }

        if (_c.Accept(SqlKeyword.Type))
        {
            var ifExists = ParseIfExists();
            return new DropType(ifExists, _c.ExpectIdentifier());
        }

        if (!_c.At(SqlKeyword.Stream) && !_c.At(SqlKeyword.Table))
        {
            throw _c.Expecting("'STREAM'", "'TABLE'", "'CONNECTOR'", "'TYPE'");
        }

        var type = ExpectSourceType();
        var ifExistsSource = ParseIfExists();
        var name = _c.ExpectIdentifierToken();
        var deleteTopic = false;
        if (_c.Accept(SqlKeyword.Delete))
        {
            _c.Expect(SqlKeyword.Topic);
            deleteTopic = true;
        }

        return type == SourceType.Stream
            ? new DropStream(ifExistsSource, name.Value, deleteTopic) { NamePosition = name.Position }
            : new DropTable(ifExistsSource, name.Value, deleteTopic) { NamePosition = name.Position };
    }

    private Explain ParseExplain()
    {
        _c.Advance();
        var next = _c.Peek().Kind;
        if (_c.Current.IsIdentifier && next is SqlTokenKind.Semicolon or SqlTokenKind.EndOfInput)
        {
            return new Explain(null, _c.ExpectIdentifier());
        }

        return new Explain(ParseStatement(), null);
    }

    private Statement ParseAssert()
    {
        _c.Advance();
        if (_c.Options.AllowTestStatements)
        {
            if (_c.Accept(SqlKeyword.Values))
            {
                var source = _c.ExpectIdentifier();
                var columns = _c.At(SqlTokenKind.LeftParen) ? ParseColumnList() : [];
                _c.Expect(SqlKeyword.Values);
                return new AssertValues(source, columns, ParseValues());
            }

            if (_c.Accept(SqlKeyword.Null))
            {
                _c.Expect(SqlKeyword.Values);
                var source = _c.ExpectIdentifier();
                var columns = _c.At(SqlTokenKind.LeftParen) ? ParseColumnList() : [];
                _c.Expect(SqlKeyword.Key);
                return new AssertTombstone(source, columns, ParseValues());
            }

            if (_c.At(SqlKeyword.Stream) || _c.At(SqlKeyword.Table))
            {
                var type = ExpectSourceType();
                var name = _c.ExpectIdentifier();
                var elements = _c.At(SqlTokenKind.LeftParen) ? ParseTableElements() : [];
                var properties = _c.Accept(SqlKeyword.With) ? ParseProperties() : [];
                return new AssertSource(type, name, elements, properties);
            }
        }

        var notExists = false;
        if (_c.Accept(SqlKeyword.Not))
        {
            _c.Expect(SqlKeyword.Exists);
            notExists = true;
        }

        if (_c.Accept(SqlKeyword.Topic))
        {
            var topic = ExpectResourceName();
            var properties = _c.Accept(SqlKeyword.With) ? ParseProperties() : [];
            return new AssertTopic(notExists, topic, properties, ParseTimeout());
        }

        if (_c.Accept(SqlKeyword.Schema))
        {
            string? subject = null;
            if (_c.Accept(SqlKeyword.Subject))
            {
                subject = ExpectResourceName();
            }

            int? id = null;
            if (_c.Accept(SqlKeyword.Id))
            {
                id = _c.ExpectInt32();
            }

            return new AssertSchema(notExists, subject, id, ParseTimeout());
        }

        throw notExists ? _c.Expecting("'TOPIC'", "'SCHEMA'") : _c.Expecting("'NOT'", "'TOPIC'", "'SCHEMA'");
    }

    private SqlDuration? ParseTimeout() => _c.Accept(SqlKeyword.Timeout) ? _queries.ParseDuration() : null;

    private string ExpectString()
    {
        if (!_c.At(SqlTokenKind.String))
        {
            throw _c.Expecting("STRING");
        }

        return _c.Advance().Value;
    }

    /// <summary>DEFINE/UNDEFINE's variable name: an unquoted word, case kept.</summary>
    private string ExpectVariableName()
    {
        if (_c.Current.Kind != SqlTokenKind.Identifier)
        {
            throw _c.Expecting("IDENTIFIER");
        }

        return _c.Advance().Text;
    }

    /// <summary>A topic or subject name: a string, a quoted name, or an unquoted word whose case is kept.</summary>
    private string ExpectResourceName()
    {
        var token = _c.Current;
        switch (token.Kind)
        {
            case SqlTokenKind.String or SqlTokenKind.QuotedIdentifier:
                return _c.Advance().Value;
            case SqlTokenKind.Identifier when token.IsIdentifier:
                return _c.Advance().Text;
            default:
                throw _c.Expecting("IDENTIFIER", "STRING");
        }
    }
}
