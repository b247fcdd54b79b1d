using Rhei.Formats.Conversion;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Functions;

namespace Rhei.Sql.Binding;

/// <summary>
/// Binds parsed expressions (<see cref="Expression"/>) to typed <see cref="BoundExpression"/> trees with ksqlDB's
/// rules: column names through an <see cref="ExpressionScope"/>, functions and overloads through the
/// <see cref="FunctionRegistry"/> (implicit argument casts inserted, lambda parameters typed from the function's
/// signature), ksqlDB's implicit coercions for operators and expression lists, CAST validation, and ksqlDB's error
/// texts (<see cref="SqlBindingException"/>). Thread-safe and reusable: create one per registry.
/// </summary>
public sealed class ExpressionBinder
{
    private readonly Func<string, SqlType?>? _customTypes;

    /// <param name="functions">The functions calls resolve against.</param>
    /// <param name="customTypes">Resolves a type registered with CREATE TYPE (upper-case name) or returns null.</param>
    public ExpressionBinder(FunctionRegistry functions, Func<string, SqlType?>? customTypes = null)
    {
        Functions = functions;
        _customTypes = customTypes;
    }

    public FunctionRegistry Functions { get; }

    /// <summary>Binds an expression in a scope.</summary>
    /// <exception cref="SqlBindingException">With ksqlDB's message: unknown/ambiguous column, type error, bad call...</exception>
    public BoundExpression Bind(Expression expression, ExpressionScope scope, BindOptions? options = null)
    {
        try
        {
            return new State(this, scope, options ?? BindOptions.Default).Bind(expression);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or ArgumentException or KeyNotFoundException)
        {
            // Conversions of literal text and values report with their own (ksqlDB) messages.
            throw new SqlBindingException(ex.Message, expression.Position, ex);
        }
    }

    /// <summary>
    /// Binds a condition (WHERE, HAVING, ON): it must be BOOLEAN, else <c>Type error in WHERE expression: Should
    /// evaluate to boolean but is X (TYPE) instead.</c> (the clause from <paramref name="options"/>). An untyped NULL
    /// becomes a BOOLEAN NULL.
    /// </summary>
    public BoundExpression BindPredicate(Expression expression, ExpressionScope scope, BindOptions? options = null)
    {
        var bound = Bind(expression, scope, options);
        if (bound.Type is null)
        {
            return Coercion.Coerce(bound, SqlTypes.Boolean);
        }

        if (bound.Type.BaseType != SqlBaseType.Boolean)
        {
            var clause = options?.Clause is { } c ? c + " " : "";
            throw new SqlBindingException(
                $"Type error in {clause}expression: Should evaluate to boolean but is {bound.ToSql()} ({bound.Type}) instead.", bound.Position);
        }

        return bound;
    }

    /// <summary>
    /// The SQL type a type syntax denotes (custom types resolved, DECIMAL parameters checked).
    /// </summary>
    /// <exception cref="SqlBindingException">Unknown custom type or invalid DECIMAL parameters.</exception>
    public SqlType ResolveType(TypeSyntax syntax)
    {
        SqlType type;
        try
        {
            type = syntax.ToSqlType(_customTypes);
        }
        catch (KeyNotFoundException ex)
        {
            throw new SqlBindingException(ex.Message, syntax.Position, ex);
        }

        Validate(type, syntax.Position);
        return type;
    }

    /// <summary>ksqlDB's error for an expression whose type cannot be known (a bare NULL in a SELECT).</summary>
    public static SqlBindingException CannotInferNullType(SourcePosition position = default) =>
        new("Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).", position);

    private static void Validate(SqlType type, SourcePosition position)
    {
        switch (type)
        {
            case SqlDecimalType d:
                try
                {
                    DecimalValues.ValidateType(d.Precision, d.Scale);
                }
                catch (ArgumentException ex)
                {
                    throw new SqlBindingException(ex.Message, position, ex);
                }

                if (d.Precision > OperatorBinding.MaxDecimalPrecision)
                {
                    throw new SqlBindingException(
                        $"DECIMAL precision must be <= {OperatorBinding.MaxDecimalPrecision}: DECIMAL({d.Precision},{d.Scale})", position);
                }

                break;
            case SqlArrayType a:
                Validate(a.ElementType, position);
                break;
            case SqlMapType m:
                Validate(m.KeyType, position);
                Validate(m.ValueType, position);
                break;
            case SqlStructType s:
                foreach (var f in s.Fields)
                {
                    Validate(f.Type, position);
                }

                if (s.Fields.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != s.Fields.Length)
                {
                    throw new SqlBindingException("Duplicate field names found in STRUCT", position);
                }

                break;
        }
    }

    /// <summary>The state of one Bind call: the scope, the options, the lambda parameters in scope.</summary>
    internal sealed class State
    {
        private readonly ExpressionBinder _binder;
        private readonly ExpressionScope _scope;
        private readonly List<Dictionary<string, SqlType>> _lambdaFrames = [];

        public State(ExpressionBinder binder, ExpressionScope scope, BindOptions options)
        {
            _binder = binder;
            _scope = scope;
            Options = options;
        }

        public BindOptions Options { get; }

        public FunctionRegistry Functions => _binder.Functions;

        /// <summary>The aggregate call being bound, if any (aggregates do not nest).</summary>
        public FunctionCall? EnclosingAggregate { get; set; }

        public BoundExpression Bind(Expression e)
        {
            var bound = e switch
            {
                Literal literal => BindLiteral(literal),
                ColumnReference column => new BoundColumn(_scope.Resolve(column.Source, column.Name, Options.Clause, column.Position), column.Source),
                LambdaVariable variable => BindLambdaVariable(variable),
                DereferenceExpression deref => BindDereference(deref),
                SubscriptExpression subscript => BindSubscript(subscript),
                ArithmeticUnaryExpression unary => BindUnary(unary),
                ArithmeticBinaryExpression arithmetic => OperatorBinding.Arithmetic(arithmetic.Operator, Bind(arithmetic.Left), Bind(arithmetic.Right), arithmetic.Position),
                ComparisonExpression comparison => OperatorBinding.Comparison(comparison.Operator, Bind(comparison.Left), Bind(comparison.Right), comparison.Position),
                LogicalBinaryExpression logical => OperatorBinding.Logical(logical.Operator, Bind(logical.Left), Bind(logical.Right), logical.Position),
                NotExpression not => OperatorBinding.Not(Bind(not.Operand), not.Position),
                IsNullPredicate isNull => new BoundIsNull(Bind(isNull.Value), isNull.Negated),
                BetweenPredicate between => OperatorBinding.Between(Bind(between.Value), Bind(between.Min), Bind(between.Max), between.Negated, between.Position),
                LikePredicate like => OperatorBinding.Like(Bind(like.Value), Bind(like.Pattern), like.Escape, like.Negated, like.Position),
                InPredicate inPredicate => OperatorBinding.In(Bind(inPredicate.Value), [.. inPredicate.Values.Select(Bind)], inPredicate.Negated, inPredicate.Position),
                SearchedCaseExpression searched => BindSearchedCase(searched),
                SimpleCaseExpression simple => BindSimpleCase(simple),
                CastExpression cast => BindCast(cast),
                CreateArrayExpression array => BindArray(array),
                CreateMapExpression map => BindMap(map),
                CreateStructExpression ctor => BindStruct(ctor),
                FunctionCall call => FunctionBinding.Bind(this, call),
                TimeUnitExpression unit => new BoundIntervalUnit(ToIntervalUnit(unit.Unit)),
                LambdaExpression lambda => throw new SqlBindingException(
                    $"A lambda function ({lambda.ToSql()}) can only be passed as an argument to a function that takes one.", lambda.Position),
                _ => throw new SqlBindingException($"Unsupported expression: {e.ToSql()}", e.Position),
            };
            return bound.Position.IsKnown ? bound : bound with { Position = e.Position };
        }

        /// <summary>Binds a lambda's body with its parameters typed.</summary>
        public BoundLambda BindLambda(LambdaExpression lambda, IReadOnlyList<SqlType> parameterTypes)
        {
            var frame = new Dictionary<string, SqlType>(StringComparer.Ordinal);
            for (var i = 0; i < lambda.Parameters.Count; i++)
            {
                if (!frame.TryAdd(lambda.Parameters[i], parameterTypes[i]))
                {
                    throw new SqlBindingException($"Lambda parameter names must be unique: {lambda.ToSql()}", lambda.Position);
                }
            }

            _lambdaFrames.Add(frame);
            try
            {
                var body = Bind(lambda.Body);
                return new BoundLambda(lambda.Parameters, [.. parameterTypes], body) { Position = lambda.Position };
            }
            finally
            {
                _lambdaFrames.RemoveAt(_lambdaFrames.Count - 1);
            }
        }

        private BoundExpression BindLambdaVariable(LambdaVariable variable)
        {
            for (var i = _lambdaFrames.Count - 1; i >= 0; i--)
            {
                if (_lambdaFrames[i].TryGetValue(variable.Name, out var type))
                {
                    return new BoundLambdaVariable(variable.Name, type);
                }
            }

            // The parser marks names as lambda variables lexically; one without a frame is a column after all.
            return new BoundColumn(_scope.Resolve(null, variable.Name, Options.Clause, variable.Position));
        }

        private static BoundExpression BindLiteral(Literal literal) => literal switch
        {
            NullLiteral => BoundLiteral.Null,
            BooleanLiteral b => new BoundLiteral(b.BooleanValue, SqlTypes.Boolean),
            StringLiteral s => new BoundLiteral(s.Text, SqlTypes.String),
            IntegerLiteral i => new BoundLiteral(i.IntValue, SqlTypes.Integer),
            BigIntLiteral l => new BoundLiteral(l.LongValue, SqlTypes.BigInt),
            DoubleLiteral d => new BoundLiteral(d.DoubleValue, SqlTypes.Double) { Text = d.ToSql() },
            DecimalLiteral m => m.TryGetDecimal(out var value)
                ? new BoundLiteral(value, Coercion.LiteralDecimalType(value)) { Text = m.Text }
                : throw new SqlBindingException(
                    $"DECIMAL literal {m.Text} has more digits than Rhei supports ({DecimalValues.MaxClrScale}); use a DOUBLE literal (with an exponent) instead.",
                    m.Position),
            _ => throw new SqlBindingException($"Unsupported literal: {literal.ToSql()}", literal.Position),
        };

        private BoundExpression BindUnary(ArithmeticUnaryExpression unary)
        {
            var negated = OperatorBinding.Negate(Bind(unary.Operand), unary.Position);
            return unary.Operator == ArithmeticUnaryOperator.Plus ? ((BoundNegate)negated).Operand : negated;
        }

        private BoundExpression BindDereference(DereferenceExpression deref)
        {
            var target = Bind(deref.Base);
            if (target.Type is not SqlStructType type)
            {
                throw new SqlBindingException(
                    $"Can't dereference {target.ToSql()}->{deref.FieldName}: {target.ToSql()} is {target.Type?.ToString() ?? "NULL"}, not a STRUCT.",
                    deref.Position);
            }

            var index = type.IndexOf(deref.FieldName);
            if (index < 0)
            {
                throw new SqlBindingException(
                    $"Could not find field '{deref.FieldName}' in '{target.ToSql()}' ({type}).", deref.Position);
            }

            return new BoundDereference(target, deref.FieldName, index, type.Fields[index].Type);
        }

        private BoundExpression BindSubscript(SubscriptExpression subscript)
        {
            var target = Bind(subscript.Base);
            var index = Bind(subscript.Index);
            switch (target.Type)
            {
                case SqlArrayType array:
                    if (index.Type is not null && index.Type.BaseType is not (SqlBaseType.Integer or SqlBaseType.BigInt))
                    {
                        throw new SqlBindingException(
                            $"Array index must be an INTEGER, but {index.ToSql()} is {index.Type}.", subscript.Index.Position);
                    }

                    return new BoundSubscript(target, index.Type is { BaseType: SqlBaseType.BigInt } ? index : Coercion.Coerce(index, SqlTypes.Integer), array.ElementType);
                case SqlMapType map:
                    if (!Coercion.CanCoerce(index, map.KeyType))
                    {
                        throw new SqlBindingException(
                            $"Map key {index.ToSql()} ({index.Type}) does not match the map's key type {map.KeyType}.", subscript.Index.Position);
                    }

                    return new BoundSubscript(target, Coercion.Coerce(index, map.KeyType), map.ValueType);
                default:
                    throw new SqlBindingException(
                        $"Subscripts are only supported on ARRAY and MAP values, but {target.ToSql()} is {target.Type?.ToString() ?? "NULL"}.",
                        subscript.Position);
            }
        }

        private BoundExpression BindCast(CastExpression cast)
        {
            var value = Bind(cast.Value);
            var target = _binder.ResolveType(cast.Type);
            if (value.Type is not null && !SqlCast.CanCast(value.Type, target))
            {
                throw new SqlBindingException(SqlCast.NotSupportedMessage(value.Type, target), cast.Position);
            }

            return new BoundCast(value, target);
        }

        private BoundExpression BindSearchedCase(SearchedCaseExpression e)
        {
            var whens = e.WhenClauses.Select(w => (Condition: OperatorBinding.RequireBoolean(Bind(w.Operand), "WHEN"), Result: Bind(w.Result))).ToList();
            var @default = e.DefaultValue is null ? null : Bind(e.DefaultValue);
            var type = CaseType(whens.Select(w => w.Result), @default);
            return new BoundCase(
                null,
                [.. whens.Select(w => new BoundWhen(w.Condition, Coercion.Coerce(w.Result, type)))],
                @default is null ? null : Coercion.Coerce(@default, type),
                type);
        }

        private BoundExpression BindSimpleCase(SimpleCaseExpression e)
        {
            var operand = Bind(e.Operand);
            var values = e.WhenClauses.Select(w => Bind(w.Operand)).ToList();
            var results = e.WhenClauses.Select(w => Bind(w.Result)).ToList();
            var @default = e.DefaultValue is null ? null : Bind(e.DefaultValue);
            var operandType = Coercion.CommonType([operand, .. values], (type, item) => new SqlBindingException(
                $"Invalid Case expression. WHEN value {item.ToSql()} ({item.Type}) cannot be compared with the CASE operand ({type}).", item.Position));
            var type = CaseType(results, @default);
            var coercedOperand = operandType is null ? operand : Coercion.Coerce(operand, operandType);
            return new BoundCase(
                coercedOperand,
                [.. values.Select((v, i) => new BoundWhen(operandType is null ? v : Coercion.Coerce(v, operandType), Coercion.Coerce(results[i], type)))],
                @default is null ? null : Coercion.Coerce(@default, type),
                type);
        }

        private static SqlType CaseType(IEnumerable<BoundExpression> results, BoundExpression? @default)
        {
            var all = results.ToList();
            if (@default is not null)
            {
                all.Add(@default);
            }

            return Coercion.CommonType(all, (type, item) => new SqlBindingException(
                    $"Invalid Case expression. Type for all 'THEN' clauses should be the same.\nTHEN expression '{item.ToSql()}' has type: {item.Type}. Expected: {type}.",
                    item.Position))
                ?? throw new SqlBindingException("Invalid Case expression. All case branches have NULL type");
        }

        private BoundExpression BindArray(CreateArrayExpression e)
        {
            if (e.Values.Count == 0)
            {
                throw new SqlBindingException(
                    "Array constructor cannot be empty. Please supply at least one element (see https://github.com/confluentinc/ksql/issues/4239).", e.Position);
            }

            var elements = e.Values.Select(Bind).ToList();
            var type = Coercion.CommonType(elements, (type, item) => new SqlBindingException(
                    $"invalid input syntax for type {type.BaseType.SqlName()}: {item.ToSql()} ({item.Type}) does not match the other elements of the ARRAY ({type}).",
                    item.Position))
                ?? throw new SqlBindingException("Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/issues/4239). Please cast one of them to a type, e.g. CAST(null AS VARCHAR).", e.Position);
            return new BoundCreateArray([.. elements.Select(x => Coercion.Coerce(x, type))], SqlTypes.Array(type));
        }

        private BoundExpression BindMap(CreateMapExpression e)
        {
            if (e.Entries.Count == 0)
            {
                throw new SqlBindingException(
                    "Map constructor cannot be empty. Please supply at least one key value pair (see https://github.com/confluentinc/ksql/issues/4239).", e.Position);
            }

            var keys = e.Entries.Select(x => Bind(x.Key)).ToList();
            var values = e.Entries.Select(x => Bind(x.Value)).ToList();
            var keyType = Coercion.CommonType(keys, (type, item) => new SqlBindingException(
                    $"invalid input syntax for type {type.BaseType.SqlName()}: MAP key {item.ToSql()} ({item.Type}) does not match the other keys ({type}).", item.Position))
                ?? throw new SqlBindingException("Cannot construct a map with all NULL keys", e.Position);
            var valueType = Coercion.CommonType(values, (type, item) => new SqlBindingException(
                    $"invalid input syntax for type {type.BaseType.SqlName()}: MAP value {item.ToSql()} ({item.Type}) does not match the other values ({type}).", item.Position))
                ?? throw new SqlBindingException("Cannot construct a map with all NULL values", e.Position);
            return new BoundCreateMap(
                [.. keys.Select(k => Coercion.Coerce(k, keyType))],
                [.. values.Select(v => Coercion.Coerce(v, valueType))],
                SqlTypes.Map(keyType, valueType));
        }

        private BoundExpression BindStruct(CreateStructExpression e)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var fields = new List<SqlField>();
            var values = new List<BoundExpression>();
            foreach (var f in e.Fields)
            {
                if (!names.Add(f.Name))
                {
                    throw new SqlBindingException("Duplicate field names found in STRUCT", f.Position);
                }

                var value = Bind(f.Value);
                var type = value.Type ?? throw CannotInferNullType(f.Value.Position);
                fields.Add(new SqlField(f.Name, type));
                values.Add(value);
            }

            return new BoundCreateStruct([.. values], new SqlStructType([.. fields]));
        }

        private static IntervalUnit ToIntervalUnit(SqlTimeUnit unit) => unit switch
        {
            SqlTimeUnit.Millisecond => IntervalUnit.Milliseconds,
            SqlTimeUnit.Second => IntervalUnit.Seconds,
            SqlTimeUnit.Minute => IntervalUnit.Minutes,
            SqlTimeUnit.Hour => IntervalUnit.Hours,
            _ => IntervalUnit.Days,
        };
    }
}
