using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using static Rhei.Conformance.Functions.TestFunctions;

namespace Rhei.Conformance.Functions;

/// <summary>test_udf, WHENCONDITION, WHENRESULT, TOSTRUCT and BAD_UDF.</summary>
public static class TestScalarFunctions
{
    private static readonly SqlStructType StructA = SqlTypes.Struct(new SqlField("A", SqlTypes.String));

    internal static void Register(FunctionRegistry registry)
    {
        var t = typeof(TestScalarFunctions);
        registry.Register(new FunctionDefinition("TEST_UDF", FunctionKind.Scalar, FunctionCategory.Other, "A test UDF with several overloads.",
        [
            Scalar(t, nameof(DoStuffIntString), SqlTypes.String, P("arg1", ParamType.Integer), P("arg2", ParamType.String)),
            Scalar(t, nameof(DoStuffLongString), SqlTypes.String, P("arg1", ParamType.BigInt), P("arg2", ParamType.String)),
            Scalar(t, nameof(DoStuffLongLongString), SqlTypes.String, P("arg1", ParamType.BigInt), P("arg2", ParamType.BigInt), P("arg3", ParamType.String)),
            Scalar(t, nameof(DoStuffLongVarargs), SqlTypes.String, new FunctionParameter("args", ParamType.BigInt, IsVariadic: true)),
            Scalar(t, nameof(DoStuffStruct), SqlTypes.String, P("struct", ParamType.Struct)),
            Scalar(t, nameof(ReturnStruct), StructA),
        ]));
        registry.Register(new FunctionDefinition("WHENCONDITION", FunctionKind.Scalar, FunctionCategory.Other, "Returns its first argument; fails when it should not be evaluated.",
            [Scalar(t, nameof(WhenCondition), SqlTypes.Boolean, P("retValue", ParamType.Boolean), P("shouldBeEvaluated", ParamType.Boolean))]));
        registry.Register(new FunctionDefinition("WHENRESULT", FunctionKind.Scalar, FunctionCategory.Other, "Returns its first argument; fails when it should not be evaluated.",
            [Scalar(t, nameof(WhenResult), SqlTypes.Integer, P("retValue", ParamType.Integer), P("shouldBeEvaluated", ParamType.Boolean))]));
        registry.Register(new FunctionDefinition("TOSTRUCT", FunctionKind.Scalar, FunctionCategory.Other, "Wraps a string in STRUCT<A STRING>.",
            [Scalar(t, nameof(ToStruct), StructA, P("value", ParamType.String))]));
        registry.Register(new FunctionDefinition("BAD_UDF", FunctionKind.Scalar, FunctionCategory.Other, "A function that fails for some inputs.",
        [
            Scalar(t, nameof(BadInt), SqlTypes.Integer, P("arg", ParamType.Integer)),
            Scalar(t, nameof(BadString), SqlTypes.String, P("arg", ParamType.String)),
            Scalar(t, nameof(BadBoolean), SqlTypes.Integer, P("arg", ParamType.Boolean)),
        ]));
    }

    public static string DoStuffIntString(int? arg1, string? arg2) => "doStuffIntString";

    public static string DoStuffLongString(long? arg1, string? arg2) => "doStuffLongString";

    public static string DoStuffLongLongString(long? arg1, long? arg2, string? arg3) => "doStuffLongLongString";

    public static string DoStuffLongVarargs(long?[] args) => "doStuffLongVarargs";

    public static string? DoStuffStruct(SqlStruct? value) => value?.Get("A") as string;

    public static SqlStruct ReturnStruct() => new(StructA, ["foo"]);

    public static bool? WhenCondition(bool? retValue, bool? shouldBeEvaluated) =>
        shouldBeEvaluated == true ? retValue : throw new InvalidOperationException("This WHEN condition should not have been evaluated.");

    public static int? WhenResult(int? retValue, bool? shouldBeEvaluated) =>
        shouldBeEvaluated == true ? retValue : throw new InvalidOperationException("This THEN/ELSE result should not have been evaluated.");

    public static SqlStruct? ToStruct(string? value) => new(StructA, [value]);

    public static int? BadInt(int? arg) => throw new InvalidOperationException("bad_udf always fails for INTEGER arguments.");

    public static string? BadString(string? arg) => arg == "d1" ? throw new InvalidOperationException("bad_udf fails for 'd1'.") : arg;

    public static int? BadBoolean(bool? arg) => arg == true ? throw new InvalidOperationException("bad_udf fails for TRUE.") : 0;
}
