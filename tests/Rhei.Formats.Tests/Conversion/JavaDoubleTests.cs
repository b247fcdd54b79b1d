using CsCheck;
using Rhei.Formats.Conversion;

namespace Rhei.Formats.Tests.Conversion;

public class JavaDoubleTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(1.5, "1.5")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0001, "1.0E-4")]
    [InlineData(1.234e-5, "1.234E-5")]
    [InlineData(-1.5e-7, "-1.5E-7")]
    [InlineData(1234567.0, "1234567.0")]
    [InlineData(9999999.0, "9999999.0")]
    [InlineData(1e7, "1.0E7")]
    [InlineData(12345678.0, "1.2345678E7")]
    [InlineData(123456789.0, "1.23456789E8")]
    [InlineData(1e10, "1.0E10")]
    [InlineData(1e23, "1.0E23")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(10.123451234512345, "10.123451234512345")]
    [InlineData(22026.465794806718, "22026.465794806718")]
    [InlineData(8682.459061368269, "8682.459061368269")]
    [InlineData(9.223372036854776E18, "9.223372036854776E18")]
    [InlineData(double.MaxValue, "1.7976931348623157E308")]
    [InlineData(-double.MaxValue, "-1.7976931348623157E308")]
    [InlineData(double.Epsilon, "4.9E-324")]
    [InlineData(1e-323, "9.9E-324")]
    [InlineData(2.2250738585072014E-308, "2.2250738585072014E-308")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Formats_like_Java_Double_toString(double value, string expected)
    {
        Assert.Equal(expected, JavaDouble.ToString(value));
    }

    [Fact]
    public void Utf8_formatting_matches_char_formatting()
    {
        Span<byte> bytes = stackalloc byte[JavaDouble.MaxLength];
        Assert.True(JavaDouble.TryFormat(1.25e-9, bytes, out var n));
        Assert.Equal("1.25E-9", System.Text.Encoding.ASCII.GetString(bytes[..n]));
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData(" 1.5 ", 1.5)]
    [InlineData("+2", 2.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1.0E-4", 0.0001)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("2.5d", 2.5)]
    [InlineData("2f", 2.0)]
    [InlineData("NaN", double.NaN)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    [InlineData("Infinity", double.PositiveInfinity)]
    public void Parses_like_Java_Double_parseDouble(string text, double expected)
    {
        Assert.True(JavaDouble.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("1 2")]
    public void Rejects_text_Java_rejects(string text)
    {
        Assert.False(JavaDouble.TryParse(text, out _));
    }

    [Fact]
    public void Every_double_round_trips_through_its_Java_text()
    {
        Gen.Double.Sample(d =>
        {
            var text = JavaDouble.ToString(d);
            Assert.True(JavaDouble.TryParse(text, out var back), text);
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits(back));
            if (double.IsFinite(d))
            {
                // Java's layout: a digit before the point, at least one after, and an exponent outside [1e-3, 1e7).
                Assert.Matches(Math.Abs(d) is >= 1e-3 and < 1e7 || d == 0
                    ? @"^-?\d+\.\d+$"
                    : @"^-?\d\.\d+E-?\d+$", text);
            }
        }, iter: 20_000, threads: 1);
    }
}
