using System.Reflection;
using Rhei.Formats.Types;
using Rhei.Sql.Functions;

namespace Rhei.Conformance.Functions;

/// <summary>
/// ksqlDB's test-only functions (functions.txt, "QTT-ONLY TEST FUNCTIONS"), written here from the behaviour the
/// query-validation cases expect of them, and registered for the conformance run only.
/// </summary>
internal static class TestFunctions
{
    public static void Register(FunctionRegistry registry)
    {
        TestScalarFunctions.Register(registry);
        TestTableFunctions.Register(registry);
        TestAggregateFunctions.Register(registry);
    }

    internal static FunctionParameter P(string name, ParamType type) => new(name, type);

    internal static ScalarOverload Scalar(Type type, string method, SqlType returns, params FunctionParameter[] parameters) =>
        new(parameters, ReturnTypeRule.Fixed(returns), Find(type, method, parameters));

    internal static ScalarOverload Scalar(Type type, string method, ReturnTypeRule returns, params FunctionParameter[] parameters) =>
        new(parameters, returns, Find(type, method, parameters));

    internal static MethodInfo Find(Type type, string method, FunctionParameter[] parameters)
    {
        var types = parameters.Select(p => p.IsVariadic ? p.Type.ClrType.MakeArrayType() : p.Type.ClrType).ToArray();
        return type.GetMethod(method, BindingFlags.Public | BindingFlags.Static, types)
            ?? throw new InvalidOperationException($"{type.Name}.{method}({string.Join(", ", types.Select(t => t.Name))}) not found.");
    }
}
