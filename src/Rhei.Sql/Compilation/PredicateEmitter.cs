using System.Linq.Expressions;
using System.Reflection;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using LinqExpression = System.Linq.Expressions.Expression;

namespace Rhei.Sql.Compilation;

/// <summary>
/// Conditions and conditional values: comparisons (false when an operand is NULL, as in ksqlDB), IS [NOT] DISTINCT
/// FROM, IS NULL, BETWEEN, LIKE, IN, AND/OR/NOT (three-valued as values, short-circuit as tests) and CASE.
/// </summary>
internal sealed class PredicateEmitter
{
    private static readonly MethodInfo CompareStringsMethod = ExpressionEmitter.Runtime(nameof(SqlRuntime.CompareStrings));
    private static readonly MethodInfo CompareBytesMethod = ExpressionEmitter.Runtime(nameof(SqlRuntime.CompareBytes));
    private static readonly MethodInfo ValueEqualsMethod = ExpressionEmitter.Runtime(nameof(SqlRuntime.ValueEquals));
    private static readonly MethodInfo StringEqualsMethod = typeof(string).GetMethod(nameof(string.Equals), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo LikeMatchMethod = typeof(LikePattern).GetMethod(nameof(LikePattern.IsMatch))!;
    private static readonly MethodInfo LikeCacheMatchMethod = typeof(LikePattern.Cache).GetMethod(nameof(LikePattern.Cache.IsMatch))!;
    private static readonly LinqExpression True = LinqExpression.Constant(true);
    private static readonly LinqExpression False = LinqExpression.Constant(false);

    private readonly ExpressionEmitter _emitter;

    public PredicateEmitter(ExpressionEmitter emitter) => _emitter = emitter;

    /// <summary>A plain bool that is true when the value of <paramref name="e"/> is TRUE (or FALSE, with
    /// <paramref name="wantTrue"/> false); NULL gives false either way.</summary>
    public LinqExpression EmitTest(BoundExpression e, bool wantTrue)
    {
        switch (e)
        {
            case BoundLiteral { Value: bool b }:
                return b == wantTrue ? True : False;
            case BoundLiteral { Value: null }:
                return False;
            case BoundNot not:
                return EmitTest(not.Operand, !wantTrue);
            case BoundLogical logical:
                {
                    var left = EmitTest(logical.Left, wantTrue);
                    var right = EmitTest(logical.Right, wantTrue);

                    // (a AND b) is TRUE when both are; FALSE when either is. Dually for OR.
                    return (logical.Operator == LogicalOperator.And) == wantTrue ? LinqExpression.AndAlso(left, right) : LinqExpression.OrElse(left, right);
                }

            case BoundComparison or BoundIsNull or BoundBetween or BoundLike or BoundIn:
                {
                    // These never yield NULL.
                    var test = EmitPredicate(e);
                    return wantTrue ? test : LinqExpression.Not(test);
                }

            default:
                {
                    var value = _emitter.Emit(e);
                    if (value.Type == typeof(object))
                    {
                        value = LinqExpression.Convert(value, typeof(bool?));
                    }

                    return LinqExpression.Equal(value, LinqExpression.Constant(wantTrue, typeof(bool?)));
                }
        }
    }

    /// <summary>AND / OR as a value: FALSE (AND) or TRUE (OR) wins, else NULL if an operand is NULL.</summary>
    public LinqExpression EmitLogicalValue(BoundLogical logical)
    {
        var decisive = logical.Operator == LogicalOperator.And ? false : true;
        var decided = LinqExpression.Constant(decisive, typeof(bool?));
        var left = LinqExpression.Variable(typeof(bool?), "left");
        var right = LinqExpression.Variable(typeof(bool?), "right");
        return LinqExpression.Block(
            typeof(bool?),
            [left, right],
            LinqExpression.Assign(left, _emitter.Emit(logical.Left)),
            LinqExpression.Condition(
                LinqExpression.Equal(left, decided),
                decided,
                LinqExpression.Block(
                    LinqExpression.Assign(right, _emitter.Emit(logical.Right)),
                    LinqExpression.Condition(
                        LinqExpression.Equal(right, decided),
                        decided,
                        LinqExpression.Condition(
                            LinqExpression.AndAlso(HasValue(left), HasValue(right)),
                            LinqExpression.Constant(!decisive, typeof(bool?)),
                            LinqExpression.Constant(null, typeof(bool?)))))));
    }

    /// <summary>CASE: the first WHEN that holds gives the result; none gives ELSE or NULL.</summary>
    public LinqExpression EmitCase(BoundCase @case, Type clr)
    {
        var variables = new List<ParameterExpression>();
        var body = new List<LinqExpression>();
        ParameterExpression? operand = null;
        if (@case.Operand is not null)
        {
            operand = LinqExpression.Variable(ExpressionEmitter.ClrOf(@case.Operand.Type), "operand");
            variables.Add(operand);
            body.Add(LinqExpression.Assign(operand, _emitter.Emit(@case.Operand)));
        }

        LinqExpression result = @case.Default is null ? LinqExpression.Constant(null, clr) : ExpressionEmitter.Convert(_emitter.Emit(@case.Default), clr);
        for (var i = @case.Whens.Count - 1; i >= 0; i--)
        {
            var when = @case.Whens[i];
            var condition = operand is null
                ? EmitTest(when.Operand, wantTrue: true)
                : Compare(ComparisonOperator.Equal, operand, _emitter.Emit(when.Operand), @case.Operand!.Type!);
            result = LinqExpression.Condition(condition, ExpressionEmitter.Convert(_emitter.Emit(when.Result), clr), result, clr);
        }

        if (operand is null)
        {
            return result;
        }

        body.Add(result);
        return LinqExpression.Block(clr, variables, body);
    }

    private LinqExpression EmitPredicate(BoundExpression e) => e switch
    {
        BoundComparison c => EmitComparison(c),
        BoundIsNull n => EmitIsNull(n),
        BoundBetween b => EmitBetween(b),
        BoundLike l => EmitLike(l),
        BoundIn i => EmitIn(i),
        _ => throw new InvalidOperationException(e.GetType().Name),
    };

    private LinqExpression EmitComparison(BoundComparison c)
    {
        var type = c.Left.Type!;
        var left = _emitter.Emit(c.Left);
        var right = _emitter.Emit(c.Right);
        if (c.Operator is ComparisonOperator.IsDistinctFrom or ComparisonOperator.IsNotDistinctFrom)
        {
            var same = NullSafeEquals(left, right, type);
            return c.Operator == ComparisonOperator.IsNotDistinctFrom ? same : LinqExpression.Not(same);
        }

        return Compare(c.Operator, left, right, type);
    }

    /// <summary>
    /// <paramref name="left"/> op <paramref name="right"/>, false when either is NULL. Operands are evaluated once each.
    /// </summary>
    internal LinqExpression Compare(ComparisonOperator op, LinqExpression left, LinqExpression right, SqlType type)
    {
        var variables = new List<ParameterExpression>();
        var setup = new List<LinqExpression>();
        var a = Stable(left, variables, setup, "left");
        var b = Stable(right, variables, setup, "right");
        var test = LinqExpression.AndAlso(
            LinqExpression.AndAlso(HasValue(a), HasValue(b)),
            CompareValues(op, ValueOf(a), ValueOf(b), type));
        if (variables.Count == 0)
        {
            return test;
        }

        setup.Add(test);
        return LinqExpression.Block(typeof(bool), variables, setup);
    }

    /// <summary>Compares two non-null values of the same SQL type.</summary>
    private static LinqExpression CompareValues(ComparisonOperator op, LinqExpression a, LinqExpression b, SqlType type)
    {
        switch (type.BaseType)
        {
            case SqlBaseType.String:
                if (op is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
                {
                    var eq = LinqExpression.Call(StringEqualsMethod, a, b);
                    return op == ComparisonOperator.Equal ? eq : LinqExpression.Not(eq);
                }

                return Ordered(op, LinqExpression.Call(CompareStringsMethod, a, b), LinqExpression.Constant(0));
            case SqlBaseType.Bytes:
                return Ordered(op, LinqExpression.Call(CompareBytesMethod, a, b), LinqExpression.Constant(0));
            case SqlBaseType.Array or SqlBaseType.Map or SqlBaseType.Struct:
                {
                    var eq = LinqExpression.Call(ValueEqualsMethod, a, b);
                    return op == ComparisonOperator.NotEqual ? LinqExpression.Not(eq) : eq;
                }

            default:
                return Ordered(op, a, b);
        }
    }

    private static LinqExpression Ordered(ComparisonOperator op, LinqExpression a, LinqExpression b) => op switch
    {
        ComparisonOperator.Equal => LinqExpression.Equal(a, b),
        ComparisonOperator.NotEqual => LinqExpression.NotEqual(a, b),
        ComparisonOperator.LessThan => LinqExpression.LessThan(a, b),
        ComparisonOperator.LessThanOrEqual => LinqExpression.LessThanOrEqual(a, b),
        ComparisonOperator.GreaterThan => LinqExpression.GreaterThan(a, b),
        _ => LinqExpression.GreaterThanOrEqual(a, b),
    };

    private static LinqExpression NullSafeEquals(LinqExpression left, LinqExpression right, SqlType type)
    {
        var variables = new List<ParameterExpression>();
        var setup = new List<LinqExpression>();
        var a = Stable(left, variables, setup, "left");
        var b = Stable(right, variables, setup, "right");

        // Both NULL, or both set and equal.
        var test = LinqExpression.Condition(
            HasValue(a),
            LinqExpression.AndAlso(HasValue(b), CompareValues(ComparisonOperator.Equal, ValueOf(a), ValueOf(b), type)),
            LinqExpression.Not(HasValue(b)));
        if (variables.Count == 0)
        {
            return test;
        }

        setup.Add(test);
        return LinqExpression.Block(typeof(bool), variables, setup);
    }

    private LinqExpression EmitIsNull(BoundIsNull n)
    {
        LinqExpression isNull = n.Operand switch
        {
            BoundColumn column => LinqExpression.Equal(_emitter.Cell(column.Column.Index), LinqExpression.Constant(null)),
            _ => LinqExpression.Not(HasValue(_emitter.Emit(n.Operand))),
        };
        return n.Negated ? LinqExpression.Not(isNull) : isNull;
    }

    private LinqExpression EmitBetween(BoundBetween b)
    {
        var type = b.Value.Type!;
        var variables = new List<ParameterExpression>();
        var setup = new List<LinqExpression>();
        var value = Stable(_emitter.Emit(b.Value), variables, setup, "value");
        var min = Stable(_emitter.Emit(b.Min), variables, setup, "min");
        var max = Stable(_emitter.Emit(b.Max), variables, setup, "max");
        LinqExpression inRange = LinqExpression.AndAlso(
            CompareValues(ComparisonOperator.GreaterThanOrEqual, ValueOf(value), ValueOf(min), type),
            CompareValues(ComparisonOperator.LessThanOrEqual, ValueOf(value), ValueOf(max), type));
        if (b.Negated)
        {
            inRange = LinqExpression.Not(inRange);
        }

        var test = LinqExpression.AndAlso(LinqExpression.AndAlso(HasValue(value), LinqExpression.AndAlso(HasValue(min), HasValue(max))), inRange);
        if (variables.Count == 0)
        {
            return test;
        }

        setup.Add(test);
        return LinqExpression.Block(typeof(bool), variables, setup);
    }

    private LinqExpression EmitLike(BoundLike like)
    {
        var value = _emitter.Emit(like.Value);
        LinqExpression match;
        if (ConstantFolding.TryEvaluate(like.Pattern, out var constant))
        {
            if (constant is not string pattern)
            {
                return False;
            }

            var compiled = LikePattern.Create(pattern, like.Escape);
            var variable = LinqExpression.Variable(typeof(string), "value");
            var test = LinqExpression.Call(LinqExpression.Constant(compiled), LikeMatchMethod, variable);
            match = LinqExpression.Block(
                typeof(bool),
                [variable],
                LinqExpression.Assign(variable, value),
                LinqExpression.AndAlso(
                    LinqExpression.NotEqual(variable, LinqExpression.Constant(null, typeof(string))),
                    like.Negated ? LinqExpression.Not(test) : test));
            return match;
        }

        var cache = new LikePattern.Cache(like.Escape);
        var patternValue = _emitter.Emit(like.Pattern);
        if (!like.Negated)
        {
            return LinqExpression.Call(LinqExpression.Constant(cache), LikeCacheMatchMethod, value, patternValue);
        }

        var v = LinqExpression.Variable(typeof(string), "value");
        var p = LinqExpression.Variable(typeof(string), "pattern");
        return LinqExpression.Block(
            typeof(bool),
            [v, p],
            LinqExpression.Assign(v, value),
            LinqExpression.Assign(p, patternValue),
            LinqExpression.AndAlso(
                LinqExpression.AndAlso(
                    LinqExpression.NotEqual(v, LinqExpression.Constant(null, typeof(string))),
                    LinqExpression.NotEqual(p, LinqExpression.Constant(null, typeof(string)))),
                LinqExpression.Not(LinqExpression.Call(LinqExpression.Constant(cache), LikeCacheMatchMethod, v, p))));
    }

    private LinqExpression EmitIn(BoundIn @in)
    {
        var type = @in.Value.Type!;
        var variables = new List<ParameterExpression>();
        var setup = new List<LinqExpression>();
        var value = Stable(_emitter.Emit(@in.Value), variables, setup, "value");

        var constants = new List<object>();
        var others = new List<BoundExpression>();
        foreach (var item in @in.Values)
        {
            if (ConstantFolding.TryEvaluate(item, out var c))
            {
                if (c is not null)
                {
                    constants.Add(c);
                }
            }
            else
            {
                others.Add(item);
            }
        }

        LinqExpression? match = null;
        if (constants.Count > 0)
        {
            match = SetContains(constants, type, ValueOf(value));
        }

        foreach (var item in others)
        {
            var test = Compare(ComparisonOperator.Equal, value, _emitter.Emit(item), type);
            match = match is null ? test : LinqExpression.OrElse(match, test);
        }

        match ??= False;
        var result = LinqExpression.AndAlso(HasValue(value), @in.Negated ? LinqExpression.Not(match) : match);
        if (variables.Count == 0)
        {
            return result;
        }

        setup.Add(result);
        return LinqExpression.Block(typeof(bool), variables, setup);
    }

    /// <summary>A typed hash-set lookup of a non-null value among constants (no boxing for primitive types).</summary>
    private static LinqExpression SetContains(List<object> constants, SqlType type, LinqExpression value)
    {
        var clr = value.Type;
        if (clr == typeof(string))
        {
            var strings = new HashSet<string>(constants.Cast<string>(), StringComparer.Ordinal);
            return LinqExpression.Call(LinqExpression.Constant(strings), typeof(HashSet<string>).GetMethod(nameof(HashSet<string>.Contains))!, value);
        }

        if (clr.IsValueType && type.IsPrimitive)
        {
            var setType = typeof(HashSet<>).MakeGenericType(clr);
            var set = Activator.CreateInstance(setType)!;
            var add = setType.GetMethod("Add")!;
            foreach (var c in constants)
            {
                add.Invoke(set, [c]);
            }

            return LinqExpression.Call(LinqExpression.Constant(set, setType), setType.GetMethod("Contains")!, value);
        }

        var objects = new HashSet<object?>(constants, SqlValueComparer.Instance);
        return LinqExpression.Call(
            LinqExpression.Constant(objects),
            typeof(HashSet<object?>).GetMethod(nameof(HashSet<object?>.Contains))!,
            ExpressionEmitter.Box(value));
    }

    /// <summary>An expression that can be read several times: a parameter or constant as is, else a block variable.</summary>
    private static LinqExpression Stable(LinqExpression e, List<ParameterExpression> variables, List<LinqExpression> setup, string name)
    {
        if (e is ParameterExpression or ConstantExpression)
        {
            return e;
        }

        var variable = LinqExpression.Variable(e.Type, name);
        variables.Add(variable);
        setup.Add(LinqExpression.Assign(variable, e));
        return variable;
    }

    private static LinqExpression HasValue(LinqExpression e)
    {
        if (e is ConstantExpression c)
        {
            return c.Value is null ? False : True;
        }

        return Nullable.GetUnderlyingType(e.Type) is not null
            ? LinqExpression.Property(e, "HasValue")
            : LinqExpression.NotEqual(e, LinqExpression.Constant(null, e.Type));
    }

    /// <summary>The non-null value (<c>GetValueOrDefault()</c> for nullable value types).</summary>
    private static LinqExpression ValueOf(LinqExpression e)
    {
        if (e is ConstantExpression { Value: { } v } c && Nullable.GetUnderlyingType(c.Type) is { } underlying)
        {
            return LinqExpression.Constant(v, underlying);
        }

        return Nullable.GetUnderlyingType(e.Type) is not null ? LinqExpression.Call(e, e.Type.GetMethod("GetValueOrDefault", Type.EmptyTypes)!) : e;
    }
}
