using Rhei.Formats.Conversion;
using Rhei.Formats.Types;

namespace Rhei.Formats.Tests.Conversion;

public class DecimalValuesTests
{
    [Theory]
    [InlineData("0.1", "0.1")]
    [InlineData("1.1", "1.1")]
    [InlineData("0.99", "1.0")]
    [InlineData("0.10", "0.1")]
    [InlineData("0.01", "0.0")]
    [InlineData("0.05", "0.1")]
    [InlineData("-0.05", "-0.1")]
    [InlineData("-0.04", "0.0")]
    [InlineData("9.94", "9.9")]
    public void Cast_rounds_half_up(string input, string expected)
    {
        var value = decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, DecimalValues.ToPlainString(DecimalValues.Cast(value, 2, 1)));
    }

    [Fact]
    public void Cast_fails_when_the_integer_part_overflows()
    {
        var e = Assert.Throws<OverflowException>(() => DecimalValues.Cast(10m, 2, 1));
        Assert.Equal("Numeric field overflow: A field with precision 2 and scale 1 must round to an absolute value less than 10^1. Got 10.0", e.Message);
        Assert.Throws<OverflowException>(() => DecimalValues.Cast(9.96m, 2, 1)); // rounds to 10.0
    }

    [Fact]
    public void EnsureFit_pads_the_scale_but_refuses_to_round()
    {
        Assert.Equal("10.0000", DecimalValues.ToPlainString(DecimalValues.EnsureFit(10m, 6, 4)));
        Assert.Equal("1.5000", DecimalValues.ToPlainString(DecimalValues.EnsureFit(1.500000m, 6, 4)));
        var e = Assert.Throws<OverflowException>(() => DecimalValues.EnsureFit(1.23456m, 6, 4));
        Assert.Equal("Cannot fit decimal '1.23456' into DECIMAL(6, 4) without rounding. (Requires 6,5)", e.Message);
        Assert.Throws<OverflowException>(() => DecimalValues.EnsureFit(100m, 6, 4));
    }

    [Theory]
    [InlineData("12.365", 4, "12.3650")]
    [InlineData("-12345.12", 16, "-12345.1200000000000000")]
    [InlineData("0", 3, "0.000")]
    [InlineData("1.25", 1, "1.3")]
    [InlineData("5", 30, "5.000000000000000000000000000000")]
    [InlineData("1.5", 0, "2")]
    public void Formats_at_a_fixed_scale(string input, int scale, string expected)
    {
        var value = decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture);
        Span<char> buffer = stackalloc char[100];
        Assert.True(DecimalValues.TryFormat(value, scale, buffer, out var n));
        Assert.Equal(expected, new string(buffer[..n]));
    }

    [Theory]
    [InlineData("0.00", "0.00")]
    [InlineData("123.456", "123.456")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("0.0000001", "1E-7")]
    [InlineData("0.00000010", "1.0E-7")]
    [InlineData("-0.00000012345", "-1.2345E-7")]
    public void Java_toString_uses_scientific_notation_for_tiny_values(string input, string expected)
    {
        var value = decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, DecimalValues.ToJavaString(value));
    }

    [Theory]
    [InlineData("0", 1)]
    [InlineData("9", 1)]
    [InlineData("10", 2)]
    [InlineData("10.01", 4)]
    [InlineData("0.001", 1)]
    [InlineData("-123.4500", 7)]
    public void Precision_counts_the_unscaled_digits(string input, int precision)
    {
        Assert.Equal(precision, DecimalValues.Precision(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2.0", 2, 1)]
    [InlineData("5.10", 3, 2)]
    [InlineData("0.01", 2, 2)]
    [InlineData("12", 2, 0)]
    public void The_type_of_a_literal(string input, int precision, int scale)
    {
        Assert.Equal(SqlTypes.Decimal(precision, scale), DecimalValues.TypeOf(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(0, 0, "DECIMAL precision must be >= 1: DECIMAL(0,0)")]
    [InlineData(2, -1, "DECIMAL scale must be >= 0: DECIMAL(2,-1)")]
    [InlineData(2, 3, "DECIMAL precision must be >= scale: DECIMAL(2,3)")]
    public void Type_parameters_are_validated(int precision, int scale, string message)
    {
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => DecimalValues.ValidateType(precision, scale)).Message);
    }

    [Theory]
    [InlineData("1.10", true, "1.10")]
    [InlineData(".12", true, "0.12")]
    [InlineData("5.", true, "5")]
    [InlineData("-1e2", true, "-100")]
    [InlineData("+3.5E-1", true, "0.35")]
    [InlineData(" 1", false, "")]
    [InlineData("1e", false, "")]
    [InlineData(".", false, "")]
    [InlineData("abc", false, "")]
    public void Parses_BigDecimal_text(string text, bool ok, string expected)
    {
        Assert.Equal(ok, DecimalValues.TryParse(text, out var value));
        if (ok)
        {
            Assert.Equal(expected, DecimalValues.ToPlainString(value));
        }
    }

    [Fact]
    public void Narrowing_to_integers_truncates_and_wraps_like_Java()
    {
        Assert.Equal(10, DecimalValues.ToInt32Wrapping(10.99m));
        Assert.Equal(-10, DecimalValues.ToInt32Wrapping(-10.99m));
        Assert.Equal(int.MinValue, DecimalValues.ToInt32Wrapping(2147483648m));
        Assert.Equal(long.MinValue, DecimalValues.ToInt64Wrapping(9223372036854775808m));
        Assert.Equal(-2437668485378080768L, DecimalValues.ToInt64Wrapping(3.916E22m)); // the low 64 bits, as Java's longValue()
        Assert.Equal(2437668485378080768L, DecimalValues.ToInt64Wrapping(-3.916E22m));
    }

    [Fact]
    public void Double_conversions_go_through_the_Java_text()
    {
        Assert.Equal("0.1", DecimalValues.ToPlainString(DecimalValues.FromDouble(0.1)));
        Assert.Equal("10.0", DecimalValues.ToPlainString(DecimalValues.FromDouble(10)));
        Assert.Equal(10.01, DecimalValues.ToDouble(10.01m));
        Assert.Throws<FormatException>(() => DecimalValues.FromDouble(double.NaN));
    }
}
