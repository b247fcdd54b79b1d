using System.Collections.Immutable;
using Rhei.Formats.Types;
using Rhei.Formats.Windowed;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>
/// FROM a JOIN b [JOIN c ...]: checks the criteria and the join kinds as ksqlDB does, re-keys stream sides that are not
/// keyed by their join expression, and builds the joined row (each source's columns prefixed with its alias) and key.
/// </summary>
internal static class JoinPlanner
{
    public static Stage Plan(PlanContext ctx, List<string> logical)
    {
        var joins = ctx.Query.From.Joins;
        CheckKafkaFormat(ctx);
        var first = ctx.Sources[0];
        var leftRow = ctx.SourceRow(first.Source, first.Alias, prefix: true);
        var left = QueryPlanner.SourceStage(new SourceStep(first.Source, first.Alias, leftRow), leftRow);
        logical.Add($"DataSourceNode: {first.Source.Name} AS {first.Alias}");
        var leftSourceName = first.Source.Name;

        foreach (var clause in joins)
        {
            if (clause.Criteria is ComparisonExpression { Operator: ComparisonOperator.Equal } eq
                && Qualifiers(eq.Left) is [var l] && Qualifiers(eq.Right) is [var r] && l == r)
            {
                throw ctx.Error($"Each side of the join must reference exactly one source and not the same source. Left side references `{l}` and right references `{r}`");
            }
        }

        for (var j = 0; j < joins.Count; j++)
        {
            var clause = joins[j];
            var right = ctx.Sources[j + 1];
            var rightRow = ctx.SourceRow(right.Source, right.Alias, prefix: true);
            var rightStage = QueryPlanner.SourceStage(new SourceStep(right.Source, right.Alias, rightRow), rightRow);
            logical.Add($"DataSourceNode: {right.Source.Name} AS {right.Alias}");
            left = Join(ctx, j, left, leftSourceName, rightStage, right, clause, logical);
            leftSourceName = right.Source.Name;
        }

        return left;
    }

    private static void CheckKafkaFormat(PlanContext ctx)
    {
        var kafka = ctx.Sources.Where(s => s.Source.Topic.ValueFormat.Name == "KAFKA").Select(s => s.Source.Name).ToList();
        if (kafka.Count > 0)
        {
            throw ctx.Error($"Source(s) {string.Join(", ", kafka)} are using the 'KAFKA' value format. This format does not yet support JOIN.");
        }
    }

    private static Stage Join(PlanContext ctx, int index, Stage left, string leftName, Stage right, AliasedDataSource rightSource, JoinClause clause, List<string> logical)
    {
        var criteria = clause.Criteria;
        if (criteria is LogicalBinaryExpression { Operator: LogicalOperator.And })
        {
            throw ctx.Error($"Invalid join condition: joins on multiple conditions are not yet supported. Got {criteria.ToSql()}.");
        }

        if (criteria is not ComparisonExpression { Operator: ComparisonOperator.Equal } equal)
        {
            throw ctx.Error($"Unsupported join expression: {criteria.ToSql()}. Only equality joins are supported, e.g. ON A.X = B.Y.");
        }

        var leftWidth = left.Schema.Value.Length;
        var combinedColumns = left.Schema.Value.Concat(right.Schema.Value).ToList();
        var combined = new PlanSchema([], combinedColumns);
        var sources = ctx.Sources.Take(index + 2).Select(s => s.Alias).ToList();
        var combinedScope = combined.Scope(sources);
        var a = ctx.Bind(equal.Left, combinedScope, "JOIN ON");
        var b = ctx.Bind(equal.Right, combinedScope, "JOIN ON");

        var aSources = SourcesOf(a);
        var bSources = SourcesOf(b);
        if (aSources.Count != 1)
        {
            throw ctx.Error($"Invalid comparison expression '{equal.Left.ToSql()}' in join '{criteria.ToSql()}'. Each side of the join comparision must contain references from exactly one source.");
        }

        if (bSources.Count != 1)
        {
            throw ctx.Error($"Invalid comparison expression '{equal.Right.ToSql()}' in join '{criteria.ToSql()}'. Each side of the join comparision must contain references from exactly one source.");
        }

        if (aSources[0] == bSources[0])
        {
            throw ctx.Error($"Each side of the join must reference exactly one source and not the same source. Left side references `{aSources[0]}` and right references `{bSources[0]}`");
        }

        BoundExpression leftExpr, rightExpr;
        if (bSources[0] == rightSource.Alias)
        {
            (leftExpr, rightExpr) = (a, b);
        }
        else if (aSources[0] == rightSource.Alias)
        {
            (leftExpr, rightExpr) = (b, a);
        }
        else
        {
            throw ctx.Error($"A join criteria is expected to reference the source (`{rightSource.Alias}`) in the FROM clause, instead the right source references `{bSources[0]}` and the left source references `{aSources[0]}`");
        }

        if (!Equals(a.Type, b.Type))
        {
            throw ctx.Error($"Invalid join condition: types don't match. Got {Text(a)}{{{a.Type}}} = {Text(b)}{{{b.Type}}}.");
        }

        var got = $"{Text(a)} = {Text(b)}";
        var leftAlias = SourcesOf(leftExpr)[0];
        leftName = ctx.Sources.First(s => s.Alias == leftAlias).Source.Name;
        var type = clause.Type;
        var leftIsTable = left.Step.IsTable;
        var rightIsTable = right.Step.IsTable;
        var rightName = rightSource.Source.Name;
        var typeText = type switch { JoinType.Inner => "[INNER]", JoinType.Left => "[LEFT] OUTER", JoinType.Right => "[RIGHT] OUTER", _ => "[FULL] OUTER" };
        if (leftIsTable && !rightIsTable)
        {
            throw ctx.Error($"Invalid join order: table-stream joins are not supported; only stream-table joins. Got {leftName} {typeText} JOIN {rightName}.");
        }

        if (!leftIsTable && rightIsTable && type == JoinType.Full)
        {
            throw ctx.Error($"Invalid join type: full-outer join not supported for stream-table join. Got {leftName} {typeText} JOIN {rightName}.");
        }

        if (!leftIsTable && rightIsTable && type == JoinType.Right)
        {
            throw ctx.Error($"Invalid join type: right-outer join not supported for stream-table join. Got {leftName} {typeText} JOIN {rightName}.");
        }

        JoinKind kind;
        if (!leftIsTable && !rightIsTable)
        {
            kind = JoinKind.StreamStream;
            if (clause.Within is null)
            {
                throw ctx.Error("Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to specify a WITHIN clause with a stream-stream join, please visit: https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select");
            }
        }
        else
        {
            if (clause.Within is not null)
            {
                throw ctx.Error($"A window definition was provided for a {(leftIsTable ? "Table-Table" : "Stream-Table")} join. These joins are not windowed. Please drop the window definition (ie. the WITHIN clause) and try to run your join again.");
            }

            kind = leftIsTable ? JoinKind.TableTable : JoinKind.StreamTable;
        }

        var leftScope = left.Schema.Scope(sources);
        var rightScope = right.Schema.Scope(sources);
        var leftInLeft = Rebase(leftExpr, 0, leftScope);
        var rightInRight = Rebase(rightExpr, leftWidth, rightScope);
        var rightIsKey = right.KeyExpressions.Length == 1 && right.KeyIndexOf(rightInRight) == 0;
        var leftIsKey = left.KeyExpressions.Length == 1 && left.KeyIndexOf(leftInLeft) == 0;
        if (kind == JoinKind.StreamTable && !rightIsKey)
        {
            throw ctx.Error($"Invalid join condition: stream-table joins require to join on the table's primary key. Got {got}.");
        }

        if (kind == JoinKind.TableTable)
        {
            if (!rightIsKey)
            {
                throw ctx.Error($"Invalid join condition: table-table joins require to join on the primary key of the right input table. Got {got}.");
            }

            if (!leftIsKey)
            {
                if (index > 0)
                {
                    throw ctx.Error($"Invalid join condition: foreign-key table-table joins are not supported as part of n-way joins. Got {got}.");
                }

                if (type is JoinType.Right or JoinType.Full)
                {
                    throw ctx.Error($"{(type == JoinType.Right ? "RIGHT" : "FULL")} OUTER JOIN on a foreign key is not supported");
                }

                if (left.Step.Window is not null || right.Step.Window is not null)
                {
                    throw ctx.Error("Foreign-key table-table joins are not supported on windowed tables.");
                }

                kind = JoinKind.ForeignKey;
            }
        }

        CheckWindows(ctx, left, leftName, right, rightName, leftIsKey, rightIsKey);
        if (kind != JoinKind.ForeignKey && (left.Step.IsTable || leftIsKey) && (right.Step.IsTable || rightIsKey) && ctx.Partitions is { } partitions)
        {
            var leftSource = ctx.Sources.First(s => s.Source.Name == leftName).Source;
            if (partitions(leftSource.KafkaTopicName) is { } lp && partitions(rightSource.Source.KafkaTopicName) is { } rp && lp != rp)
            {
                throw ctx.Error($"Can't join `{leftName}` with `{rightName}` since the number of partitions don't match. `{leftName}` partitions = {lp}; `{rightName}` partitions = {rp}. Please repartition either one so that the number of partitions match.");
            }
        }

        // Re-key stream sides not keyed by their join expression.
        var leftStep = left.Step;
        var rightStep = right.Step;
        if (!left.Step.IsTable && !leftIsKey)
        {
            leftStep = new SelectKeyStep(leftStep, [leftInLeft], new PlanSchema([new PlanColumn("KSQL_JOIN_KEY", leftExpr.Type!)], left.Schema.Value), "LeftSourceKeyed");
            logical.Add("RepartitionNode (left): " + leftExpr.ToSql());
        }

        if (!right.Step.IsTable && !rightIsKey)
        {
            rightStep = new SelectKeyStep(rightStep, [rightInRight], new PlanSchema([new PlanColumn("KSQL_JOIN_KEY", rightExpr.Type!)], right.Schema.Value), "RightSourceKeyed");
            logical.Add("RepartitionNode (right): " + rightExpr.ToSql());
        }

        // The joined row and key.
        var rowColumns = combinedColumns.ToList();
        ImmutableArray<BoundExpression> keyExpressions;
        ImmutableArray<string> keyTexts;
        PlanColumn keyColumn;
        if (kind == JoinKind.ForeignKey)
        {
            var schema0 = new PlanSchema(left.Schema.Key, rowColumns);
            var fkStep = new JoinStep(leftStep, rightStep, kind, type, null, leftInLeft, schema0, leftWidth, "Join");
            logical.Add($"JoinNode: {kind} {type} ON {criteria.ToSql()}");
            return left with { Step = fkStep, Origin = KeyOrigin.ForeignKey, KeyTexts = [.. left.Schema.Key.Select(k => k.Name)] };
        }

        // The expressions the key equals (the previous join's, then the left and right expressions); the columns among
        // them are the viable key columns of the result, in that order of preference.
        var equivalents = new List<BoundExpression>();
        if (leftIsKey && left.Origin == KeyOrigin.Join)
        {
            equivalents.AddRange(left.KeyExpressions[0]);
        }

        foreach (var e in new[] { leftExpr, rightExpr })
        {
            if (!equivalents.Contains(e))
            {
                equivalents.Add(e);
            }
        }

        var viable = equivalents.Where(e => e is BoundColumn).ToList();

        var synthetic = type == JoinType.Full || viable.Count == 0;
        if (synthetic)
        {
            var name = SyntheticKeyName(ctx);
            keyColumn = new PlanColumn(name, leftExpr.Type!);
            rowColumns.Add(new PlanColumn(name, leftExpr.Type!, null, name));
            var schema1 = new PlanSchema([keyColumn], rowColumns);
            var scope1 = schema1.Scope(sources);
            keyExpressions = [new BoundColumn(scope1.Columns[^1])];
            keyTexts = [name];
        }
        else
        {
            var keyExpr = (BoundColumn)viable[0];
            keyColumn = new PlanColumn(keyExpr.Column.Name, leftExpr.Type!, keyExpr.Column.Source, keyExpr.Column.SourceColumnName);
            keyExpressions = [.. equivalents];
            keyTexts = [.. viable.Select(Text)];
        }

        if (PartitionPlanner.ContainsMap(keyColumn.Type))
        {
            throw ctx.Error($"Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `{keyColumn.Name}`. Column type: {keyColumn.Type}. See https://github.com/confluentinc/ksql/issues/6621 for more.");
        }

        var schema = new PlanSchema([keyColumn], rowColumns);
        var step = new JoinStep(leftStep, rightStep, kind, type, clause.Within, null, schema, leftWidth, "Join");
        logical.Add($"JoinNode: {kind} {type} ON {criteria.ToSql()}");
        return new Stage(step, [keyExpressions], keyTexts, KeyOrigin.Join);
    }

    private static void CheckWindows(PlanContext ctx, Stage left, string leftName, Stage right, string rightName, bool leftIsKey, bool rightIsKey)
    {
        var lw = left.Step.Window;
        var rw = right.Step.Window;
        if (lw is null && rw is null)
        {
            return;
        }

        if (lw is null || rw is null)
        {
            var (w, wn, nn) = lw is not null ? (lw, leftName, rightName) : (rw!, rightName, leftName);
            throw ctx.Error($"Can not join windowed source to non-windowed source.\n`{wn}` is {w.Type.ToString().ToUpperInvariant()} windowed\n`{nn}` is not windowed");
        }

        if ((lw.Type == WindowType.Session) != (rw.Type == WindowType.Session))
        {
            throw ctx.Error($"Incompatible windowed sources.\nLeft source: {lw.Type.ToString().ToUpperInvariant()}\nRight source: {rw.Type.ToString().ToUpperInvariant()}\nSession windowed sources can only be joined to other session windowed sources, and may still not result in expected behaviour as session bounds must be an exact match for the join to work\nHopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed sources");
        }

        if (!leftIsKey || !rightIsKey || lw.Type != rw.Type || lw.SizeMs != rw.SizeMs)
        {
            throw ctx.Error("Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.");
        }
    }

    private static string SyntheticKeyName(PlanContext ctx)
    {
        var used = new HashSet<string>(ctx.Sources.SelectMany(s => ctx.SourceRow(s.Source, s.Alias, prefix: false).Value.Select(c => c.Name)), StringComparer.Ordinal);
        if (!used.Contains("ROWKEY"))
        {
            return "ROWKEY";
        }

        for (var i = 1; ; i++)
        {
            var name = "ROWKEY_" + i;
            if (!used.Contains(name))
            {
                return name;
            }
        }
    }

    private static List<string> Qualifiers(Expression e)
    {
        var result = new List<string>();
        void Walk(SqlNode n)
        {
            if (n is ColumnReference { Source: { } s } && !result.Contains(s))
            {
                result.Add(s);
            }

            foreach (var c in n.Children)
            {
                Walk(c);
            }
        }

        Walk(e);
        return result;
    }

    private static List<string> SourcesOf(BoundExpression e) =>
        [.. e.Descendants().OfType<BoundColumn>().Select(c => c.Column.Source ?? "").Distinct(StringComparer.Ordinal)];

    /// <summary>The expression as ksqlDB prints join expressions: columns as SOURCE.NAME.</summary>
    internal static string Text(BoundExpression e) =>
        e is BoundColumn c && c.Column.Source is not null ? $"{c.Column.Source}.{c.Column.SourceColumnName}" : e.Rewrite(x => x is BoundColumn bc && bc.Column.Source is not null
            ? new BoundColumn(bc.Column with { Name = bc.Column.SourceColumnName }, bc.Column.Source)
            : null).ToSql();

    /// <summary>The expression with its column indexes moved into one side's own row (the side's columns start at <paramref name="offset"/> in the combined row).</summary>
    private static BoundExpression Rebase(BoundExpression e, int offset, ExpressionScope scope) =>
        e.Rewrite(x => x is BoundColumn c ? new BoundColumn(scope.Columns[c.Column.Index - offset], c.Qualifier) : null);
}
