using Rhei.Formats.Types;

namespace Rhei.Sql.Functions;

/// <summary>An overload matched against a call: the arguments, their coerced types and the generic bindings.</summary>
public sealed class BoundSignature
{
    internal BoundSignature(
        FunctionOverload overload,
        IReadOnlyList<FunctionArgument> arguments,
        IReadOnlyList<SqlType?> targetTypes,
        IReadOnlyDictionary<string, SqlType> generics,
        IReadOnlyList<IReadOnlyList<SqlType>?> lambdaParameterTypes)
    {
        Overload = overload;
        Arguments = arguments;
        TargetTypes = targetTypes;
        Generics = generics;
        LambdaParameterTypes = lambdaParameterTypes;
    }

    public FunctionOverload Overload { get; }

    public IReadOnlyList<FunctionArgument> Arguments { get; }

    /// <summary>
    /// Per argument, the SQL type the compiler must convert the argument to before the call (equal to the
    /// argument's own type when no implicit cast applies). Null for NULL literals whose parameter type has
    /// parameters (DECIMAL, STRUCT), lambdas and time-unit keywords.
    /// </summary>
    public IReadOnlyList<SqlType?> TargetTypes { get; }

    /// <summary>The generic bindings (<c>T → INTEGER</c>).</summary>
    public IReadOnlyDictionary<string, SqlType> Generics { get; }

    /// <summary>Per argument, the parameter types of a lambda argument (null for other arguments).</summary>
    public IReadOnlyList<IReadOnlyList<SqlType>?> LambdaParameterTypes { get; }

    /// <summary>The argument's own SQL type (null for a NULL literal, lambda or unit keyword).</summary>
    public SqlType? ArgumentType(int index) => Arguments[index] is ValueArgument v ? v.Type : null;

    /// <summary>The coerced type of argument <paramref name="index"/>; throws when it is unknown.</summary>
    public SqlType TypeOf(int index) =>
        TargetTypes[index] ?? throw new FunctionResolutionException($"Can't infer the type of argument {index + 1} of {Overload.Function.MessageName}.");

    /// <summary>The literal value of argument <paramref name="index"/> when it is a literal, else null.</summary>
    public object? LiteralValue(int index) => Arguments[index] is ValueArgument { IsLiteral: true } v ? v.LiteralValue : null;

    public SqlType? Generic(string name) => Generics.TryGetValue(name, out var t) ? t : null;

    /// <summary>A pattern with the generics substituted; null when a generic is unbound or a DECIMAL/STRUCT has no parameters.</summary>
    public SqlType? Instantiate(ParamType pattern) => Instantiate(pattern, Generics);

    internal static SqlType? Instantiate(ParamType pattern, IReadOnlyDictionary<string, SqlType> generics) => pattern switch
    {
        PrimitiveParam { BaseType: SqlBaseType.Decimal or SqlBaseType.Struct } => null,
        PrimitiveParam p => ImplicitCasts.Primitive(p.BaseType),
        GenericParam g => generics.TryGetValue(g.Name, out var t) ? t : null,
        ArrayParam a => Instantiate(a.Element, generics) is { } e ? SqlTypes.Array(e) : null,
        MapParam m => Instantiate(m.Key, generics) is { } k && Instantiate(m.Value, generics) is { } v ? SqlTypes.Map(k, v) : null,
        _ => null,
    };
}
