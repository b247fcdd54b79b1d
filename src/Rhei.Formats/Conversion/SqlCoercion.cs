using System.Collections.Immutable;
using System.Globalization;
using Rhei.Formats.Types;

namespace Rhei.Formats.Conversion;

/// <summary>The operators whose DECIMAL result type <see cref="SqlCoercion.DecimalResultType"/> computes.</summary>
public enum ArithmeticOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulus,
}

/// <summary>
/// ksqlDB's implicit type coercion: numeric widening INTEGER → BIGINT → DECIMAL → DOUBLE (INTEGER counts as
/// DECIMAL(10, 0) and BIGINT as DECIMAL(19, 0) when combined with a DECIMAL), DATE → TIMESTAMP, and structural
/// coercion of ARRAY, MAP and STRUCT; the common type of an expression list (CASE, COALESCE, IN, ARRAY[...],
/// MAP(...)); the result types of DECIMAL arithmetic; and the looser rules for STRING literals.
/// </summary>
public static class SqlCoercion
{
    public static readonly SqlDecimalType IntegerAsDecimal = new(10, 0);
    public static readonly SqlDecimalType BigIntAsDecimal = new(19, 0);

    /// <summary>True when a value of <paramref name="from"/> may be used where <paramref name="to"/> is expected without a CAST.</summary>
    public static bool CanImplicitlyCast(SqlType from, SqlType to)
    {
        if (from.Equals(to))
        {
            return true;
        }

        if (from.IsNumeric && to.IsNumeric)
        {
            return Rank(from.BaseType) <= Rank(to.BaseType);
        }

        return (from, to) switch
        {
            ({ BaseType: SqlBaseType.Date }, { BaseType: SqlBaseType.Timestamp }) => true,
            (SqlArrayType a, SqlArrayType b) => CanImplicitlyCast(a.ElementType, b.ElementType),
            (SqlMapType a, SqlMapType b) => CanImplicitlyCast(a.KeyType, b.KeyType) && CanImplicitlyCast(a.ValueType, b.ValueType),
            (SqlStructType a, SqlStructType b) => b.Fields.All(f => a.Field(f.Name) is not { } s || CanImplicitlyCast(s.Type, f.Type)),
            _ => false,
        };
    }

    /// <summary>
    /// A converter applying the implicit coercion at run time (e.g. an INTEGER value where a BIGINT is expected);
    /// identity when the types are equal. Call at plan time.
    /// </summary>
    /// <exception cref="InvalidCastException">The types are not implicitly compatible.</exception>
    public static Func<object?, object?> CreateCoercer(SqlType from, SqlType to)
    {
        if (!CanImplicitlyCast(from, to))
        {
            throw new InvalidCastException($"Can't coerce {from} to {to}");
        }

        return SqlCast.CreateConverter(from, to);
    }

    /// <summary>The DECIMAL type holding every value of a numeric type: INTEGER → DECIMAL(10, 0), BIGINT → DECIMAL(19, 0).</summary>
    public static SqlDecimalType ToDecimalType(SqlType numeric) => numeric switch
    {
        SqlDecimalType d => d,
        { BaseType: SqlBaseType.Integer } => IntegerAsDecimal,
        { BaseType: SqlBaseType.BigInt } => BigIntAsDecimal,
        _ => throw new ArgumentException($"Cannot convert {numeric} to a DECIMAL type.", nameof(numeric)),
    };

    /// <summary>The narrower DECIMAL that holds both: max integer digits + max scale.</summary>
    public static SqlDecimalType WidenDecimal(SqlDecimalType a, SqlDecimalType b)
    {
        var whole = Math.Max(a.Precision - a.Scale, b.Precision - b.Scale);
        var scale = Math.Max(a.Scale, b.Scale);
        return new SqlDecimalType(whole + scale, scale);
    }

    /// <summary>The wider of two numeric types (DOUBLE wins; then DECIMAL, widened; then BIGINT; then INTEGER).</summary>
    public static SqlType WidenNumeric(SqlType a, SqlType b)
    {
        if (!a.IsNumeric || !b.IsNumeric)
        {
            throw new ArgumentException($"Both types must be numeric: {a}, {b}");
        }

        if (a.BaseType == SqlBaseType.Double || b.BaseType == SqlBaseType.Double)
        {
            return SqlTypes.Double;
        }

        if (a.BaseType == SqlBaseType.Decimal || b.BaseType == SqlBaseType.Decimal)
        {
            return WidenDecimal(ToDecimalType(a), ToDecimalType(b));
        }

        return a.BaseType == SqlBaseType.BigInt || b.BaseType == SqlBaseType.BigInt ? SqlTypes.BigInt : SqlTypes.Integer;
    }

    /// <summary>
    /// The common type of an expression list, following ksqlDB: NULLs (null entries) are skipped; the first non-null
    /// type decides the kind and every other type must coerce to it — numbers widen to a type that holds them all,
    /// ARRAY/MAP element types are combined recursively, STRUCTs combine into the superset of their fields (first
    /// struct's field order, new fields appended). Returns false when the types are incompatible; true with a null
    /// result when every entry is null.
    /// </summary>
    public static bool TryGetCommonType(IEnumerable<SqlType?> types, out SqlType? common)
    {
        common = null;
        foreach (var type in types)
        {
            if (type is null)
            {
                continue;
            }

            if (common is null)
            {
                common = type;
                continue;
            }

            var next = Combine(common, type);
            if (next is null)
            {
                common = null;
                return false;
            }

            common = next;
        }

        return true;
    }

    /// <summary>The DECIMAL result type of an arithmetic operator (ksqlDB's rules).</summary>
    public static SqlDecimalType DecimalResultType(ArithmeticOperator op, SqlDecimalType left, SqlDecimalType right)
    {
        int p1 = left.Precision, s1 = left.Scale, p2 = right.Precision, s2 = right.Scale;
        return op switch
        {
            ArithmeticOperator.Add or ArithmeticOperator.Subtract =>
                new SqlDecimalType(Math.Max(s1, s2) + Math.Max(p1 - s1, p2 - s2) + 1, Math.Max(s1, s2)),
            ArithmeticOperator.Multiply => new SqlDecimalType(p1 + p2 + 1, s1 + s2),
            ArithmeticOperator.Divide =>
                new SqlDecimalType(p1 - s1 + s2 + Math.Max(6, s1 + p2 + 1), Math.Max(6, s1 + p2 + 1)),
            ArithmeticOperator.Modulus =>
                new SqlDecimalType(Math.Min(p1 - s1, p2 - s2) + Math.Max(s1, s2), Math.Max(s1, s2)),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
    }

    /// <summary>
    /// A BOOLEAN literal from text: <c>true</c>, <c>false</c>, <c>yes</c>, <c>no</c>, or a prefix of one of them
    /// (<c>t</c>, <c>fal</c>, <c>y</c>), ignoring case.
    /// </summary>
    public static bool TryParseBooleanLiteral(string text, out bool value)
    {
        var t = text.Trim();
        if (t.Length > 0)
        {
            if (IsPrefixOf(t, "true") || IsPrefixOf(t, "yes"))
            {
                value = true;
                return true;
            }

            if (IsPrefixOf(t, "false") || IsPrefixOf(t, "no"))
            {
                value = false;
                return true;
            }
        }

        value = false;
        return false;
    }

    /// <summary>
    /// The narrowest numeric type of a number in a STRING literal: INTEGER or BIGINT for whole numbers in range,
    /// DECIMAL(p, s) for other exact numbers, DOUBLE when only a double can hold it.
    /// </summary>
    /// <param name="contextType">The type named in the error message when the text is not a number.</param>
    /// <exception cref="FormatException"><c>invalid input syntax for type BIGINT: "not 10".</c></exception>
    public static SqlType NumericTypeOfLiteral(string text, SqlType contextType)
    {
        var t = text.Trim();
        if (DecimalValues.TryParse(t, out var m))
        {
            if (m.Scale == 0)
            {
                if (m is >= int.MinValue and <= int.MaxValue)
                {
                    return SqlTypes.Integer;
                }

                if (m is >= long.MinValue and <= long.MaxValue)
                {
                    return SqlTypes.BigInt;
                }
            }

            return DecimalValues.TypeOf(m);
        }

        if (JavaDouble.TryParse(t, out _))
        {
            return SqlTypes.Double;
        }

        throw CastFunctions.InvalidText(text, contextType.BaseType);
    }

    /// <summary>
    /// Converts a STRING literal to a value of <paramref name="target"/> under the literal rules: numbers for numeric
    /// types (must fit), the boolean words for BOOLEAN, ISO-8601 text for TIMESTAMP, DATE and TIME.
    /// </summary>
    /// <exception cref="FormatException">ksqlDB's <c>invalid input syntax for type X: "text".</c></exception>
    public static object? CoerceStringLiteral(string text, SqlType target)
    {
        try
        {
            switch (target)
            {
                case { BaseType: SqlBaseType.String }:
                    return text;
                case { BaseType: SqlBaseType.Boolean }:
                    return TryParseBooleanLiteral(text, out var b) ? b : throw CastFunctions.InvalidText(text, SqlBaseType.Boolean);
                case { BaseType: SqlBaseType.Integer or SqlBaseType.BigInt }:
                    {
                        if (!DecimalValues.TryParse(text.Trim(), out var m) || decimal.Truncate(m) != m)
                        {
                            throw CastFunctions.InvalidText(text, target.BaseType);
                        }

                        if (target.BaseType == SqlBaseType.Integer)
                        {
                            return m is >= int.MinValue and <= int.MaxValue ? (int)m : throw CastFunctions.InvalidText(text, target.BaseType);
                        }

                        return m is >= long.MinValue and <= long.MaxValue ? (long)m : throw CastFunctions.InvalidText(text, target.BaseType);
                    }

                case SqlDecimalType d:
                    return DecimalValues.TryParse(text.Trim(), out var dec)
                        ? DecimalValues.Cast(dec, d.Precision, d.Scale)
                        : throw CastFunctions.InvalidText(text, SqlBaseType.Decimal);
                case { BaseType: SqlBaseType.Double }:
                    return JavaDouble.TryParse(text, out var dbl) ? dbl : throw CastFunctions.InvalidText(text, SqlBaseType.Double);
                case { BaseType: SqlBaseType.Timestamp }:
                    return TemporalValues.ParseTimestamp(text.Trim());
                case { BaseType: SqlBaseType.Date }:
                    return TemporalValues.ParseDate(text.Trim());
                case { BaseType: SqlBaseType.Time }:
                    return TemporalValues.ParseTime(text.Trim());
                default:
                    throw CastFunctions.InvalidText(text, target.BaseType);
            }
        }
        catch (OverflowException e)
        {
            throw new FormatException($"invalid input syntax for type {target.BaseType.SqlName()}: \"{text}\". {e.Message}", e);
        }
    }

    private static SqlType? Combine(SqlType first, SqlType other)
    {
        if (first.Equals(other))
        {
            return first;
        }

        if (first.IsNumeric)
        {
            return other.IsNumeric ? WidenNumeric(first, other) : null;
        }

        switch (first)
        {
            case { BaseType: SqlBaseType.Timestamp }:
                return other.BaseType == SqlBaseType.Date ? first : null;
            case SqlArrayType a when other is SqlArrayType b:
                return Combine(a.ElementType, b.ElementType) is { } e ? new SqlArrayType(e) : null;
            case SqlMapType a when other is SqlMapType b:
                return Combine(a.KeyType, b.KeyType) is { } k && Combine(a.ValueType, b.ValueType) is { } v ? new SqlMapType(k, v) : null;
            case SqlStructType a when other is SqlStructType b:
                {
                    var fields = ImmutableArray.CreateBuilder<SqlField>(a.Fields.Length + b.Fields.Length);
                    foreach (var f in a.Fields)
                    {
                        var match = b.Field(f.Name);
                        if (match is null)
                        {
                            fields.Add(f);
                        }
                        else if (Combine(f.Type, match.Type) is { } t)
                        {
                            fields.Add(new SqlField(f.Name, t));
                        }
                        else
                        {
                            return null;
                        }
                    }

                    foreach (var f in b.Fields)
                    {
                        if (a.IndexOf(f.Name) < 0)
                        {
                            fields.Add(f);
                        }
                    }

                    return new SqlStructType(fields.ToImmutable());
                }

            default:
                return null;
        }
    }

    private static int Rank(SqlBaseType type) => type switch
    {
        SqlBaseType.Integer => 0,
        SqlBaseType.BigInt => 1,
        SqlBaseType.Decimal => 2,
        SqlBaseType.Double => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static bool IsPrefixOf(string text, string word) =>
        text.Length <= word.Length && word.StartsWith(text, StringComparison.OrdinalIgnoreCase);
}
