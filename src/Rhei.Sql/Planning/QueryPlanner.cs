using System.Collections.Immutable;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Functions;
using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>
/// Plans persistent queries (CSAS, CTAS, INSERT INTO) as ksqlDB does: sources, joins, WHERE, table functions, GROUP BY
/// with aggregates and HAVING, or PARTITION BY, then the projection and the sink. The result is a
/// <see cref="PlannedQuery"/> holding the logical plan, the stream plan (<see cref="ExecutionStep"/>s) and the sink;
/// <c>Rhei.Sql.Execution.TopologyBuilder</c> turns the stream plan into a topology. Errors are
/// <see cref="KsqlStatementException"/>s with ksqlDB's messages.
/// </summary>
public sealed class QueryPlanner
{
    private readonly ISourceCatalog _catalog;
    private readonly FunctionRegistry _functions;
    private readonly FormatRegistry _formats;
    private readonly KsqlConfig _config;
    private readonly Func<string, int?>? _partitions;

    /// <param name="partitions">The partition count of a topic (null when unknown), to check that joined topics are co-partitioned.</param>
    public QueryPlanner(ISourceCatalog catalog, FunctionRegistry functions, FormatRegistry formats, KsqlConfig config, Func<string, int?>? partitions = null)
    {
        _catalog = catalog;
        _functions = functions;
        _formats = formats;
        _config = config;
        _partitions = partitions;
    }

    public PlannedQuery Plan(Query query, QueryTarget target, string statementText)
    {
        var ctx = new PlanContext(_catalog, _functions, _formats, _config, query, target, statementText) { Partitions = _partitions };
        try
        {
            return PlanCore(ctx);
        }
        catch (SqlBindingException e)
        {
            var message = e.Message.StartsWith("Cast of ", StringComparison.Ordinal) ? "Invalid Select: " + e.Message
                : e.Message.Contains(" is ambiguous. ", StringComparison.Ordinal) ? "Exception while preparing statement: " + e.MessageWithPosition
                : e.MessageWithPosition;
            throw new KsqlStatementException(message, statementText, e);
        }
        catch (FormatValidationException e)
        {
            throw new KsqlStatementException(e.Message, statementText, e);
        }
        catch (FunctionResolutionException e)
        {
            throw new KsqlStatementException(e.Message, statementText, e);
        }
        catch (KsqlStatementException)
        {
            throw;
        }
        catch (KsqlException e)
        {
            throw new KsqlStatementException(e.Message, statementText, e);
        }
    }

    private static PlannedQuery PlanCore(PlanContext ctx)
    {
        var query = ctx.Query;
        ResolveSources(ctx);
        CheckQualifiers(ctx);
        var logical = new List<string>();

        // FROM and JOIN.
        Stage stage;
        if (!ctx.IsJoin)
        {
            var s = ctx.Sources[0];
            var row = ctx.SourceRow(s.Source, s.Alias, prefix: false);
            stage = SourceStage(new SourceStep(s.Source, s.Alias, row), row);
            logical.Add($"DataSourceNode: {s.Source.Name} AS {s.Alias}");
            if (s.Source.IsWindowed && s.Source.IsTable)
            {
                throw ctx.Error("KSQL does not support persistent queries on windowed tables.");
            }
        }
        else
        {
            stage = JoinPlanner.Plan(ctx, logical);
        }

        // WHERE.
        if (query.Where is { } where)
        {
            var predicate = BindWhere(ctx, stage, where);
            stage = stage with { Step = new FilterStep(stage.Step, predicate, "WhereFilter") };
            logical.Add($"FilterNode: {predicate.ToSql()}");
        }

        CheckReservedSelect(ctx);
        var items = ProjectionPlanner.Expand(ctx, stage, query.Select);
        var aggregating = query.GroupBy is not null || items.Any(i => ContainsAggregate(ctx, i.Expression)) || (query.Having is not null);

        if (query.Window is not null && query.GroupBy is null && !aggregating)
        {
            throw ctx.Error("WINDOW clause requires a GROUP BY clause.");
        }

        if (query.Emit == ResultMaterialization.Final && (query.Window is null || !aggregating))
        {
            throw ctx.Error("EMIT FINAL is only supported for windowed aggregations.");
        }

        // Table functions.
        (stage, items) = FlatMapPlanner.Plan(ctx, stage, items, logical);

        ResultShape result;
        if (aggregating)
        {
            result = AggregatePlanner.Plan(ctx, stage, items, logical);
        }
        else
        {
            if (query.Having is not null)
            {
                throw ctx.Error("HAVING clause requires a GROUP BY clause.");
            }

            if (query.PartitionBy is { } partitionBy)
            {
                stage = PartitionPlanner.Plan(ctx, stage, partitionBy, ref items, logical);
            }

            result = ProjectionPlanner.Plan(ctx, stage, items, logical);
        }

        var step = result.Step;
        if (query.Emit == ResultMaterialization.Final)
        {
            step = new SuppressStep(step);
            logical.Add("SuppressNode: EMIT FINAL");
        }

        var sink = SinkPlanner.Plan(ctx, result, step);
        logical.Add($"DataSinkNode: {sink.Sink.Name} ({sink.Sink.TypeName}, topic {sink.Sink.KafkaTopicName})");
        logical.Reverse();
        return new PlannedQuery(sink.Sink, [.. ctx.Sources.Select(s => s.Source)], sink, string.Join("\n", logical.Select((l, i) => new string(' ', i * 2) + "> " + l)))
        {
            Partitions = ctx.Target.Properties.GetInt(WithProperties.Partitions),
            Replicas = (short?)ctx.Target.Properties.GetInt(WithProperties.Replicas),
        };
    }

    private static bool ContainsAggregate(PlanContext ctx, Expression e) =>
        e is FunctionCall f && ctx.Functions.IsAggregate(f.Name) || e.Children.OfType<Expression>().Any(c => ContainsAggregate(ctx, c))
        || e.Children.OfType<WhenClause>().Any(w => ContainsAggregate(ctx, w.Operand) || ContainsAggregate(ctx, w.Result));

    /// <summary>Every qualified column reference must name a source of the query (checked before anything is bound).</summary>
    private static void CheckQualifiers(PlanContext ctx)
    {
        var aliases = ctx.Sources.Select(s => s.Alias).ToHashSet(StringComparer.Ordinal);
        void Walk(SqlNode node)
        {
            if (node is ColumnReference { Source: { } source } && !aliases.Contains(source))
            {
                throw ctx.Error($"Failed to prepare statement: '{source}' is not a valid stream/table name or alias.");
            }

            if (node is AllColumns { Source: { } all } && !aliases.Contains(all))
            {
                throw ctx.Error($"Failed to prepare statement: '{all}' is not a valid stream/table name or alias.");
            }

            foreach (var child in node.Children)
            {
                Walk(child);
            }
        }

        Walk(ctx.Query);
    }

    /// <summary>A pseudo-column or window bound selected under its own name: ksqlDB rejects it before anything else.</summary>
    private static void CheckReservedSelect(PlanContext ctx)
    {
        foreach (var item in ctx.Query.Select.OfType<SingleColumn>())
        {
            if (item.Expression is ColumnReference r && SystemColumns.IsReserved(r.Name) && (item.Alias is null ? !ctx.IsJoin : item.Alias == r.Name))
            {
                throw ctx.Error($"Reserved column name in select: `{r.Name}`. Please remove or alias the column.");
            }
        }
    }

    internal static Stage SourceStage(ExecutionStep step, PlanSchema row)
    {
        var keys = row.Key.Select(k =>
        {
            var index = -1;
            for (var i = row.Value.Length - 1; i >= 0; i--)
            {
                if (row.Value[i].Name == k.Name)
                {
                    index = i;
                    break;
                }
            }

            var column = new ScopeColumn(row.Value[index].Name, row.Value[index].Type, index, row.Value[index].Source) { SourceColumnName = row.Value[index].ReferenceName };
            return ImmutableArray.Create<BoundExpression>(new BoundColumn(column));
        }).ToImmutableArray();
        return new Stage(step, keys, [.. row.Key.Select(k => k.ReferenceName)], KeyOrigin.Source);
    }

    private static void ResolveSources(PlanContext ctx)
    {
        var from = ctx.Query.From;
        var all = new[] { from.Source }.Concat(from.Joins.Select(j => j.Source)).ToList();
        foreach (var a in all)
        {
            var source = ctx.Catalog.GetSource(a.Name)
                ?? throw ctx.Error($"{(a.Position.IsKnown ? $"Line: {a.Position.Line}, Col: {a.Position.Column}: " : "")}{a.Name} does not exist.");
            ctx.Sources.Add(new AliasedDataSource(a.EffectiveName, source, a.Position));
        }

        if (ctx.Sources.Count == 2 && ctx.Sources[0].Source.Name == ctx.Sources[1].Source.Name)
        {
            throw ctx.Error($"Can not join '{ctx.Sources[0].Source.Name}' to '{ctx.Sources[1].Source.Name}': self joins are not yet supported.");
        }

        for (var i = 1; i < ctx.Sources.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (ctx.Sources[i].Source.Name == ctx.Sources[j].Source.Name)
                {
                    throw ctx.Error($"N-way joins do not support multiple occurrences of the same source. Source: '{ctx.Sources[i].Source.Name}'");
                }
            }
        }

        // Names of every column of every source (generated names avoid them), and the ones shared by several sources.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in ctx.Sources)
        {
            var names = ctx.SourceRow(s.Source, s.Alias, prefix: false).Value.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToList();
            ctx.Reserve(names);
            foreach (var n in names)
            {
                counts[n] = counts.GetValueOrDefault(n) + 1;
            }
        }

        if (ctx.IsJoin)
        {
            foreach (var (name, count) in counts)
            {
                if (count > 1)
                {
                    ctx.ClashingNames.Add(name);
                }
            }
        }
    }

    private static BoundExpression BindWhere(PlanContext ctx, Stage stage, Expression where)
    {
        var scope = stage.Schema.Scope(ctx.Sources.Select(s => s.Alias));
        try
        {
            return ctx.BindPredicate(where, scope, "WHERE");
        }
        catch (SqlBindingException e) when (IsWindowBound(e.Message))
        {
            // The window bounds of an aggregation exist only after it: the WHERE clause, which filters its input, has none.
            throw ctx.Error(e.Message.Contains("WINDOWSTART", StringComparison.Ordinal)
                ? "Error in WHERE expression: Unknown column WINDOWSTART."
                : "Error in WHERE expression: Unknown column WINDOWEND.");
        }
        catch (Exception e) when (e is SqlBindingException or FormatException or InvalidCastException or ArgumentException && ClausePrefix(e.Message, "WHERE") is { } prefixed)
        {
            throw new KsqlStatementException(prefixed, ctx.StatementText, e);
        }
    }

    /// <summary>ksqlDB's prefixes for type errors in a clause: <c>Error in WHERE expression: </c>, <c>Invalid Predicate: </c>, <c>Invalid Select: </c>.</summary>
    internal static string? ClausePrefix(string message, string clause)
    {
        if (message.StartsWith("operator does not exist", StringComparison.Ordinal) || message.StartsWith("invalid input syntax", StringComparison.Ordinal))
        {
            return "Invalid Predicate: " + message;
        }

        if (clause == "SELECT" && message.StartsWith("Cast of ", StringComparison.Ordinal))
        {
            return "Invalid Select: " + message;
        }

        if (message.StartsWith("Cannot compare", StringComparison.Ordinal) || message.StartsWith("Error processing expression", StringComparison.Ordinal)
            || message.StartsWith("Unknown column", StringComparison.Ordinal))
        {
            return $"Error in {clause} expression: " + message;
        }

        return null;
    }

    private static bool IsWindowBound(string message) =>
        message.StartsWith("WHERE column 'WINDOWSTART'", StringComparison.Ordinal) || message.StartsWith("WHERE column 'WINDOWEND'", StringComparison.Ordinal);
}

/// <summary>The result of planning up to the projection: the step producing the sink's rows and the result schema.</summary>
internal sealed record ResultShape(ExecutionStep Step, LogicalSchema Schema, WindowInfo? Window, bool IsTable);
