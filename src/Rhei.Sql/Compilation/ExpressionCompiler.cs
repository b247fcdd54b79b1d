using System.Linq.Expressions;
using Rhei.Formats.Types;
using Rhei.Sql.Binding;
using LinqExpression = System.Linq.Expressions.Expression;

namespace Rhei.Sql.Compilation;

/// <summary>
/// Compiles bound expressions to delegates over a row (<c>object?[]</c>, indexed by <see cref="ScopeColumn.Index"/>),
/// once per query. Inside a delegate, values are typed (<c>long?</c>, <c>decimal?</c>, ...): no boxing between
/// operators, no dictionary lookups, no reflection; only results are boxed, and columns passed through unchanged are
/// copied as they are. The delegates are thread-safe.
/// <para>Errors: ksqlDB turns a failing expression into NULL (a failing condition into false) and logs it. Pass
/// <c>onError</c> to get that behaviour: the failure is caught per output column, only around expressions that can
/// fail (division, casts from text, DECIMAL arithmetic, function calls), and reported as an <see cref="ExpressionError"/>.
/// As in ksqlDB, each element of an ARRAY, MAP or STRUCT constructor is caught on its own: a failing element is NULL
/// and the rest of the value is kept. Without <c>onError</c>, exceptions propagate to the caller.</para>
/// <para>Aggregate calls (<see cref="BoundAggregateCall"/>) must have been replaced by columns before compiling.</para>
/// </summary>
public static class ExpressionCompiler
{
    /// <summary>A delegate computing the expression's value (boxed; NULL is null). For a table function call, the
    /// value is the <c>List&lt;object?&gt;</c> of output values.</summary>
    public static Func<object?[], object?> Compile(BoundExpression expression, Action<ExpressionError>? onError = null)
    {
        var row = LinqExpression.Parameter(typeof(object?[]), "row");
        var emitter = new ExpressionEmitter(row, onError: onError);
        var body = emitter.Guard(emitter.EmitBoxed(expression), expression);
        return LinqExpression.Lambda<Func<object?[], object?>>(body, row).Compile();
    }

    /// <summary>A delegate testing a BOOLEAN condition: true only when it is TRUE (NULL and errors are false).</summary>
    public static Func<object?[], bool> CompilePredicate(BoundExpression predicate, Action<ExpressionError>? onError = null)
    {
        if (predicate.Type is not null && predicate.Type.BaseType != SqlBaseType.Boolean)
        {
            throw new ArgumentException($"{predicate.ToSql()} is {predicate.Type}, not BOOLEAN.", nameof(predicate));
        }

        var row = LinqExpression.Parameter(typeof(object?[]), "row");
        var emitter = new ExpressionEmitter(row, onError: onError);
        var body = emitter.Guard(emitter.EmitTest(predicate), predicate);
        return LinqExpression.Lambda<Func<object?[], bool>>(body, row).Compile();
    }

    /// <summary>
    /// One delegate computing all output columns of a projection into a new row array (column <c>i</c> of the result
    /// is <paramref name="columns"/>[i]). With <paramref name="onError"/>, a failing column is NULL and reported with
    /// its index; the other columns are unaffected.
    /// </summary>
    public static Func<object?[], object?[]> CompileProjection(IReadOnlyList<BoundExpression> columns, Action<ExpressionError>? onError = null)
    {
        var row = LinqExpression.Parameter(typeof(object?[]), "row");
        var output = LinqExpression.Variable(typeof(object?[]), "output");
        var body = new List<LinqExpression>
        {
            LinqExpression.Assign(output, LinqExpression.NewArrayBounds(typeof(object), LinqExpression.Constant(columns.Count))),
        };
        body.AddRange(ColumnAssignments(columns, row, output, onError));
        body.Add(output);
        return LinqExpression.Lambda<Func<object?[], object?[]>>(LinqExpression.Block([output], body), row).Compile();
    }

    /// <summary>Like <see cref="CompileProjection"/>, writing into a caller-supplied array of at least
    /// <c>columns.Count</c> elements (for callers that reuse output rows).</summary>
    public static Action<object?[], object?[]> CompileProjectionInto(IReadOnlyList<BoundExpression> columns, Action<ExpressionError>? onError = null)
    {
        var row = LinqExpression.Parameter(typeof(object?[]), "row");
        var output = LinqExpression.Parameter(typeof(object?[]), "output");
        var body = ColumnAssignments(columns, row, output, onError).ToList();
        body.Add(LinqExpression.Empty());
        return LinqExpression.Lambda<Action<object?[], object?[]>>(LinqExpression.Block(body), row, output).Compile();
    }

    /// <summary>
    /// The value of a constant expression (INSERT VALUES, WITH properties, window bounds): one that reads no column.
    /// Errors are thrown as they happen (ksqlDB's messages, e.g. <c>invalid input syntax for type INTEGER</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The expression reads a column or contains an aggregate.</exception>
    public static object? EvaluateConstant(BoundExpression expression)
    {
        if (!expression.IsConstant)
        {
            throw new ArgumentException($"{expression.ToSql()} is not a constant expression: it reads columns.", nameof(expression));
        }

        return Evaluate(expression, fold: true);
    }

    /// <summary>Evaluates an expression over an empty row with the expression interpreter (no JIT for one-off values).</summary>
    internal static object? Evaluate(BoundExpression expression, bool fold)
    {
        var row = LinqExpression.Parameter(typeof(object?[]), "row");
        var emitter = new ExpressionEmitter(row, fold);
        var lambda = LinqExpression.Lambda<Func<object?[], object?>>(emitter.EmitBoxed(expression), row);
        return lambda.Compile(preferInterpretation: true)([]);
    }

    /// <summary>The expression tree the compiler builds for an expression (for tests and diagnostics).</summary>
    public static LambdaExpression BuildTree(BoundExpression expression)
    {
        var row = LinqExpression.Parameter(typeof(object?[]), "row");
        return LinqExpression.Lambda<Func<object?[], object?>>(new ExpressionEmitter(row).EmitBoxed(expression), row);
    }

    private static IEnumerable<LinqExpression> ColumnAssignments(
        IReadOnlyList<BoundExpression> columns, ParameterExpression row, LinqExpression output, Action<ExpressionError>? onError)
    {
        var emitter = new ExpressionEmitter(row, onError: onError);
        for (var i = 0; i < columns.Count; i++)
        {
            emitter.ColumnIndex = i;
            var value = emitter.Guard(emitter.EmitBoxed(columns[i]), columns[i]);
            yield return LinqExpression.Assign(LinqExpression.ArrayAccess(output, LinqExpression.Constant(i)), value);
        }
    }

    /// <summary>
    /// True when evaluating the expression can throw on some row: integer division by a non-constant, DECIMAL
    /// arithmetic, casts that parse or narrow, function calls, LIKE with a computed pattern. Only such expressions are
    /// wrapped in a try/catch when an error handler is given.
    /// </summary>
    public static bool CanFail(BoundExpression expression) => expression.Descendants().Any(e => e switch
    {
        BoundFunctionCall or BoundTableFunctionCall => true,
        BoundArithmetic a => a.Type is SqlDecimalType
            || (a.Operator is Ast.ArithmeticOperator.Divide or Ast.ArithmeticOperator.Modulus
                && a.Type!.BaseType is SqlBaseType.Integer or SqlBaseType.BigInt
                && !(a.Right is BoundLiteral { Value: int or long } divisor && System.Convert.ToInt64(divisor.Value, System.Globalization.CultureInfo.InvariantCulture) is not (0 or -1))),
        BoundCast c => c.Operand.Type is { } from && !IsSafeWidening(from, c.Type!),
        BoundLike l => !ConstantFolding.IsFoldable(l.Pattern),
        _ => false,
    });

    private static bool IsSafeWidening(SqlType from, SqlType to) =>
        from.Equals(to) && to is not SqlDecimalType
        || (from.BaseType, to.BaseType) is (SqlBaseType.Integer, SqlBaseType.BigInt or SqlBaseType.Double)
            or (SqlBaseType.BigInt, SqlBaseType.Double)
            or (SqlBaseType.Date, SqlBaseType.Timestamp)
            or (SqlBaseType.Decimal, SqlBaseType.Double)
        || to.BaseType == SqlBaseType.String && from.BaseType != SqlBaseType.String;
}
