using System.Collections.Immutable;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>PARTITION BY: re-keys the stream by expressions of its rows (or drops the key for PARTITION BY NULL).</summary>
internal static class PartitionPlanner
{
    public static Stage Plan(PlanContext ctx, Stage stage, IReadOnlyList<Expression> partitionBy, ref List<SelectEntry> items, List<string> logical)
    {
        if (partitionBy.Count == 0)
        {
            throw ctx.Error("PARTITION BY requires at least one expression");
        }

        if (stage.Step.IsTable)
        {
            throw ctx.Error("Unsupported PARTITION BY on a table: PARTITION BY applies to streams only. Use GROUP BY to re-key a table.");
        }

        var scope = stage.Schema.Scope(ctx.Sources.Select(s => s.Alias));
        var bound = new List<BoundExpression>();
        foreach (var e in partitionBy)
        {
            try
            {
                bound.Add(ctx.Bind(e, scope, "PARTITION BY"));
            }
            catch (SqlBindingException ex) when (ex.Message.StartsWith("PARTITION BY column", StringComparison.Ordinal) && e is ColumnReference c)
            {
                throw ctx.Error($"{ex.Message} '{c.Name}' must be a column in the source schema since PARTITION BY is applied on the input.");
            }
        }

        var isNull = bound.Select(b => b is BoundLiteral { Value: null }).ToList();
        if (isNull.Any(n => n))
        {
            if (bound.Count > 1)
            {
                throw ctx.Error("Cannot PARTITION BY multiple columns including NULL");
            }

            bound.Clear();
        }

        var single = ctx.Sources.Count == 1 ? ctx.Sources[0].Alias : null;
        var keyColumns = new List<PlanColumn>();
        var names = new List<string>();
        foreach (var b in bound)
        {
            if (b.ContainsAggregate)
            {
                throw ctx.Error("PARTITION BY does not support aggregate functions.");
            }

            var name = b switch
            {
                BoundColumn c => c.Column.Name,
                BoundDereference d => d.FieldName,
                _ => null,
            };
            names.Add(name ?? "");
        }

        // Unnamed expressions get the name of a matching SELECT item, else a generated one (when SELECT * adds them).
        for (var i = 0; i < bound.Count; i++)
        {
            if (names[i].Length == 0)
            {
                var match = items.FindIndex(it => !it.FromStar && SameExpression(ctx, scope, it, bound[i]));
                names[i] = match >= 0 ? "" : ctx.NextGeneratedName();
            }

            keyColumns.Add(new PlanColumn(names[i].Length == 0 ? "KSQL_COL_PENDING_" + i : names[i], bound[i].Type ?? SqlTypes.String));
        }

        foreach (var k in keyColumns)
        {
            if (ContainsMap(k.Type))
            {
                throw ctx.Error($"Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `{k.Name}`. Column type: {k.Type}. See https://github.com/confluentinc/ksql/issues/6621 for more.");
            }
        }

        var schema = new PlanSchema(keyColumns, stage.Schema.Value);
        var step = new SelectKeyStep(stage.Step, [.. bound], schema, "PartitionBy");
        logical.Add("UserRepartitionNode: " + (bound.Count == 0 ? "NULL" : string.Join(", ", bound.Select(b => b.ToSql()))));

        var texts = bound.Select(b => Qualified(b, single).ToSql()).ToImmutableArray();
        var next = new Stage(step, [.. bound.Select(b => ImmutableArray.Create(b))], texts, KeyOrigin.PartitionBy);

        // SELECT * after PARTITION BY: the new key columns, then the source's value columns, then its old key columns.
        if (items.Any(i => i.FromStar))
        {
            var expanded = new List<SelectEntry>();
            var starDone = false;
            foreach (var item in items)
            {
                if (!item.FromStar)
                {
                    expanded.Add(item);
                    continue;
                }

                if (starDone)
                {
                    continue;
                }

                starDone = true;
                for (var i = 0; i < bound.Count; i++)
                {
                    if (bound[i] is BoundColumn || names[i].Length > 0)
                    {
                        expanded.Add(new SelectEntry(partitionBy[i], null, keyColumns[i].Name, item.Position) { Bound = bound[i] });
                    }
                }

                foreach (var s in ctx.Sources)
                {
                    var source = s.Source;
                    var columns = source.Schema.Value.Select(v => (v.Name, v.Type))
                        .Concat(source.IsWindowed ? [(SystemColumns.WindowStart, SqlTypes.BigInt), (SystemColumns.WindowEnd, SqlTypes.BigInt)] : [])
                        .Concat(source.Schema.Key.Select(k => (k.Name, k.Type)));
                    foreach (var (name, _) in columns)
                    {
                        var reference = new ColumnReference(s.Alias, name);
                        var b = ctx.Bind(reference, scope, "SELECT");
                        if (bound.Any(x => x.Equals(b)))
                        {
                            continue;
                        }

                        expanded.Add(new SelectEntry(reference, null, ctx.IsJoin ? s.Alias + "_" + name : name, item.Position) { Bound = b });
                    }
                }
            }

            items = expanded;
        }

        return next;
    }

    private static bool SameExpression(PlanContext ctx, ExpressionScope scope, SelectEntry item, BoundExpression expression)
    {
        try
        {
            return ctx.Bind(item.Expression, scope, "SELECT").Equals(expression);
        }
        catch (SqlBindingException)
        {
            return false;
        }
    }

    /// <summary>The expression with its columns qualified by the source name, as ksqlDB prints PARTITION BY expressions.</summary>
    internal static BoundExpression Qualified(BoundExpression e, string? source) =>
        source is null ? e : e.Rewrite(x => x is BoundColumn c && c.Column.Name == c.Column.SourceColumnName ? c with { Qualifier = source } : null);

    internal static bool ContainsMap(SqlType type) => type switch
    {
        SqlMapType => true,
        SqlArrayType a => ContainsMap(a.ElementType),
        SqlStructType s => s.Fields.Any(f => ContainsMap(f.Type)),
        _ => false,
    };
}
