using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using static Rhei.Conformance.Functions.TestFunctions;

namespace Rhei.Conformance.Functions;

/// <summary>test_udtf: one row with its argument, or one row per element of its array/map arguments (as strings).</summary>
public static class TestTableFunctions
{
    internal static void Register(FunctionRegistry registry)
    {
        var t = typeof(TestTableFunctions);
        var single = new[] { ParamType.Integer, ParamType.BigInt, ParamType.Double, ParamType.Boolean, ParamType.String, ParamType.Struct };
        var overloads = new List<FunctionOverload>();
        foreach (var p in single)
        {
            overloads.Add(new TableOverload([P("value", p)], ReturnTypeRule.ArgumentType(0, p.ToString()), Find(t, nameof(One), [P("value", ParamType.T)])));
        }

        overloads.Add(new TableOverload([P("value", ParamType.Decimal)], ReturnTypeRule.Computed("DECIMAL", b => b.TypeOf(0) is SqlDecimalType d ? SqlTypes.Decimal(d.Precision + 10, d.Scale) : null), Find(t, nameof(One), [P("value", ParamType.T)])));
        var arrays = Enumerable.Range(0, 7).Select(i => P("a" + i, ParamType.Array(ParamType.Generic("T" + i)))).ToArray();
        overloads.Add(new TableOverload(arrays, ReturnTypeRule.Fixed(SqlTypes.String), Find(t, nameof(Arrays), arrays)));
        var maps = Enumerable.Range(0, 7).Select(i => P("m" + i, ParamType.Map(ParamType.String, ParamType.Generic("T" + i)))).ToArray();
        overloads.Add(new TableOverload(maps, ReturnTypeRule.Fixed(SqlTypes.String), Find(t, nameof(Maps), maps)));
        registry.Register(new FunctionDefinition("TEST_UDTF", FunctionKind.Table, FunctionCategory.Table, "A test table function.", overloads));
    }

    public static List<object?> One(object? value) => [value];

    public static List<object?> Arrays(List<object?>? a0, List<object?>? a1, List<object?>? a2, List<object?>? a3, List<object?>? a4, List<object?>? a5, List<object?>? a6) =>
        [.. new[] { a0, a1, a2, a3, a4, a5, a6 }.SelectMany(a => a ?? []).Select(Text)];

    public static List<object?> Maps(
        Dictionary<object, object?>? m0, Dictionary<object, object?>? m1, Dictionary<object, object?>? m2, Dictionary<object, object?>? m3,
        Dictionary<object, object?>? m4, Dictionary<object, object?>? m5, Dictionary<object, object?>? m6) =>
        [.. new[] { m0, m1, m2, m3, m4, m5, m6 }.SelectMany(m => m?.Values ?? (IEnumerable<object?>)[]).Select(Text)];

    private static object? Text(object? v) => v switch
    {
        null => null,
        bool b => b ? "true" : "false",
        double d => Rhei.Formats.Conversion.JavaDouble.ToString(d),
        decimal m => Rhei.Formats.Conversion.DecimalValues.ToPlainString(m),
        _ => Rhei.Formats.Conversion.SqlValueText.ToJavaString(v),
    };
}
