using System.Reflection;
using Rhei.Formats.Types;
using Rhei.Sql.Functions.Aggregate;

namespace Rhei.Sql.Functions.Builtins;

/// <summary>
/// A compact way to declare a function and its overloads, binding each scalar overload to a public static
/// method of the implementation type by name and the CLR types of its parameters. Used for the built-ins;
/// also the easy way to add functions (the conformance project's test UDFs).
/// </summary>
public sealed class FunctionBuilder
{
    private readonly Type _implementation;
    private readonly string _name;
    private readonly FunctionKind _kind;
    private readonly string _category;
    private readonly string _description;
    private readonly string? _messageName;
    private readonly List<FunctionOverload> _overloads = [];

    public FunctionBuilder(Type implementation, string name, FunctionKind kind, string category, string description, string? messageName = null)
    {
        _implementation = implementation;
        _name = name;
        _kind = kind;
        _category = category;
        _description = description;
        _messageName = messageName;
    }

    public static FunctionParameter P(string name, ParamType type, string description = "") => new(name, type, description);

    public static FunctionParameter Variadic(string name, ParamType elementType, string description = "") => new(name, elementType, description, IsVariadic: true);

    public static FunctionParameter Init(string name, ParamType type, string description = "") => new(name, type, description, IsInitArgument: true);

    public static FunctionParameter VariadicInit(string name, ParamType type, string description = "") => new(name, type, description, true, true);

    /// <summary>A scalar overload implemented by <c>method</c> of the implementation type.</summary>
    public FunctionBuilder Add(string method, ReturnTypeRule returns, params FunctionParameter[] parameters) =>
        AddWithConstants(method, returns, [], null, "", parameters);

    public FunctionBuilder Add(string method, SqlType returns, params FunctionParameter[] parameters) =>
        Add(method, ReturnTypeRule.Fixed(returns), parameters);

    public FunctionBuilder Describe(string method, string description, ReturnTypeRule returns, params FunctionParameter[] parameters) =>
        AddWithConstants(method, returns, [], null, description, parameters);

    /// <summary>
    /// A scalar overload whose method takes leading constants (of <paramref name="constantTypes"/>) computed
    /// per call from the bound signature and return type.
    /// </summary>
    public FunctionBuilder AddWithConstants(
        string method,
        ReturnTypeRule returns,
        Type[] constantTypes,
        Func<BoundSignature, SqlType?, object?[]>? constants,
        string description,
        params FunctionParameter[] parameters)
    {
        var info = FindMethod(method, constantTypes, parameters);
        FunctionOverload overload = _kind == FunctionKind.Table
            ? new TableOverload(parameters, returns, info, description)
            : new ScalarOverload(parameters, returns, info, description, constants, constantTypes.Length);
        _overloads.Add(overload);
        return this;
    }

    /// <summary>An aggregate overload.</summary>
    public FunctionBuilder Aggregate(ReturnTypeRule returns, Func<AggregateBinding, Aggregator> factory, bool supportsTables, string description, params FunctionParameter[] parameters)
    {
        _overloads.Add(new AggregateOverload(parameters, returns, factory, description, supportsTables));
        return this;
    }

    public FunctionDefinition Build() => new(_name, _kind, _category, _description, _overloads, _messageName);

    public void Register(FunctionRegistry registry) => registry.Register(Build());

    private MethodInfo FindMethod(string name, Type[] constantTypes, FunctionParameter[] parameters)
    {
        var types = constantTypes.Concat(parameters.Select(p => p.IsVariadic ? p.Type.ClrType.MakeArrayType() : p.Type.ClrType)).ToArray();
        return _implementation.GetMethod(name, BindingFlags.Public | BindingFlags.Static, types)
            ?? throw new InvalidOperationException(
                $"{_implementation.Name}.{name}({string.Join(", ", types.Select(t => t.Name))}) not found for {_name}.");
    }
}
