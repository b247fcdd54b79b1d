using System.Linq.Expressions;
using System.Reflection;
using Rhei.Formats.Types;

namespace Rhei.Formats.Conversion;

/// <summary>
/// ksqlDB's CAST: which casts exist (<see cref="CanCast"/>) and their implementations as expression trees
/// (<see cref="BuildExpression"/>) or boxed delegates (<see cref="CreateConverter"/>).
/// <para>Supported: any type but BYTES to STRING; STRING to BOOLEAN, INTEGER, BIGINT, DECIMAL, DOUBLE, DATE, TIME,
/// TIMESTAMP; numeric to numeric; TIMESTAMP to DATE and TIME; DATE to TIMESTAMP; a type to itself; ARRAY to ARRAY,
/// MAP to MAP and STRUCT to STRUCT when the element, key/value and common-field types can be cast.</para>
/// </summary>
public static class SqlCast
{
    private static readonly MethodInfo ArrayToArrayMethod = Method(nameof(CastFunctions.ArrayToArray));
    private static readonly MethodInfo MapToMapMethod = Method(nameof(CastFunctions.MapToMap));
    private static readonly MethodInfo StructToStructMethod = Method(nameof(CastFunctions.StructToStruct));
    private static readonly MethodInfo ComplexToStringMethod = Method(nameof(CastFunctions.ComplexToString));

    public static bool CanCast(SqlType from, SqlType to)
    {
        if (from.Equals(to))
        {
            return true;
        }

        var f = from.BaseType;
        var t = to.BaseType;
        if (t == SqlBaseType.String)
        {
            return f != SqlBaseType.Bytes;
        }

        if (from.IsNumeric && to.IsNumeric)
        {
            return true;
        }

        return (f, t) switch
        {
            (SqlBaseType.String, SqlBaseType.Boolean or SqlBaseType.Integer or SqlBaseType.BigInt or SqlBaseType.Double
                or SqlBaseType.Decimal or SqlBaseType.Date or SqlBaseType.Time or SqlBaseType.Timestamp) => true,
            (SqlBaseType.Timestamp, SqlBaseType.Date or SqlBaseType.Time) => true,
            (SqlBaseType.Date, SqlBaseType.Timestamp) => true,
            (SqlBaseType.Array, SqlBaseType.Array) =>
                CanCast(((SqlArrayType)from).ElementType, ((SqlArrayType)to).ElementType),
            (SqlBaseType.Map, SqlBaseType.Map) =>
                CanCast(((SqlMapType)from).KeyType, ((SqlMapType)to).KeyType) &&
                CanCast(((SqlMapType)from).ValueType, ((SqlMapType)to).ValueType),
            (SqlBaseType.Struct, SqlBaseType.Struct) => CanCastFields((SqlStructType)from, (SqlStructType)to),
            _ => f == t && from.IsPrimitive,
        };
    }

    /// <summary>ksqlDB's message for an unsupported cast: <c>Cast of STRING to ARRAY&lt;INTEGER&gt; is not supported</c>.</summary>
    public static string NotSupportedMessage(SqlType from, SqlType to) => $"Cast of {from} to {to} is not supported";

    public static void EnsureCanCast(SqlType from, SqlType to)
    {
        if (!CanCast(from, to))
        {
            throw new NotSupportedException(NotSupportedMessage(from, to));
        }
    }

    /// <summary>
    /// An expression that casts <paramref name="value"/> from <paramref name="from"/> to <paramref name="to"/>.
    /// <paramref name="value"/> is typed either <see cref="object"/> (a boxed value or null) or the nullable CLR type of
    /// <paramref name="from"/> (<c>int?</c>, <c>string</c>, <c>decimal?</c>, ...); the result is typed with the
    /// nullable CLR type of <paramref name="to"/> (<see cref="SqlBaseTypeNames.NullableClrType"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">The cast does not exist.</exception>
    public static Expression BuildExpression(Expression value, SqlType from, SqlType to)
    {
        EnsureCanCast(from, to);
        var fromClr = from.NullableClrType();
        var toClr = to.NullableClrType();
        if (value.Type != fromClr)
        {
            value = Expression.Convert(value, fromClr);
        }

        if (from.Equals(to) && to is not SqlDecimalType)
        {
            return value;
        }

        if (to.BaseType == SqlBaseType.String && !from.IsPrimitive)
        {
            return Expression.Call(ComplexToStringMethod, Expression.Convert(value, typeof(object)));
        }

        switch (to)
        {
            case SqlArrayType toArray:
                return Expression.Call(
                    ArrayToArrayMethod,
                    value,
                    Expression.Constant(CreateConverter(((SqlArrayType)from).ElementType, toArray.ElementType)));
            case SqlMapType toMap:
                {
                    var fromMap = (SqlMapType)from;
                    return Expression.Call(
                        MapToMapMethod,
                        value,
                        Expression.Constant(CreateConverter(fromMap.KeyType, toMap.KeyType)),
                        Expression.Constant(CreateConverter(fromMap.ValueType, toMap.ValueType)));
                }

            case SqlStructType toStruct:
                {
                    var fromStruct = (SqlStructType)from;
                    var indexes = new int[toStruct.Fields.Length];
                    var converters = new Func<object?, object?>[toStruct.Fields.Length];
                    for (var i = 0; i < indexes.Length; i++)
                    {
                        var field = toStruct.Fields[i];
                        indexes[i] = fromStruct.IndexOf(field.Name);
                        converters[i] = indexes[i] < 0
                            ? static _ => null
                            : CreateConverter(fromStruct.Fields[indexes[i]].Type, field.Type);
                    }

                    return Expression.Call(
                        StructToStructMethod,
                        value,
                        Expression.Constant(toStruct),
                        Expression.Constant(indexes),
                        Expression.Constant(converters));
                }
        }

        var method = Method($"{Name(from.BaseType)}To{Name(to.BaseType)}");
        var call = to is SqlDecimalType d
            ? Expression.Call(method, value, Expression.Constant(d.Precision), Expression.Constant(d.Scale))
            : Expression.Call(method, value);
        return call.Type == toClr ? call : Expression.Convert(call, toClr);
    }

    /// <summary>
    /// A boxed converter for the cast (for interpreters, nested collection elements and tests). Compiles an
    /// expression once; call it at plan time, not per record.
    /// </summary>
    public static Func<object?, object?> CreateConverter(SqlType from, SqlType to)
    {
        EnsureCanCast(from, to);
        if (from.Equals(to) && to is not SqlDecimalType)
        {
            return static v => v;
        }

        var parameter = Expression.Parameter(typeof(object), "value");
        var body = BuildExpression(parameter, from, to);
        return Expression.Lambda<Func<object?, object?>>(Expression.Convert(body, typeof(object)), parameter).Compile();
    }

    /// <summary>The <see cref="CastFunctions"/> method for a primitive cast, or null (e.g. for complex types).</summary>
    public static MethodInfo? FindMethod(SqlBaseType from, SqlBaseType to) =>
        typeof(CastFunctions).GetMethod($"{Name(from)}To{Name(to)}", BindingFlags.Public | BindingFlags.Static);

    private static bool CanCastFields(SqlStructType from, SqlStructType to)
    {
        foreach (var field in to.Fields)
        {
            var source = from.Field(field.Name);
            if (source is not null && !CanCast(source.Type, field.Type))
            {
                return false;
            }
        }

        return true;
    }

    private static string Name(SqlBaseType type) => type switch
    {
        SqlBaseType.BigInt => "BigInt",
        _ => type.ToString(),
    };

    private static MethodInfo Method(string name) =>
        typeof(CastFunctions).GetMethod(name, BindingFlags.Public | BindingFlags.Static)
        ?? throw new InvalidOperationException($"CastFunctions.{name} is missing.");
}
