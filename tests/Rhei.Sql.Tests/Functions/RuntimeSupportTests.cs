using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using Rhei.Sql.Functions.Aggregate;
using Rhei.Sql.Functions.Runtime;
using static Rhei.Sql.Tests.Functions.FunctionTestKit;

namespace Rhei.Sql.Tests.Functions;

/// <summary>The helpers the functions build on: Java number text, value order, casts, hashing, paths, units.</summary>
public class RuntimeSupportTests
{
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(15.3, "15.3")]
    [InlineData(-23.42, "-23.42")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0001, "1.0E-4")]
    [InlineData(1234567.0, "1234567.0")]
    [InlineData(9999999.0, "9999999.0")]
    [InlineData(10000000.0, "1.0E7")]
    [InlineData(1.2345678e10, "1.2345678E10")]
    [InlineData(4.611686018427388e18, "4.611686018427388E18")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157E308")]
    [InlineData(123.456e-10, "1.23456E-8")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Doubles_print_as_java_prints_them(double value, string expected) => Assert.Equal(expected, JavaText.FormatDouble(value));

    [Fact]
    public void Values_print_as_java_string_value_of()
    {
        Assert.Equal("null", JavaText.ToJavaString(null));
        Assert.Equal("[1, null, a]", JavaText.ToJavaString(L(1, null, "a")));
        Assert.Equal("{k=1.5}", JavaText.ToJavaString(M(("k", 1.5))));
        var type = SqlTypes.Struct(new SqlField("A", SqlTypes.String), new SqlField("B", SqlTypes.Integer));
        Assert.Equal("Struct{A=bar}", JavaText.ToJavaString(new SqlStruct(type, ["bar", null])));
        Assert.Equal("123.4560000000", JavaText.ToJavaString(123.4560000000m));
        Assert.Equal("2024-02-29", JavaText.ToJavaString(new DateOnly(2024, 2, 29)));
        Assert.Equal("00:00:05", JavaText.ToJavaString(Tm(5000)));
        Assert.Equal("00:00:00.010", JavaText.ToJavaString(Tm(10)));
        Assert.Equal("1970-01-01T00:00:00.010", JavaText.ToJavaString(Ts(10)));
    }

    [Fact]
    public void Value_order_is_java_order()
    {
        var order = SqlValueOrder.Instance;
        Assert.True(order.Compare("Food", "foo") < 0);
        Assert.True(order.Compare("b10", "b2") < 0);
        Assert.True(order.Compare(false, true) < 0);
        Assert.True(order.Compare(double.NaN, double.PositiveInfinity) > 0);
        Assert.True(order.Compare(-0.0, 0.0) < 0);
        Assert.Equal(0, order.Compare(1.0m, 1.00m));
        Assert.True(order.Compare(new byte[] { 0x80 }, new byte[] { 0x01 }) < 0);
        Assert.True(order.Compare(new byte[] { 1 }, new byte[] { 1, 0 }) < 0);
        Assert.True(order.Compare(null, 1) < 0);
        Assert.True(order.Compare(1, 2L) < 0);
        Assert.Throws<SqlFunctionException>(() => order.Compare(L(1), L(2)));
    }

    [Fact]
    public void Common_type_of_generic_arguments()
    {
        Assert.Equal(SqlTypes.BigInt, ImplicitCasts.CommonType([(SqlTypes.Integer, false), (SqlTypes.BigInt, false)]));
        Assert.Equal(SqlTypes.Double, ImplicitCasts.CommonType([(SqlTypes.Decimal(4, 2), false), (SqlTypes.Double, false)]));
        Assert.Equal(SqlTypes.Decimal(12, 2), ImplicitCasts.CommonType([(SqlTypes.Decimal(4, 2), false), (SqlTypes.Integer, false)]));
        Assert.Equal(SqlTypes.Array(SqlTypes.BigInt), ImplicitCasts.CommonType([(SqlTypes.Array(SqlTypes.Integer), false), (SqlTypes.Array(SqlTypes.BigInt), false)]));
        Assert.Equal(SqlTypes.Date, ImplicitCasts.CommonType([(SqlTypes.String, true), (SqlTypes.Date, false)]));
        Assert.Equal(SqlTypes.String, ImplicitCasts.CommonType([(SqlTypes.String, true), (SqlTypes.String, true)]));
        Assert.Null(ImplicitCasts.CommonType([(SqlTypes.String, true), (SqlTypes.Integer, false)]));
        Assert.Null(ImplicitCasts.CommonType([(SqlTypes.String, false), (SqlTypes.Date, false)]));
        Assert.Equal(SqlTypes.Decimal(38, 10), ImplicitCasts.WidenDecimal(SqlTypes.Decimal(38, 0), SqlTypes.Decimal(20, 10)));
    }

    [Fact]
    public void Stable_hash_never_changes_across_processes()
    {
        // These values are stored in state stores (COUNT_DISTINCT); they must not change between versions.
        Assert.Equal(15670708927262360114UL, StableHash.Of("hello"));
        Assert.Equal(StableHash.Of(1.0m), StableHash.Of(1.000m));
        Assert.Equal(StableHash.Of(M(("a", 1), ("b", 2))), StableHash.Of(M(("b", 2), ("a", 1))));
        Assert.NotEqual(StableHash.Of(1), StableHash.Of("1"));
        Assert.Equal(StableHash.Of(0.0), StableHash.Of(-0.0));
    }

    [Fact]
    public void Count_distinct_switches_to_a_sketch_and_merges_both_forms()
    {
        var cd = CreateAggregator("COUNT_DISTINCT", [A(SqlTypes.Integer, null)]);
        object? big = cd.Initialize();
        object? small = cd.Initialize();
        for (var i = 0; i < 1000; i++)
        {
            big = cd.Aggregate(i, big);
        }

        for (var i = 990; i < 1010; i++)
        {
            small = cd.Aggregate(i, small);
        }

        Assert.Equal(4096, ((byte[])big!).Length);
        Assert.InRange((long)cd.Map(big)!, 960L, 1040L);
        Assert.Equal(20L, cd.Map(small));
        Assert.InRange((long)cd.Map(cd.Merge(small, big))!, 970L, 1050L);
    }

    [Theory]
    [InlineData("$.a.b[2]", new object[] { "a", "b", 2 })]
    [InlineData("$['x y'][0]", new object[] { "x y", 0 })]
    [InlineData("$", new object[0])]
    [InlineData("$.@type", new object[] { "@type" })]
    public void Json_paths_parse_into_steps(string path, object[] steps) => Assert.Equal(steps, JsonPath.Parse(path).Steps);

    [Theory]
    [InlineData("DAYS", IntervalUnit.Days)]
    [InlineData("day", IntervalUnit.Days)]
    [InlineData("MILLISECONDS", IntervalUnit.Milliseconds)]
    [InlineData("Hour", IntervalUnit.Hours)]
    public void Interval_units_parse(string text, IntervalUnit expected)
    {
        Assert.True(IntervalUnits.TryParse(text, out var unit));
        Assert.Equal(expected, unit);
    }

    [Fact]
    public void Interval_units_convert_to_milliseconds()
    {
        Assert.Equal(86_400_000L, IntervalUnits.ToMilliseconds(IntervalUnit.Days, 1));
        Assert.Equal(1L, IntervalUnits.ToMilliseconds(IntervalUnit.Microseconds, 1999));
        Assert.Equal(0L, IntervalUnits.ToMilliseconds(IntervalUnit.Nanoseconds, 999_999));
        Assert.Equal(long.MaxValue, IntervalUnits.ToMilliseconds(IntervalUnit.Days, long.MaxValue / 1000));
        Assert.False(IntervalUnits.TryParse("fortnights", out _));
    }

    [Fact]
    public void Java_hash_codes()
    {
        Assert.Equal(99162322, JavaHashMapOrder.JavaHashCode("hello"));
        Assert.Equal(0, JavaHashMapOrder.JavaHashCode(""));
        Assert.Equal(1231, JavaHashMapOrder.JavaHashCode(true));
        Assert.Equal(L("a", "b", "c"), L([.. JavaHashMapOrder.Reorder(M(("c", 3), ("a", 1), ("b", 2))).Keys]));
    }
}
