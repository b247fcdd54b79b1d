using System.Collections.Immutable;
using System.Globalization;
using Rhei.Formats.Conversion;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Binding;

/// <summary>
/// ksqlDB's implicit coercion over bound expressions: the general rules (numeric widening, DATE to TIMESTAMP,
/// element-wise ARRAY/MAP, field-wise STRUCT) plus the literal rules (any literal becomes a STRING; a STRING literal
/// becomes a number, BOOLEAN, DATE, TIME or TIMESTAMP when its text is one), applied through ARRAY, MAP and STRUCT
/// constructors. Used for expression lists (IN, CASE, ARRAY[...], MAP(...)), function arguments and comparisons.
/// </summary>
internal static class Coercion
{
    /// <summary>
    /// The common type of an expression list: the first typed item decides the kind, each further item must coerce
    /// to it (numbers widen, structs gain fields). Untyped NULLs are skipped; null when every item is NULL.
    /// </summary>
    /// <param name="items">The expressions, in order.</param>
    /// <param name="mismatch">Builds the error for an item that does not coerce to the type so far.</param>
    /// <exception cref="SqlBindingException">An item does not coerce, or a STRING literal is not a valid value.</exception>
    public static SqlType? CommonType(IReadOnlyList<BoundExpression> items, Func<SqlType, BoundExpression, SqlBindingException> mismatch)
    {
        SqlType? common = null;
        foreach (var item in items)
        {
            if (item.Type is null)
            {
                continue;
            }

            if (common is null)
            {
                common = item.Type;
                continue;
            }

            common = Combine(common, item) ?? throw mismatch(common, item);
        }

        return common;
    }

    /// <summary>True for a constant written as a literal (possibly already coerced).</summary>
    public static bool IsLiteral(BoundExpression e) => e is BoundLiteral;

    /// <summary>True for a STRING literal that has not been coerced to another type.</summary>
    public static bool IsStringLiteral(BoundExpression e, out string text)
    {
        if (e is BoundLiteral { Value: string s, Type.BaseType: SqlBaseType.String })
        {
            text = s;
            return true;
        }

        text = "";
        return false;
    }

    /// <summary>The type both <paramref name="current"/> and the item coerce to, or null when there is none.</summary>
    /// <exception cref="SqlBindingException">A STRING literal in a numeric, BOOLEAN or temporal position is not valid text.</exception>
    public static SqlType? Combine(SqlType current, BoundExpression item)
    {
        var type = item.Type;
        if (type is null || item is BoundLiteral { Value: null } || current.Equals(type) && item is not (BoundCreateArray or BoundCreateMap or BoundCreateStruct))
        {
            return current;
        }

        switch (current.BaseType)
        {
            case SqlBaseType.String:
                return type.BaseType == SqlBaseType.String || (IsLiteral(item) && type.IsPrimitive) ? current : null;
            case SqlBaseType.Integer or SqlBaseType.BigInt or SqlBaseType.Decimal or SqlBaseType.Double:
                if (type.IsNumeric)
                {
                    return SqlCoercion.WidenNumeric(current, type);
                }

                return IsStringLiteral(item, out var number) ? SqlCoercion.WidenNumeric(current, NumericTypeOfLiteral(number, current)) : null;
            case SqlBaseType.Boolean:
                if (IsStringLiteral(item, out var word))
                {
                    return SqlCoercion.TryParseBooleanLiteral(word, out _) ? current : throw InvalidText(word, current);
                }

                return null;
            case SqlBaseType.Date or SqlBaseType.Time or SqlBaseType.Timestamp:
                if (IsStringLiteral(item, out var when))
                {
                    ParseLiteral(when, current);
                    return current;
                }

                return CombineTypes(current, type);
            case SqlBaseType.Array when current is SqlArrayType a && type is SqlArrayType b:
                {
                    SqlType? element = a.ElementType;
                    if (item is BoundCreateArray ctor)
                    {
                        foreach (var e in ctor.Elements)
                        {
                            element = element is null ? null : Combine(element, e);
                        }
                    }
                    else
                    {
                        element = CombineTypes(a.ElementType, b.ElementType);
                    }

                    return element is null ? null : SqlTypes.Array(element);
                }

            case SqlBaseType.Map when current is SqlMapType a && type is SqlMapType b:
                {
                    SqlType? key = a.KeyType;
                    SqlType? value = a.ValueType;
                    if (item is BoundCreateMap ctor)
                    {
                        for (var i = 0; i < ctor.Keys.Count; i++)
                        {
                            key = key is null ? null : Combine(key, ctor.Keys[i]);
                            value = value is null ? null : Combine(value, ctor.Values[i]);
                        }
                    }
                    else
                    {
                        key = CombineTypes(a.KeyType, b.KeyType);
                        value = CombineTypes(a.ValueType, b.ValueType);
                    }

                    return key is null || value is null ? null : SqlTypes.Map(key, value);
                }

            case SqlBaseType.Struct when current is SqlStructType a && type is SqlStructType b:
                {
                    var fields = ImmutableArray.CreateBuilder<SqlField>();
                    fields.AddRange(a.Fields);
                    for (var i = 0; i < b.Fields.Length; i++)
                    {
                        var field = b.Fields[i];
                        var at = a.IndexOf(field.Name);
                        if (at < 0)
                        {
                            fields.Add(field);
                            continue;
                        }

                        var combined = item is BoundCreateStruct ctor
                            ? Combine(a.Fields[at].Type, ctor.Values[i])
                            : CombineTypes(a.Fields[at].Type, field.Type);
                        if (combined is null)
                        {
                            return null;
                        }

                        fields[at] = new SqlField(field.Name, combined);
                    }

                    return new SqlStructType(fields.ToImmutable());
                }

            default:
                return null;
        }
    }

    /// <summary>The common type of two types under the general (non-literal) rules, or null.</summary>
    public static SqlType? CombineTypes(SqlType a, SqlType b)
    {
        if (a.Equals(b))
        {
            return a;
        }

        if (a.IsNumeric && b.IsNumeric)
        {
            return SqlCoercion.WidenNumeric(a, b);
        }

        switch (a)
        {
            case { BaseType: SqlBaseType.Timestamp } when b.BaseType == SqlBaseType.Date:
                return a;
            case { BaseType: SqlBaseType.Date } when b.BaseType == SqlBaseType.Timestamp:
                return b;
            case SqlArrayType x when b is SqlArrayType y:
                return CombineTypes(x.ElementType, y.ElementType) is { } e ? SqlTypes.Array(e) : null;
            case SqlMapType x when b is SqlMapType y:
                return CombineTypes(x.KeyType, y.KeyType) is { } k && CombineTypes(x.ValueType, y.ValueType) is { } v ? SqlTypes.Map(k, v) : null;
            case SqlStructType x when b is SqlStructType y:
                {
                    var fields = ImmutableArray.CreateBuilder<SqlField>();
                    fields.AddRange(x.Fields);
                    foreach (var field in y.Fields)
                    {
                        var at = x.IndexOf(field.Name);
                        if (at < 0)
                        {
                            fields.Add(field);
                        }
                        else if (CombineTypes(x.Fields[at].Type, field.Type) is { } t)
                        {
                            fields[at] = new SqlField(field.Name, t);
                        }
                        else
                        {
                            return null;
                        }
                    }

                    return new SqlStructType(fields.ToImmutable());
                }

            default:
                return null;
        }
    }

    /// <summary>True when <see cref="Coerce"/> would succeed without looking at literal text.</summary>
    public static bool CanCoerce(BoundExpression e, SqlType target) =>
        e.Type is null || e.Type.Equals(target) || Combine(target, e) is { } t && t.Equals(target) || SqlCoercion.CanImplicitlyCast(e.Type, target);

    /// <summary>
    /// Converts <paramref name="e"/> to <paramref name="target"/>: literals are converted now (a STRING literal parsed,
    /// a number widened, any literal turned into text for a STRING target), constructors element by element, other
    /// expressions wrapped in an implicit <see cref="BoundCast"/>.
    /// </summary>
    /// <exception cref="SqlBindingException">The expression cannot be coerced, or a literal's text is not a valid value.</exception>
    public static BoundExpression Coerce(BoundExpression e, SqlType target)
    {
        var type = e.Type;
        if (type is null)
        {
            return new BoundLiteral(null, target) { Text = e.ToSql(), Position = e.Position };
        }

        if (type.Equals(target))
        {
            return e;
        }

        switch (e)
        {
            case BoundLiteral literal:
                if (ConvertLiteral(literal, target) is { } converted)
                {
                    return converted;
                }

                break;
            case BoundCreateArray array when target is SqlArrayType at:
                return new BoundCreateArray([.. array.Elements.Select(x => Coerce(x, at.ElementType))], at) { Position = e.Position };
            case BoundCreateMap map when target is SqlMapType mt:
                return new BoundCreateMap(
                    [.. map.Keys.Select(x => Coerce(x, mt.KeyType))],
                    [.. map.Values.Select(x => Coerce(x, mt.ValueType))],
                    mt)
                { Position = e.Position };
            case BoundCreateStruct ctor when target is SqlStructType st:
                {
                    var source = (SqlStructType)ctor.Type!;
                    var values = new BoundExpression[st.Fields.Length];
                    for (var i = 0; i < values.Length; i++)
                    {
                        var at = source.IndexOf(st.Fields[i].Name);
                        values[i] = at < 0 ? new BoundLiteral(null, st.Fields[i].Type) : Coerce(ctor.Values[at], st.Fields[i].Type);
                    }

                    return new BoundCreateStruct([.. values], st) { Position = e.Position };
                }
        }

        if (SqlCoercion.CanImplicitlyCast(type, target))
        {
            return new BoundCast(e, target, IsImplicit: true) { Position = e.Position };
        }

        throw new SqlBindingException($"Cannot coerce {e.ToSql()} ({type}) to {target}.", e.Position);
    }

    /// <summary>The narrowest numeric type of a number written in a STRING literal (an exponent or point makes it DECIMAL).</summary>
    public static SqlType NumericTypeOfLiteral(string text, SqlType context)
    {
        var t = text.Trim();
        var integral = t.Length > 0 && t.AsSpan(t[0] is '-' or '+' ? 1 : 0).IndexOfAnyExceptInRange('0', '9') < 0 && t.Length > (t[0] is '-' or '+' ? 1 : 0);
        if (integral)
        {
            if (int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                return SqlTypes.Integer;
            }

            if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                return SqlTypes.BigInt;
            }
        }

        if (DecimalValues.TryParse(t, out var m))
        {
            return LiteralDecimalType(m);
        }

        if (JavaDouble.TryParse(t, out _))
        {
            return SqlTypes.Double;
        }

        throw InvalidText(text, context);
    }

    /// <summary>ksqlDB's type of a DECIMAL literal: scale as written; precision from the digits, or scale + 1 between -1 and 1.</summary>
    public static SqlDecimalType LiteralDecimalType(decimal value)
    {
        var scale = value.Scale;
        var precision = value is > -1m and < 1m ? scale + 1 : Math.Max(DecimalValues.Precision(value), scale);
        return SqlTypes.Decimal(Math.Max(precision, 1), scale);
    }

    /// <summary>ksqlDB's error for literal text that is not a value of the type.</summary>
    public static SqlBindingException InvalidText(string text, SqlType type) =>
        new($"invalid input syntax for type {type.BaseType.SqlName()}: \"{text}\".");

    private static object? ParseLiteral(string text, SqlType target)
    {
        try
        {
            return SqlCoercion.CoerceStringLiteral(text, target);
        }
        catch (FormatException ex)
        {
            if (target.BaseType is SqlBaseType.Date or SqlBaseType.Time or SqlBaseType.Timestamp)
            {
                throw new SqlBindingException(ex.Message, default, ex);
            }

            throw InvalidText(text, target);
        }
    }

    private static BoundLiteral? ConvertLiteral(BoundLiteral literal, SqlType target)
    {
        var text = literal.Text ?? literal.ToSql();
        var value = literal.Value;
        if (value is null)
        {
            return new BoundLiteral(null, target) { Text = text, Position = literal.Position };
        }

        object? converted;
        if (literal.Type!.BaseType == SqlBaseType.String && value is string s)
        {
            converted = ParseLiteral(s, target);
        }
        else if (target.BaseType == SqlBaseType.String && literal.Type.IsPrimitive)
        {
            converted = SqlValueText.ToJavaString(value);
        }
        else if (target.IsNumeric && literal.Type.IsNumeric && SqlCoercion.CanImplicitlyCast(literal.Type, target))
        {
            converted = ConvertNumber(value, target);
        }
        else if (target.BaseType == SqlBaseType.Timestamp && value is DateOnly date)
        {
            converted = TemporalValues.StartOfDay(date);
        }
        else
        {
            return null;
        }

        return new BoundLiteral(converted, target) { Text = text, Position = literal.Position };
    }

    private static object ConvertNumber(object value, SqlType target) => (value, target) switch
    {
        (int i, { BaseType: SqlBaseType.BigInt }) => (long)i,
        (int i, { BaseType: SqlBaseType.Double }) => (double)i,
        (long l, { BaseType: SqlBaseType.Double }) => (double)l,
        (decimal m, { BaseType: SqlBaseType.Double }) => DecimalValues.ToDouble(m),
        (int i, SqlDecimalType d) => DecimalValues.Cast(i, d.Precision, d.Scale),
        (long l, SqlDecimalType d) => DecimalValues.Cast(l, d.Precision, d.Scale),
        (decimal m, SqlDecimalType d) => DecimalValues.Cast(m, d.Precision, d.Scale),
        _ => value,
    };
}
