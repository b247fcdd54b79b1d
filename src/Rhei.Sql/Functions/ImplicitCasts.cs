using Rhei.Formats.Types;

namespace Rhei.Sql.Functions;

/// <summary>
/// The implicit conversions overload resolution may apply, as ksqlDB does: numeric widening
/// INT → BIGINT → DECIMAL → DOUBLE (INT becomes DECIMAL(10, 0), BIGINT DECIMAL(19, 0)), and string
/// literals to DATE, TIME and TIMESTAMP.
/// </summary>
public static class ImplicitCasts
{
    /// <summary>Largest DECIMAL precision ksqlDB allows.</summary>
    public const int MaxDecimalPrecision = 38;

    private static int NumericRank(SqlBaseType t) => t switch
    {
        SqlBaseType.Integer => 0,
        SqlBaseType.BigInt => 1,
        SqlBaseType.Decimal => 2,
        SqlBaseType.Double => 3,
        _ => -1,
    };

    /// <summary>True when a value of <paramref name="from"/> may be passed where <paramref name="to"/> is declared.</summary>
    public static bool CanCast(SqlType from, SqlBaseType to, bool isStringLiteral)
    {
        if (from.BaseType == to)
        {
            return true;
        }

        var rf = NumericRank(from.BaseType);
        var rt = NumericRank(to);
        if (rf >= 0 && rt >= 0)
        {
            return rf <= rt;
        }

        return isStringLiteral && from.BaseType == SqlBaseType.String
            && to is SqlBaseType.Date or SqlBaseType.Time or SqlBaseType.Timestamp;
    }

    /// <summary>The type a value of <paramref name="from"/> becomes when passed as <paramref name="to"/>.</summary>
    public static SqlType CastTarget(SqlType from, SqlBaseType to)
    {
        if (from.BaseType == to)
        {
            return from;
        }

        return to switch
        {
            SqlBaseType.Decimal => AsDecimal(from),
            _ => Primitive(to),
        };
    }

    /// <summary>An INT, BIGINT or DECIMAL type as a DECIMAL type (INT → DECIMAL(10, 0), BIGINT → DECIMAL(19, 0)).</summary>
    public static SqlDecimalType AsDecimal(SqlType type) => type switch
    {
        SqlDecimalType d => d,
        { BaseType: SqlBaseType.Integer } => SqlTypes.Decimal(10, 0),
        { BaseType: SqlBaseType.BigInt } => SqlTypes.Decimal(19, 0),
        _ => throw new ArgumentException($"{type} is not an exact numeric type.", nameof(type)),
    };

    /// <summary>The smallest DECIMAL type that holds every value of both (capped at precision 38).</summary>
    public static SqlDecimalType WidenDecimal(SqlDecimalType a, SqlDecimalType b)
    {
        var scale = Math.Max(a.Scale, b.Scale);
        var integral = Math.Max(a.Precision - a.Scale, b.Precision - b.Scale);
        return SqlTypes.Decimal(Math.Min(integral + scale, MaxDecimalPrecision), scale);
    }

    /// <summary>The primitive type instance for a base type without parameters.</summary>
    public static SqlType Primitive(SqlBaseType baseType) => baseType switch
    {
        SqlBaseType.Boolean => SqlTypes.Boolean,
        SqlBaseType.Integer => SqlTypes.Integer,
        SqlBaseType.BigInt => SqlTypes.BigInt,
        SqlBaseType.Double => SqlTypes.Double,
        SqlBaseType.String => SqlTypes.String,
        SqlBaseType.Bytes => SqlTypes.Bytes,
        SqlBaseType.Date => SqlTypes.Date,
        SqlBaseType.Time => SqlTypes.Time,
        SqlBaseType.Timestamp => SqlTypes.Timestamp,
        _ => throw new ArgumentException($"{baseType} needs parameters.", nameof(baseType)),
    };

    /// <summary>
    /// The common type of several argument types bound to one generic when implicit casts are allowed:
    /// equal types; numeric types widened; DATE/TIME/TIMESTAMP absorbing string literals; element-wise
    /// for arrays and maps. Null when there is none.
    /// </summary>
    public static SqlType? CommonType(IReadOnlyList<(SqlType Type, bool IsStringLiteral)> observed)
    {
        SqlType? result = null;
        var sawStringLiteral = false;
        foreach (var (type, isLiteral) in observed)
        {
            if (isLiteral && type.BaseType == SqlBaseType.String)
            {
                sawStringLiteral = true;
                continue;
            }

            result = result is null ? type : Common(result, type);
            if (result is null)
            {
                return null;
            }
        }

        if (result is null)
        {
            return sawStringLiteral ? SqlTypes.String : null;
        }

        if (sawStringLiteral && result.BaseType is not (SqlBaseType.String or SqlBaseType.Date or SqlBaseType.Time or SqlBaseType.Timestamp))
        {
            return null;
        }

        return result;
    }

    private static SqlType? Common(SqlType a, SqlType b)
    {
        if (a.Equals(b))
        {
            return a;
        }

        var ra = NumericRank(a.BaseType);
        var rb = NumericRank(b.BaseType);
        if (ra >= 0 && rb >= 0)
        {
            if (ra == 3 || rb == 3)
            {
                return SqlTypes.Double;
            }

            if (ra == 2 || rb == 2)
            {
                return WidenDecimal(AsDecimal(a), AsDecimal(b));
            }

            return ra > rb ? a : b;
        }

        return (a, b) switch
        {
            (SqlArrayType x, SqlArrayType y) => Common(x.ElementType, y.ElementType) is { } e ? SqlTypes.Array(e) : null,
            (SqlMapType x, SqlMapType y) when Common(x.KeyType, y.KeyType) is { } k && Common(x.ValueType, y.ValueType) is { } v => SqlTypes.Map(k, v),
            _ => null,
        };
    }
}
