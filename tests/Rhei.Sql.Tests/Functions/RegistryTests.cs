using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using static Rhei.Sql.Tests.Functions.FunctionTestKit;

namespace Rhei.Sql.Tests.Functions;

public class RegistryTests
{
    /// <summary>The function list of ksqlDB's reference, minus the test-only functions and the constructs.</summary>
    public static TheoryData<string, string> ListedFunctions()
    {
        var data = new TheoryData<string, string>();
        var kind = "";
        foreach (var line in File.ReadLines(Path.Combine(SharedData.Directory, "conformance", "ksql", "functions.txt")))
        {
            if (line.StartsWith('['))
            {
                kind = line.Split(']')[0].TrimStart('[');
                continue;
            }

            if (line.StartsWith('#') || line.Trim().Length == 0 || kind.StartsWith("QTT", StringComparison.Ordinal) || line.Contains("(construct)", StringComparison.Ordinal))
            {
                continue;
            }

            var name = kind == "SCALAR" ? line.Split('\t')[1] : line.Split('\t')[0].Trim();
            data.Add(kind, name.Trim());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ListedFunctions))]
    public void Every_listed_function_is_registered_with_its_kind(string kind, string name)
    {
        Assert.True(Registry.TryGetFunction(name, out var f), $"{name} is not registered");
        Assert.NotEmpty(f.Overloads);
        var expected = kind switch
        {
            "SCALAR" => FunctionKind.Scalar,
            "AGGREGATE" => FunctionKind.Aggregate,
            _ => FunctionKind.Table,
        };
        Assert.Equal(expected, f.Kind);
    }

    [Fact]
    public void The_list_has_the_expected_counts_and_nothing_extra_is_registered()
    {
        var listed = ListedFunctions().Select(r => (string)r[1]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Equal(129 + 18 + 2, listed.Count);
        Assert.DoesNotContain(Registry.Functions, f => !listed.Contains(f.Name));
    }

    [Fact]
    public void Every_function_has_a_category_a_description_and_printable_signatures()
    {
        foreach (var f in Registry.Functions)
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Category), f.Name);
            Assert.False(string.IsNullOrWhiteSpace(f.Description), f.Name);
            foreach (var o in f.Overloads)
            {
                Assert.StartsWith(f.MessageName + "(", o.Signature, StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(o.Returns.Text), o.Signature);
            }
        }
    }

    [Fact]
    public void Scalar_and_table_overloads_are_bound_to_static_methods_with_matching_clr_types()
    {
        foreach (var f in Registry.Functions.Where(f => f.Kind != FunctionKind.Aggregate))
        {
            foreach (ScalarOverload o in f.Overloads)
            {
                var ps = o.Method.GetParameters();
                for (var i = 0; i < o.Parameters.Length; i++)
                {
                    var p = o.Parameters[i];
                    var expected = p.IsVariadic ? p.Type.ClrType.MakeArrayType() : p.Type.ClrType;
                    Assert.Equal(expected, ps[o.ConstantCount + i].ParameterType);
                }

                if (f.Kind == FunctionKind.Table)
                {
                    Assert.Equal(typeof(List<object?>), o.Method.ReturnType);
                }
            }
        }
    }

    [Fact]
    public void Functions_are_listed_in_name_order_and_looked_up_case_insensitively()
    {
        var names = Registry.Functions.Select(f => f.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Same(Registry.GetFunction("substring"), Registry.GetFunction("SubString"));
        Assert.Equal(FunctionKind.Aggregate, Registry.KindOf("count"));
        Assert.True(Registry.IsTableFunction("explode"));
        Assert.Null(Registry.KindOf("nope"));
    }

    [Fact]
    public void Unknown_function_gives_ksqldb_message()
    {
        var e = Assert.Throws<FunctionResolutionException>(() => Registry.Resolve("WONT_FIND_ME", Array.Empty<SqlType?>()));
        Assert.Equal("Can't find any functions with the name 'WONT_FIND_ME'", e.Message);
    }

    [Fact]
    public void Registering_a_duplicate_name_fails_and_a_new_function_can_be_added()
    {
        var registry = FunctionRegistry.CreateBuiltIn();
        var count = registry.Functions.Count;
        var extra = new FunctionDefinition(
            "test_udf",
            FunctionKind.Scalar,
            FunctionCategory.Other,
            "A test function.",
            [new ScalarOverload([new FunctionParameter("x", ParamType.Integer)], ReturnTypeRule.Fixed(SqlTypes.Integer), typeof(Math).GetMethod(nameof(Math.Abs), [typeof(int)])!)]);
        Assert.Throws<ArgumentException>(() => new FunctionDefinition("bad", FunctionKind.Aggregate, "X", "Y", extra.Overloads));
        registry.Register(extra);
        Assert.Equal(count + 1, registry.Functions.Count);
        Assert.Throws<ArgumentException>(() => registry.Register(extra));
        Assert.Equal("test_udf(INTEGER x)", extra.Overloads[0].Signature);
    }

    public static string? Shout(string? s) => s is null ? null : s.ToUpperInvariant() + "!";

    [Fact]
    public void Functions_can_be_added_with_the_builder_and_delegate_aggregators()
    {
        var registry = FunctionRegistry.CreateBuiltIn();
        new Rhei.Sql.Functions.Builtins.FunctionBuilder(typeof(RegistryTests), "shout", FunctionKind.Scalar, FunctionCategory.Other, "Shouts.")
            .Add(nameof(Shout), SqlTypes.String, Rhei.Sql.Functions.Builtins.FunctionBuilder.P("s", ParamType.String))
            .Register(registry);
        var r = registry.Resolve("SHOUT", [SqlTypes.String]);
        Assert.Equal("HI!", r.Method!.Invoke(null, ["hi"]));

        new Rhei.Sql.Functions.Builtins.FunctionBuilder(typeof(RegistryTests), "test_udaf", FunctionKind.Aggregate, FunctionCategory.Aggregate, "Sums lengths.")
            .Aggregate(
                ReturnTypeRule.Fixed(SqlTypes.BigInt),
                b => new Rhei.Sql.Functions.Aggregate.DelegateAggregator(
                    SqlTypes.BigInt,
                    SqlTypes.BigInt,
                    () => 0L,
                    (v, a) => (long)a! + ((string?)v)?.Length ?? 0,
                    (x, y) => (long)x! + (long)y!,
                    a => a),
                false,
                "",
                Rhei.Sql.Functions.Builtins.FunctionBuilder.P("col", ParamType.String))
            .Register(registry);
        var agg = registry.Resolve("test_udaf", [SqlTypes.String]).CreateAggregator([]);
        Assert.Equal(5L, agg.Map(agg.Aggregate("abc", agg.Aggregate("de", agg.Initialize()))));
        Assert.False(agg.CanUndo);
        Assert.StartsWith("Function 'TEST_UDAF' does not accept parameters (INTEGER).", Assert.Throws<FunctionResolutionException>(() => registry.Resolve("test_udaf", [SqlTypes.Integer])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_function_lists_every_variation()
    {
        var d = Registry.Describe("substring");
        Assert.Equal("SUBSTRING", d.Name);
        Assert.Equal("SCALAR", d.Type);
        Assert.Equal(FunctionCategory.String, d.Category);
        Assert.Equal("internal", d.Path);
        Assert.Equal(4, d.Variations.Count);
        var v = d.Variations[1];
        Assert.Equal("SUBSTRING(str STRING, pos INTEGER, length INTEGER)", v.Signature);
        Assert.Equal("STRING", v.ReturnType);
        Assert.Equal(["str", "pos", "length"], v.Arguments.Select(a => a.Name));
        Assert.False(string.IsNullOrEmpty(v.Description));

        var concat = Registry.Describe("CONCAT").Variations[0];
        Assert.Equal("CONCAT(inputs STRING...)", concat.Signature);
        Assert.True(concat.Arguments[0].IsVariadic);
        Assert.Equal("AGGREGATE", Registry.Describe("topk").Type);
        Assert.Equal("TABLE", Registry.Describe("explode").Type);
        Assert.Equal("T", Registry.Describe("ARRAY_MAX").Variations[0].ReturnType);
        Assert.Throws<FunctionResolutionException>(() => Registry.Describe("nope"));
    }

    [Fact]
    public void Show_functions_data_covers_every_kind_and_category()
    {
        var byKind = Registry.Functions.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(129, byKind[FunctionKind.Scalar]);
        Assert.Equal(18, byKind[FunctionKind.Aggregate]);
        Assert.Equal(2, byKind[FunctionKind.Table]);
        Assert.Equal(
            [FunctionCategory.Aggregate, FunctionCategory.Array, FunctionCategory.Conditional, FunctionCategory.Conversions, FunctionCategory.DateTime, FunctionCategory.Json, FunctionCategory.Lambda, FunctionCategory.Map, FunctionCategory.Mathematical, FunctionCategory.Other, FunctionCategory.RegularExpression, FunctionCategory.String, FunctionCategory.Table, FunctionCategory.Url],
            Registry.Functions.Select(f => f.Category).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("SUBSTRING", "substring(STRING str, INTEGER pos)")]
    [InlineData("CONCAT", "concat(STRING... inputs)")]
    [InlineData("EXPLODE", "explode(ARRAY<DECIMAL> input)")]
    [InlineData("TRANSFORM", "transform(ARRAY<T> array, LAMBDA (T) => U function)")]
    [InlineData("DATEADD", "dateadd(INTERVALUNIT unit, INTEGER interval, DATE date)")]
    [InlineData("TOPK", "TOPK(INTEGER col1, ANY... otherCols, INTEGER k)")]
    public void Signatures_print_as_ksqldb_lists_them(string name, string signature) =>
        Assert.Contains(signature, Registry.GetFunction(name).Overloads.Select(o => o.Signature));
}

/// <summary>Finds the shared reference data: <c>RHEI_SHARED_DIR</c>, else <c>&lt;repo root&gt;/../shared</c>.</summary>
internal static class SharedData
{
    public static string Directory { get; } = Find();

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("RHEI_SHARED_DIR");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rhei.slnx")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? throw new DirectoryNotFoundException("Repository root (Rhei.slnx) not found; set RHEI_SHARED_DIR.")
            : Path.Combine(dir.FullName, "..", "shared");
    }
}
