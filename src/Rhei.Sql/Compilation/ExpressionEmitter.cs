using System.Linq.Expressions;
using System.Reflection;
using Rhei.Formats.Conversion;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Functions;
using ArithmeticOperator = Rhei.Sql.Ast.ArithmeticOperator;
using LinqExpression = System.Linq.Expressions.Expression;

namespace Rhei.Sql.Compilation;

/// <summary>
/// Turns a bound expression into a LINQ expression tree over the row parameter (<c>object?[]</c>). Every node
/// evaluates to the nullable CLR type of its SQL type (<c>int?</c>, <c>decimal?</c>, <c>string</c>, ...), so values
/// stay unboxed between operators; columns are unboxed where read, results boxed where stored. Conditions have a
/// separate path (<see cref="EmitTest"/>) that yields a plain <c>bool</c> (NULL counts as not matching).
/// Constant sub-trees are evaluated once, at compile time.
/// </summary>
internal sealed class ExpressionEmitter
{
    private static readonly MethodInfo StructFieldMethod = Runtime(nameof(SqlRuntime.StructField));
    private static readonly MethodInfo MapValueMethod = Runtime(nameof(SqlRuntime.MapValue));
    private static readonly MethodInfo CreateMapMethod = Runtime(nameof(SqlRuntime.CreateMap));
    private static readonly MethodInfo ConcatMethod = Runtime(nameof(SqlRuntime.Concat));
    private static readonly ConstructorInfo StructConstructor = typeof(SqlStruct).GetConstructor([typeof(SqlStructType), typeof(object?[])])!;
    private static readonly ConstructorInfo ListConstructor = typeof(List<object?>).GetConstructor([typeof(int)])!;
    private static readonly MethodInfo ListAdd = typeof(List<object?>).GetMethod(nameof(List<object?>.Add))!;

    private static readonly MethodInfo ReportMethod = Runtime(nameof(SqlRuntime.Report));
    private static readonly MethodInfo BoxBooleanMethod = Runtime(nameof(SqlRuntime.BoxBoolean));

    private readonly List<(string Name, ParameterExpression Parameter)> _lambdaScope = [];
    private readonly bool _fold;
    private readonly Action<ExpressionError>? _onError;
    private int _detachedLambdas;

    /// <param name="row">The row parameter.</param>
    /// <param name="fold">Evaluate constant sub-trees at compile time.</param>
    /// <param name="onError">Where failures are reported; null lets exceptions propagate.</param>
    public ExpressionEmitter(ParameterExpression row, bool fold = true, Action<ExpressionError>? onError = null)
    {
        Row = row;
        _fold = fold;
        _onError = onError;
        Predicates = new PredicateEmitter(this);
    }

    /// <summary>The output column being emitted (reported with errors); -1 outside projections.</summary>
    public int ColumnIndex { get; set; } = -1;

    /// <summary>The <c>object?[]</c> row parameter.</summary>
    public ParameterExpression Row { get; }

    public PredicateEmitter Predicates { get; }

    /// <summary>The CLR type an expression of the SQL type evaluates to (<see cref="object"/> for an untyped NULL).</summary>
    public static Type ClrOf(SqlType? type) => type?.NullableClrType() ?? typeof(object);

    /// <summary>The expression typed as <see cref="ClrOf"/> of its SQL type.</summary>
    public LinqExpression Emit(BoundExpression e)
    {
        var clr = ClrOf(e.Type);
        if (_fold && e is not (BoundLiteral or BoundLambda or BoundIntervalUnit) && ConstantFolding.TryEvaluate(e, out var constant))
        {
            return LinqExpression.Constant(constant, clr);
        }

        return e switch
        {
            BoundLiteral literal => LinqExpression.Constant(literal.Value, clr),
            BoundColumn column => ReadColumn(column.Column.Index, clr),
            BoundLambdaVariable variable => Convert(LambdaParameter(variable.Name), clr),
            BoundDereference deref => Convert(
                LinqExpression.Call(StructFieldMethod, Emit(deref.Base), LinqExpression.Constant(deref.FieldIndex)), clr),
            BoundSubscript subscript => EmitSubscript(subscript, clr),
            BoundCast cast => EmitCast(cast, clr),
            BoundArithmetic arithmetic => EmitArithmetic(arithmetic),
            BoundNegate negate => LinqExpression.Negate(Emit(negate.Operand)),
            BoundComparison or BoundIsNull or BoundBetween or BoundLike or BoundIn =>
                LinqExpression.Convert(Predicates.EmitTest(e, wantTrue: true), typeof(bool?)),
            BoundLogical logical => Predicates.EmitLogicalValue(logical),
            BoundNot not => LinqExpression.Not(Emit(not.Operand)),
            BoundCase @case => Predicates.EmitCase(@case, clr),
            BoundCreateArray array => LinqExpression.ListInit(
                LinqExpression.New(ListConstructor, LinqExpression.Constant(array.Elements.Count)),
                array.Elements.Select(x => LinqExpression.ElementInit(ListAdd, EmitElement(x)))),
            BoundCreateMap map => LinqExpression.Call(
                CreateMapMethod,
                LinqExpression.NewArrayInit(typeof(object), map.Keys.Select(EmitElement)),
                LinqExpression.NewArrayInit(typeof(object), map.Values.Select(EmitElement)),
                LinqExpression.Constant(((SqlMapType)map.Type!).KeyType.BaseType == SqlBaseType.String)),
            BoundCreateStruct ctor => LinqExpression.New(
                StructConstructor,
                LinqExpression.Constant(ctor.Type, typeof(SqlStructType)),
                LinqExpression.NewArrayInit(typeof(object), ctor.Values.Select(EmitElement))),
            BoundFunctionCall call => EmitCall(call.Resolution, call.Arguments, clr),
            BoundTableFunctionCall call => EmitCall(call.Resolution, call.Arguments, typeof(List<object?>)),
            BoundIntervalUnit unit => LinqExpression.Constant(unit.Unit),
            BoundAggregateCall aggregate => throw new InvalidOperationException(
                $"The aggregate call {aggregate.ToSql()} must be replaced by a column of the aggregated row before the expression is compiled."),
            BoundLambda lambda => throw new InvalidOperationException($"The lambda {lambda.ToSql()} can only be compiled as a function argument."),
            _ => throw new NotSupportedException($"Cannot compile {e.GetType().Name}: {e.ToSql()}"),
        };
    }

    /// <summary>The expression's value as <see cref="object"/> (a column is passed through without unboxing).</summary>
    public LinqExpression EmitBoxed(BoundExpression e) =>
        e is BoundColumn column ? Cell(column.Column.Index) : Box(Emit(e));

    /// <summary>
    /// Wraps an expression that may fail in a try/catch that reports the failure and yields the type's default
    /// (NULL, or false for a condition). No wrapping without an error handler or when the expression cannot fail.
    /// </summary>
    public LinqExpression Guard(LinqExpression body, BoundExpression expression)
    {
        if (_onError is null || !ExpressionCompiler.CanFail(expression))
        {
            return body;
        }

        // A lambda compiled on its own (it reads nothing from the row) cannot see the row parameter.
        LinqExpression row = _detachedLambdas > 0 ? LinqExpression.Constant(Array.Empty<object?>(), typeof(object?[])) : Row;
        var exception = LinqExpression.Parameter(typeof(Exception), "exception");
        return LinqExpression.TryCatch(
            body,
            LinqExpression.Catch(
                exception,
                LinqExpression.Block(
                    LinqExpression.Call(
                        ReportMethod,
                        LinqExpression.Constant(_onError),
                        LinqExpression.Constant(expression.ToSql()),
                        LinqExpression.Constant(ColumnIndex),
                        row,
                        exception),
                    LinqExpression.Default(body.Type))));
    }

    /// <summary>An ARRAY, MAP or STRUCT constructor element: boxed, and NULL (reported) when it fails.</summary>
    private LinqExpression EmitElement(BoundExpression element) => Guard(EmitBoxed(element), element);

    /// <summary>A condition as a plain bool: true only when the value is TRUE (NULL is false).</summary>
    public LinqExpression EmitTest(BoundExpression e, bool wantTrue = true) => Predicates.EmitTest(e, wantTrue);

    public static LinqExpression Box(LinqExpression e)
    {
        if (e.Type == typeof(object))
        {
            return e;
        }

        if (e.Type == typeof(bool?) || e.Type == typeof(bool))
        {
            return LinqExpression.Call(BoxBooleanMethod, e.Type == typeof(bool) ? LinqExpression.Convert(e, typeof(bool?)) : e);
        }

        return LinqExpression.Convert(e, typeof(object));
    }

    public static LinqExpression Convert(LinqExpression e, Type clr) => e.Type == clr ? e : LinqExpression.Convert(e, clr);

    /// <summary><c>row[index]</c> as an object.</summary>
    public LinqExpression Cell(int index) => LinqExpression.ArrayIndex(Row, LinqExpression.Constant(index));

    /// <summary>
    /// <c>row[index]</c> as <paramref name="clr"/>. A nullable value type is read as
    /// <c>cell == null ? null : (T?)(T)cell</c>: unboxing to <c>T</c> is an inline type check, unboxing straight to
    /// <c>T?</c> a runtime helper call.
    /// </summary>
    private LinqExpression ReadColumn(int index, Type clr)
    {
        if (Nullable.GetUnderlyingType(clr) is not { } underlying)
        {
            return Convert(Cell(index), clr);
        }

        var cell = LinqExpression.Variable(typeof(object), "cell");
        return LinqExpression.Block(
            clr,
            [cell],
            LinqExpression.Assign(cell, Cell(index)),
            LinqExpression.Condition(
                LinqExpression.ReferenceEqual(cell, LinqExpression.Constant(null)),
                LinqExpression.Constant(null, clr),
                LinqExpression.Convert(LinqExpression.Convert(cell, underlying), clr)));
    }

    private LinqExpression LambdaParameter(string name)
    {
        for (var i = _lambdaScope.Count - 1; i >= 0; i--)
        {
            if (_lambdaScope[i].Name == name)
            {
                return _lambdaScope[i].Parameter;
            }
        }

        throw new InvalidOperationException($"The lambda variable {name} is used outside its lambda.");
    }

    private LinqExpression EmitCast(BoundCast cast, Type clr)
    {
        var from = cast.Operand.Type;
        if (from is null)
        {
            return LinqExpression.Constant(null, clr);
        }

        // INT and BIGINT widen exactly to DOUBLE and to DECIMAL(p, 0) with enough digits: a lifted IL conversion.
        if (from.BaseType is SqlBaseType.Integer or SqlBaseType.BigInt
            && (cast.Type!.BaseType == SqlBaseType.Double || (cast.Type is SqlDecimalType { Scale: 0 } d && d.Precision >= (from.BaseType == SqlBaseType.Integer ? 10 : 19))))
        {
            return LinqExpression.Convert(Emit(cast.Operand), clr);
        }

        return SqlCast.BuildExpression(Emit(cast.Operand), from, cast.Type!);
    }

    private LinqExpression EmitSubscript(BoundSubscript subscript, Type clr)
    {
        var target = Emit(subscript.Base);
        LinqExpression element = subscript.Base.Type is SqlArrayType
            ? EmitArrayElement(target, Emit(subscript.Index))
            : LinqExpression.Call(MapValueMethod, target, EmitBoxed(subscript.Index));
        return Convert(element, clr);
    }

    private static LinqExpression EmitArrayElement(LinqExpression array, LinqExpression index) =>
        LinqExpression.Call(
            typeof(SqlRuntime).GetMethod(nameof(SqlRuntime.ArrayElement), [typeof(List<object?>), index.Type])
                ?? throw new InvalidOperationException($"No array access with a {index.Type.Name} index."),
            array,
            index);

    private LinqExpression EmitArithmetic(BoundArithmetic a)
    {
        var left = Emit(a.Left);
        var right = Emit(a.Right);
        var type = a.Type!;
        switch (type.BaseType)
        {
            case SqlBaseType.String:
                return LinqExpression.Call(ConcatMethod, left, right);
            case SqlBaseType.Decimal:
                {
                    var name = a.Operator switch
                    {
                        ArithmeticOperator.Add => nameof(SqlRuntime.DecimalAdd),
                        ArithmeticOperator.Subtract => nameof(SqlRuntime.DecimalSubtract),
                        ArithmeticOperator.Multiply => nameof(SqlRuntime.DecimalMultiply),
                        ArithmeticOperator.Divide => nameof(SqlRuntime.DecimalDivide),
                        _ => nameof(SqlRuntime.DecimalRemainder),
                    };
                    return LinqExpression.Call(Runtime(name), left, right, LinqExpression.Constant(((SqlDecimalType)type).Scale));
                }

            case SqlBaseType.Double:
                return a.Operator switch
                {
                    ArithmeticOperator.Add => LinqExpression.Add(left, right),
                    ArithmeticOperator.Subtract => LinqExpression.Subtract(left, right),
                    ArithmeticOperator.Multiply => LinqExpression.Multiply(left, right),
                    ArithmeticOperator.Divide => LinqExpression.Divide(left, right),
                    _ => LinqExpression.Modulo(left, right),
                };
            default:
                switch (a.Operator)
                {
                    case ArithmeticOperator.Add:
                        return LinqExpression.Add(left, right);
                    case ArithmeticOperator.Subtract:
                        return LinqExpression.Subtract(left, right);
                    case ArithmeticOperator.Multiply:
                        return LinqExpression.Multiply(left, right);
                }

                // A constant divisor other than 0 and -1 cannot fail: use the IL operator (Java and .NET agree).
                if (right is ConstantExpression { Value: { } divisor } && System.Convert.ToInt64(divisor, System.Globalization.CultureInfo.InvariantCulture) is not (0 or -1))
                {
                    return a.Operator == ArithmeticOperator.Divide ? LinqExpression.Divide(left, right) : LinqExpression.Modulo(left, right);
                }

                return LinqExpression.Call(
                    BinaryRuntime(a.Operator == ArithmeticOperator.Divide ? nameof(SqlRuntime.Divide) : nameof(SqlRuntime.Remainder), left.Type),
                    left,
                    right);
        }
    }

    private LinqExpression EmitCall(FunctionResolution resolution, IReadOnlyList<BoundExpression> arguments, Type clr)
    {
        var method = resolution.Method ?? throw new InvalidOperationException($"{resolution.Function.Name} has no implementing method.");
        var parameters = method.GetParameters();
        var constants = resolution.ConstantArguments;
        var callArguments = new List<LinqExpression>(parameters.Length);
        for (var k = 0; k < constants.Count; k++)
        {
            callArguments.Add(LinqExpression.Constant(constants[k], parameters[k].ParameterType));
        }

        var overload = resolution.Overload;
        for (var p = 0; p < overload.Parameters.Length; p++)
        {
            var parameterType = parameters[constants.Count + p].ParameterType;
            var indexes = Enumerable.Range(0, arguments.Count).Where(i => resolution.ParameterIndexOf(i) == p).ToList();
            if (overload.Parameters[p].IsVariadic)
            {
                var elementType = parameterType.GetElementType()!;
                callArguments.Add(LinqExpression.NewArrayInit(elementType, indexes.Select(i => EmitArgument(arguments[i], elementType))));
            }
            else
            {
                callArguments.Add(EmitArgument(arguments[indexes.Single()], parameterType));
            }
        }

        LinqExpression call = LinqExpression.Call(method, callArguments);
        return Convert(call, clr);
    }

    private LinqExpression EmitArgument(BoundExpression argument, Type parameterType)
    {
        switch (argument)
        {
            case BoundLambda lambda:
                return EmitLambda(lambda, parameterType);
            case BoundIntervalUnit unit:
                return LinqExpression.Constant(unit.Unit, parameterType);
        }

        if (parameterType == typeof(object))
        {
            return EmitBoxed(argument);
        }

        return Convert(Emit(argument), parameterType);
    }

    /// <summary>
    /// A lambda argument as a delegate over boxed values. A lambda that reads nothing from outside (no column, no
    /// outer lambda variable) is compiled once and passed as a constant; otherwise it closes over the row.
    /// </summary>
    private LinqExpression EmitLambda(BoundLambda lambda, Type delegateType)
    {
        var parameters = lambda.Parameters.Select(name => LinqExpression.Parameter(typeof(object), name)).ToArray();
        for (var i = 0; i < parameters.Length; i++)
        {
            _lambdaScope.Add((lambda.Parameters[i], parameters[i]));
        }

        var detached = !ReadsOutside(lambda);
        if (detached)
        {
            _detachedLambdas++;
        }

        LinqExpression body;
        try
        {
            body = Box(Emit(lambda.Body));
        }
        finally
        {
            _lambdaScope.RemoveRange(_lambdaScope.Count - parameters.Length, parameters.Length);
            if (detached)
            {
                _detachedLambdas--;
            }
        }

        var tree = LinqExpression.Lambda(delegateType, body, parameters);
        return detached ? LinqExpression.Constant(tree.Compile(), delegateType) : tree;
    }

    private static bool ReadsOutside(BoundLambda lambda)
    {
        var local = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in lambda.Descendants())
        {
            if (e is BoundLambda inner)
            {
                local.UnionWith(inner.Parameters);
            }
        }

        return lambda.Body.Descendants().Any(e => e is BoundColumn || (e is BoundLambdaVariable v && !local.Contains(v.Name)));
    }

    internal static MethodInfo Runtime(string name) =>
        typeof(SqlRuntime).GetMethod(name, BindingFlags.Public | BindingFlags.Static)
        ?? throw new InvalidOperationException($"SqlRuntime.{name} is missing.");

    /// <summary>The <see cref="SqlRuntime"/> overload taking two operands of <paramref name="operandType"/>.</summary>
    internal static MethodInfo BinaryRuntime(string name, Type operandType) =>
        typeof(SqlRuntime).GetMethod(name, BindingFlags.Public | BindingFlags.Static, [operandType, operandType])
        ?? throw new InvalidOperationException($"SqlRuntime.{name}({operandType.Name}, {operandType.Name}) is missing.");
}
