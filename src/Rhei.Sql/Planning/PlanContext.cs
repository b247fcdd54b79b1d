using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Functions;
using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>A source of the query with the name other clauses use for it.</summary>
public sealed record AliasedDataSource(string Alias, DataSource Source, SourcePosition Position);

/// <summary>The state of planning one query: its sources, the binder, names in use.</summary>
internal sealed class PlanContext
{
    private readonly HashSet<string> _reservedNames = new(StringComparer.Ordinal);
    private int _generated;

    public PlanContext(ISourceCatalog catalog, FunctionRegistry functions, FormatRegistry formats, KsqlConfig config, Query query, QueryTarget target, string statementText)
    {
        Catalog = catalog;
        Functions = functions;
        Formats = formats;
        Config = config;
        Query = query;
        Target = target;
        StatementText = statementText;
        Binder = new ExpressionBinder(functions, name => catalog.GetType(name));
    }

    public ISourceCatalog Catalog { get; }

    public FunctionRegistry Functions { get; }

    public FormatRegistry Formats { get; }

    public KsqlConfig Config { get; }

    public Query Query { get; }

    public QueryTarget Target { get; }

    public string StatementText { get; }

    public ExpressionBinder Binder { get; }

    /// <summary>The partition count of a topic, when known.</summary>
    public Func<string, int?>? Partitions { get; init; }

    public List<AliasedDataSource> Sources { get; } = [];

    public bool IsJoin => Sources.Count > 1;

    /// <summary>Column names that occur in more than one source of a join (their references are named SOURCE_NAME).</summary>
    public HashSet<string> ClashingNames { get; } = new(StringComparer.Ordinal);

    public bool RowPartitionOffsetEnabled => Config.GetBool(KsqlConfig.RowPartitionOffsetEnabled, true);

    /// <summary>Marks names as taken, so generated names avoid them.</summary>
    public void Reserve(IEnumerable<string> names)
    {
        foreach (var n in names)
        {
            _reservedNames.Add(n);
        }
    }

    /// <summary>The next <c>KSQL_COL_n</c> not in use.</summary>
    public string NextGeneratedName()
    {
        while (true)
        {
            var name = ExpressionNames.GeneratedName(_generated++);
            if (_reservedNames.Add(name))
            {
                return name;
            }
        }
    }

    public BoundExpression Bind(Expression expression, ExpressionScope scope, string? clause, bool aggregates = false, bool tableFunctions = false) =>
        Binder.Bind(expression, scope, new BindOptions { Clause = clause, AllowAggregates = aggregates, AllowTableFunctions = tableFunctions });

    public BoundExpression BindPredicate(Expression expression, ExpressionScope scope, string clause, bool aggregates = false) =>
        Binder.BindPredicate(expression, scope, new BindOptions { Clause = clause, AllowAggregates = aggregates });

    public KsqlStatementException Error(string message) => new(message, StatementText);

    /// <summary>The columns a source contributes to a row, as ksqlDB lays them out.</summary>
    public PlanSchema SourceRow(DataSource source, string alias, bool prefix)
    {
        var columns = new List<(string Name, SqlType Type)>();
        foreach (var v in source.Schema.Value)
        {
            columns.Add((v.Name, v.Type));
        }

        columns.Add((SystemColumns.RowTime, SqlTypes.BigInt));
        if (RowPartitionOffsetEnabled)
        {
            columns.Add((SystemColumns.RowPartition, SqlTypes.Integer));
            columns.Add((SystemColumns.RowOffset, SqlTypes.BigInt));
        }

        if (source.IsWindowed)
        {
            columns.Add((SystemColumns.WindowStart, SqlTypes.BigInt));
            columns.Add((SystemColumns.WindowEnd, SqlTypes.BigInt));
        }

        foreach (var k in source.Schema.Key)
        {
            columns.Add((k.Name, k.Type));
        }

        string Name(string n) => prefix ? alias + "_" + n : n;
        return new PlanSchema(
            source.Schema.Key.Select(k => new PlanColumn(Name(k.Name), k.Type, alias, k.Name)),
            columns.Select(c => new PlanColumn(Name(c.Name), c.Type, alias, c.Name)));
    }
}

/// <summary>What a query writes: a new stream/table (CSAS/CTAS) or an existing stream (INSERT INTO).</summary>
public sealed record QueryTarget(string SinkName, SourceType SinkType, WithProperties Properties, DataSource? ExistingSink)
{
    public bool IsInsert => ExistingSink is not null;

    /// <summary>A transient (push) query: its rows go to the caller, not to a topic; key columns need not be selected.</summary>
    public bool Transient { get; init; }
}
