using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using Rhei.Sql.Functions.Table;
using static Rhei.Sql.Tests.Functions.FunctionTestKit;

namespace Rhei.Sql.Tests.Functions;

public class LambdaAndTableFunctionTests
{
    private static readonly SqlType IntArray = SqlTypes.Array(SqlTypes.Integer);
    private static readonly SqlType StringIntMap = SqlTypes.Map(SqlTypes.String, SqlTypes.Integer);

    private static object? Gt(object? x, int n) => x is null ? false : (int)x > n;

    private static object? Plus(object? a, object? b) => a is null || b is null ? null : System.Convert.ToInt64(a, System.Globalization.CultureInfo.InvariantCulture) + System.Convert.ToInt64(b, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Filter_arrays()
    {
        Assert.Equal(L(6, 10), Call("FILTER", L(3, 6, 2, 10), Lambda(SqlTypes.Boolean, x => Gt(x, 5))));
        Assert.Equal(L(), Call("FILTER", L(5, null), Lambda(SqlTypes.Boolean, x => Gt(x, 5))));
        Assert.Null(Call("FILTER", Null(IntArray), Lambda(SqlTypes.Boolean, x => Gt(x, 5))));
        Assert.Equal(
            L("ya i see it"),
            Call("FILTER", L("suuure", "ya i see it", null), Lambda(SqlTypes.Boolean, x => x is string s && s.Contains("ya", StringComparison.Ordinal))));
    }

    [Fact]
    public void Filter_maps_and_null_predicates()
    {
        var map = M(("ab", 6), ("abcd", 15));
        Assert.Equal(M(("abcd", 15)), Call("FILTER", map, Lambda(SqlTypes.Boolean, (k, v) => ((string)k!).Length * 5 > 15 && (int)v! % 5 == 0)));
        Assert.Equal(M(), Call("FILTER", M(("a", 15), ("abc", 7)), Lambda(SqlTypes.Boolean, (k, v) => ((string)k!).Length * 5 > 15)));
        Assert.Throws<SqlFunctionException>(() => Call("FILTER", A(StringIntMap, M(("abcd", null))), Lambda(SqlTypes.Boolean, (_, v) => v is null ? null : true)));
        Assert.Throws<SqlFunctionException>(() => Call("FILTER", L(1), Lambda(SqlTypes.Boolean, _ => null)));
        Assert.Null(Call("FILTER", Null(StringIntMap), Lambda(SqlTypes.Boolean, (_, _) => true)));
    }

    [Fact]
    public void Transform_arrays()
    {
        Assert.Equal(L(2.45m, 3.67m, 1.23m), Call("TRANSFORM", L(-2.45m, 3.67m, 1.23m), Lambda(SqlTypes.Decimal(3, 2), x => Math.Abs((decimal)x!))));
        Assert.Equal(L(7.45m, 1.34m, null), Call("TRANSFORM", L(-7.45m, -1.34m, null), Lambda(SqlTypes.Decimal(3, 2), x => x is null ? null : Math.Abs((decimal)x))));
        Assert.Equal(L(7, 6), Call("TRANSFORM", L(L(5, 7, 1), L(3, 6, 1)), Lambda(SqlTypes.Integer, x => Call("ARRAY_MAX", A(x)))));
        Assert.Null(Call("TRANSFORM", Null(IntArray), Lambda(SqlTypes.Integer, x => x)));
        Assert.Equal(SqlTypes.Array(SqlTypes.String), TypeOfCall("TRANSFORM", L(1), Lambda(SqlTypes.String, x => x?.ToString())));
    }

    [Fact]
    public void Transform_maps_and_their_errors()
    {
        var result = Call(
            "TRANSFORM",
            M(("a", L(2, 4, 5)), ("b", L(-1, -2))),
            Lambda(SqlTypes.String, (k, _) => (string)k! + "_test"),
            Lambda(SqlTypes.Integer, (_, v) => (int?)Call("ARRAY_MIN", A(v)) + 1));
        Assert.Equal(M(("a_test", 3), ("b_test", -1)), result);
        Assert.Throws<SqlFunctionException>(() => Call("TRANSFORM", M(("q", L())), Lambda(SqlTypes.String, (k, _) => k), Lambda(SqlTypes.Integer, (_, _) => null)));
        Assert.Throws<SqlFunctionException>(() => Call("TRANSFORM", M(("a", 1), ("b", 2)), Lambda(SqlTypes.String, (_, _) => "same"), Lambda(SqlTypes.Integer, (_, v) => v)));
        Assert.Equal(M(("TEST", 3m), ("HELLO", 4m)), Call("TRANSFORM", M(("test", 3.21m), ("hello", 4.49m)), Lambda(SqlTypes.String, (k, _) => ((string)k!).ToUpperInvariant()), Lambda(SqlTypes.Decimal(3, 0), (_, v) => Call("ROUND", A(v)))));
    }

    [Fact]
    public void Reduce_arrays()
    {
        Assert.Equal(11L, Call("REDUCE", L(3, 6), 2L, Lambda(SqlTypes.BigInt, Plus)));
        Assert.Null(Call("REDUCE", L(5, null), 2L, Lambda(SqlTypes.BigInt, Plus)));
        Assert.Equal(2L, Call("REDUCE", Null(IntArray), 2L, Lambda(SqlTypes.BigInt, Plus)));
        Assert.Null(Call("REDUCE", L(1, 2), Null(SqlTypes.BigInt), Lambda(SqlTypes.BigInt, Plus)));
        Assert.Equal("blahblahblaaah", Call("REDUCE", L("blah", "blah", "blaaah"), "", Lambda(SqlTypes.String, (s, x) => Call("CONCAT", A(SqlTypes.String, s), A(SqlTypes.String, x)))));
        Assert.Equal("to be or", Call("REDUCE", L("to be or", null), "", Lambda(SqlTypes.String, (s, x) => Call("CONCAT", A(SqlTypes.String, s), A(SqlTypes.String, x)))));
    }

    [Fact]
    public void Reduce_maps()
    {
        object? Step(object? s, object? k, object? v) => s is null || v is null ? null : ((string)k!).Length > 3 ? (int)s + (int)v : (int)s - (int)v;
        Assert.Equal(-8, Call("REDUCE", M(("123", 3), ("12", 7), ("1234", 2)), 0, Lambda(SqlTypes.Integer, Step)));
        Assert.Null(Call("REDUCE", A(StringIntMap, M(("1", 1), ("ttttt", null), ("", 3))), 0, Lambda(SqlTypes.Integer, Step)));
        Assert.Equal(0, Call("REDUCE", Null(StringIntMap), 0, Lambda(SqlTypes.Integer, Step)));
        Assert.Null(Call("REDUCE", M(("test1", 6)), Null(SqlTypes.BigInt), Lambda(SqlTypes.BigInt, (s, _, v) => Plus(s, v))));

        object? DoubleStep(object? s, object? k, object? v) =>
            ((string)k!).Contains("ye", StringComparison.Ordinal) ? Math.Ceiling((double)v! * (double)s!) : Math.Floor((double)s! * (double)v!);
        // Maps iterate in their own order; ksqlDB's deserializer builds a Java HashMap, whose order
        // JavaHashMapOrder reproduces (the qtt case expects 189).
        var input = M(("yes, thanks", 3.5), ("nope", 7.3), ("sure, yeah", 2.1));
        Assert.Equal(183.0, Call("REDUCE", input, 3.2, Lambda(SqlTypes.Double, DoubleStep)));
        Assert.Equal(189.0, Call("REDUCE", Rhei.Sql.Functions.Runtime.JavaHashMapOrder.Reorder(input), 3.2, Lambda(SqlTypes.Double, DoubleStep)));
        Assert.Equal(["yes, thanks", "sure, yeah", "nope"], Rhei.Sql.Functions.Runtime.JavaHashMapOrder.Reorder(input).Keys);
    }

    [Fact]
    public void Explode_arrays()
    {
        Assert.Equal(L(1L, 2L), Call("EXPLODE", L(1L, 2L)));
        Assert.Equal(L(), Call("EXPLODE", A(IntArray, L())));
        Assert.Equal(L(), Call("EXPLODE", Null(IntArray)));
        Assert.Equal(SqlTypes.Decimal(20, 10), TypeOfCall("EXPLODE", A(SqlTypes.Array(SqlTypes.Decimal(20, 10)), L(123.456m))));
    }

    [Fact]
    public void Cube_explode_skips_duplicate_null_combinations()
    {
        Assert.Equal(L(L(null, null), L(null, 2), L(1, null), L(1, 2)), Call("CUBE_EXPLODE", L(1, 2)));
        Assert.Equal(L(L(null, null), L(1, null)), Call("CUBE_EXPLODE", L(1, null)));
        var three = (List<object?>)Call("CUBE_EXPLODE", L("one", "two", "three"))!;
        Assert.Equal(8, three.Count);
        Assert.Equal(L(null, null, "three"), three[1]);
        Assert.Equal(L("one", "two", "three"), three[7]);
        Assert.Equal(L(L()), Call("CUBE_EXPLODE", A(IntArray, L())));
        Assert.Equal(SqlTypes.Array(SqlTypes.String), TypeOfCall("CUBE_EXPLODE", L("a")));
    }

    [Fact]
    public void Zip_pads_shorter_results_with_nulls()
    {
        var rows = TableFunctions.Zip([L("john", "paul", "george", "ringo"), L(23, 56, 3)]);
        Assert.Equal(4, rows.Count);
        Assert.Equal(["ringo", null], rows[3]);
        Assert.Empty(TableFunctions.Zip([L(), L()]));
    }
}
