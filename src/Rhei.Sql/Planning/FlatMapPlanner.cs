using System.Collections.Immutable;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;

namespace Rhei.Sql.Planning;

/// <summary>Table functions in the SELECT list (EXPLODE, ...): a flat-map step adds one column per function call.</summary>
internal static class FlatMapPlanner
{
    public static (Stage, List<SelectEntry>) Plan(PlanContext ctx, Stage stage, List<SelectEntry> items, List<string> logical)
    {
        if (!items.Any(i => ContainsTableFunction(ctx, i.Expression)))
        {
            return (stage, items);
        }

        if (stage.Step.IsTable)
        {
            throw ctx.Error("Table source is not supported with table functions");
        }

        var scope = stage.Schema.Scope(ctx.Sources.Select(s => s.Alias));
        var bound = items.Select(i => i.Bound is null ? i with { Bound = ctx.Bind(i.Expression, scope, "SELECT", aggregates: ctx.Query.GroupBy is not null, tableFunctions: true) } : i).ToList();
        var calls = new List<BoundTableFunctionCall>();
        foreach (var item in bound)
        {
            foreach (var call in item.Bound!.Descendants().OfType<BoundTableFunctionCall>())
            {
                if (!calls.Contains(call))
                {
                    calls.Add(call);
                }
            }
        }

        var width = stage.Schema.Value.Length;
        var columns = stage.Schema.Value.ToList();
        for (var i = 0; i < calls.Count; i++)
        {
            columns.Add(new PlanColumn("KSQL_SYNTH_" + i, calls[i].Type!));
        }

        var schema = new PlanSchema(stage.Schema.Key, columns);
        var newScope = schema.Scope(ctx.Sources.Select(s => s.Alias));
        BoundExpression Replace(BoundExpression e) => e.Rewrite(x =>
        {
            if (x is BoundTableFunctionCall call)
            {
                var index = calls.IndexOf(call);
                return new BoundColumn(newScope.Columns[width + index]);
            }

            return null;
        });

        var rewritten = bound.Select(i => i with { Bound = Replace(i.Bound!) }).ToList();
        var step = new FlatMapStep(stage.Step, [.. calls], schema);
        logical.Add("FlatMapNode: " + string.Join(", ", calls.Select(c => c.ToSql())));
        return (stage with { Step = step }, rewritten);
    }

    private static bool ContainsTableFunction(PlanContext ctx, Expression e) =>
        (e is FunctionCall f && ctx.Functions.IsTableFunction(f.Name)) || e.Children.OfType<Expression>().Any(c => ContainsTableFunction(ctx, c));
}
