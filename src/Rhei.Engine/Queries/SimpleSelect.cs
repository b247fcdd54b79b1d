using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Compilation;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;

namespace Rhei.Engine.Queries;

/// <summary>
/// The SELECT list and WHERE of a single-source query without aggregation, bound over the source's row
/// (<see cref="SourceRowShape"/>) and compiled: the result columns in the order written (<c>*</c> expands to the key
/// columns, the window bounds of a windowed source, then the value columns), the predicate and the projection.
/// Used for pull queries and for push queries that only filter and project.
/// </summary>
internal sealed class SimpleSelect
{
    private SimpleSelect(IReadOnlyList<QueryColumn> columns, IReadOnlyList<BoundExpression> expressions, BoundExpression? where, int[] keyOutputs, string statementText)
        : this(columns, expressions, where, keyOutputs, statementText, ExpressionCompiler.CompileProjection(expressions))
    {
    }

    private SimpleSelect(IReadOnlyList<QueryColumn> columns, IReadOnlyList<BoundExpression> expressions, BoundExpression? where, int[] keyOutputs, string statementText, Func<object?[], object?[]> project)
    {
        Columns = columns;
        Expressions = expressions;
        Where = where;
        _predicate = where is null ? null : new Lazy<Func<object?[], bool>>(() => ExpressionCompiler.CompilePredicate(where));
        Project = project;
        KeyOutputs = keyOutputs;
        StatementText = statementText;
    }

    public IReadOnlyList<QueryColumn> Columns { get; }

    public IReadOnlyList<BoundExpression> Expressions { get; }

    public BoundExpression? Where { get; }

    private readonly Lazy<Func<object?[], bool>>? _predicate;

    /// <summary>True for rows the WHERE clause keeps; null when there is no WHERE. Compiled on first use (a pull query
    /// answered by exact key lookups never needs it).</summary>
    public Func<object?[], bool>? Predicate => _predicate?.Value;

    public Func<object?[], object?[]> Project { get; }

    /// <summary>For each result column that is one of the source's key columns (or window bounds): the row index it copies.</summary>
    public int[] KeyOutputs { get; }

    public string StatementText { get; }

    /// <summary>True when a query can run this way: one source, no aggregation, grouping, partitioning, window or table function.</summary>
    public static bool Applies(Query query, Sql.Functions.FunctionRegistry functions) =>
        query.From.Joins.IsEmpty && query.GroupBy is null && query.PartitionBy is null && query.Window is null && query.Having is null
        && !query.Select.OfType<SingleColumn>().Any(c => ContainsCall(c.Expression, functions));

    private static bool ContainsCall(Expression e, Sql.Functions.FunctionRegistry functions) =>
        e is FunctionCall f && (functions.IsAggregate(f.Name) || functions.IsTableFunction(f.Name))
        || e.Children.OfType<Expression>().Any(c => ContainsCall(c, functions))
        || e.Children.OfType<WhenClause>().Any(w => ContainsCall(w.Operand, functions) || ContainsCall(w.Result, functions));

    /// <summary>Binds and compiles; errors are <see cref="KsqlStatementException"/>s with ksqlDB's messages.</summary>
    /// <param name="markKeys">Pull queries mark result columns that are key columns (<c>`ID` BIGINT KEY</c>).</param>
    public static SimpleSelect Bind(Query query, SourceRowShape shape, ExpressionBinder binder, string statementText, bool markKeys)
    {
        var items = new List<(Expression Expression, string? Name, Sql.Ast.SourcePosition Position)>();
        foreach (var item in query.Select)
        {
            switch (item)
            {
                case SingleColumn single:
                    items.Add((single.Expression, single.Alias, single.Position));
                    break;
                case AllColumns all:
                    if (all.Source is { } alias && alias != shape.Alias && alias != shape.Source.Name)
                    {
                        throw new KsqlStatementException($"'{alias}' is not a valid stream/table name or alias.", statementText);
                    }

                    foreach (var name in StarColumns(shape.Source))
                    {
                        items.Add((new ColumnReference(name), name, all.Position));
                    }

                    break;
                case AllStructFields fields:
                    {
                        var bound = BindExpression(binder, fields.Struct, shape, "SELECT", statementText);
                        if (bound.Type is not Formats.Types.SqlStructType st)
                        {
                            throw new KsqlStatementException($"Can not use '->*' on a non-struct expression: {fields.Struct.ToSql()}", statementText);
                        }

                        foreach (var f in st.Fields)
                        {
                            items.Add((new DereferenceExpression(fields.Struct, f.Name), f.Name, fields.Position));
                        }

                        break;
                    }
            }
        }

        var expressions = items.Select(i => BindExpression(binder, i.Expression, shape, "SELECT", statementText)).ToList();
        var names = Name(items.Select(i => i.Name).ToList(), expressions, shape);
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            var index = names.IndexOf(duplicate.Key);
            throw new KsqlStatementException($"Duplicate value columns found in schema: `{duplicate.Key}` {expressions[index].Type}", statementText);
        }

        var where = BindWhere(query, shape, binder, statementText);

        var keyOutputs = new int[expressions.Count];
        var columns = new List<QueryColumn>();
        for (var i = 0; i < expressions.Count; i++)
        {
            var isKey = expressions[i] is BoundColumn c && c.Column.Index >= shape.KeyStart;
            var isBound = expressions[i] is BoundColumn b && shape.WindowStartIndex >= 0 && (b.Column.Index == shape.WindowStartIndex || b.Column.Index == shape.WindowStartIndex + 1);
            keyOutputs[i] = isKey || isBound ? ((BoundColumn)expressions[i]).Column.Index : -1;
            columns.Add(new QueryColumn(names[i], expressions[i].Type ?? Formats.Types.SqlTypes.String, markKeys && (isKey || isBound) && shape.Source.IsTable));
        }

        return new SimpleSelect(columns, expressions, where, keyOutputs, statementText);
    }

    /// <summary>The WHERE clause bound over the source's row, or null without one.</summary>
    public static BoundExpression? BindWhere(Query query, SourceRowShape shape, ExpressionBinder binder, string statementText)
    {
        if (query.Where is not { } where)
        {
            return null;
        }

        try
        {
            return binder.BindPredicate(where, shape.Scope, new BindOptions { Clause = "WHERE" });
        }
        catch (Exception e) when (e is SqlBindingException or FormatException or InvalidCastException or ArgumentException)
        {
            throw new KsqlStatementException(
                e is SqlBindingException { Position.IsKnown: true } b && IsBetweenAt(where, b.Position) ? "Invalid expression: " + e.Message : WhereMessage(e.Message, where),
                statementText, e);
        }
    }

    /// <summary>True when the BETWEEN at <paramref name="position"/> is what failed to bind (ksqlDB says "Invalid expression" then).</summary>
    private static bool IsBetweenAt(Expression expression, SourcePosition position) =>
        (expression is BetweenPredicate && expression.Position.Equals(position))
        || expression.Children.OfType<Expression>().Any(c => IsBetweenAt(c, position));

    /// <summary>
    /// A WHERE clause's type error as ksqlDB words it: with the clause prefix, and — for comparisons the type checker
    /// rejects — the expression it checked on a last line (<c>Statement: (ID = '10')</c>).
    /// </summary>
    internal static string WhereMessage(string message, Expression where)
    {
        var prefixed = Prefixed(message, "WHERE");
        return prefixed is not null && (message.StartsWith("Cannot compare", StringComparison.Ordinal) || message.StartsWith("Comparison with NULL", StringComparison.Ordinal))
            ? prefixed + "\nStatement: " + where.ToSql()
            : prefixed ?? message;
    }

    /// <summary>Column names that <c>*</c> selects from a single source.</summary>
    public static IEnumerable<string> StarColumns(DataSource source)
    {
        foreach (var k in source.Schema.Key)
        {
            yield return k.Name;
        }

        if (source.IsWindowed)
        {
            yield return SystemColumns.WindowStart;
            yield return SystemColumns.WindowEnd;
        }

        foreach (var v in source.Schema.Value)
        {
            yield return v.Name;
        }
    }

    /// <summary>The pseudo-columns an expression references (ROWTIME, ROWPARTITION, ROWOFFSET), by name.</summary>
    public static IEnumerable<string> PseudoColumns(BoundExpression expression, SourceRowShape shape) =>
        ColumnsOf(expression).Where(c => c.Index == shape.RowTimeIndex || (shape.RowPartitionIndex >= 0 && (c.Index == shape.RowPartitionIndex || c.Index == shape.RowPartitionIndex + 1)))
            .Select(c => c.Name);

    public static IEnumerable<ScopeColumn> ColumnsOf(BoundExpression expression)
    {
        if (expression is BoundColumn c)
        {
            yield return c.Column;
        }

        foreach (var child in expression.Children)
        {
            foreach (var column in ColumnsOf(child))
            {
                yield return column;
            }
        }
    }

    /// <summary>The same SELECT list (compiled once) with another WHERE: pull queries that differ only in their keys share it.</summary>
    public SimpleSelect WithWhere(BoundExpression? where, string statementText) =>
        new(Columns, Expressions, where, KeyOutputs, statementText, Project);

    /// <summary>A result row from a source row.</summary>
    public object?[] Output(object?[] row) => Project(row);

    /// <summary>The result row of a deleted table row: the key columns (and window bounds) filled, the rest null.</summary>
    public object?[] Tombstone(object?[] keyOnlyRow)
    {
        var output = new object?[KeyOutputs.Length];
        for (var i = 0; i < KeyOutputs.Length; i++)
        {
            if (KeyOutputs[i] >= 0)
            {
                output[i] = keyOnlyRow[KeyOutputs[i]];
            }
        }

        return output;
    }

    private static BoundExpression BindExpression(ExpressionBinder binder, Expression expression, SourceRowShape shape, string clause, string statementText)
    {
        try
        {
            return binder.Bind(expression, shape.Scope, new BindOptions { Clause = clause });
        }
        catch (Exception e) when (e is SqlBindingException or FormatException or InvalidCastException or ArgumentException)
        {
            throw new KsqlStatementException(Prefixed(e.Message, clause) ?? e.Message, statementText, e);
        }
    }

    /// <summary>ksqlDB's clause prefixes for type errors (<c>Error in WHERE expression: </c>, <c>Invalid Predicate: </c>, ...).</summary>
    internal static string? Prefixed(string message, string clause)
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
            || message.StartsWith("Unknown column", StringComparison.Ordinal) || message.StartsWith("Comparison with NULL", StringComparison.Ordinal))
        {
            return $"Error in {clause} expression: " + message;
        }

        return null;
    }

    /// <summary>Aliases and star names as given; a column or struct field its own name; the rest KSQL_COL_n, skipping taken names.</summary>
    private static List<string> Name(List<string?> given, List<BoundExpression> expressions, SourceRowShape shape)
    {
        var names = new string?[given.Count];
        for (var i = 0; i < given.Count; i++)
        {
            names[i] = given[i] ?? ExpressionNames.DefaultName(expressions[i]);
        }

        var taken = new HashSet<string>(names.Where(n => n is not null)!, StringComparer.Ordinal);
        foreach (var c in shape.Columns)
        {
            taken.Add(c.Name);
        }

        var next = 0;
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] is null)
            {
                string name;
                do
                {
                    name = ExpressionNames.GeneratedName(next++);
                }
                while (!taken.Add(name));
                names[i] = name;
            }
        }

        return [.. names.Select(n => n!)];
    }
}
