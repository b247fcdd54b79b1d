using Rhei.Sql.Functions;

namespace Rhei.Conformance;

/// <summary>ksqlDB's test-only functions (test_udf, test_udaf, ...), registered for the conformance run only.</summary>
internal static class TestFunctions
{
    public static void Register(FunctionRegistry registry)
    {
        _ = registry;
    }
}
