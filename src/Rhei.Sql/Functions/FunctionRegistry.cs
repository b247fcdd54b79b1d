using System.Collections.Concurrent;
using Rhei.Formats.Types;
using Rhei.Sql.Functions.Builtins;

namespace Rhei.Sql.Functions;

/// <summary>
/// The functions a query can call: the built-in set (<see cref="CreateBuiltIn"/>) plus whatever else is
/// registered (the conformance project adds ksqlDB's test-only UDFs). Names are case-insensitive.
/// Thread-safe; registration normally happens once at startup.
/// </summary>
public sealed class FunctionRegistry
{
    private readonly ConcurrentDictionary<string, FunctionDefinition> _functions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An empty registry; <see cref="Time"/> is the clock UNIX_TIMESTAMP() and UNIX_DATE() read.</summary>
    public FunctionRegistry(TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
    }

    /// <summary>The clock handed to the functions that read the current time.</summary>
    public TimeProvider Time { get; }

    /// <summary>A registry with every ksqlDB built-in scalar, aggregate and table function.</summary>
    public static FunctionRegistry CreateBuiltIn(TimeProvider? time = null)
    {
        var registry = new FunctionRegistry(time);
        BuiltInFunctions.RegisterAll(registry);
        return registry;
    }

    /// <summary>All functions, ordered by name (SHOW FUNCTIONS).</summary>
    public IReadOnlyList<FunctionDefinition> Functions => [.. _functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal)];

    /// <summary>Adds a function; throws when one with the same name exists.</summary>
    public void Register(FunctionDefinition function)
    {
        if (!_functions.TryAdd(function.Name, function))
        {
            throw new ArgumentException($"A function named {function.Name} is already registered.", nameof(function));
        }
    }

    public bool TryGetFunction(string name, out FunctionDefinition function) => _functions.TryGetValue(name, out function!);

    /// <summary>The function of that name; throws ksqlDB's error when there is none.</summary>
    public FunctionDefinition GetFunction(string name) =>
        _functions.TryGetValue(name, out var f) ? f : throw new FunctionResolutionException($"Can't find any functions with the name '{name}'");

    /// <summary>The kind of the named function, or null when there is no such function.</summary>
    public FunctionKind? KindOf(string name) => _functions.TryGetValue(name, out var f) ? f.Kind : null;

    public bool IsAggregate(string name) => KindOf(name) == FunctionKind.Aggregate;

    public bool IsTableFunction(string name) => KindOf(name) == FunctionKind.Table;

    /// <summary>DESCRIBE FUNCTION's data for the named function; throws when there is none.</summary>
    public FunctionDescription Describe(string name) => FunctionDescription.Of(GetFunction(name));

    /// <summary>
    /// Binds a call. Pass <see cref="FunctionArgument.Lambda(int)"/> for lambdas whose bodies are not typed
    /// yet: the result's <see cref="FunctionResolution.LambdaParameterTypes"/> give their parameter types;
    /// then resolve again with <see cref="FunctionArgument.Lambda(int, SqlType)"/> to get the return type.
    /// Throws <see cref="FunctionResolutionException"/> with ksqlDB's message when the call cannot be bound.
    /// </summary>
    public FunctionResolution Resolve(string name, IReadOnlyList<FunctionArgument> arguments) =>
        OverloadResolver.Resolve(GetFunction(name), arguments);

    /// <summary>Binds a call whose arguments are plain expressions of these types (null = NULL literal).</summary>
    public FunctionResolution Resolve(string name, IReadOnlyList<SqlType?> argumentTypes) =>
        Resolve(name, [.. argumentTypes.Select(FunctionArgument.Of)]);
}
