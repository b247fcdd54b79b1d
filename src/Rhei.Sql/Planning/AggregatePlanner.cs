using System.Collections.Immutable;
using Rhei.Formats.Types;
using Rhei.Formats.Windowed;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>
/// GROUP BY, aggregate calls and HAVING: the aggregated row is the group key columns, the aggregate results and (when
/// windowed) the window bounds; SELECT and HAVING are rewritten over it, with ksqlDB's checks and messages.
/// </summary>
internal static class AggregatePlanner
{
    private const string AggregateSource = "\u0001aggregate";

    public static ResultShape Plan(PlanContext ctx, Stage stage, List<SelectEntry> items, List<string> logical)
    {
        var query = ctx.Query;
        var sources = ctx.Sources.Select(s => s.Alias).ToList();
        var inScope = stage.Schema.Scope(sources);
        var width = stage.Schema.Value.Length;
        var window = query.Window;
        var hasWindowBounds = stage.Schema.IndexOf(SystemColumns.WindowStart) >= 0;

        // SELECT and HAVING see the window bounds of a windowed aggregation as extra columns.
        var selectColumns = inScope.Columns.ToList();
        ScopeColumn? windowStart = null, windowEnd = null;
        if (window is not null && !hasWindowBounds)
        {
            var source = ctx.Sources.Count == 1 ? ctx.Sources[0].Alias : null;
            windowStart = new ScopeColumn(SystemColumns.WindowStart, SqlTypes.BigInt, width, source);
            windowEnd = new ScopeColumn(SystemColumns.WindowEnd, SqlTypes.BigInt, width + 1, source);
            selectColumns.Add(windowStart);
            selectColumns.Add(windowEnd);
        }

        var selectScope = new ExpressionScope(selectColumns, sources);

        // GROUP BY.
        var groupAst = query.GroupBy ?? [];
        var groups = new List<BoundExpression>();
        foreach (var g in groupAst)
        {
            if (ContainsAggregateCall(ctx, g) is { } agg)
            {
                throw ctx.Error($"GROUP BY does not support aggregate functions: {agg} is an aggregate function.");
            }

            BoundExpression b;
            try
            {
                b = ctx.Bind(g, inScope, "GROUP BY");
            }
            catch (SqlBindingException e) when (window is not null && (e.Message.Contains("'WINDOWSTART'", StringComparison.Ordinal) || e.Message.Contains("'WINDOWEND'", StringComparison.Ordinal)))
            {
                throw WindowBoundsError(ctx, e.Message.Contains("'WINDOWSTART'", StringComparison.Ordinal) ? SystemColumns.WindowStart : SystemColumns.WindowEnd);
            }

            if (groups.Contains(b))
            {
                var single = ctx.Sources.Count == 1 ? ctx.Sources[0].Alias : null;
                throw ctx.Error($"Duplicate GROUP BY expression: {PartitionPlanner.Qualified(b, single).ToSql()}");
            }

            groups.Add(b);
        }

        // SELECT and HAVING, with aggregates.
        var bound = items.Select(i => i.Bound is null ? i with { Bound = ctx.Bind(i.Expression, selectScope, "SELECT", aggregates: true) } : i).ToList();
        var having = query.Having is { } h ? BindHaving(ctx, h, selectScope) : null;

        var aggregates = new List<BoundAggregateCall>();
        foreach (var e in bound.Select(b => b.Bound!).Concat(having is null ? [] : [having]))
        {
            foreach (var call in e.AggregateCalls())
            {
                if (call.Arguments.Any(a => a.ContainsAggregate))
                {
                    var inner = call.Arguments.SelectMany(a => a.AggregateCalls()).First();
                    throw ctx.Error($"Aggregate functions can not be nested: {call.Name}({inner.Name}())");
                }

                if (!aggregates.Contains(call))
                {
                    aggregates.Add(call);
                }
            }
        }

        // Window bounds exist only after the aggregation: not in aggregate arguments, not in HAVING.
        if (windowStart is not null)
        {
            bool UsesBounds(BoundExpression e, out string name)
            {
                var columns = e.Descendants().OfType<BoundColumn>().Where(x => x.Column.Equals(windowStart) || x.Column.Equals(windowEnd)).ToList();
                name = columns.Any(x => x.Column.Equals(windowStart)) ? SystemColumns.WindowStart : SystemColumns.WindowEnd;
                return columns.Count > 0;
            }

            foreach (var a in aggregates)
            {
                if (a.Arguments.Any(arg => UsesBounds(arg, out _)))
                {
                    UsesBounds(a, out var n);
                    throw WindowBoundsError(ctx, n);
                }
            }

            if (having is not null && UsesBounds(having, out var hn))
            {
                throw WindowBoundsError(ctx, hn);
            }
        }

        if (aggregates.Count == 0)
        {
            throw ctx.Error("GROUP BY requires aggregate functions in either the SELECT or HAVING clause.");
        }

        if (groups.Count == 0)
        {
            var nonAggregate = bound.Where(b => !b.Bound!.ContainsAggregate && b.Bound.References().Count > 0).Select(b => Unqualified(b.Bound!).ToSql()).ToList();
            throw ctx.Error(nonAggregate.Count > 0
                ? $"Non-aggregate SELECT expression(s) not part of GROUP BY: {string.Join(", ", nonAggregate)}\nEither add the column(s) to the GROUP BY or remove them from the SELECT."
                : "Aggregate functions are not supported without a GROUP BY clause in persistent queries. Add GROUP BY to the query.");
        }

        CheckValueFormat(ctx, aggregates);

        // Name the SELECT items; the group columns take the names of the items that select them.
        var named = ProjectionPlanner.Name(ctx, bound);
        var keyNames = new string[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            var matches = named.Where(n => n.Bound!.Equals(groups[g])).ToList();
            if (matches.Count > 1)
            {
                throw ctx.Error($"The projection contains a key column more than once: `{matches[0].Name}` and `{matches[1].Name}`.");
            }

            keyNames[g] = matches.Count == 1 ? matches[0].Name! : "KSQL_GROUP_" + g;
        }

        // The aggregated row.
        var rowColumns = new List<PlanColumn>();
        for (var g = 0; g < groups.Count; g++)
        {
            rowColumns.Add(new PlanColumn(keyNames[g], groups[g].Type ?? SqlTypes.String, AggregateSource, keyNames[g]));
        }

        for (var a = 0; a < aggregates.Count; a++)
        {
            rowColumns.Add(new PlanColumn("KSQL_AGG_VARIABLE_" + a, aggregates[a].Type!, AggregateSource, "KSQL_AGG_VARIABLE_" + a));
        }

        if (window is not null)
        {
            rowColumns.Add(new PlanColumn(SystemColumns.WindowStart, SqlTypes.BigInt, AggregateSource, SystemColumns.WindowStart));
            rowColumns.Add(new PlanColumn(SystemColumns.WindowEnd, SqlTypes.BigInt, AggregateSource, SystemColumns.WindowEnd));
        }

        var outSchema = new PlanSchema(groups.Select((g, i) => new PlanColumn(keyNames[i], g.Type ?? SqlTypes.String)), rowColumns);
        var outScope = outSchema.Scope();
        var outColumns = new HashSet<ScopeColumn>(outScope.Columns);

        BoundExpression Rewrite(BoundExpression e) => e.Rewrite(x =>
        {
            var g = groups.IndexOf(x);
            if (g >= 0)
            {
                return new BoundColumn(outScope.Columns[g]);
            }

            if (x is BoundAggregateCall call)
            {
                return new BoundColumn(outScope.Columns[groups.Count + aggregates.IndexOf(call)]);
            }

            if (x is BoundColumn c && window is not null)
            {
                if (c.Column.Name == SystemColumns.WindowStart && (windowStart is null || c.Column.Equals(windowStart) || c.Column.SourceColumnName == SystemColumns.WindowStart))
                {
                    return new BoundColumn(outScope.Columns[groups.Count + aggregates.Count]);
                }

                if (c.Column.Name == SystemColumns.WindowEnd && (windowEnd is null || c.Column.Equals(windowEnd) || c.Column.SourceColumnName == SystemColumns.WindowEnd))
                {
                    return new BoundColumn(outScope.Columns[groups.Count + aggregates.Count + 1]);
                }
            }

            return null;
        });

        bool Leftover(BoundExpression e) => e.Descendants().Any(x => x is BoundColumn c && !outColumns.Contains(c.Column));

        var rewritten = named.Select(n => n with { Bound = Rewrite(n.Bound!) }).ToList();
        var bad = rewritten.Where(r => Leftover(r.Bound!)).Select(r => Unqualified(named[rewritten.IndexOf(r)].Bound!).ToSql()).ToList();
        if (bad.Count > 0)
        {
            throw ctx.Error($"Non-aggregate SELECT expression(s) not part of GROUP BY: {string.Join(", ", bad)}\nEither add the column(s) to the GROUP BY or remove them from the SELECT.");
        }

        BoundExpression? havingRewritten = null;
        if (having is not null)
        {
            havingRewritten = Rewrite(having);
            var leftover = havingRewritten.Descendants().OfType<BoundColumn>().FirstOrDefault(c => !outColumns.Contains(c.Column));
            if (leftover is not null)
            {
                throw ctx.Error($"Non-aggregate HAVING expression not part of GROUP BY: {leftover.ToSql()}");
            }
        }

        for (var g = 0; g < groups.Count; g++)
        {
            if (PartitionPlanner.ContainsMap(outSchema.Key[g].Type))
            {
                throw ctx.Error($"Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `{keyNames[g]}`. Column type: {outSchema.Key[g].Type}. See https://github.com/confluentinc/ksql/issues/6621 for more.");
            }
        }

        var spec = window is null ? null : Spec(window);
        var outWindow = spec is null ? null : new WindowInfo(spec.Type, spec.Type == WindowType.Session ? null : spec.SizeMs);
        var byKey = !stage.Step.IsTable && groups.Count == stage.KeyExpressions.Length && groups.Select((g, i) => stage.KeyExpressions[i].Contains(g)).All(x => x)
            && stage.Step.Window is null;
        var step = new AggregateStep(stage.Step, [.. groups], byKey, [.. aggregates], spec, outSchema, outWindow);
        logical.Add($"AggregateNode: GROUP BY {string.Join(", ", groups.Select(g => g.ToSql()))}{(spec is null ? "" : " WINDOW " + spec)}; {string.Join(", ", aggregates.Select(a => a.ToSql()))}");

        var keys = groups.Select((_, i) => ImmutableArray.Create<BoundExpression>(new BoundColumn(outScope.Columns[i]))).ToImmutableArray();
        var texts = groups.Select(g => Unqualified(g).ToSql()).ToImmutableArray();
        var aggStage = new Stage(step, keys, texts, KeyOrigin.GroupBy);
        if (havingRewritten is not null)
        {
            aggStage = aggStage with { Step = new FilterStep(step, havingRewritten, "HavingFilter") };
            logical.Add("FilterNode (HAVING): " + having!.ToSql());
        }

        return ProjectionPlanner.Finish(ctx, aggStage, rewritten, logical);
    }

    private static KsqlStatementException WindowBoundsError(PlanContext ctx, string column) =>
        ctx.Error($"Window bounds column {column} can only be used in the SELECT clause of windowed aggregations");

    private static BoundExpression Unqualified(BoundExpression e) =>
        e.Rewrite(x => x is BoundColumn { Qualifier: not null } c ? c with { Qualifier = null } : null);

    private static BoundExpression BindHaving(PlanContext ctx, Expression having, ExpressionScope scope)
    {
        try
        {
            return ctx.BindPredicate(having, scope, "HAVING", aggregates: true);
        }
        catch (SqlBindingException e) when (!e.Message.StartsWith("HAVING", StringComparison.Ordinal) && !e.Message.StartsWith("Type error", StringComparison.Ordinal) && !e.Message.StartsWith("Error in", StringComparison.Ordinal))
        {
            throw ctx.Error("Error in HAVING expression: " + e.Message);
        }
    }

    private static string? ContainsAggregateCall(PlanContext ctx, Expression e)
    {
        if (e is FunctionCall f && ctx.Functions.IsAggregate(f.Name))
        {
            return f.Name;
        }

        foreach (var c in e.Children.OfType<Expression>())
        {
            if (ContainsAggregateCall(ctx, c) is { } name)
            {
                return name;
            }
        }

        return null;
    }

    private static void CheckValueFormat(PlanContext ctx, List<BoundAggregateCall> aggregates)
    {
        var kafka = ctx.Sources.Where(s => s.Source.Topic.ValueFormat.Name == "KAFKA").Select(s => s.Source.Name).ToList();
        if (kafka.Count > 0 && ctx.Sources.All(s => s.Source.Topic.ValueFormat.Name == "KAFKA"))
        {
            throw ctx.Error($"Source(s) {string.Join(", ", kafka)} are using the 'KAFKA' value format. This format does not yet support GROUP BY.");
        }

        var format = ctx.Sources[0].Source.Topic.ValueFormat.Name;
        if (format is "DELIMITED" or "KAFKA")
        {
            foreach (var a in aggregates)
            {
                var aggregator = a.CreateAggregator(ctx.Config.FunctionConfig());
                if (!aggregator.AccumulatorType.IsPrimitive)
                {
                    throw new KsqlException("One of the functions used in the statement has an intermediate type that the value format can not handle. Please remove the function or change the format.");
                }
            }
        }
    }

    private static WindowSpec Spec(WindowExpression window) => window switch
    {
        TumblingWindow t => new WindowSpec(WindowType.Tumbling, t.Size.TotalMilliseconds, t.Size.TotalMilliseconds, t.GracePeriod?.TotalMilliseconds, t.Retention?.TotalMilliseconds),
        HoppingWindow h => new WindowSpec(WindowType.Hopping, h.Size.TotalMilliseconds, h.AdvanceBy.TotalMilliseconds, h.GracePeriod?.TotalMilliseconds, h.Retention?.TotalMilliseconds),
        SessionWindow s => new WindowSpec(WindowType.Session, s.Gap.TotalMilliseconds, s.Gap.TotalMilliseconds, s.GracePeriod?.TotalMilliseconds, s.Retention?.TotalMilliseconds),
        _ => throw new KsqlException($"Unsupported window: {window.ToSql()}"),
    };
}
