using Rhei.Formats.Conversion;
using Rhei.Formats.Types;

namespace Rhei.Formats.Tests.Conversion;

public class SqlCoercionTests
{
    [Fact]
    public void Numbers_widen_in_one_direction()
    {
        SqlType[] order = [SqlTypes.Integer, SqlTypes.BigInt, SqlTypes.Decimal(4, 2), SqlTypes.Double];
        for (var i = 0; i < order.Length; i++)
        {
            for (var j = 0; j < order.Length; j++)
            {
                Assert.Equal(i <= j, SqlCoercion.CanImplicitlyCast(order[i], order[j]));
            }
        }

        Assert.False(SqlCoercion.CanImplicitlyCast(SqlTypes.String, SqlTypes.Integer));
        Assert.False(SqlCoercion.CanImplicitlyCast(SqlTypes.Integer, SqlTypes.String));
        Assert.False(SqlCoercion.CanImplicitlyCast(SqlTypes.Boolean, SqlTypes.Integer));
        Assert.True(SqlCoercion.CanImplicitlyCast(SqlTypes.Date, SqlTypes.Timestamp));
        Assert.False(SqlCoercion.CanImplicitlyCast(SqlTypes.Timestamp, SqlTypes.Date));
    }

    [Fact]
    public void Collections_coerce_structurally()
    {
        Assert.True(SqlCoercion.CanImplicitlyCast(SqlTypes.Array(SqlTypes.Integer), SqlTypes.Array(SqlTypes.BigInt)));
        Assert.False(SqlCoercion.CanImplicitlyCast(SqlTypes.Array(SqlTypes.BigInt), SqlTypes.Array(SqlTypes.Integer)));
        Assert.True(SqlCoercion.CanImplicitlyCast(SqlTypes.Map(SqlTypes.String, SqlTypes.Integer), SqlTypes.Map(SqlTypes.String, SqlTypes.Double)));
        var narrow = SqlTypes.Struct(new SqlField("A", SqlTypes.Integer), new SqlField("B", SqlTypes.String));
        var wide = SqlTypes.Struct(new SqlField("A", SqlTypes.BigInt), new SqlField("C", SqlTypes.Boolean));
        Assert.True(SqlCoercion.CanImplicitlyCast(narrow, wide));
        Assert.False(SqlCoercion.CanImplicitlyCast(wide, narrow));
    }

    [Fact]
    public void Integers_count_as_decimals_of_10_and_19_digits()
    {
        Assert.Equal(SqlTypes.Decimal(12, 2), SqlCoercion.WidenNumeric(SqlTypes.Integer, SqlTypes.Decimal(4, 2)));
        Assert.Equal(SqlTypes.Decimal(21, 2), SqlCoercion.WidenNumeric(SqlTypes.Decimal(4, 2), SqlTypes.BigInt));
        Assert.Equal(SqlTypes.Decimal(5, 3), SqlCoercion.WidenNumeric(SqlTypes.Decimal(4, 2), SqlTypes.Decimal(5, 3)));
        Assert.Equal(SqlTypes.Decimal(6, 3), SqlCoercion.WidenNumeric(SqlTypes.Decimal(4, 1), SqlTypes.Decimal(5, 3)));
        Assert.Equal(SqlTypes.Double, SqlCoercion.WidenNumeric(SqlTypes.Decimal(4, 2), SqlTypes.Double));
        Assert.Equal(SqlTypes.BigInt, SqlCoercion.WidenNumeric(SqlTypes.Integer, SqlTypes.BigInt));
    }

    [Fact]
    public void Common_type_of_expression_lists()
    {
        Assert.True(SqlCoercion.TryGetCommonType([null, SqlTypes.Integer, SqlTypes.BigInt], out var t));
        Assert.Equal(SqlTypes.BigInt, t);

        Assert.True(SqlCoercion.TryGetCommonType([SqlTypes.Integer, SqlTypes.Decimal(2, 1), SqlTypes.Decimal(3, 2)], out t));
        Assert.Equal(SqlTypes.Decimal(12, 2), t);

        Assert.False(SqlCoercion.TryGetCommonType([SqlTypes.Integer, SqlTypes.Boolean], out _));
        Assert.False(SqlCoercion.TryGetCommonType([SqlTypes.Date, SqlTypes.Timestamp], out _));
        Assert.True(SqlCoercion.TryGetCommonType([SqlTypes.Timestamp, SqlTypes.Date], out t));
        Assert.Equal(SqlTypes.Timestamp, t);

        Assert.True(SqlCoercion.TryGetCommonType([null, null], out t));
        Assert.Null(t);

        Assert.True(SqlCoercion.TryGetCommonType([SqlTypes.Array(SqlTypes.Integer), SqlTypes.Array(SqlTypes.BigInt)], out t));
        Assert.Equal(SqlTypes.Array(SqlTypes.BigInt), t);
        Assert.False(SqlCoercion.TryGetCommonType([SqlTypes.Array(SqlTypes.BigInt), SqlTypes.Array(SqlTypes.Boolean)], out _));
    }

    [Fact]
    public void Common_type_of_structs_is_the_superset_of_fields()
    {
        var xy = SqlTypes.Struct(new SqlField("X", SqlTypes.Integer), new SqlField("Y", SqlTypes.BigInt));
        var yz = SqlTypes.Struct(new SqlField("Y", SqlTypes.Integer), new SqlField("Z", SqlTypes.BigInt));
        Assert.True(SqlCoercion.TryGetCommonType([null, xy, yz], out var t));
        Assert.Equal(SqlTypes.Struct(new SqlField("X", SqlTypes.Integer), new SqlField("Y", SqlTypes.BigInt), new SqlField("Z", SqlTypes.BigInt)), t);

        var coerce = SqlCoercion.CreateCoercer(yz, t!);
        var value = (SqlStruct)coerce(new SqlStruct(yz, [30, 40L]))!;
        Assert.Equal(new object?[] { null, 30L, 40L }, value.Values);
    }

    [Fact]
    public void Coercers_convert_values_at_run_time()
    {
        Assert.Equal(5L, SqlCoercion.CreateCoercer(SqlTypes.Integer, SqlTypes.BigInt)(5));
        Assert.Equal(5.00m, SqlCoercion.CreateCoercer(SqlTypes.Integer, SqlTypes.Decimal(12, 2))(5));
        Assert.Equal(2.5, SqlCoercion.CreateCoercer(SqlTypes.Decimal(2, 1), SqlTypes.Double)(2.5m));
        Assert.Throws<InvalidCastException>(() => SqlCoercion.CreateCoercer(SqlTypes.Double, SqlTypes.Integer));
    }

    [Fact]
    public void Decimal_arithmetic_result_types()
    {
        var d42 = SqlTypes.Decimal(4, 2);
        Assert.Equal(SqlTypes.Decimal(5, 2), SqlCoercion.DecimalResultType(ArithmeticOperator.Add, d42, d42));
        Assert.Equal(SqlTypes.Decimal(13, 2), SqlCoercion.DecimalResultType(ArithmeticOperator.Add, d42, SqlCoercion.IntegerAsDecimal));
        Assert.Equal(SqlTypes.Decimal(6, 3), SqlCoercion.DecimalResultType(ArithmeticOperator.Subtract, d42, SqlTypes.Decimal(5, 3)));
        Assert.Equal(SqlTypes.Decimal(9, 4), SqlCoercion.DecimalResultType(ArithmeticOperator.Multiply, d42, d42));
        Assert.Equal(SqlTypes.Decimal(11, 7), SqlCoercion.DecimalResultType(ArithmeticOperator.Divide, d42, d42));
        Assert.Equal(SqlTypes.Decimal(4, 2), SqlCoercion.DecimalResultType(ArithmeticOperator.Modulus, d42, d42));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TrUe", true)]
    [InlineData("tr", true)]
    [InlineData("Y", true)]
    [InlineData("yes", true)]
    [InlineData("f", false)]
    [InlineData("fal", false)]
    [InlineData("NO", false)]
    public void Boolean_literals_accept_prefixes(string text, bool expected)
    {
        Assert.True(SqlCoercion.TryParseBooleanLiteral(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("Not a boolean")]
    [InlineData("truex")]
    [InlineData("")]
    public void Other_boolean_literals_fail(string text)
    {
        Assert.False(SqlCoercion.TryParseBooleanLiteral(text, out _));
    }

    [Fact]
    public void String_literals_coerce_to_the_target_type()
    {
        Assert.Equal(10L, SqlCoercion.CoerceStringLiteral("10", SqlTypes.BigInt));
        Assert.Equal(20, SqlCoercion.CoerceStringLiteral("2e1", SqlTypes.Integer));
        Assert.Equal(4.00m, SqlCoercion.CoerceStringLiteral("4.000", SqlTypes.Decimal(12, 2)));
        Assert.Equal(true, SqlCoercion.CoerceStringLiteral("y", SqlTypes.Boolean));
        Assert.Equal(new DateOnly(1970, 1, 11), SqlCoercion.CoerceStringLiteral("1970-01-11", SqlTypes.Date));
        Assert.Equal(new TimeOnly(0, 0, 0, 10), SqlCoercion.CoerceStringLiteral("00:00:00.010", SqlTypes.Time));
    }

    [Theory]
    [InlineData("10 - not a number", "BIGINT", "invalid input syntax for type BIGINT: \"10 - not a number\".")]
    [InlineData("Not a boolean", "BOOLEAN", "invalid input syntax for type BOOLEAN: \"Not a boolean\".")]
    [InlineData("10.0 - not a number", "DECIMAL", "invalid input syntax for type DECIMAL: \"10.0 - not a number\".")]
    [InlineData("10.0 - not a number", "DOUBLE", "invalid input syntax for type DOUBLE: \"10.0 - not a number\".")]
    [InlineData("hello", "INTEGER", "invalid input syntax for type INTEGER: \"hello\".")]
    [InlineData("2147483648", "INTEGER", "invalid input syntax for type INTEGER: \"2147483648\".")]
    public void Bad_string_literals_fail_with_ksqlDB_text(string text, string type, string message)
    {
        SqlType target = type switch
        {
            "BIGINT" => SqlTypes.BigInt,
            "BOOLEAN" => SqlTypes.Boolean,
            "DECIMAL" => SqlTypes.Decimal(12, 2),
            "DOUBLE" => SqlTypes.Double,
            _ => SqlTypes.Integer,
        };
        Assert.Equal(message, Assert.Throws<FormatException>(() => SqlCoercion.CoerceStringLiteral(text, target)).Message);
    }

    [Fact]
    public void Numeric_string_literals_get_the_narrowest_type()
    {
        Assert.Equal(SqlTypes.Integer, SqlCoercion.NumericTypeOfLiteral("10", SqlTypes.Integer));
        Assert.Equal(SqlTypes.Integer, SqlCoercion.NumericTypeOfLiteral("2e1", SqlTypes.Integer));
        Assert.Equal(SqlTypes.BigInt, SqlCoercion.NumericTypeOfLiteral("2147483648", SqlTypes.Integer));
        Assert.Equal(SqlTypes.Decimal(4, 3), SqlCoercion.NumericTypeOfLiteral("4.000", SqlTypes.Integer));
        Assert.Equal(SqlTypes.Double, SqlCoercion.NumericTypeOfLiteral("1e300", SqlTypes.Integer));
        var e = Assert.Throws<FormatException>(() => SqlCoercion.NumericTypeOfLiteral("not 10", SqlTypes.BigInt));
        Assert.Equal("invalid input syntax for type BIGINT: \"not 10\".", e.Message);
    }
}
