using Rhei.Formats.Types;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Tests.Parsing;

/// <summary>
/// Random ASTs of the shapes the parser produces (lambdas and time units only as function arguments, lambda variables
/// only inside their lambda, canonical decimals), with names that need quoting, keywords, and edge-case literals.
/// </summary>
internal sealed class AstGenerator(int seed)
{
    private static readonly string[] Names =
    [
        "A", "COL_1", "lower", "Mixed Case", "KEY", "SIZE", "FROM", "SELECT", "1ABC", "ARRAY", "MAP", "STRUCT", "EMIT",
        "PARTITION", "x`y", "DAY", "SECOND", "SECONDS", "TIMESTAMP", "WINDOW", "ID", "TOPIC", "_u", "ROWTIME", "STREAMS",
        "FUNCTION", "CONNECTOR", "EXTENDED", "ALL", "it's", "DECIMAL", "NULL",
    ];

    private static readonly string[] LambdaParameters = ["P", "Q", "p q", "KEY"];

    private static readonly string[] CustomTypes = ["ADDRESS", "my type", "ARRAY", "MAP", "STRUCT", "DECIMAL", "KEY"];

    private readonly Random _random = new(seed);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(int percent) => _random.Next(100) < percent;

    private string Name() => Pick(Names);

    private string? MaybeName(int percent = 50) => Chance(percent) ? Name() : null;

    private EquatableArray<T> Many<T>(int min, int max, Func<T> item) => [.. Enumerable.Range(0, _random.Next(min, max + 1)).Select(_ => item())];

    public Literal Literal() => _random.Next(9) switch
    {
        0 => new NullLiteral(),
        1 => new BooleanLiteral(Chance(50)),
        2 => new StringLiteral(Pick(["", "x", "it's", "a\nb", "--", "/*", "${v}", "ü"])),
        3 => new IntegerLiteral(Pick([0, 1, -1, int.MaxValue, int.MinValue, _random.Next(int.MinValue, int.MaxValue)])),
        4 => new BigIntLiteral(Pick([long.MaxValue, long.MinValue, 2147483648L, -2147483649L])),
        5 => new DecimalLiteral(DecimalText()),
        6 => new DoubleLiteral(Pick([0.0, -0.0, 1.5, -2.5e-10, 1e300, double.MaxValue, double.Epsilon, _random.NextDouble() * 1000])),
        _ => new IntegerLiteral(_random.Next(-5, 100)),
    };

    private string DecimalText()
    {
        var integer = Chance(30) ? "0" : _random.Next(1, 100000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var fraction = new string('0', _random.Next(0, 2)) + (Chance(80) ? _random.Next(0, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        var isZero = integer == "0" && fraction.All(c => c == '0');
        return (Chance(30) && !isZero ? "-" : "") + integer + "." + fraction;
    }

    public Expression Expression(int depth = 4) => Expression(depth, []);

    private Expression Expression(int depth, IReadOnlyList<string> scope)
    {
        if (depth <= 0 || Chance(20))
        {
            return _random.Next(4) switch
            {
                0 or 1 => Literal(),
                2 when scope.Count > 0 => new LambdaVariable(Pick(scope)),
                _ => new ColumnReference(MaybeName(30), Pick(Names.Except(scope).ToArray())),
            };
        }

        Expression Sub() => Expression(depth - 1, scope);
        return _random.Next(22) switch
        {
            0 => new ArithmeticUnaryExpression(Pick([ArithmeticUnaryOperator.Minus, ArithmeticUnaryOperator.Plus]), Sub()),
            1 => new ArithmeticBinaryExpression(Pick(Enum.GetValues<ArithmeticOperator>()), Sub(), Sub()),
            2 => new ComparisonExpression(Pick(Enum.GetValues<ComparisonOperator>()), Sub(), Sub()),
            3 => new LogicalBinaryExpression(Pick(Enum.GetValues<LogicalOperator>()), Sub(), Sub()),
            4 => new NotExpression(Sub()),
            5 => new BetweenPredicate(Sub(), Sub(), Sub(), Chance(50)),
            6 => new LikePredicate(Sub(), Sub(), Chance(50) ? Pick(['\\', '\'', '%', 'x']) : null, Chance(50)),
            7 => new InPredicate(Sub(), Many(1, 3, Sub), Chance(50)),
            8 => new IsNullPredicate(Sub(), Chance(50)),
            9 => new SearchedCaseExpression(Many(1, 3, () => new WhenClause(Sub(), Sub())), Chance(50) ? Sub() : null),
            10 => new SimpleCaseExpression(Sub(), Many(1, 3, () => new WhenClause(Sub(), Sub())), Chance(50) ? Sub() : null),
            11 => new CastExpression(Sub(), Type(2)),
            12 => new CreateArrayExpression(Many(0, 3, Sub)),
            13 => new CreateMapExpression(Many(0, 3, () => new MapEntry(Sub(), Sub()))),
            14 => new CreateStructExpression(Many(0, 3, () => new StructFieldValue(Name(), Sub()))),
            15 or 16 => Function(depth, scope),
            17 => new SubscriptExpression(Sub(), Sub()),
            18 => new DereferenceExpression(Sub(), Name()),
            19 => new FunctionCall(Name(), [], Star: true),
            _ => Sub(),
        };
    }

    private FunctionCall Function(int depth, IReadOnlyList<string> scope)
    {
        var arguments = Many<Expression>(0, 3, () => _random.Next(6) switch
        {
            0 => new TimeUnitExpression(Pick(Enum.GetValues<SqlTimeUnit>())),
            1 => Lambda(depth, scope),
            _ => Expression(depth - 1, scope),
        });
        return new FunctionCall(Name(), arguments);
    }

    private LambdaExpression Lambda(int depth, IReadOnlyList<string> scope)
    {
        EquatableArray<string> parameters = [.. LambdaParameters.OrderBy(_ => _random.Next()).Take(_random.Next(1, 4))];
        return new LambdaExpression(parameters, Expression(depth - 1, [.. scope, .. parameters]));
    }

    public TypeSyntax Type(int depth = 3)
    {
        if (depth <= 0 || Chance(40))
        {
            return _random.Next(4) switch
            {
                0 => new DecimalTypeSyntax(_random.Next(1, 30), _random.Next(0, 10)),
                1 => new CustomTypeSyntax(Pick(CustomTypes)),
                _ => new PrimitiveTypeSyntax(Pick([
                    SqlBaseType.Boolean, SqlBaseType.Integer, SqlBaseType.BigInt, SqlBaseType.Double, SqlBaseType.String,
                    SqlBaseType.Bytes, SqlBaseType.Date, SqlBaseType.Time, SqlBaseType.Timestamp])),
            };
        }

        return _random.Next(3) switch
        {
            0 => new ArrayTypeSyntax(Type(depth - 1)),
            1 => new MapTypeSyntax(Type(depth - 1), Type(depth - 1)),
            _ => new StructTypeSyntax(Many(0, 3, () => new StructFieldSyntax(Name(), Type(depth - 1)))),
        };
    }

    private SqlDuration Duration() => new(Pick([0L, 1L, 5L, 1000L, long.MaxValue, -1L]), Pick(Enum.GetValues<SqlTimeUnit>()));

    private SqlDuration? MaybeDuration() => Chance(50) ? Duration() : null;

    private int? MaybeInt() => Chance(50) ? _random.Next(-10, 1000) : null;

    public Query Query()
    {
        var select = Many<SelectItem>(1, 3, () => _random.Next(5) switch
        {
            0 => new AllColumns(MaybeName()),
            1 => new AllStructFields(Expression(2)),
            _ => new SingleColumn(Expression(3), MaybeName()),
        });
        var from = new FromClause(
            new AliasedSource(Name(), MaybeName()),
            Many(0, 2, () => new JoinClause(
                Pick(Enum.GetValues<JoinType>()),
                new AliasedSource(Name(), MaybeName()),
                Chance(50) ? Within() : null,
                Expression(2))));
        WindowExpression? window = _random.Next(4) switch
        {
            0 => new TumblingWindow(Duration(), MaybeDuration(), MaybeDuration()),
            1 => new HoppingWindow(Duration(), Duration(), MaybeDuration(), MaybeDuration()),
            2 => new SessionWindow(Duration(), MaybeDuration(), MaybeDuration()),
            _ => null,
        };
        return new Query(
            select,
            from,
            window,
            Chance(50) ? Expression(3) : null,
            Chance(40) ? Many(0, 3, () => Expression(2)) : null,
            Chance(30) ? Many(0, 2, () => Expression(2)) : null,
            Chance(30) ? Expression(2) : null,
            Chance(60) ? Pick(Enum.GetValues<ResultMaterialization>()) : null,
            MaybeInt());
    }

    private WithinClause Within()
    {
        var before = Duration();
        return new WithinClause(before, Chance(50) ? before : Duration(), MaybeDuration());
    }

    private EquatableArray<TableProperty> Properties(int min = 0) =>
        Many(min, 3, () => new TableProperty(Pick(["KAFKA_TOPIC", "value.format", "lower", "KEY", "SELECT", "x y", "it's"]), Literal()));

    private EquatableArray<TableElement> Elements() => Many(0, 3, () =>
    {
        var constraint = Pick(Enum.GetValues<ColumnConstraint>());
        return new TableElement(Name(), Type(2), constraint, constraint == ColumnConstraint.Header ? Pick(["abc", "it's", ""]) : null);
    });

    private string Topic() => Pick(["pageviews", "rider-locations", "SELECT", "Mixed", "a'b", "KEY", "1x"]);

    private string VariableName() => Pick(["topicName", "x", "FORMAT", "SELECT", "_v1"]);

    public Statement Statement(bool testStatements = false, int depth = 2)
    {
        var kinds = testStatements ? 44 : 40;
        return _random.Next(kinds) switch
        {
            0 or 1 or 2 => Query(),
            3 => new CreateStream(Chance(50), Chance(50), Chance(50), Name(), Elements(), Properties()),
            4 => new CreateTable(Chance(50), Chance(50), Chance(50), Name(), Elements(), Properties()),
            5 => new CreateStreamAsSelect(Chance(50), Chance(50), Name(), Properties(), Query()),
            6 => new CreateTableAsSelect(Chance(50), Chance(50), Name(), Properties(), Query()),
            7 => new InsertInto(Name(), Properties(), Query()),
            8 => new InsertValues(Name(), Many(0, 3, Name), Many(0, 3, () => Expression(3))),
            9 => new DropStream(Chance(50), Name(), Chance(50)),
            10 => new DropTable(Chance(50), Name(), Chance(50)),
            11 => new AlterSource(Pick(Enum.GetValues<SourceType>()), Name(), Many(1, 3, () => new AddColumn(Name(), Type(2)))),
            12 => new ListProperties(),
            13 => new ListTopics(Chance(50), Chance(50)),
            14 => new ListStreams(Chance(50)),
            15 => new ListTables(Chance(50)),
            16 => new ListQueries(Chance(50)),
            17 => new ListFunctions(),
            18 => new ListConnectors(Chance(30) ? null : Pick(Enum.GetValues<ConnectorType>())),
            19 => new ListConnectorPlugins(),
            20 => new ListTypes(),
            21 => new ListVariables(),
            22 => new DescribeSource(Name(), Chance(50)),
            23 => new DescribeStreams(Chance(50)),
            24 => new DescribeFunction(Name()),
            25 => new DescribeConnector(Name()),
            26 => new PrintTopic(Topic(), Chance(50), MaybeInt(), MaybeInt()),
            27 => new TerminateQuery(MaybeName(70)),
            28 => new PauseQuery(MaybeName(70)),
            29 => new ResumeQuery(MaybeName(70)),
            30 => new SetProperty(Topic(), Topic()),
            31 => new UnsetProperty(Topic()),
            32 => new AlterSystemProperty(Topic(), Topic()),
            33 => new DefineVariable(VariableName(), Topic()),
            34 => new UndefineVariable(VariableName()),
            35 => depth > 0 && Chance(50) ? new Explain(Statement(testStatements, depth - 1), null) : new Explain(null, Name()),
            36 => new CreateConnector(Pick(Enum.GetValues<ConnectorType>()), Chance(50), Name(), Properties(min: 1)),
            37 => Chance(50) ? new DropConnector(Chance(50), Name()) : new DropType(Chance(50), Name()),
            38 => new CreateType(Chance(50), Name(), Type()),
            39 => Chance(50)
                ? new AssertTopic(Chance(50), Topic(), Properties(), MaybeDuration())
                : new AssertSchema(Chance(50), Chance(50) ? Topic() : null, MaybeInt(), MaybeDuration()),
            40 => new AssertValues(Name(), Many(0, 3, Name), Many(0, 3, () => Expression(2))),
            41 => new AssertTombstone(Name(), Many(0, 3, Name), Many(0, 3, () => Expression(2))),
            42 => new AssertSource(Pick(Enum.GetValues<SourceType>()), Name(), Elements(), Properties()),
            _ => new RunScript(Topic()),
        };
    }
}
