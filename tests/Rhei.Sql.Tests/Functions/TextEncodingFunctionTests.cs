using System.Text;
using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using static Rhei.Sql.Tests.Functions.FunctionTestKit;

namespace Rhei.Sql.Tests.Functions;

/// <summary>Regular expressions, encodings, URLs.</summary>
public class TextEncodingFunctionTests
{
    [Theory]
    [InlineData("some_test_string", "test_")]
    [InlineData("anothertest", null)]
    [InlineData("testa", "testa")]
    [InlineData("nothing", null)]
    public void Regexp_extract_without_group(string input, string? expected) => Assert.Equal(expected, Call("REGEXP_EXTRACT", "test.", input));

    [Theory]
    [InlineData("steven zhang", "zhang")]
    [InlineData("andy coates", "coates")]
    [InlineData("agavra", null)]
    public void Regexp_extract_with_group(string input, string? expected) => Assert.Equal(expected, Call("REGEXP_EXTRACT", "(.*) (.*)", input, 2));

    [Fact]
    public void Regexp_extract_nulls_and_errors()
    {
        Assert.Null(Call("REGEXP_EXTRACT", "test.", Null(SqlTypes.String)));
        Assert.Equal("there", Call("REGEXP_EXTRACT", "(.*) (.*)", "hello there", 2));
        Assert.Equal("zhang", Call("REGEXP_EXTRACT", ".*", A(Call("REGEXP_EXTRACT", "(.*) (.*)", "steven zhang", 2))));
        Assert.Throws<SqlFunctionException>(() => Call("REGEXP_EXTRACT", "(a)", "a", 2));
        Assert.Throws<SqlFunctionException>(() => Call("REGEXP_EXTRACT", "(unclosed", "a"));
        Assert.Null(Call("REGEXP_EXTRACT", "(a)|(b)", "b", 1));
    }

    [Theory]
    [InlineData("some_test_string_testabab", new[] { "test_", "testa" })]
    [InlineData("anothertest", new string[0])]
    [InlineData("testa", new[] { "testa" })]
    public void Regexp_extract_all_without_group(string input, string[] expected) =>
        Assert.Equal(expected.Cast<object?>(), (List<object?>)Call("REGEXP_EXTRACT_ALL", "test.", input)!);

    [Theory]
    [InlineData("steven zhang andy coates", new[] { "zhang", "coates" })]
    [InlineData("apurva mehta agavra ", new[] { "mehta", "" })]
    [InlineData("agavra", new string[0])]
    public void Regexp_extract_all_with_group(string input, string[] expected) =>
        Assert.Equal(expected.Cast<object?>(), (List<object?>)Call("REGEXP_EXTRACT_ALL", "(\\w+) (\\w*)", input, 2)!);

    [Fact]
    public void Regexp_extract_all_null() => Assert.Null(Call("REGEXP_EXTRACT_ALL", "x", Null(SqlTypes.String)));

    [Theory]
    [InlineData("baababaa", "(ab)+", "cat", "bacataa")]
    [InlineData("baabbabaa", "(ab)+", "cat", "bacatbcataa")]
    [InlineData("hello world", "(\\w+) (\\w+)", "$2 $1", "world hello")]
    [InlineData("a1b2", "[0-9]", "\\$", "a$b$")]
    [InlineData("a.b", "\\Q.\\E", "-", "a-b")]
    public void Regexp_replace(string input, string pattern, string replacement, string expected) =>
        Assert.Equal(expected, Call("REGEXP_REPLACE", input, pattern, replacement));

    [Fact]
    public void Regexp_replace_nulls_and_bad_replacement()
    {
        Assert.Null(Call("REGEXP_REPLACE", Null(SqlTypes.String), "(ab)+", "cat"));
        Assert.Null(Call("REGEXP_REPLACE", "baababaa", Null(SqlTypes.String), "cat"));
        Assert.Throws<SqlFunctionException>(() => Call("REGEXP_REPLACE", "a", "a", "$"));
    }

    [Theory]
    [InlineData("a.b.c", "\\.", new[] { "a", "b", "c" })]
    [InlineData(".a.b.", "\\.", new[] { "", "a", "b", "" })]
    [InlineData("a..b", "\\.", new[] { "a", "", "b" })]
    [InlineData("abc", "x", new[] { "abc" })]
    [InlineData("abc", "", new[] { "a", "b", "c" })]
    [InlineData("abc", "(?=b)", new[] { "a", "bc" })]
    [InlineData("a1b22c", "[0-9]+", new[] { "a", "b", "c" })]
    [InlineData("a(b)c", "[()]", new[] { "a", "b", "c" })]
    public void Regexp_split_to_array(string input, string pattern, string[] expected) =>
        Assert.Equal(expected.Cast<object?>(), (List<object?>)Call("REGEXP_SPLIT_TO_ARRAY", input, pattern)!);

    [Fact]
    public void Regexp_split_keeps_no_capture_groups_and_handles_nulls()
    {
        Assert.Equal(L("a", "b"), Call("REGEXP_SPLIT_TO_ARRAY", "a-b", "(-)"));
        Assert.Null(Call("REGEXP_SPLIT_TO_ARRAY", Null(SqlTypes.String), "a"));
        Assert.Null(Call("REGEXP_SPLIT_TO_ARRAY", "a", Null(SqlTypes.String)));
    }

    public static TheoryData<string, string?, string?, string?> EncodeHexCases() => new()
    {
        { "4578616d706C6521", "Example!", "Example!", "RXhhbXBsZSE=" },
        { "ce95cebbcebbceacceb4ceb1", new string('\ufffd', 12), "\u0395\u03bb\u03bb\u03ac\u03b4\u03b1", "zpXOu867zqzOtM6x" },
        { "c39c6265726d656e736368", "\ufffd\ufffdbermensch", "\u00dcbermensch", "w5xiZXJtZW5zY2g=" },
        { "0x4578616d706C6521", "Example!", "Example!", "RXhhbXBsZSE=" },
        { "X'4578616d706C6521'", "Example!", "Example!", "RXhhbXBsZSE=" },
        { "x'4578616d706C6521'", "Example!", "Example!", "RXhhbXBsZSE=" },
        { "0x", "", "", "" },
        { "X''", "", "", "" },
        { "x''", "", "", "" },
        { "0x0x", null, null, null },
        { "X'", null, null, null },
        { "x'4578616d706C6521", null, null, null },
        { "x'578616d706C6521'", null, null, null },
        { "0x578616d706C6521", "\u0005xample!", "\u0005xample!", "BXhhbXBsZSE=" },
        { "578616d706C6521", null, null, null },
    };

    [Theory]
    [MemberData(nameof(EncodeHexCases))]
    public void Encode_from_hex(string input, string? ascii, string? utf8, string? base64)
    {
        Assert.Equal(ascii, Call("ENCODE", input, "hex", "ascii"));
        Assert.Equal(utf8, Call("ENCODE", input, "hex", "utf8"));
        Assert.Equal(base64, Call("ENCODE", input, "hex", "base64"));
    }

    [Fact]
    public void Encode_from_ascii_and_base64()
    {
        Assert.Equal("4578616d706c6521", Call("ENCODE", "Example!", "ascii", "hex"));
        Assert.Equal("3f3f3f3f3f3f", Call("ENCODE", "\u0395\u03bb\u03bb\u03ac\u03b4\u03b1", "ascii", "hex"));
        Assert.Equal("??????", Call("ENCODE", "\u0395\u03bb\u03bb\u03ac\u03b4\u03b1", "ascii", "utf8"));
        Assert.Equal("Pz8/Pz8/", Call("ENCODE", "\u0395\u03bb\u03bb\u03ac\u03b4\u03b1", "ascii", "base64"));
        Assert.Equal("ce95cebbcebbceacceb4ceb1", Call("ENCODE", "zpXOu867zqzOtM6x", "base64", "hex"));
        Assert.Equal("\u0395\u03bb\u03bb\u03ac\u03b4\u03b1", Call("ENCODE", "zpXOu867zqzOtM6x", "base64", "utf8"));
        Assert.Equal(new string('\ufffd', 12), Call("ENCODE", "zpXOu867zqzOtM6x", "base64", "ascii"));
        Assert.Null(Call("ENCODE", Null(SqlTypes.String), "base64", "hex"));
        Assert.Throws<SqlFunctionException>(() => Call("ENCODE", "RXhhbXBsZSE=", "base64", "null"));
        Assert.Throws<SqlFunctionException>(() => Call("ENCODE", "RXhhbXBsZSE=", "null", "utf8"));
    }

    [Theory]
    [InlineData("21", "hex", "IQ==", "21")]
    [InlineData("1aB2", "hex", "GrI=", "1AB2")]
    [InlineData("!", "ascii", "IQ==", "!")]
    [InlineData("#", "utf8", "Iw==", "#")]
    [InlineData("IQ==", "base64", "IQ==", "IQ==")]
    public void To_bytes_and_from_bytes_round_trip(string text, string encoding, string base64, string back)
    {
        var bytes = (byte[])Call("TO_BYTES", text, encoding)!;
        Assert.Equal(base64, Convert.ToBase64String(bytes));
        Assert.Equal(back, Call("FROM_BYTES", bytes, encoding));
        Assert.Null(Call("FROM_BYTES", Null(SqlTypes.Bytes), encoding));
    }

    [Fact]
    public void To_bytes_rejects_malformed_input()
    {
        Assert.Throws<SqlFunctionException>(() => Call("TO_BYTES", "zz", "hex"));
        Assert.Throws<SqlFunctionException>(() => Call("TO_BYTES", "not base64!", "base64"));
        Assert.Throws<SqlFunctionException>(() => Call("FROM_BYTES", new byte[] { 1 }, "ebcdic"));
        Assert.Equal("ASCII", Call("FROM_BYTES", A(Call("TO_BYTES", "ASCII", "UTF8")), "Ascii"));
    }

    [Fact]
    public void Numbers_from_bytes()
    {
        Assert.Equal(2021, Call("INT_FROM_BYTES", B64("AAAH5Q==")));
        Assert.Equal(5000000000L, Call("BIGINT_FROM_BYTES", B64("AAAAASoF8gA="), "BIG_ENDIAN"));
        Assert.Equal(532.8738323, Call("DOUBLE_FROM_BYTES", B64("QICm/ZvJ9YI=")));
        Assert.Equal(unchecked((int)0xE5070000), Call("INT_FROM_BYTES", B64("AAAH5Q=="), "LITTLE_ENDIAN"));
        Assert.Throws<SqlFunctionException>(() => Call("INT_FROM_BYTES", new byte[3]));
        Assert.Throws<SqlFunctionException>(() => Call("BIGINT_FROM_BYTES", new byte[8], "MIDDLE_ENDIAN"));
        Assert.Null(Call("DOUBLE_FROM_BYTES", Null(SqlTypes.Bytes)));
    }

    [Theory]
    [InlineData("r1", "7c92cf1eee8d99cc85f8355a3d6e4b86")]
    [InlineData("r2", "d279186428a75016b17e4df5ea43d080")]
    [InlineData("r3", "9d3e622df914d8de7f747b7b8b143c52")]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData(" ", "7215ee9c7d9dc229d2921a40e899ec5f")]
    [InlineData("  ", "23b58def11b45727d3351702515f86af")]
    public void Md5(string input, string expected) => Assert.Equal(expected, Call("MD5", input));

    [Theory]
    [InlineData("?foo $bar", "%3Ffoo+%24bar")]
    [InlineData("hello&world", "hello%26world")]
    [InlineData("nothing", "nothing")]
    [InlineData("a*b-c.d_e~", "a*b-c.d_e%7E")]
    [InlineData("\u00e9", "%C3%A9")]
    public void Url_encode_and_decode_param(string raw, string encoded)
    {
        Assert.Equal(encoded, Call("URL_ENCODE_PARAM", raw));
        Assert.Equal(raw, Call("URL_DECODE_PARAM", encoded));
    }

    [Fact]
    public void Url_decode_param_spaces_and_errors()
    {
        Assert.Equal("url encoded", Call("URL_DECODE_PARAM", "url%20encoded"));
        Assert.Throws<SqlFunctionException>(() => Call("URL_DECODE_PARAM", "bad%zz"));
        Assert.Null(Call("URL_ENCODE_PARAM", Null(SqlTypes.String)));
    }

    [Theory]
    [InlineData("http://www.test.com/?query#fragment", "fragment")]
    [InlineData("http://www.nofragment.com", null)]
    [InlineData("http://test.com#frag%20space", "frag space")]
    [InlineData("not a url", null)]
    public void Url_extract_fragment(string url, string? expected) => Assert.Equal(expected, Call("URL_EXTRACT_FRAGMENT", url));

    [Theory]
    [InlineData("http://www.test.com/?query#fragment", "www.test.com")]
    [InlineData("http://test@confluent.io:8080", "confluent.io")]
    [InlineData("http://test.com:8080/path", "test.com")]
    [InlineData("http://[::1]:80/x", "[::1]")]
    [InlineData("www.confluent.io", null)]
    public void Url_extract_host(string url, string? expected) => Assert.Equal(expected, Call("URL_EXTRACT_HOST", url));

    [Theory]
    [InlineData("http://www.test.com/?one=a&two=b&three", "one", "a")]
    [InlineData("http://www.test.com/?one=a&two=b&three", "two", "b")]
    [InlineData("http://www.test.com/?one=a&two=b&three", "three", null)]
    [InlineData("http://www.test.com/?one=a&two=b&three", "four", null)]
    [InlineData("http://test.com?a%20b=c%20d", "a b", "c d")]
    [InlineData("http://test.com?a=foo&b=bar", "b", "bar")]
    [InlineData("http://www.test.com/?one=a&two=url%20encoded", "two", "url encoded")]
    [InlineData("http://www.test.com/", "one", null)]
    public void Url_extract_parameter(string url, string name, string? expected) => Assert.Equal(expected, Call("URL_EXTRACT_PARAMETER", url, name));

    [Theory]
    [InlineData("http://test@confluent.io", null)]
    [InlineData("http://test@confluent.io:8080/nested/path?query&jobs", 8080)]
    [InlineData("https://x:443", 443)]
    [InlineData("http://x:port/", null)]
    public void Url_extract_port(string url, int? expected) => Assert.Equal(expected, Call("URL_EXTRACT_PORT", url));

    [Theory]
    [InlineData("http://test@confluent.io", "http")]
    [InlineData("https://test@confluent.io:8080/nested/path?query&jobs", "https")]
    [InlineData("www.confluent.io", null)]
    [InlineData("mailto:someone@example.com", "mailto")]
    public void Url_extract_protocol(string url, string? expected) => Assert.Equal(expected, Call("URL_EXTRACT_PROTOCOL", url));

    [Theory]
    [InlineData("http://www.test.com?query#fragment", "query")]
    [InlineData("http://www.test.com/path?q1&q2", "q1&q2")]
    [InlineData("http://test@confluent.io:8080/nested/path?q=2", "q=2")]
    [InlineData("http://test@confluent.io:8080/path", null)]
    [InlineData("http://test.com?a=foo%20bar&b=baz", "a=foo bar&b=baz")]
    [InlineData("mailto:someone@example.com?x", null)]
    public void Url_extract_query(string url, string? expected) => Assert.Equal(expected, Call("URL_EXTRACT_QUERY", url));

    [Theory]
    [InlineData("http://test.com/path/to#a", "/path/to")]
    [InlineData("http://test.com", "")]
    [InlineData("http://test.com/a%20b", "/a b")]
    [InlineData("relative/path?x", "relative/path")]
    [InlineData("http://bad url.com", null)]
    public void Url_extract_path(string url, string? expected) => Assert.Equal(expected, Call("URL_EXTRACT_PATH", url));
}
