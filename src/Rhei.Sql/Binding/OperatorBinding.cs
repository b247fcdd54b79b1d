using Rhei.Formats.Conversion;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using AstArithmetic = Rhei.Sql.Ast.ArithmeticOperator;
using FormatsArithmetic = Rhei.Formats.Conversion.ArithmeticOperator;

namespace Rhei.Sql.Binding;

/// <summary>Typing of operators over bound operands: arithmetic, comparison, BETWEEN, IN, LIKE, logic.</summary>
internal static class OperatorBinding
{
    /// <summary>The largest DECIMAL precision ksqlDB allows.</summary>
    public const int MaxDecimalPrecision = 38;

    private static readonly HashSet<string> TimestampPseudoColumns = new(StringComparer.Ordinal) { "ROWTIME", "WINDOWSTART", "WINDOWEND" };

    public static BoundExpression Arithmetic(AstArithmetic op, BoundExpression left, BoundExpression right, SourcePosition position)
    {
        var lt = left.Type;
        var rt = right.Type;
        string Text() => $"({left.ToSql()} {ArithmeticBinaryExpression.Symbol(op)} {right.ToSql()})";
        if (lt is null || rt is null)
        {
            throw new SqlBindingException(
                $"Error processing expression: {Text()}. Arithmetic on types {lt?.ToString() ?? "null"} and {rt?.ToString() ?? "null"} are not supported.",
                position);
        }

        if (op == AstArithmetic.Add && lt.BaseType == SqlBaseType.String && rt.BaseType == SqlBaseType.String)
        {
            return new BoundArithmetic(op, left, right, SqlTypes.String) { Position = position };
        }

        if (!lt.IsNumeric || !rt.IsNumeric)
        {
            throw new SqlBindingException(
                $"Error processing expression: {Text()}. Unsupported arithmetic types. {lt.BaseType.SqlName()} {rt.BaseType.SqlName()}", position);
        }

        if (lt.BaseType == SqlBaseType.Double || rt.BaseType == SqlBaseType.Double)
        {
            return new BoundArithmetic(op, Coercion.Coerce(left, SqlTypes.Double), Coercion.Coerce(right, SqlTypes.Double), SqlTypes.Double) { Position = position };
        }

        if (lt.BaseType == SqlBaseType.Decimal || rt.BaseType == SqlBaseType.Decimal)
        {
            var ld = SqlCoercion.ToDecimalType(lt);
            var rd = SqlCoercion.ToDecimalType(rt);
            var result = DecimalResultType(op, ld, rd);
            return new BoundArithmetic(op, Coercion.Coerce(left, ld), Coercion.Coerce(right, rd), result) { Position = position };
        }

        var type = lt.BaseType == SqlBaseType.BigInt || rt.BaseType == SqlBaseType.BigInt ? SqlTypes.BigInt : SqlTypes.Integer;
        return new BoundArithmetic(op, Coercion.Coerce(left, type), Coercion.Coerce(right, type), type) { Position = position };
    }

    /// <summary>ksqlDB's DECIMAL result type, capped at precision 38.</summary>
    public static SqlDecimalType DecimalResultType(AstArithmetic op, SqlDecimalType left, SqlDecimalType right)
    {
        var formatsOp = op switch
        {
            AstArithmetic.Add => FormatsArithmetic.Add,
            AstArithmetic.Subtract => FormatsArithmetic.Subtract,
            AstArithmetic.Multiply => FormatsArithmetic.Multiply,
            AstArithmetic.Divide => FormatsArithmetic.Divide,
            _ => FormatsArithmetic.Modulus,
        };
        var t = SqlCoercion.DecimalResultType(formatsOp, left, right);
        if (t.Precision <= MaxDecimalPrecision)
        {
            return t;
        }

        // Keep the integer digits where possible and give up scale, as SQL engines do at the precision limit.
        var whole = t.Precision - t.Scale;
        var scale = Math.Max(Math.Min(t.Scale, MaxDecimalPrecision - whole), Math.Min(t.Scale, 6));
        return SqlTypes.Decimal(MaxDecimalPrecision, scale);
    }

    public static BoundExpression Negate(BoundExpression operand, SourcePosition position)
    {
        if (operand.Type is not { IsNumeric: true })
        {
            throw new SqlBindingException(
                $"Error processing expression: -{operand.ToSql()}. Unsupported arithmetic type: {operand.Type?.ToString() ?? "null"}", position);
        }

        return new BoundNegate(operand) { Position = position };
    }

    public static string OperatorName(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "EQUAL",
        ComparisonOperator.NotEqual => "NOT_EQUAL",
        ComparisonOperator.LessThan => "LESS_THAN",
        ComparisonOperator.LessThanOrEqual => "LESS_THAN_OR_EQUAL",
        ComparisonOperator.GreaterThan => "GREATER_THAN",
        ComparisonOperator.GreaterThanOrEqual => "GREATER_THAN_OR_EQUAL",
        ComparisonOperator.IsDistinctFrom => "IS_DISTINCT_FROM",
        _ => "IS_NOT_DISTINCT_FROM",
    };

    private static bool IsEquality(ComparisonOperator op) =>
        op is ComparisonOperator.Equal or ComparisonOperator.NotEqual or ComparisonOperator.IsDistinctFrom or ComparisonOperator.IsNotDistinctFrom;

    public static BoundExpression Comparison(ComparisonOperator op, BoundExpression left, BoundExpression right, SourcePosition position)
    {
        var distinct = op is ComparisonOperator.IsDistinctFrom or ComparisonOperator.IsNotDistinctFrom;
        if (left.Type is null || right.Type is null)
        {
            if (distinct && (left.Type ?? right.Type) is { } known)
            {
                // x IS [NOT] DISTINCT FROM NULL: a null-safe comparison with a NULL of x's type.
                return new BoundComparison(op, Coercion.Coerce(left, known), Coercion.Coerce(right, known)) { Position = position };
            }

            var l = left.Type?.ToString() ?? "NULL";
            var r = right.Type?.ToString() ?? "NULL";
            throw new SqlBindingException(
                $"Comparison with NULL not supported: {l} {ComparisonExpression.Symbol(op)} {r}\nUse 'IS NULL' or 'IS NOT NULL' instead.", position);
        }

        var (cl, cr) = ComparableOperands(op, left, right)
            ?? throw new SqlBindingException(
                $"Cannot compare {left.ToSql()} ({left.Type}) to {right.ToSql()} ({right.Type}) with {OperatorName(op)}.", position);
        return new BoundComparison(op, cl, cr) { Position = position };
    }

    /// <summary>The operands converted to one comparable type, or null when ksqlDB cannot compare them with <paramref name="op"/>.</summary>
    public static (BoundExpression Left, BoundExpression Right)? ComparableOperands(ComparisonOperator op, BoundExpression left, BoundExpression right)
    {
        var lt = left.Type!;
        var rt = right.Type!;

        // ROWTIME, WINDOWSTART and WINDOWEND are BIGINT milliseconds but compare with timestamp text.
        if (lt.BaseType == SqlBaseType.BigInt && IsTimestampPseudoColumn(left) && Coercion.IsStringLiteral(right, out var rtext))
        {
            return (left, EpochMillisLiteral(right, rtext));
        }

        if (rt.BaseType == SqlBaseType.BigInt && IsTimestampPseudoColumn(right) && Coercion.IsStringLiteral(left, out var ltext))
        {
            return (EpochMillisLiteral(left, ltext), right);
        }

        if (lt.IsNumeric && rt.IsNumeric)
        {
            var common = SqlCoercion.WidenNumeric(lt, rt);
            if (common is SqlDecimalType)
            {
                // Decimal values compare by value whatever their scale: only integers need converting.
                return (ToDecimal(left), ToDecimal(right));
            }

            return (Coercion.Coerce(left, common), Coercion.Coerce(right, common));
        }

        if (IsTemporal(lt) || IsTemporal(rt))
        {
            return TemporalOperands(left, right);
        }

        if (lt.BaseType != rt.BaseType)
        {
            return null;
        }

        switch (lt.BaseType)
        {
            case SqlBaseType.String or SqlBaseType.Bytes:
                return (left, right);
            case SqlBaseType.Boolean:
                return IsEquality(op) ? (left, right) : null;
            case SqlBaseType.Array or SqlBaseType.Map or SqlBaseType.Struct:
                if (!IsEquality(op))
                {
                    return null;
                }

                if (Coercion.CombineTypes(lt, rt) is not { } t)
                {
                    return null;
                }

                return (Coercion.Coerce(left, t), Coercion.Coerce(right, t));
            default:
                return null;
        }
    }

    private static BoundExpression ToDecimal(BoundExpression e) =>
        e.Type is SqlDecimalType ? e : Coercion.Coerce(e, SqlCoercion.ToDecimalType(e.Type!));

    private static bool IsTemporal(SqlType t) => t.BaseType is SqlBaseType.Date or SqlBaseType.Time or SqlBaseType.Timestamp;

    private static (BoundExpression, BoundExpression)? TemporalOperands(BoundExpression left, BoundExpression right)
    {
        var lt = left.Type!;
        var rt = right.Type!;
        if (lt.Equals(rt))
        {
            return (left, right);
        }

        if (IsTemporal(lt) && IsTemporal(rt))
        {
            // DATE widens to TIMESTAMP; TIME compares only with TIME.
            return Coercion.CombineTypes(lt, rt) is { } t ? (Coercion.Coerce(left, t), Coercion.Coerce(right, t)) : null;
        }

        // A STRING compares with a temporal value by parsing it: literals now, other expressions per row.
        if (rt.BaseType == SqlBaseType.String)
        {
            return (left, StringToTemporal(right, lt));
        }

        if (lt.BaseType == SqlBaseType.String)
        {
            return (StringToTemporal(left, rt), right);
        }

        return null;
    }

    private static BoundExpression StringToTemporal(BoundExpression text, SqlType target) =>
        Coercion.IsStringLiteral(text, out _) ? Coercion.Coerce(text, target) : new BoundCast(text, target, IsImplicit: true) { Position = text.Position };

    private static bool IsTimestampPseudoColumn(BoundExpression e) =>
        e is BoundColumn c && TimestampPseudoColumns.Contains(c.Column.Name);

    private static BoundLiteral EpochMillisLiteral(BoundExpression literal, string text)
    {
        DateTime ts;
        try
        {
            ts = TemporalValues.ParseTimestamp(text.Trim());
        }
        catch (FormatException ex)
        {
            throw new SqlBindingException(ex.Message, literal.Position, ex);
        }

        return new BoundLiteral(TemporalValues.ToEpochMillis(ts), SqlTypes.BigInt) { Text = literal.ToSql(), Position = literal.Position };
    }

    public static BoundExpression Between(BoundExpression value, BoundExpression min, BoundExpression max, bool negated, SourcePosition position)
    {
        if (value.Type is null || min.Type is null || max.Type is null)
        {
            throw new SqlBindingException(
                $"Invalid BETWEEN expression: ({value.ToSql()} BETWEEN {min.ToSql()} AND {max.ToSql()}). NULL operands are not supported; cast them to a type.", position);
        }

        // Numbers share the widest type; everything else compares pairwise with the value.
        if (value.Type.IsNumeric && min.Type.IsNumeric && max.Type.IsNumeric)
        {
            var common = SqlCoercion.WidenNumeric(SqlCoercion.WidenNumeric(value.Type, min.Type), max.Type);
            return new BoundBetween(Coercion.Coerce(value, common), Coercion.Coerce(min, common), Coercion.Coerce(max, common), negated) { Position = position };
        }

        var low = ComparableOperands(ComparisonOperator.GreaterThanOrEqual, value, min)
            ?? throw new SqlBindingException($"Cannot compare {value.ToSql()} ({value.Type}) to {min.ToSql()} ({min.Type}) with GREATER_THAN_OR_EQUAL.", position);
        var high = ComparableOperands(ComparisonOperator.LessThanOrEqual, low.Left, max)
            ?? throw new SqlBindingException($"Cannot compare {value.ToSql()} ({value.Type}) to {max.ToSql()} ({max.Type}) with LESS_THAN_OR_EQUAL.", position);
        if (!Equals(high.Left.Type, low.Right.Type))
        {
            low = (high.Left, Coercion.Coerce(low.Right, high.Left.Type!));
        }

        return new BoundBetween(high.Left, low.Right, high.Right, negated) { Position = position };
    }

    public static BoundExpression Like(BoundExpression value, BoundExpression pattern, char? escape, bool negated, SourcePosition position)
    {
        var v = value.Type is null ? Coercion.Coerce(value, SqlTypes.String) : value;
        var p = pattern.Type is null ? Coercion.Coerce(pattern, SqlTypes.String) : pattern;
        if (v.Type!.BaseType != SqlBaseType.String || p.Type!.BaseType != SqlBaseType.String)
        {
            throw new SqlBindingException(
                $"Like condition must be between strings: {value.ToSql()} ({value.Type}) LIKE {pattern.ToSql()} ({pattern.Type}).", position);
        }

        return new BoundLike(v, p, escape, negated) { Position = position };
    }

    public static BoundExpression In(BoundExpression value, IReadOnlyList<BoundExpression> values, bool negated, SourcePosition position)
    {
        var all = new List<BoundExpression>(values.Count + 1) { value };
        all.AddRange(values);
        var common = Coercion.CommonType(all, (type, item) => new SqlBindingException(
            $"operator does not exist: {type} = {item.Type} ({item.ToSql()})\nHint: You might need to add explicit type casts.", item.Position));
        if (common is null)
        {
            return new BoundLiteral(false, SqlTypes.Boolean) { Text = "false", Position = position };
        }

        var coerced = all.Select(e => Coercion.Coerce(e, common)).ToList();
        return new BoundIn(coerced[0], [.. coerced.Skip(1)], negated) { Position = position };
    }

    public static BoundExpression Logical(LogicalOperator op, BoundExpression left, BoundExpression right, SourcePosition position)
    {
        var l = RequireBoolean(left, op == LogicalOperator.And ? "AND" : "OR");
        var r = RequireBoolean(right, op == LogicalOperator.And ? "AND" : "OR");
        return new BoundLogical(op, l, r) { Position = position };
    }

    public static BoundExpression Not(BoundExpression operand, SourcePosition position) =>
        new BoundNot(RequireBoolean(operand, "NOT")) { Position = position };

    /// <summary>The operand as a BOOLEAN (an untyped NULL becomes a BOOLEAN NULL); other types are an error.</summary>
    public static BoundExpression RequireBoolean(BoundExpression e, string context)
    {
        if (e.Type is null)
        {
            return Coercion.Coerce(e, SqlTypes.Boolean);
        }

        if (e.Type.BaseType != SqlBaseType.Boolean)
        {
            throw new SqlBindingException($"{context} operand must be of type BOOLEAN, but {e.ToSql()} is {e.Type}.", e.Position);
        }

        return e;
    }
}
