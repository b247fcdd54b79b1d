using Rhei.Formats.Types;

namespace Rhei.Sql.Functions;

/// <summary>
/// What the binder knows about one argument of a call when it resolves the function: its SQL type
/// (or NULL for a bare <c>NULL</c> literal), whether it is a literal, a lambda, or a time-unit keyword.
/// </summary>
public abstract record FunctionArgument
{
    /// <summary>A bare <c>NULL</c> literal: matches a parameter of any type.</summary>
    public static readonly FunctionArgument Null = new ValueArgument(null, true, null);

    /// <summary>A time-unit keyword such as <c>DAYS</c> (DATEADD's first argument).</summary>
    public static readonly FunctionArgument IntervalUnit = new IntervalUnitArgument();

    /// <summary>An expression of a known type.</summary>
    public static FunctionArgument Of(SqlType? type) => type is null ? Null : new ValueArgument(type, false, null);

    /// <summary>
    /// A literal of a known type and value. String literals may be implicitly converted to DATE, TIME
    /// and TIMESTAMP parameters (<c>GREATEST(d1, d2, '2022-06-14')</c>).
    /// </summary>
    public static FunctionArgument Literal(SqlType? type, object? value) => new ValueArgument(type, true, value);

    /// <summary>A lambda whose body is not typed yet: only its arity takes part in overload resolution.</summary>
    public static FunctionArgument Lambda(int arity) => new LambdaArgument(arity, null);

    /// <summary>A lambda whose body has been typed (with the parameter types the first resolution gave).</summary>
    public static FunctionArgument Lambda(int arity, SqlType returnType) => new LambdaArgument(arity, returnType);

    /// <summary>The argument as ksqlDB prints it in resolution errors (<c>null</c> for a NULL literal).</summary>
    public abstract string Describe();
}

/// <summary>A value argument; <see cref="Type"/> is null for the NULL literal.</summary>
public sealed record ValueArgument(SqlType? Type, bool IsLiteral, object? LiteralValue) : FunctionArgument
{
    public bool IsNullLiteral => Type is null;

    public bool IsStringLiteral => IsLiteral && Type is { BaseType: SqlBaseType.String };

    public override string Describe() => Type is null ? "null" : SqlTypeNames.Format(Type);
}

/// <summary>A lambda argument; <see cref="ReturnType"/> is known once the compiler has typed the body.</summary>
public sealed record LambdaArgument(int Arity, SqlType? ReturnType) : FunctionArgument
{
    public override string Describe() => ReturnType is null ? "LAMBDA" : $"LAMBDA => {SqlTypeNames.Format(ReturnType)}";
}

/// <summary>A time-unit keyword argument.</summary>
public sealed record IntervalUnitArgument : FunctionArgument
{
    public override string Describe() => "INTERVALUNIT";
}

/// <summary>
/// A declared parameter of an overload: name (as DESCRIBE FUNCTION prints it), type pattern, whether it is
/// the variadic one (<see cref="Type"/> is then the element type: <c>STRING...</c>) and, for aggregates,
/// whether it is an initial argument that must be a literal constant (<c>TOPK(col, 3)</c>'s <c>3</c>).
/// </summary>
public sealed record FunctionParameter(string Name, ParamType Type, string Description = "", bool IsVariadic = false, bool IsInitArgument = false)
{
    /// <summary>The parameter as ksqlDB prints it in signatures: <c>STRING str</c>, <c>STRING... args</c>.</summary>
    public override string ToString() => (IsVariadic ? Type + "..." : Type.ToString()) + (Name.Length > 0 ? " " + Name : "");
}

/// <summary>SQL type names as they appear in function signatures and errors (no identifier quoting).</summary>
public static class SqlTypeNames
{
    public static string Format(SqlType type) => type switch
    {
        SqlArrayType a => $"ARRAY<{Format(a.ElementType)}>",
        SqlMapType m => $"MAP<{Format(m.KeyType)}, {Format(m.ValueType)}>",
        SqlStructType s => "STRUCT<" + string.Join(", ", s.Fields.Select(f => f.Name + " " + Format(f.Type))) + ">",
        _ => type.ToString(),
    };
}
