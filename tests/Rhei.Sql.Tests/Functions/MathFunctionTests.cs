using Rhei.Formats.Types;
using static Rhei.Sql.Tests.Functions.FunctionTestKit;

namespace Rhei.Sql.Tests.Functions;

public class MathFunctionTests
{
    [Fact]
    public void Abs_keeps_the_type()
    {
        Assert.Equal(1, Call("ABS", -1));
        Assert.Equal(2L, Call("ABS", -2L));
        Assert.Equal(3.1, Call("ABS", -3.1));
        Assert.Equal(3.2m, Call("ABS", -3.2m));
        Assert.Equal(int.MinValue, Call("ABS", int.MinValue));
        Assert.Null(Call("ABS", Null(SqlTypes.Integer)));
    }

    [Theory]
    [InlineData("EXP", -1, 0.36787944117144233)]
    [InlineData("EXP", 0, 1.0)]
    [InlineData("EXP", 1, 2.718281828459045)]
    [InlineData("SQRT", 0, 0.0)]
    [InlineData("SQRT", 1, 1.0)]
    [InlineData("CBRT", -8, -2.0)]
    [InlineData("CBRT", 8, 2.0)]
    [InlineData("LOG", 1, 0.0)]
    [InlineData("LOG", 13, 2.5649493574615367)]
    [InlineData("LN", 1, 0.0)]
    public void Double_functions_of_ints(string name, int x, double expected) => Assert.Equal(expected, Call(name, x));

    [Theory]
    [InlineData("EXP", -2L, 0.1353352832366127)]
    [InlineData("EXP", 2L, 7.38905609893065)]
    [InlineData("SQRT", 2L, 1.4142135623730951)]
    [InlineData("CBRT", 3L, 1.4422495703074083)]
    [InlineData("CBRT", -3L, -1.4422495703074083)]
    public void Double_functions_of_bigints(string name, long x, double expected) => Assert.Equal(expected, Call(name, x));

    [Theory]
    [InlineData("EXP", -3.0, 0.049787068367863944)]
    [InlineData("EXP", 3.0, 20.085536923187668)]
    [InlineData("SQRT", 3.0, 1.7320508075688772)]
    [InlineData("PI_CHECK", 0, 0)]
    public void Double_functions_of_doubles(string name, double x, double expected)
    {
        if (name == "PI_CHECK")
        {
            Assert.Equal(3.141592653589793, Call("PI"));
            return;
        }

        Assert.Equal(expected, Call(name, x));
    }

    [Fact]
    public void Nan_and_infinities_as_java_math_gives_them()
    {
        Assert.Equal(double.NaN, Call("SQRT", -1));
        Assert.Equal(double.NaN, Call("ACOS", 2));
        Assert.Equal(double.NaN, Call("ASIN", -1.1));
        Assert.Equal(double.NegativeInfinity, Call("LOG", 0));
        Assert.Equal(double.NaN, Call("LOG", -13.0));
        Assert.Equal(double.PositiveInfinity, Call("COT", 0));
        Assert.Equal(double.PositiveInfinity, Call("POWER", 10.0, 400.0));
    }

    [Theory]
    [InlineData(15.0, 13.0, 0.9471572411831843)]
    [InlineData(15.0, 1.0, 0.0)]
    [InlineData(15.0, 0.0, double.NegativeInfinity)]
    [InlineData(15.0, -13.0, double.NaN)]
    [InlineData(-15.0, 13.0, double.NaN)]
    [InlineData(0.0, 13.0, double.NaN)]
    [InlineData(1.0, 13.0, double.NaN)]
    public void Log_with_a_base(double b, double v, double expected) => Assert.Equal(expected, Call("LOG", b, v));

    [Fact]
    public void Log_with_int_base_widens()
    {
        Assert.Equal(0.9471572411831843, Call("LOG", 15, 13));
        Assert.Equal(0.9471572411831843, Call("LOG", 15L, 13L));
        Assert.Null(Call("LOG", Null(SqlTypes.Integer), 13));
    }

    [Theory]
    [InlineData(15, -1, 0.06666666666666667)]
    [InlineData(15, 0, 1.0)]
    [InlineData(0, 0, 1.0)]
    [InlineData(15, 13, 1946195068359375.0)]
    [InlineData(-15, 2, 225.0)]
    [InlineData(0, 2, 0.0)]
    public void Power(int b, int e, double expected) => Assert.Equal(expected, Call("POWER", b, e));

    [Theory]
    [InlineData("ACOS", -0.43, 2.0152891037307)]
    [InlineData("ACOS", 0.0, 1.5707963267949)]
    [InlineData("ATAN", -1.1, -0.8329812666744)]
    [InlineData("ATAN", 0.43, 0.4060980583176)]
    [InlineData("COS", -9.1, -0.9477216021311)]
    [InlineData("COS", 0.43, 0.9089657496749)]
    [InlineData("SIN", -9.1, -0.3190983623494)]
    [InlineData("SIN", 0.43, 0.4168708024292)]
    [InlineData("COT", -9.1, 2.9699983263892)]
    [InlineData("COT", 0.43, 2.1804495406685)]
    [InlineData("COSH", 9.1, 4477.646407574158)]
    [InlineData("COSH", 0.43, 1.0938833091358)]
    [InlineData("SINH", -9.1, -4477.64629590835)]
    [InlineData("SINH", 0.43, 0.4433742144125)]
    [InlineData("TANH", 9.1, 0.9999999750615)]
    [InlineData("TANH", -0.43, -0.4053213086895)]
    [InlineData("RADIANS", 70.73163980890013, 1.2345)]
    public void Trigonometry_rounded_to_13_places(string name, double x, double expected) =>
        Assert.Equal(expected, Call("ROUND", A(Call(name, x)), 13));

    [Theory]
    [InlineData("COS", -7, 0.7539022543433)]
    [InlineData("COS", 6, 0.9601702866504)]
    [InlineData("SIN", -7, -0.6569865987188)]
    [InlineData("SIN", 6, -0.2794154981989)]
    [InlineData("COT", -7, -1.1475154224051)]
    [InlineData("COT", 6, -3.4363530041801)]
    [InlineData("COSH", 7, 548.317035155212)]
    [InlineData("SINH", -6, -201.7131573702792)]
    [InlineData("TANH", 7, 0.9999983369439)]
    [InlineData("ATAN", -2, -1.1071487177941)]
    [InlineData("ATAN", 6, 1.4056476493803)]
    [InlineData("ACOS", -1, 3.1415926535898)]
    [InlineData("RADIANS", 114, 1.9896753472735)]
    public void Trigonometry_of_ints_rounded_to_13_places(string name, int x, double expected) =>
        Assert.Equal(expected, Call("ROUND", A(Call(name, x)), 13));

    [Theory]
    [InlineData(-2, -114.591559026165)]
    [InlineData(0, 0.0)]
    [InlineData(2, 114.591559026165)]
    public void Degrees_rounded_to_12_places(int x, double expected) => Assert.Equal(expected, Call("ROUND", A(Call("DEGREES", x)), 12));

    [Fact]
    public void Degrees_of_a_double() => Assert.Equal(70.7316398089, Call("ROUND", A(Call("DEGREES", 1.2345)), 12));

    [Theory]
    [InlineData(-2, -3, -2.5535900500422)]
    [InlineData(-2, 3, -0.5880026035476)]
    [InlineData(-2, 0, -1.5707963267949)]
    [InlineData(2, -3, 2.5535900500422)]
    [InlineData(0, -3, 3.1415926535898)]
    [InlineData(0, 3, 0.0)]
    [InlineData(0, 0, 0.0)]
    public void Atan2(int y, int x, double expected) => Assert.Equal(expected, Call("ROUND", A(Call("ATAN2", y, x)), 13));

    [Fact]
    public void Atan2_with_nulls() => Assert.Null(Call("ATAN2", Null(SqlTypes.Double), 0.45));

    [Theory]
    [InlineData(-1, -1)]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    public void Sign_of_each_numeric_type(int x, int expected)
    {
        Assert.Equal(expected, Call("SIGN", x));
        Assert.Equal(expected, Call("SIGN", (long)x * 2));
        Assert.Equal(expected, Call("SIGN", x * 3.0));
        Assert.Equal(expected, Call("SIGN", x * 1.5m));
        Assert.Equal(SqlTypes.Integer, TypeOfCall("SIGN", x * 3.0));
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0)]
    [InlineData(1.1, 1.0, 2.0)]
    [InlineData(1.5, 1.0, 2.0)]
    [InlineData(-1.1, -2.0, -1.0)]
    [InlineData(-1.5, -2.0, -1.0)]
    [InlineData(-2.0, -2.0, -2.0)]
    public void Floor_and_ceil_of_doubles(double x, double floor, double ceil)
    {
        Assert.Equal(floor, Call("FLOOR", x));
        Assert.Equal(ceil, Call("CEIL", x));
    }

    [Fact]
    public void Floor_and_ceil_of_exact_types()
    {
        Assert.Equal(-1, Call("FLOOR", -1));
        Assert.Equal(7L, Call("CEIL", 7L));
        Assert.Equal("1.0", ((decimal)Call("FLOOR", 1.7m)!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("-2.0", ((decimal)Call("FLOOR", -1.1m)!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2.0", ((decimal)Call("CEIL", 1.1m)!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("-1.0", ((decimal)Call("CEIL", -1.7m)!).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static TheoryData<double, long, double, double, double, double, double, double> RoundCases() => new()
    {
        { 1.2, 1, 1.0, 1.2, 1.2, 1.2, 0.0, 0.0 },
        { 1.7, 2, 2.0, 1.7, 1.7, 1.7, 0.0, 0.0 },
        { 1.5, 2, 2.0, 1.5, 1.5, 1.5, 0.0, 0.0 },
        { 3, 3, 3.0, 3.0, 3.0, 3.0, 0.0, 0.0 },
        { 1.234567, 1, 1.0, 1.2, 1.23, 1.234567, 0.0, 0.0 },
        { 111, 111, 111.0, 111.0, 111.0, 111.0, 110.0, 100.0 },
        { -1.1, -1, -1.0, -1.1, -1.1, -1.1, 0.0, 0.0 },
        { -1.5, -1, -1.0, -1.5, -1.5, -1.5, 0.0, 0.0 },
        { -1.7, -2, -2.0, -1.7, -1.7, -1.7, 0.0, 0.0 },
        { 12345.678, 12346, 12346.0, 12345.7, 12345.68, 12345.678, 12350.0, 12300.0 },
        { -12345.678, -12346, -12346.0, -12345.7, -12345.68, -12345.678, -12350.0, -12300.0 },
    };

    [Theory]
    [MemberData(nameof(RoundCases))]
    public void Round_doubles_half_toward_positive_infinity(double v, long r0, double r00, double r1, double r2, double r10, double m1, double m2)
    {
        Assert.Equal(r0, Call("ROUND", v));
        Assert.Equal(r00, Call("ROUND", v, 0));
        Assert.Equal(r1, Call("ROUND", v, 1));
        Assert.Equal(r2, Call("ROUND", v, 2));
        Assert.Equal(r10, Call("ROUND", v, 10));
        Assert.Equal(m1, Call("ROUND", v, -1));
        Assert.Equal(m2, Call("ROUND", v, -2));
    }

    [Fact]
    public void Round_halves_go_up_even_for_negative_numbers_and_binary_fractions()
    {
        Assert.Equal(-2L, Call("ROUND", -2.5));
        Assert.Equal(3L, Call("ROUND", 2.5));
        Assert.Equal(1.01, Call("ROUND", 1.005, 2));
        Assert.Equal(-1.0, Call("ROUND", -1.05, 1));
        Assert.Equal(0L, Call("ROUND", 0.49999999999999994));
        Assert.Equal(long.MaxValue, Call("ROUND", 1e300));
    }

    [Fact]
    public void Round_decimals()
    {
        Assert.Equal(12345678987654321m, Call("ROUND", 12345678987654321.2345678987m));
        Assert.Equal("12345678987654321.234567898800", ((decimal)Call("ROUND", 12345678987654321.2345678987654m, 10)!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(12345678987654320m, Call("ROUND", 12345678987654321.2m, -1));
        Assert.Equal(11m, Call("ROUND", 10.50m));
        Assert.Equal(-10m, Call("ROUND", -10.50m));
        Assert.Equal(3m, Call("ROUND", 3.21m));
    }

    [Fact]
    public void Round_and_trunc_of_ints_with_negative_places()
    {
        Assert.Equal(1200, Call("ROUND", 1234, -2));
        Assert.Equal(1300, Call("ROUND", 1250, -2));
        Assert.Equal(1234, Call("ROUND", 1234, 2));
        Assert.Equal(1200L, Call("TRUNC", 1299L, -2));
        Assert.Equal(-1200, Call("TRUNC", -1299, -2));
        Assert.Equal(5, Call("ROUND", 5));
    }

    public static TheoryData<double, long, double, double, double, double, double> TruncCases() => new()
    {
        { 1.7, 1, 1.0, 1.7, 1.7, 0.0, 0.0 },
        { 1.234567, 1, 1.0, 1.2, 1.23, 0.0, 0.0 },
        { 111, 111, 111.0, 111.0, 111.0, 110.0, 100.0 },
        { -1.7, -1, -1.0, -1.7, -1.7, 0.0, 0.0 },
        { 12345.678, 12345, 12345.0, 12345.6, 12345.67, 12340.0, 12300.0 },
        { -12345.678, -12345, -12345.0, -12345.6, -12345.67, -12340.0, -12300.0 },
    };

    [Theory]
    [MemberData(nameof(TruncCases))]
    public void Trunc_doubles_toward_zero(double v, long r0, double r00, double r1, double r2, double m1, double m2)
    {
        Assert.Equal(r0, Call("TRUNC", v));
        Assert.Equal(r00, Call("TRUNC", v, 0));
        Assert.Equal(r1, Call("TRUNC", v, 1));
        Assert.Equal(r2, Call("TRUNC", v, 2));
        Assert.Equal(m1, Call("TRUNC", v, -1));
        Assert.Equal(m2, Call("TRUNC", v, -2));
    }

    [Theory]
    [InlineData("12345.678", "12345", "12345.6", "12340")]
    [InlineData("-12345.678", "-12345", "-12345.6", "-12340")]
    [InlineData("1.5", "1", "1.5", "0")]
    public void Trunc_decimals(string v, string r0, string r1, string m1)
    {
        var d = decimal.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(decimal.Parse(r0, System.Globalization.CultureInfo.InvariantCulture), Call("TRUNC", d));
        Assert.Equal(decimal.Parse(r1, System.Globalization.CultureInfo.InvariantCulture), Call("TRUNC", d, 1));
        Assert.Equal(decimal.Parse(m1, System.Globalization.CultureInfo.InvariantCulture), Call("TRUNC", d, -1));
    }

    [Fact]
    public void Random_is_in_unit_interval()
    {
        for (var i = 0; i < 100; i++)
        {
            var r = (double)Call("RANDOM")!;
            Assert.InRange(r, 0.0, 0.9999999999999999);
        }
    }

    [Fact]
    public void Greatest_and_least_skip_nulls()
    {
        Assert.Equal(long.MaxValue, Call("GREATEST", long.MaxValue, long.MinValue, Null(SqlTypes.BigInt), Nul));
        Assert.Equal(int.MinValue, Call("LEAST", int.MaxValue, int.MinValue, Null(SqlTypes.Integer), Nul, 5));
        Assert.Equal(123456.789m, Call("GREATEST", 123456.789m, -987654.321m, Null(SqlTypes.Decimal(9, 3)), Nul));
        Assert.Equal(-987654.321m, Call("LEAST", 123456.789m, -987654.321m));
        Assert.Equal(50000.555, Call("GREATEST", 50000.555, -99999.555, Null(SqlTypes.Double)));
        Assert.Null(Call("GREATEST", Null(SqlTypes.Integer), Nul));
        Assert.Equal(double.NaN, Call("GREATEST", 1.0, double.NaN));
        Assert.Equal(1.0, Call("LEAST", 1.0, double.NaN));
        Assert.True(double.IsNegative((double)Call("LEAST", 0.0, -0.0)!));
    }

    [Fact]
    public void Greatest_widens_to_double()
    {
        Assert.Equal(1000000000000.0, Call("GREATEST", -1, 1000000000000L, 99999.99999m, Null(SqlTypes.Double), Nul));
        Assert.Equal(500000.0, Call("GREATEST", 500000, 1L, 99999.99999m, Null(SqlTypes.Double)));
        Assert.Equal(-1000000000000.0, Call("LEAST", 1, -1000000000000L, -99999.99999m, Null(SqlTypes.Double)));
    }

    [Fact]
    public void Greatest_and_least_of_bytes_strings_and_times()
    {
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString((byte[])Call("GREATEST", B64("YXBwbGU="), B64("YmFuYW5h"), B64("YWFyZGF2YXJr"), Null(SqlTypes.Bytes), Nul, System.Text.Encoding.ASCII.GetBytes("hello"))!));
        Assert.Equal("zebra", System.Text.Encoding.ASCII.GetString((byte[])Call("GREATEST", B64("IQ=="), B64("emVicmE="), B64("YWFyZGF2YXJr"))!));
        Assert.Equal("aardavark", System.Text.Encoding.ASCII.GetString((byte[])Call("LEAST", B64("YXBwbGU="), B64("YmFuYW5h"), B64("YWFyZGF2YXJr"))!));
        Assert.Equal("b", Call("GREATEST", "a", "b", "B"));
        Assert.Equal(Day(19157), Call("GREATEST", Day(19071), Day(18824), Day(-5883), Null(SqlTypes.Date), Nul, Lit("2022-06-14")));
        Assert.Equal(Day(19187), Call("GREATEST", Day(19158), Day(19187), Day(-92), Lit("2022-06-14")));
        Assert.Equal(Tm(33360000), Call("GREATEST", Tm(33359999), Tm(23361230), Tm(10), Lit("09:16:00")));
        Assert.Equal(Tm(10), Call("LEAST", Tm(33359999), Tm(23361230), Tm(10), Lit("09:16:00")));
        Assert.Equal(Ts(-508291200000), Call("LEAST", Ts(1647734400000), Ts(1626393600000), Ts(-508291200000), Lit("2022-06-14")));
        Assert.Equal(Ts(1655164800000), Call("LEAST", Null(SqlTypes.Timestamp), Lit("2022-06-14")));
    }

    [Theory]
    [InlineData(37.4439, -122.1663, 51.5257, -0.1122, "KM", 8634.659796579544)]
    [InlineData(37.4439, -122.1663, 51.5257, -0.1122, "MI", 5365.659729188262)]
    [InlineData(51.5257, -0.1122, -33.9323, 18.4197, "KM", 9673.40421197142)]
    [InlineData(51.5257, -0.1122, -33.9323, 18.4197, "MI", 6011.1453892944355)]
    [InlineData(-33.9323, 18.4197, -33.8666, 151.1, "KM", 11005.23304055582)]
    [InlineData(-33.9323, 18.4197, -33.8666, 151.1, "MI", 6838.756491533589)]
    [InlineData(39.18660374, -76.73262144, 39.18660374, -76.73222145, "KM", 0.03447366811448324)]
    public void Geo_distance(double lat1, double lon1, double lat2, double lon2, string unit, double expected)
    {
        Assert.Equal(expected, Call("GEO_DISTANCE", lat1, lon1, lat2, lon2, unit));
        if (unit == "KM")
        {
            Assert.Equal(expected, Call("GEO_DISTANCE", lat1, lon1, lat2, lon2));
        }
    }

    [Fact]
    public void Geo_distance_with_int_arguments_and_bad_input()
    {
        Assert.Equal(8682.459061368269, Call("GEO_DISTANCE", 37.4439, -122.1663, 51, 0));
        Assert.Equal(8682.459061368269, (double)Call("GEO_DISTANCE", 37.4439, -122.1663, 51L, 0)!, 9);
        Assert.Throws<Rhei.Sql.Functions.SqlFunctionException>(() => Call("GEO_DISTANCE", 91.0, 0.0, 0.0, 0.0));
        Assert.Throws<Rhei.Sql.Functions.SqlFunctionException>(() => Call("GEO_DISTANCE", 1.0, 0.0, 0.0, 0.0, "parsecs"));
        Assert.Null(Call("GEO_DISTANCE", 1.0, 0.0, Null(SqlTypes.Double), 0.0));
    }
}
