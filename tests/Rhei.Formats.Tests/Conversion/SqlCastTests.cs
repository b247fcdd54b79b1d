using System.Globalization;
using System.Linq.Expressions;
using Rhei.Formats.Conversion;
using Rhei.Formats.Types;

namespace Rhei.Formats.Tests.Conversion;

public class SqlCastTests
{
    private static readonly SqlType Int = SqlTypes.Integer;
    private static readonly SqlType BigInt = SqlTypes.BigInt;
    private static readonly SqlType Dbl = SqlTypes.Double;
    private static readonly SqlType Str = SqlTypes.String;

    public static TheoryData<string, SqlType, SqlType, object?, object?> Casts() => new()
    {
        { "int to bigint", Int, BigInt, -1, -1L },
        { "int to double", Int, Dbl, 3, 3.0 },
        { "int to string", Int, Str, -1, "-1" },
        { "int to decimal", Int, SqlTypes.Decimal(2, 1), 1, 1.0m },
        { "bigint to int wraps", BigInt, Int, 2147483648L, int.MinValue },
        { "bigint to string", BigInt, Str, 2147483648L, "2147483648" },
        { "double to int truncates", Dbl, Int, 1.2, 1 },
        { "negative double to int truncates", Dbl, Int, -1.9, -1 },
        { "double to int saturates", Dbl, Int, 1e20, int.MaxValue },
        { "NaN to int is 0", Dbl, Int, double.NaN, 0 },
        { "double to bigint", Dbl, BigInt, -3.99, -3L },
        { "double to string", Dbl, Str, 1e10, "1.0E10" },
        { "double to decimal rounds half up", Dbl, SqlTypes.Decimal(3, 2), 1.005, 1.01m },
        { "decimal to int", SqlTypes.Decimal(4, 2), Int, 10.01m, 10 },
        { "decimal to bigint", SqlTypes.Decimal(4, 2), BigInt, 10.01m, 10L },
        { "decimal to double", SqlTypes.Decimal(4, 2), Dbl, 0.01m, 0.01 },
        { "decimal to string", SqlTypes.Decimal(4, 2), Str, 0.00m, "0.00" },
        { "decimal to wider decimal", SqlTypes.Decimal(4, 2), SqlTypes.Decimal(5, 3), 10.12m, 10.120m },
        { "string to boolean", Str, SqlTypes.Boolean, "TRUE", true },
        { "string to boolean other text", Str, SqlTypes.Boolean, "yes", false },
        { "string to int", Str, Int, " 42 ", 42 },
        { "string to bigint", Str, BigInt, "-9000000000", -9000000000L },
        { "string to double", Str, Dbl, "1.5e3", 1500.0 },
        { "string to decimal", Str, SqlTypes.Decimal(2, 1), "0.99", 1.0m },
        { "string to decimal rounds down", Str, SqlTypes.Decimal(2, 1), "0.01", 0.0m },
        { "boolean to string", SqlTypes.Boolean, Str, false, "false" },
        { "string to timestamp", Str, SqlTypes.Timestamp, "2022-04-28T21:44:47.943", Ts(1651182287943) },
        { "string to timestamp with zone", Str, SqlTypes.Timestamp, "2022-04-28T21:44:47.943Z", Ts(1651182287943) },
        { "string to timestamp with offset", Str, SqlTypes.Timestamp, "2022-04-28T23:44:47.943+02:00", Ts(1651182287943) },
        { "partial timestamp", Str, SqlTypes.Timestamp, "2022-04-28T21", Ts(1651179600000) },
        { "string to date", Str, SqlTypes.Date, "1970-01-10", new DateOnly(1970, 1, 10) },
        { "partial date", Str, SqlTypes.Date, "1970-01", new DateOnly(1970, 1, 1) },
        { "date before the epoch", Str, SqlTypes.Date, "1969-12-31", new DateOnly(1969, 12, 31) },
        { "string to time", Str, SqlTypes.Time, "00:00:00.010", new TimeOnly(0, 0, 0, 10) },
        { "string to time minutes", Str, SqlTypes.Time, "00:01", new TimeOnly(0, 1) },
        { "timestamp to date", SqlTypes.Timestamp, SqlTypes.Date, Ts(86400100), new DateOnly(1970, 1, 2) },
        { "negative timestamp to date floors", SqlTypes.Timestamp, SqlTypes.Date, Ts(-2000), new DateOnly(1969, 12, 31) },
        { "timestamp to time", SqlTypes.Timestamp, SqlTypes.Time, Ts(86400100), new TimeOnly(0, 0, 0, 100) },
        { "negative timestamp to time", SqlTypes.Timestamp, SqlTypes.Time, Ts(-2000), TimeOnly.FromTimeSpan(TimeSpan.FromMilliseconds(86398000)) },
        { "timestamp to string", SqlTypes.Timestamp, Str, Ts(10), "1970-01-01T00:00:00.010" },
        { "date to timestamp", SqlTypes.Date, SqlTypes.Timestamp, new DateOnly(1970, 1, 11), Ts(864000000) },
        { "date to string", SqlTypes.Date, Str, new DateOnly(1970, 1, 5), "1970-01-05" },
        { "time to string", SqlTypes.Time, Str, new TimeOnly(0, 0, 5), "00:00:05" },
        { "time with millis to string", SqlTypes.Time, Str, new TimeOnly(0, 0, 0, 10), "00:00:00.010" },
        { "null stays null", Str, Int, null, null },
        { "null decimal", Dbl, SqlTypes.Decimal(4, 2), null, null },
    };

    [Theory]
    [MemberData(nameof(Casts))]
    public void Casts_primitive_values(string name, SqlType from, SqlType to, object? input, object? expected)
    {
        Assert.True(SqlCast.CanCast(from, to), name);
        var converted = SqlCast.CreateConverter(from, to)(input);
        Assert.Equal(expected, converted);
        if (expected is decimal d)
        {
            Assert.Equal(d.Scale, ((decimal)converted!).Scale);
        }
    }

    [Theory]
    [MemberData(nameof(Casts))]
    public void Typed_expressions_give_the_same_results(string name, SqlType from, SqlType to, object? input, object? expected)
    {
        var parameter = Expression.Parameter(from.NullableClrType(), "v");
        var body = SqlCast.BuildExpression(parameter, from, to);
        Assert.Equal(to.NullableClrType(), body.Type);
        var typedInput = input;
        var result = Expression.Lambda(body, parameter).Compile().DynamicInvoke(typedInput);
        Assert.True(Equals(expected, result), name);
    }

    [Fact]
    public void Typed_cast_methods_are_callable_directly()
    {
        Assert.Equal(7, CastFunctions.StringToInteger("7"));
        Assert.Null(CastFunctions.StringToInteger(null));
        Assert.Equal(1.5m, CastFunctions.IntegerToDecimal(null, 2, 1) ?? 1.5m);
        Assert.Same(typeof(CastFunctions).GetMethod(nameof(CastFunctions.StringToDate)), SqlCast.FindMethod(SqlBaseType.String, SqlBaseType.Date));
    }

    [Fact]
    public void Integer_to_a_too_narrow_decimal_fails()
    {
        var convert = SqlCast.CreateConverter(Int, SqlTypes.Decimal(2, 1));
        Assert.Equal(-1.0m, convert(-1));
        var e = Assert.Throws<OverflowException>(() => convert(10));
        Assert.Contains("Numeric field overflow", e.Message);
    }

    [Theory]
    [InlineData("INTEGER", "hello", "invalid input syntax for type INTEGER: \"hello\".")]
    [InlineData("BIGINT", "1.5", "invalid input syntax for type BIGINT: \"1.5\".")]
    [InlineData("DOUBLE", "x1", "invalid input syntax for type DOUBLE: \"x1\".")]
    public void Unparsable_strings_fail_with_ksqlDB_text(string type, string text, string message)
    {
        SqlType target = type switch { "INTEGER" => Int, "BIGINT" => BigInt, _ => Dbl };
        var e = Assert.Throws<FormatException>(() => SqlCast.CreateConverter(Str, target)(text));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("1970-13-01")]
    [InlineData("70-01-01")]
    public void Bad_dates_fail(string text)
    {
        Assert.Throws<FormatException>(() => SqlCast.CreateConverter(Str, SqlTypes.Date)(text));
    }

    [Fact]
    public void Bad_times_and_timestamps_fail()
    {
        Assert.Throws<FormatException>(() => SqlCast.CreateConverter(Str, SqlTypes.Time)("foo"));
        Assert.Throws<FormatException>(() => SqlCast.CreateConverter(Str, SqlTypes.Time)("25:00"));
        var e = Assert.Throws<FormatException>(() => SqlCast.CreateConverter(Str, SqlTypes.Timestamp)("2022-04-28 21:44"));
        Assert.StartsWith("Failed to parse timestamp '2022-04-28 21:44'", e.Message);
    }

    [Fact]
    public void Arrays_cast_element_wise()
    {
        var from = SqlTypes.Array(SqlTypes.Array(BigInt));
        var to = SqlTypes.Array(SqlTypes.Array(Str));
        var input = new List<object?> { new List<object?> { 1L, 3L, 2147483648L }, new List<object?> { -1L, null } };
        var result = (List<object?>)SqlCast.CreateConverter(from, to)(input)!;
        Assert.Equal(new object?[] { "1", "3", "2147483648" }, (List<object?>)result[0]!);
        Assert.Equal(new object?[] { "-1", null }, (List<object?>)result[1]!);
    }

    [Fact]
    public void Maps_cast_keys_and_values()
    {
        var from = SqlTypes.Map(Str, BigInt);
        var to = SqlTypes.Map(Str, Int);
        var result = (Dictionary<object, object?>)SqlCast.CreateConverter(from, to)(new Dictionary<object, object?> { ["this"] = 2147483648L })!;
        Assert.Equal(int.MinValue, result["this"]);
    }

    [Fact]
    public void Structs_cast_by_field_name()
    {
        var from = SqlTypes.Struct(new SqlField("F0", Int), new SqlField("f1", Int), new SqlField("X", Str));
        var to = SqlTypes.Struct(new SqlField("f1", BigInt), new SqlField("F0", Str), new SqlField("NEW", Int));
        var value = new SqlStruct(from, [1, 3, "x"]);
        var result = (SqlStruct)SqlCast.CreateConverter(from, to)(value)!;
        Assert.Equal(to, result.Type);
        Assert.Equal(new object?[] { 3L, "1", null }, result.Values);
    }

    [Fact]
    public void Complex_values_cast_to_their_Java_text()
    {
        Assert.Equal("[1, 3]", SqlCast.CreateConverter(SqlTypes.Array(Int), Str)(new List<object?> { 1, 3 }));
        Assert.Equal("{this=1}", SqlCast.CreateConverter(SqlTypes.Map(Str, Int), Str)(new Dictionary<object, object?> { ["this"] = 1 }));
        var structType = SqlTypes.Struct(new SqlField("F0", Int), new SqlField("f1", Int), new SqlField("N", Int));
        Assert.Equal("Struct{F0=1,f1=3}", SqlCast.CreateConverter(structType, Str)(new SqlStruct(structType, [1, 3, null])));
        Assert.Equal("[a, null, [1.0E10]]", SqlValueText.ToJavaString(new List<object?> { "a", null, new List<object?> { 1e10 } }));
        Assert.Equal("[1970-01-01 00:00:00.01]", SqlValueText.ToJavaString(new List<object?> { Ts(10) }));
    }

    [Theory]
    [InlineData("STRING", "ARRAY<INTEGER>")]
    [InlineData("STRING", "MAP<STRING, INTEGER>")]
    [InlineData("STRING", "STRUCT<`F0` STRING, `F1` INTEGER>")]
    [InlineData("BYTES", "STRING")]
    [InlineData("STRING", "BYTES")]
    [InlineData("BOOLEAN", "INTEGER")]
    [InlineData("INTEGER", "BOOLEAN")]
    [InlineData("TIME", "TIMESTAMP")]
    [InlineData("DATE", "TIME")]
    [InlineData("ARRAY<BYTES>", "ARRAY<STRING>")]
    public void Unsupported_casts_are_refused_with_ksqlDB_text(string from, string to)
    {
        var fromType = Parse(from);
        var toType = Parse(to);
        Assert.False(SqlCast.CanCast(fromType, toType));
        var e = Assert.Throws<NotSupportedException>(() => SqlCast.BuildExpression(Expression.Parameter(typeof(object)), fromType, toType));
        Assert.Equal($"Cast of {from} to {to} is not supported", e.Message);
    }

    [Fact]
    public void Boxed_inputs_are_unboxed_by_the_expression()
    {
        var parameter = Expression.Parameter(typeof(object), "v");
        var body = SqlCast.BuildExpression(parameter, Int, BigInt);
        var f = Expression.Lambda<Func<object?, long?>>(body, parameter).Compile();
        Assert.Equal(5L, f(5));
        Assert.Null(f(null));
    }

    private static DateTime Ts(long ms) => DateTime.UnixEpoch.AddTicks(ms * TimeSpan.TicksPerMillisecond);

    private static SqlType Parse(string text) => text switch
    {
        "STRING" => Str,
        "BYTES" => SqlTypes.Bytes,
        "BOOLEAN" => SqlTypes.Boolean,
        "INTEGER" => Int,
        "TIME" => SqlTypes.Time,
        "DATE" => SqlTypes.Date,
        "TIMESTAMP" => SqlTypes.Timestamp,
        "ARRAY<INTEGER>" => SqlTypes.Array(Int),
        "ARRAY<BYTES>" => SqlTypes.Array(SqlTypes.Bytes),
        "ARRAY<STRING>" => SqlTypes.Array(Str),
        "MAP<STRING, INTEGER>" => SqlTypes.Map(Str, Int),
        "STRUCT<`F0` STRING, `F1` INTEGER>" => SqlTypes.Struct(new SqlField("F0", Str), new SqlField("F1", Int)),
        _ => throw new ArgumentException(text),
    };
}
