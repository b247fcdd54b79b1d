using System.Globalization;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Compilation;
using Rhei.Sql.Execution;
using Rhei.Sql.Planning;

namespace Rhei.Engine.Queries;

/// <summary>
/// Which keys a pull query's WHERE clause asks for: every disjunct must pin every key column with <c>=</c> or
/// <c>IN</c>. Then the table is read by key; otherwise it is scanned (when table scans are enabled), and the whole
/// WHERE clause filters the rows either way. With scans disabled, the unsupported shapes fail with ksqlDB's messages.
/// </summary>
internal sealed class PullKeys
{
    private PullKeys(IReadOnlyList<GenericKey>? keys, bool exact)
    {
        Keys = keys;
        IsExact = exact;
    }

    /// <summary>The keys to look up, or null for a scan.</summary>
    public IReadOnlyList<GenericKey>? Keys { get; }

    /// <summary>True when the WHERE clause is exactly the key lookup (no row needs the predicate).</summary>
    public bool IsExact { get; }

    public static PullKeys Analyze(BoundExpression? where, SourceRowShape shape, bool tableScan, bool rangeScan, string statementText)
    {
        if (where is null)
        {
            return tableScan ? new PullKeys(null, false) : throw Error("Query requires table scan to be enabled. Please set ksql.query.pull.table.scan.enabled=true.", statementText);
        }

        var keys = new List<GenericKey>();
        var exact = true;
        var disjuncts = Split(where, LogicalOperator.Or).ToList();
        foreach (var disjunct in disjuncts)
        {
            var conjuncts = Split(disjunct, LogicalOperator.And).ToList();
            var perColumn = new List<object?>?[shape.KeyCount];
            var bounded = new bool[shape.KeyCount];
            var keyReferenced = false;
            var ranges = 0;
            string? failure = null;
            foreach (var conjunct in conjuncts)
            {
                switch (Classify(conjunct, shape, out var column, out var values, out var problem))
                {
                    case Shape.KeyEquality:
                        keyReferenced = true;
                        if (perColumn[column] is not null)
                        {
                            failure ??= "A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate.";
                            exact = false;
                            perColumn[column] = [.. perColumn[column]!.Intersect(values!, SqlValueComparer.Instance)];
                        }
                        else
                        {
                            perColumn[column] = values;
                        }

                        break;
                    case Shape.KeyRange:
                        keyReferenced = true;
                        exact = false;
                        ranges++;
                        bounded[column] = true;
                        if (!rangeScan || shape.Columns[shape.KeyStart + column].Type.BaseType != SqlBaseType.String)
                        {
                            failure ??= rangeScan
                                ? "Query requires table scan to be enabled. Range scans are only supported on STRING key columns."
                                : $"Bound on key columns '[`{shape.Columns[shape.KeyStart + column].Name}` {shape.Columns[shape.KeyStart + column].Type} KEY]' must currently be '='. ";
                        }
                        else if (ranges > 1 || perColumn[column] is not null)
                        {
                            failure ??= "A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate.";
                        }

                        break;
                    case Shape.KeyProblem:
                        keyReferenced = true;
                        exact = false;
                        failure ??= problem;
                        break;
                    default:
                        exact = false;
                        break;
                }
            }

            if (perColumn.Any(v => v is null))
            {
                exact = false;

                // Without table scans, a range reads by key range only on one STRING key column of a non-windowed
                // table, in a WHERE clause of one disjunct; other ranges need a scan.
                var rangeRead = ranges > 0 && rangeScan && shape.KeyCount == 1 && shape.WindowStartIndex < 0 && disjuncts.Count == 1;
                if (!tableScan && failure is null && !rangeRead)
                {
                    failure = !keyReferenced ? "WHERE clause missing key column for disjunct: " + disjunct.ToSql() + "."
                        : shape.KeyCount > 1 ? "Multi-column sources must specify every key in the WHERE clause. Specified: " + string.Join(", ", perColumn.Select((v, i) => v is null && !bounded[i] ? null : "`" + shape.Columns[shape.KeyStart + i].Name + "`").Where(n => n is not null)) + "."
                        : "Query requires table scan to be enabled.";
                }

                if (!tableScan)
                {
                    if (failure is not null || ranges == 0)
                    {
                        throw Error(failure ?? "Query requires table scan to be enabled.", statementText);
                    }

                    // A range on a STRING key: read everything and filter, as a range scan would.
                }

                return new PullKeys(null, false);
            }

            if (!tableScan && failure is not null)
            {
                throw Error(failure, statementText);
            }

            foreach (var combination in Combinations(perColumn!))
            {
                keys.Add(new GenericKey(combination));
            }
        }

        return new PullKeys([.. keys.Distinct()], exact && conjunctsAreKeysOnly(where, shape));

        static bool conjunctsAreKeysOnly(BoundExpression where, SourceRowShape shape) =>
            Split(where, LogicalOperator.Or).All(d => Split(d, LogicalOperator.And).All(c => Classify(c, shape, out _, out _, out _) == Shape.KeyEquality));
    }

    private enum Shape
    {
        Other,
        KeyEquality,
        KeyRange,
        KeyProblem,
    }

    private static Shape Classify(BoundExpression conjunct, SourceRowShape shape, out int column, out List<object?>? values, out string? problem)
    {
        column = -1;
        values = null;
        problem = null;
        switch (conjunct)
        {
            case BoundComparison comparison:
                {
                    var leftKey = KeyColumn(comparison.Left, shape);
                    var rightKey = KeyColumn(comparison.Right, shape);
                    if (leftKey < 0 && rightKey < 0)
                    {
                        if (References(comparison, shape))
                        {
                            problem = "A comparison must directly reference a key column.";
                            return Shape.KeyProblem;
                        }

                        return Shape.Other;
                    }

                    column = leftKey >= 0 ? leftKey : rightKey;
                    var other = leftKey >= 0 ? comparison.Right : comparison.Left;
                    if (!other.IsConstant)
                    {
                        problem = "A comparison must be between a key column and a resolvable expression.";
                        return Shape.KeyProblem;
                    }

                    if (comparison.Operator is ComparisonOperator.Equal or ComparisonOperator.IsNotDistinctFrom)
                    {
                        values = [Constant(other, shape.Columns[shape.KeyStart + column])];
                        return Shape.KeyEquality;
                    }

                    if (comparison.Operator is ComparisonOperator.NotEqual or ComparisonOperator.IsDistinctFrom)
                    {
                        var keyColumn = shape.Columns[shape.KeyStart + column];
                        problem = $"Bound on key columns '[`{keyColumn.Name}` {keyColumn.Type} KEY]' must currently be '='. ";
                        return Shape.KeyProblem;
                    }

                    return Shape.KeyRange;
                }

            case BoundIn { Negated: false } membership when KeyColumn(membership.Value, shape) >= 0:
                var key = KeyColumn(membership.Value, shape);
                column = key;
                if (membership.Values.Any(v => !v.IsConstant))
                {
                    problem = "A comparison must be between a key column and a resolvable expression.";
                    return Shape.KeyProblem;
                }

                values = [.. membership.Values.Select(v => Constant(v, shape.Columns[shape.KeyStart + key]))];
                return Shape.KeyEquality;
            case BoundBetween between when KeyColumn(between.Value, shape) >= 0:
                column = KeyColumn(between.Value, shape);
                return Shape.KeyRange;
            default:
                if (References(conjunct, shape))
                {
                    problem = "A comparison must directly reference a key column.";
                    return conjunct is BoundLike ? Shape.Other : Shape.KeyProblem;
                }

                return Shape.Other;
        }
    }

    /// <summary>The key column (0-based among key columns) an operand is, or -1.</summary>
    private static int KeyColumn(BoundExpression expression, SourceRowShape shape)
    {
        while (expression is BoundCast { IsImplicit: true } cast)
        {
            expression = cast.Operand;
        }

        return expression is BoundColumn c && c.Column.Index >= shape.KeyStart ? c.Column.Index - shape.KeyStart : -1;
    }

    private static bool References(BoundExpression expression, SourceRowShape shape) =>
        SimpleSelect.ColumnsOf(expression).Any(c => c.Index >= shape.KeyStart);

    private static IEnumerable<BoundExpression> Split(BoundExpression expression, LogicalOperator op)
    {
        if (expression is BoundLogical logical && logical.Operator == op)
        {
            foreach (var e in Split(logical.Left, op))
            {
                yield return e;
            }

            foreach (var e in Split(logical.Right, op))
            {
                yield return e;
            }
        }
        else
        {
            yield return expression;
        }
    }

    private static IEnumerable<object?[]> Combinations(List<object?>[] perColumn)
    {
        IEnumerable<object?[]> result = [[]];
        foreach (var values in perColumn)
        {
            result = result.SelectMany(prefix => values.Select(v => (object?[])[.. prefix, v]));
        }

        return result;
    }

    /// <summary>A lookup of exactly one key (a prepared query's keys with another literal).</summary>
    public static PullKeys Single(GenericKey key) => new([key], exact: true);

    /// <summary>A constant's value as the key column's type.</summary>
    private static object? Constant(BoundExpression expression, ScopeColumn column)
    {
        // A string literal does not stand for a number or another non-string key (IN coerces its list to one type).
        if (column.Type.BaseType != SqlBaseType.String
            && expression is BoundCast { IsImplicit: true, Operand: BoundLiteral { Value: string } } or BoundLiteral { Text: ['\'', ..] })
        {
            throw new KsqlException($"{(expression is BoundCast cast ? cast.Operand : expression).ToSql()} can not be converted to the type of the key column: {column.Name} {column.Type} KEY");
        }

        return ToKeyType(expression is BoundLiteral literal ? literal.Value : ExpressionCompiler.EvaluateConstant(expression), column);
    }

    /// <summary>A value as the key column's type.</summary>
    public static object? ToKeyType(object? value, ScopeColumn column)
    {
        try
        {
            return value is null ? null : column.Type.BaseType switch
            {
                SqlBaseType.Integer when value is not int => Convert.ToInt32(value, CultureInfo.InvariantCulture),
                SqlBaseType.BigInt when value is not long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                SqlBaseType.Double when value is not double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                SqlBaseType.Decimal when value is not decimal => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
                _ => value,
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new KsqlException($"'{value}' can not be converted to the type of the key column: {column.Name} {column.Type} KEY", e);
        }
    }

    /// <summary>
    /// A pull query on a table filters with LIKE only on a STRING column, and — without table scans — only on a column:
    /// checked before the WHERE clause is bound, with ksqlDB's messages.
    /// </summary>
    public static void CheckLike(Expression? where, SourceRowShape shape, bool tableScan, string statementText)
    {
        if (where is null)
        {
            return;
        }

        if (where is LikePredicate like)
        {
            if (like.Value is not ColumnReference reference || !shape.Scope.TryResolve(reference.Source, reference.Name, out var column))
            {
                if (!tableScan)
                {
                    throw Error("Like condition must be between strings and reference a column when table scans are disabled; set ksql.query.pull.table.scan.enabled=true to filter otherwise.", statementText);
                }
            }
            else if (column.Type.BaseType != SqlBaseType.String)
            {
                throw Error($"The column type for Like condition must be VARCHAR. The column type is {column.Type}", statementText);
            }
        }

        foreach (var child in where.Children.OfType<Expression>())
        {
            CheckLike(child, shape, tableScan, statementText);
        }
    }

    private static KsqlStatementException Error(string message, string statementText) => new(message, statementText);
}
