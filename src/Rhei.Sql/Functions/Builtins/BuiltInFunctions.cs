namespace Rhei.Sql.Functions.Builtins;

/// <summary>Registers every ksqlDB built-in function.</summary>
internal static class BuiltInFunctions
{
    public static void RegisterAll(FunctionRegistry registry)
    {
        MathCatalog.Register(registry);
        StringCatalog.Register(registry);
        CollectionCatalog.Register(registry);
        DateTimeCatalog.Register(registry);
        AggregateCatalog.Register(registry);
        TableCatalog.Register(registry);
    }
}
