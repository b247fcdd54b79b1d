using Rhei.Formats.Types;
using Rhei.Sql.Functions.Table;
using static Rhei.Sql.Functions.Builtins.FunctionBuilder;

namespace Rhei.Sql.Functions.Builtins;

/// <summary>The table functions EXPLODE and CUBE_EXPLODE.</summary>
internal static class TableCatalog
{
    public static void Register(FunctionRegistry r)
    {
        new FunctionBuilder(typeof(TableFunctions), "EXPLODE", FunctionKind.Table, FunctionCategory.Table, "Outputs one row per element of an array.")
            .Add("Explode", ReturnTypeRule.Computed("DECIMAL", b => ((SqlArrayType)b.TypeOf(0)).ElementType), P("input", ParamType.Array(ParamType.Decimal)))
            .Add("Explode", ReturnTypeRule.Pattern(ParamType.T), P("list", ParamType.Array(ParamType.T)))
            .Register(r);
        new FunctionBuilder(typeof(TableFunctions), "CUBE_EXPLODE", FunctionKind.Table, FunctionCategory.Table, "Outputs every combination of an array's elements with some replaced by NULL.")
            .Add("CubeExplode", ReturnTypeRule.Pattern(ParamType.Array(ParamType.T)), P("cols", ParamType.Array(ParamType.T)))
            .Register(r);
    }
}
