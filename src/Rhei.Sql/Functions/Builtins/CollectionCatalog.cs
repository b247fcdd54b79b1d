using Rhei.Formats.Types;
using Rhei.Sql.Functions.Scalar;
using static Rhei.Sql.Functions.Builtins.FunctionBuilder;

namespace Rhei.Sql.Functions.Builtins;

/// <summary>ARRAY, MAP, lambda and NULL-handling built-ins.</summary>
internal static class CollectionCatalog
{
    private static readonly ParamType T = ParamType.T;
    private static readonly ParamType ArrT = ParamType.Array(ParamType.T);
    private static readonly ParamType MapKV = ParamType.Map(ParamType.K, ParamType.V);
    private static readonly ParamType S = ParamType.String;
    private static readonly ParamType I = ParamType.Integer;

    public static void Register(FunctionRegistry r)
    {
        RegisterArrays(r);
        RegisterMaps(r);
        RegisterLambdas(r);
        RegisterConditionals(r);
    }

    private static FunctionBuilder Fn(Type impl, string name, string category, string description, string? messageName = null) =>
        new(impl, name, FunctionKind.Scalar, category, description, messageName);

    private static FunctionBuilder Array(string name, string description) =>
        Fn(typeof(ArrayFunctions), name, FunctionCategory.Array, description);

    private static void RegisterArrays(FunctionRegistry r)
    {
        var arrayOfT = ReturnTypeRule.Pattern(ArrT);
        Array("ARRAY_CONCAT", "Returns the concatenation of two arrays; a NULL array counts as empty unless both are NULL.")
            .Add("ArrayConcat", arrayOfT, P("left", ArrT), P("right", ArrT)).Register(r);
        Array("ARRAY_CONTAINS", "Returns true when an array contains a value.")
            .Add("ArrayContains", SqlTypes.Boolean, P("array", ArrT), P("val", T)).Register(r);
        Array("ARRAY_DISTINCT", "Returns the distinct elements of an array, in order of first occurrence.")
            .Add("ArrayDistinct", arrayOfT, P("input", ArrT)).Register(r);
        Array("ARRAY_EXCEPT", "Returns the distinct elements of an array that are not in a second array.")
            .Add("ArrayExcept", arrayOfT, P("left", ArrT), P("right", ArrT)).Register(r);
        Array("ARRAY_INTERSECT", "Returns the distinct elements present in both arrays.")
            .Add("ArrayIntersect", arrayOfT, P("left", ArrT), P("right", ArrT)).Register(r);
        Array("ARRAY_UNION", "Returns the distinct elements of both arrays.")
            .Add("ArrayUnion", arrayOfT, P("left", ArrT), P("right", ArrT)).Register(r);
        Array("ARRAY_JOIN", "Joins the elements of an array of primitives into a string with a delimiter (default ',').")
            .Add("ArrayJoin", SqlTypes.String, P("array", ArrT))
            .Add("ArrayJoin", SqlTypes.String, P("array", ArrT), P("delimiter", S))
            .Register(r);
        Array("ARRAY_LENGTH", "Returns the number of elements of an array.")
            .Add("ArrayLength", SqlTypes.Integer, P("array", ArrT)).Register(r);
        Array("ARRAY_MAX", "Returns the largest non-NULL element of an array of primitives.")
            .Add("ArrayMax", ReturnTypeRule.Pattern(T), P("array", ArrT)).Register(r);
        Array("ARRAY_MIN", "Returns the smallest non-NULL element of an array of primitives.")
            .Add("ArrayMin", ReturnTypeRule.Pattern(T), P("array", ArrT)).Register(r);
        Array("ARRAY_REMOVE", "Removes every element equal to a value from an array.")
            .Add("ArrayRemove", arrayOfT, P("array", ArrT), P("victim", T)).Register(r);
        Array("ARRAY_SORT", "Sorts an array of primitives ASC (default) or DESC, NULLs last.")
            .Add("ArraySort", arrayOfT, P("input", ArrT))
            .Add("ArraySort", arrayOfT, P("input", ArrT), P("direction", S))
            .Register(r);
        Array("SLICE", "Returns the elements between two 1-based positions (inclusive).")
            .Add("Slice", arrayOfT, P("list", ArrT), P("from", I), P("to", I)).Register(r);
        Array("ELT", "Returns the n-th (1-based) of its string arguments, NULL when out of range.")
            .Add("Elt", SqlTypes.String, P("n", I), Variadic("args", S)).Register(r);
        Array("FIELD", "Returns the 1-based position of a string among the other arguments, 0 when absent.")
            .Add("Field", SqlTypes.Integer, P("str", S), Variadic("args", S)).Register(r);
        Array("GENERATE_SERIES", "Returns the array of values from start to end (inclusive) with a step (default 1 or -1).")
            .Add("GenerateSeries", SqlTypes.Array(SqlTypes.Integer), P("start", I), P("end", I))
            .Add("GenerateSeries", SqlTypes.Array(SqlTypes.Integer), P("start", I), P("end", I), P("step", I))
            .Add("GenerateSeries", SqlTypes.Array(SqlTypes.BigInt), P("start", ParamType.BigInt), P("end", ParamType.BigInt))
            .Add("GenerateSeries", SqlTypes.Array(SqlTypes.BigInt), P("start", ParamType.BigInt), P("end", ParamType.BigInt), P("step", I))
            .Register(r);
    }

    private static void RegisterMaps(FunctionRegistry r)
    {
        FunctionBuilder Map(string name, string description) => Fn(typeof(MapFunctions), name, FunctionCategory.Map, description);

        Map("AS_MAP", "Builds a map from an array of keys and an array of values.")
            .Add("AsMap", ReturnTypeRule.Pattern(ParamType.Map(ParamType.K, T)), P("keys", ParamType.Array(ParamType.K)), P("values", ArrT)).Register(r);
        Map("MAP_KEYS", "Returns the keys of a map.")
            .Add("MapKeys", ReturnTypeRule.Pattern(ParamType.Array(ParamType.K)), P("input", MapKV)).Register(r);
        Map("MAP_VALUES", "Returns the values of a map.")
            .Add("MapValues", ReturnTypeRule.Pattern(ParamType.Array(ParamType.V)), P("input", MapKV)).Register(r);
        Map("MAP_UNION", "Returns the union of two maps; the second map wins on equal keys.")
            .Add("MapUnion", ReturnTypeRule.Pattern(MapKV), P("map1", MapKV), P("map2", MapKV)).Register(r);

        var entriesType = ReturnTypeRule.Computed("ARRAY<STRUCT<K K, V V>>", b =>
            b.Generic("K") is { } k && b.Generic("V") is { } v
                ? SqlTypes.Array(SqlTypes.Struct(new SqlField("K", k), new SqlField("V", v)))
                : null);
        Map("ENTRIES", "Returns the entries of a map as an array of STRUCT<K, V>, optionally sorted by key.")
            .AddWithConstants(
                "Entries",
                entriesType,
                [typeof(SqlStructType)],
                (_, ret) => [((SqlArrayType)ret!).ElementType],
                "",
                P("map", MapKV),
                P("sorted", ParamType.Boolean))
            .Register(r);
    }

    private static void RegisterLambdas(FunctionRegistry r)
    {
        FunctionBuilder Lambda(string name, string description) => Fn(typeof(LambdaFunctions), name, FunctionCategory.Lambda, description);

        var k1 = ParamType.Generic("K1");
        var v1 = ParamType.Generic("V1");
        var s = ParamType.Generic("S");
        Lambda("TRANSFORM", "Applies a lambda to each element of an array, or lambdas to the keys and values of a map.")
            .Add("Transform", ReturnTypeRule.Pattern(ParamType.Array(ParamType.U)), P("array", ArrT), P("function", ParamType.Lambda(ParamType.U, T)))
            .Add(
                "Transform",
                ReturnTypeRule.Pattern(ParamType.Map(k1, v1)),
                P("map", MapKV),
                P("key_function", ParamType.Lambda(k1, ParamType.K, ParamType.V)),
                P("value_function", ParamType.Lambda(v1, ParamType.K, ParamType.V)))
            .Register(r);
        Lambda("FILTER", "Keeps the elements of an array, or the entries of a map, for which a lambda is true.")
            .Add("Filter", ReturnTypeRule.Pattern(ArrT), P("array", ArrT), P("function", ParamType.Lambda(ParamType.Boolean, T)))
            .Add("Filter", ReturnTypeRule.Pattern(MapKV), P("map", MapKV), P("function", ParamType.Lambda(ParamType.Boolean, ParamType.K, ParamType.V)))
            .Register(r);
        Lambda("REDUCE", "Folds an array or a map into a state with a lambda, from an initial state.")
            .Add("Reduce", ReturnTypeRule.Pattern(s), P("array", ArrT), P("initialState", s), P("function", ParamType.Lambda(s, s, T)))
            .Add("Reduce", ReturnTypeRule.Pattern(s), P("map", MapKV), P("initialState", s), P("function", ParamType.Lambda(s, s, ParamType.K, ParamType.V)))
            .Register(r);
    }

    private static void RegisterConditionals(FunctionRegistry r)
    {
        var t = ReturnTypeRule.Pattern(T);
        Fn(typeof(ConditionalFunctions), "COALESCE", FunctionCategory.Conditional, "Returns the first non-NULL argument.", messageName: "COALESCE")
            .Add("Coalesce", t, P("first", T), Variadic("others", T)).Register(r);
        Fn(typeof(ConditionalFunctions), "IFNULL", FunctionCategory.Conditional, "Returns the alternative value when the expression is NULL.")
            .Add("IfNull", t, P("expression", T), P("altValue", T)).Register(r);
        Fn(typeof(ConditionalFunctions), "NULLIF", FunctionCategory.Conditional, "Returns NULL when both expressions are equal, else the first.")
            .Add("NullIf", t, P("expression1", T), P("expression2", T)).Register(r);
        Fn(typeof(ConditionalFunctions), "AS_VALUE", FunctionCategory.Other, "Copies a row's key column into the row's value.")
            .Add("AsValue", t, P("keyColumn", T)).Register(r);
    }
}
