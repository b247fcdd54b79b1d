using System.Collections.Immutable;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>
/// The SELECT list: star expansion, column naming (aliases, ksqlDB's default names, <c>KSQL_COL_n</c>), which items
/// are the result's key columns, and the projection step.
/// </summary>
internal static class ProjectionPlanner
{
    /// <summary>Expands <c>*</c>, <c>source.*</c> and <c>struct-&gt;*</c> over the stage's sources.</summary>
    public static List<SelectEntry> Expand(PlanContext ctx, Stage stage, IEnumerable<SelectItem> select)
    {
        var result = new List<SelectEntry>();
        foreach (var item in select)
        {
            switch (item)
            {
                case SingleColumn single:
                    result.Add(new SelectEntry(single.Expression, single.Alias, null, single.Position));
                    break;
                case AllColumns all:
                    ExpandStar(ctx, stage, all, result);
                    break;
                case AllStructFields fields:
                    {
                        var bound = ctx.Bind(fields.Struct, stage.Schema.Scope(ctx.Sources.Select(s => s.Alias)), "SELECT");
                        if (bound.Type is not SqlStructType st)
                        {
                            throw ctx.Error($"Can not use '->*' on a non-struct expression: {fields.Struct.ToSql()}");
                        }

                        foreach (var f in st.Fields)
                        {
                            result.Add(new SelectEntry(new DereferenceExpression(fields.Struct, f.Name), null, f.Name, fields.Position));
                        }

                        break;
                    }
            }
        }

        return result;
    }

    private static void ExpandStar(PlanContext ctx, Stage stage, AllColumns all, List<SelectEntry> result)
    {
        if (all.Source is { } alias && !ctx.Sources.Any(s => s.Alias == alias))
        {
            throw ctx.Error($"'{alias}' is not a valid stream/table name or alias.");
        }

        if (ctx.IsJoin && all.Source is null)
        {
            // A synthetic join key (FULL OUTER joins, joins on expressions) comes first.
            foreach (var k in stage.Schema.Key.Where(k => k.Source is null))
            {
                result.Add(new SelectEntry(new ColumnReference(k.Name), null, k.Name, all.Position));
            }
        }

        foreach (var s in ctx.Sources)
        {
            if (all.Source is not null && all.Source != s.Alias)
            {
                continue;
            }

            foreach (var (name, _) in StarColumns(ctx, s.Source))
            {
                result.Add(new SelectEntry(new ColumnReference(s.Alias, name), null, ctx.IsJoin ? s.Alias + "_" + name : name, all.Position));
            }
        }
    }

    /// <summary>The columns <c>*</c> selects from a source: key columns, window bounds (windowed sources), value columns.</summary>
    public static IEnumerable<(string Name, SqlType Type)> StarColumns(PlanContext ctx, DataSource source)
    {
        foreach (var k in source.Schema.Key)
        {
            yield return (k.Name, k.Type);
        }

        if (source.IsWindowed && ctx.IsJoin)
        {
            yield return (SystemColumns.WindowStart, SqlTypes.BigInt);
            yield return (SystemColumns.WindowEnd, SqlTypes.BigInt);
        }

        foreach (var v in source.Schema.Value)
        {
            yield return (v.Name, v.Type);
        }

        _ = ctx;
    }

    /// <summary>Binds the items in the stage's scope (if not bound yet) and names them.</summary>
    public static List<SelectEntry> BindAndName(PlanContext ctx, Stage stage, List<SelectEntry> items)
    {
        var scope = stage.Schema.Scope(ctx.Sources.Select(s => s.Alias));
        var bound = items.Select(i => i.Bound is null ? i with { Bound = ctx.Bind(i.Expression, scope, "SELECT") } : i).ToList();
        return Name(ctx, bound);
    }

    /// <summary>Names bound items: alias, star name, ksqlDB's default name, else the next <c>KSQL_COL_n</c>.</summary>
    public static List<SelectEntry> Name(PlanContext ctx, List<SelectEntry> items)
    {
        var names = new string?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Name is not null)
            {
                names[i] = item.Name;
            }
            else if (item.Alias is { } alias)
            {
                if (SystemColumns.IsReserved(alias))
                {
                    throw ctx.Error(item.Expression is ColumnReference r && r.Name == alias
                        ? $"Reserved column name in select: `{alias}`. Please remove or alias the column."
                        : $"`{alias}` is a reserved column name. You cannot use it as an alias for a column.");
                }

                names[i] = alias;
            }
            else if (item.ExpandedName is { } expanded)
            {
                names[i] = expanded;
            }
            else
            {
                names[i] = DefaultName(ctx, item);
                if (names[i] is { } n && SystemColumns.IsReserved(n))
                {
                    throw ctx.Error($"Reserved column name in select: `{n}`. Please remove or alias the column.");
                }
            }
        }

        // Struct fields selected under the same name get suffixes: B, B_1, B_2.
        var taken = new HashSet<string>(names.Where((n, i) => n is not null && !(items[i].Alias is null && items[i].ExpandedName is null && items[i].Bound is BoundDereference)).Select(n => n!), StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (names[i] is { } n && items[i].Alias is null && items[i].ExpandedName is null && items[i].Bound is BoundDereference)
            {
                var unique = n;
                for (var suffix = 1; taken.Contains(unique); suffix++)
                {
                    unique = $"{n}_{suffix}";
                }

                names[i] = unique;
                taken.Add(unique);
            }
        }

        ctx.Reserve(names.Where(n => n is not null)!);
        for (var i = 0; i < items.Count; i++)
        {
            names[i] ??= ctx.NextGeneratedName();
        }

        return [.. items.Select((item, i) => item with { Name = names[i] })];
    }

    private static string? DefaultName(PlanContext ctx, SelectEntry item)
    {
        switch (item.Bound)
        {
            case BoundColumn c when c.Column.Name.StartsWith("KSQL_SYNTH_", StringComparison.Ordinal):
                return null;
            case BoundColumn c:
                {
                    var reference = c.Column.SourceColumnName;
                    if (!ctx.IsJoin)
                    {
                        return c.Column.Name;
                    }

                    if (c.Column.Source is null)
                    {
                        return c.Column.Name;
                    }

                    return ctx.ClashingNames.Contains(reference) ? c.Column.Source + "_" + reference : reference;
                }

            case BoundDereference d:
                return d.FieldName;
            default:
                return item.Expression switch
                {
                    ColumnReference r => r.Name,
                    DereferenceExpression d => d.FieldName,
                    _ => null,
                };
        }
    }

    /// <summary>
    /// The final projection: items matching the stage's key become the result's key columns (in key order), the others
    /// its value columns; the step computes the value columns.
    /// </summary>
    public static ResultShape Plan(PlanContext ctx, Stage stage, List<SelectEntry> items, List<string> logical)
    {
        var named = BindAndName(ctx, stage, items);
        return Finish(ctx, stage, named, logical);
    }

    /// <summary>Assigns key and value columns of named, bound items (bound in the stage's scope) and adds the projection.</summary>
    public static ResultShape Finish(PlanContext ctx, Stage stage, List<SelectEntry> named, List<string> logical)
    {
        foreach (var item in named)
        {
            if (item.Bound!.Type is null)
            {
                throw ctx.Error("Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).");
            }
        }

        if (ctx.Target.Transient)
        {
            return Transient(ctx, stage, named, logical);
        }

        if (ctx.Target.Properties.GetString(WithProperties.Timestamp) is { } ts && !ctx.Target.IsInsert)
        {
            var column = ts.StartsWith('`') && ts.EndsWith('`') && ts.Length > 1 ? ts[1..^1] : ts.ToUpperInvariant();
            if (!named.Any(n => n.Name == column))
            {
                throw ctx.Error($"The TIMESTAMP column set in the WITH clause does not exist in the schema: '{column}'");
            }
        }

        var keyItem = new int[stage.KeyExpressions.Length];
        var isKey = new bool[named.Count];
        var missing = Enumerable.Range(0, stage.KeyExpressions.Length)
            .Where(k => !named.Any(n => stage.KeyExpressions[k].Any(e => (stage.Origin != KeyOrigin.Join || e is BoundColumn) && e.Equals(n.Bound))))
            .ToList();
        if (missing.Count > 0)
        {
            throw ctx.Error(MissingKeyMessage(ctx, stage, missing));
        }

        for (var k = 0; k < stage.KeyExpressions.Length; k++)
        {
            // The first item that is one of the key's expressions is the key column; items with that same
            // expression repeat the key (an error), items with an equivalent expression (the other side of a join) are values.
            var first = -1;
            foreach (var candidate in stage.KeyExpressions[k].Where(c => stage.Origin != KeyOrigin.Join || c is BoundColumn))
            {
                first = named.FindIndex(n => !isKey[named.IndexOf(n)] && candidate.Equals(n.Bound));
                if (first >= 0)
                {
                    break;
                }
            }

            var matches = new List<int>();
            for (var i = 0; i < named.Count && first >= 0; i++)
            {
                if (!isKey[i] && named[i].Bound!.Equals(named[first].Bound))
                {
                    matches.Add(i);
                }
            }

            if (matches.Count > 1)
            {
                var names = matches.Select(m => named[m].Name!).Order(StringComparer.Ordinal).ToList();
                throw ctx.Error(stage.Origin == KeyOrigin.GroupBy
                    ? $"The projection contains a key column more than once: `{names[0]}` and `{names[1]}`."
                    : $"The projection contains a key column (`{stage.Schema.Key[k].Name}`) more than once, aliased as: {string.Join(" and ", names)}.");
            }

            keyItem[k] = matches[0];
            isKey[matches[0]] = true;
        }

        var valueItems = Enumerable.Range(0, named.Count).Where(i => !isKey[i]).ToList();
        if (valueItems.Count == 0)
        {
            throw ctx.Error("The projection contains no value columns.");
        }

        var schema = LogicalSchema.CreateBuilder();
        foreach (var k in keyItem)
        {
            schema.KeyColumn(named[k].Name!, named[k].Bound!.Type!);
        }

        var seen = new HashSet<string>(keyItem.Select(k => named[k].Name!), StringComparer.Ordinal);
        foreach (var v in valueItems)
        {
            if (!seen.Add(named[v].Name!))
            {
                throw ctx.Error($"Duplicate value columns found in schema: `{named[v].Name}` {named[v].Bound!.Type}");
            }

            schema.ValueColumn(named[v].Name!, named[v].Bound!.Type!);
        }

        var result = schema.Build();
        var output = new PlanSchema(
            result.Key.Select(c => new PlanColumn(c.Name, c.Type)),
            result.Value.Select(c => new PlanColumn(c.Name, c.Type)));
        var step = new ProjectStep(stage.Step, [.. valueItems.Select(v => named[v].Bound!)], output, "Project");
        logical.Add("ProjectNode: " + string.Join(", ", named.Select(n => $"{n.Bound!.ToSql()} AS {n.Name}")));
        return new ResultShape(step, result, stage.Step.Window, stage.Step.IsTable);
    }

    /// <summary>A push query's projection: every item is a column of the rows returned; the key stays the stage's.</summary>
    private static ResultShape Transient(PlanContext ctx, Stage stage, List<SelectEntry> named, List<string> logical)
    {
        var schema = LogicalSchema.CreateBuilder();
        foreach (var k in stage.Schema.Key)
        {
            schema.KeyColumn(k.Name, k.Type);
        }

        foreach (var item in named)
        {
            schema.ValueColumn(item.Name!, item.Bound!.Type!);
        }

        var result = schema.Build();
        var output = new PlanSchema(result.Key.Select(c => new PlanColumn(c.Name, c.Type)), result.Value.Select(c => new PlanColumn(c.Name, c.Type)));
        var step = new ProjectStep(stage.Step, [.. named.Select(n => n.Bound!)], output, "Project");
        logical.Add("ProjectNode: " + string.Join(", ", named.Select(n => $"{n.Bound!.ToSql()} AS {n.Name}")));
        _ = ctx;
        return new ResultShape(step, result, stage.Step.Window, stage.Step.IsTable);
    }

    private static string MissingKeyMessage(PlanContext ctx, Stage stage, List<int> missing)
    {
        var sink = ctx.Target.SinkName;
        var texts = stage.Origin == KeyOrigin.GroupBy ? missing.Select(m => stage.KeyTexts[m]).ToList() : [.. stage.KeyTexts];
        switch (stage.Origin)
        {
            case KeyOrigin.GroupBy:
                return texts.Count == 1
                    ? $"The query used to build `{sink}` must include the grouping expression {texts[0]} in its projection (eg, SELECT {texts[0]}...)."
                    : $"The query used to build `{sink}` must include the grouping expressions {JoinAnd(texts)} in its projection (eg, SELECT {string.Join(", ", texts)}...).";
            case KeyOrigin.PartitionBy:
                return texts.Count == 1
                    ? $"The query used to build `{sink}` must include the partitioning expression {texts[0]} in its projection (eg, SELECT {texts[0]}...)."
                    : $"The query used to build `{sink}` must include the partitioning expressions {JoinAnd(texts)} in its projection (eg, SELECT {string.Join(", ", texts)}...).";
            case KeyOrigin.ForeignKey:
                {
                    var table = ctx.Sources[0].Source.Name;
                    var names = missing.Select(m => $"`{stage.Schema.Key[m].ReferenceName}`").ToList();
                    return names.Count == 1
                        ? $"Primary key column missing in projection. For foreign-key table-table joins, the projection must include all primary key columns from the left input table (`{table}`). Missing column: {names[0]}."
                        : $"Primary key columns missing in projection. For foreign-key table-table joins, the projection must include all primary key columns from the left input table (`{table}`). Missing columns: {string.Join(", ", names)}.";
                }

            case KeyOrigin.Join:
                {
                    var synthetic = stage.Schema.Key.Length == 1 && stage.Schema.Key[0].Source is null;
                    var message = texts.Count == 1
                        ? $"The query used to build `{sink}` must include the join expression {texts[0]} in its projection (eg, SELECT {texts[0]}...)."
                        : $"The query used to build `{sink}` must include the join expressions {JoinOr(texts)} in its projection (eg, SELECT {texts[0]}...).";
                    if (synthetic)
                    {
                        message = "Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n" + message +
                            $"\n{texts[0]} was added as a synthetic key column because the join criteria did not match any source column. This expression must be included in the projection and may be aliased. ";
                    }

                    return message;
                }

            default:
                return texts.Count == 1
                    ? $"The query used to build `{sink}` must include the key column {texts[0]} in its projection (eg, SELECT {texts[0]}...)."
                    : $"The query used to build `{sink}` must include the key columns {JoinAnd(texts)} in its projection (eg, SELECT {string.Join(", ", texts)}...).";
        }
    }

    internal static string JoinAnd(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    internal static string JoinOr(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1];
}
