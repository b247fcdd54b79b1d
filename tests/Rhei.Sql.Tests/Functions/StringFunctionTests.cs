using System.Text;
using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using static Rhei.Sql.Tests.Functions.FunctionTestKit;

namespace Rhei.Sql.Tests.Functions;

public class StringFunctionTests
{
    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [InlineData("some_string", 6, "string")]
    [InlineData("another", 6, "er")]
    [InlineData("short", 6, "")]
    [InlineData("stream", 1, "stream")]
    [InlineData("stream", 0, "stream")]
    [InlineData("stream", -2, "am")]
    [InlineData("stream", -10, "stream")]
    [InlineData("stream", 100, "")]
    public void Substring_from_position(string s, int pos, string expected) => Assert.Equal(expected, Call("SUBSTRING", s, pos));

    [Theory]
    [InlineData("some_string", 6, 3, "str")]
    [InlineData("another", 6, 3, "er")]
    [InlineData("short", 6, 3, "")]
    [InlineData("stream", 1, 4, "stre")]
    [InlineData("some string", 0, 2, "so")]
    [InlineData("long enough", 2, 5, "ong e")]
    [InlineData("s", 2, 5, "")]
    [InlineData("stream", -3, 2, "ea")]
    [InlineData("stream", 2, -1, "")]
    public void Substring_with_length(string s, int pos, int len, string expected) => Assert.Equal(expected, Call("SUBSTRING", s, pos, len));

    [Fact]
    public void Substring_nulls_and_bytes()
    {
        Assert.Null(Call("SUBSTRING", Null(SqlTypes.String), 1));
        Assert.Null(Call("SUBSTRING", "source", Nul));
        Assert.Null(Call("SUBSTRING", "source", 6, Null(SqlTypes.Integer)));
        Assert.Equal("c3Ry", Convert.ToBase64String((byte[])Call("SUBSTRING", B64("c29tZV9zdHJpbmc="), 6, 3)!));
        Assert.Equal("ZXI=", Convert.ToBase64String((byte[])Call("SUBSTRING", B64("YW5vdGhlcg=="), 6, 3)!));
        Assert.Empty((byte[])Call("SUBSTRING", B64("c2hvcnQ="), 6, 3)!);
        Assert.Null(Call("SUBSTRING", Null(SqlTypes.Bytes), 6, 3));
        Assert.Equal(U("ng"), Call("SUBSTRING", U("string"), -2));
    }

    [Theory]
    [InlineData("corporate floor", 2)]
    [InlineData("should I stay or should I go", 15)]
    [InlineData("short", 3)]
    [InlineData("no substring", 0)]
    public void Instr_first_occurrence(string s, int expected) => Assert.Equal(expected, Call("INSTR", s, "or"));

    [Theory]
    [InlineData("CORPORATE FLOOR", "OR", 3, 1, 5)]
    [InlineData("CORPORATE FLOOR", "OR", 3, 2, 14)]
    [InlineData("CORPORATE FLOOR", "OR", -3, 1, 5)]
    [InlineData("CORPORATE FLOOR", "OR", -3, 2, 2)]
    [InlineData("corporate floor", "or", 4, 1, 5)]
    [InlineData("corporate floor", "or", 4, 2, 14)]
    [InlineData("corporate floor", "or", -4, 1, 5)]
    [InlineData("corporate floor", "or", -4, 2, 2)]
    [InlineData("short", "or", 4, 1, 0)]
    [InlineData("short", "or", -4, 1, 0)]
    [InlineData("short", "or", 4, 2, 0)]
    [InlineData("CORPORATE FLOOR", "OR", 20, 1, 0)]
    [InlineData("CORPORATE FLOOR", "OR", -20, 1, 0)]
    [InlineData("CORPORATE FLOOR", "OR", 1, 3, 14)]
    [InlineData("CORPORATE FLOOR", "OR", 1, 4, 0)]
    [InlineData("CORPORATE FLOOR", "MISSING", 1, 1, 0)]
    public void Instr_with_position_and_occurrence(string s, string sub, int position, int occurrence, int expected) =>
        Assert.Equal(expected, Call("INSTR", s, sub, position, occurrence));

    [Fact]
    public void Instr_three_arguments() => Assert.Equal(5, Call("INSTR", "CORPORATE FLOOR", "OR", 3));

    [Theory]
    [InlineData("foo", 7, "Bar", "BarBfoo", "fooBarB")]
    [InlineData("foo", 5, "Bar", "Bafoo", "fooBa")]
    [InlineData("foo", 2, "Bar", "fo", "fo")]
    [InlineData("", 2, "Bar", "Ba", "Ba")]
    [InlineData("123", 5, "0", "00123", "12300")]
    [InlineData("", 7, "Bar", "BarBarB", "BarBarB")]
    public void Lpad_and_rpad(string input, int len, string padding, string left, string right)
    {
        Assert.Equal(left, Call("LPAD", input, len, padding));
        Assert.Equal(right, Call("RPAD", input, len, padding));
    }

    [Fact]
    public void Pad_returns_null_for_bad_arguments()
    {
        Assert.Null(Call("RPAD", "foo", -1, "Bar"));
        Assert.Null(Call("RPAD", "foo", 5, Null(SqlTypes.String)));
        Assert.Null(Call("RPAD", "foo", Null(SqlTypes.Integer), "Bar"));
        Assert.Null(Call("RPAD", Null(SqlTypes.String), -5, "Bar"));
        Assert.Null(Call("LPAD", "foo", 7, ""));
    }

    [Theory]
    [InlineData(8, "bm9ub255ZXM=", "eWVzbm9ub24=")]
    [InlineData(5, "bm95ZXM=", "eWVzbm8=")]
    [InlineData(3, "eWVz", "eWVz")]
    [InlineData(2, "eWU=", "eWU=")]
    [InlineData(0, "", "")]
    public void Pad_bytes(int len, string left, string right)
    {
        Assert.Equal(left, Convert.ToBase64String((byte[])Call("LPAD", B64("eWVz"), len, B64("bm8="))!));
        Assert.Equal(right, Convert.ToBase64String((byte[])Call("RPAD", B64("eWVz"), len, B64("bm8="))!));
    }

    [Fact]
    public void Pad_bytes_nulls()
    {
        Assert.Null(Call("LPAD", B64("eWVz"), -1, B64("bm8=")));
        Assert.Null(Call("LPAD", B64("eWVz"), 3, Array.Empty<byte>()));
        Assert.Null(Call("LPAD", Null(SqlTypes.Bytes), 8, B64("bm8=")));
        Assert.Null(Call("RPAD", B64("eWVz"), 8, Null(SqlTypes.Bytes)));
    }

    [Fact]
    public void Concat_treats_nulls_as_empty()
    {
        Assert.Equal("prefix-s1-postfix", Call("CONCAT", "prefix-", "s1", "-postfix"));
        Assert.Equal("\"foo\\", Call("CONCAT", "\"", A(Call("CONCAT", "foo", "\\"))));
        Assert.Equal("ab", Call("CONCAT", "a", Null(SqlTypes.String), "b"));
        Assert.Equal("eWVzbm8=", Convert.ToBase64String((byte[])Call("CONCAT", B64("eWVz"), Null(SqlTypes.Bytes), B64("bm8="))!));
        Assert.Equal("bm8=", Convert.ToBase64String((byte[])Call("CONCAT", B64(""), Nul, B64("bm8="))!));
    }

    [Fact]
    public void Concat_ws_skips_nulls()
    {
        Assert.Equal("apple, banana, date", Call("CONCAT_WS", ", ", "apple", "banana", Nul, "date"));
        Assert.Null(Call("CONCAT_WS", Null(SqlTypes.String), "a", "b"));
        Assert.Equal("YmF5ZXNhbm8=", Convert.ToBase64String((byte[])Call("CONCAT_WS", B64("YQ=="), B64("Yg=="), B64("eWVz"), Nul, B64("bm8="))!));
        Assert.Equal("YmFhbm8=", Convert.ToBase64String((byte[])Call("CONCAT_WS", B64("YQ=="), B64("Yg=="), B64(""), Nul, B64("bm8="))!));
        Assert.Empty((byte[])Call("CONCAT_WS", B64("YQ=="), Null(SqlTypes.Bytes), Null(SqlTypes.Bytes), Nul, Null(SqlTypes.Bytes))!);
        Assert.Null(Call("CONCAT_WS", Null(SqlTypes.Bytes), B64("Yg=="), B64("eWVz")));
    }

    [Theory]
    [InlineData("lower", "lower", "LOWER", "lower")]
    [InlineData("UPPER", "upper", "UPPER", "UPPER")]
    [InlineData("MiXeD", "mixed", "MIXED", "MiXeD")]
    [InlineData(" \t with white space \t", " \t with white space \t", " \t WITH WHITE SPACE \t", "with white space")]
    public void Case_and_trim(string s, string lower, string upper, string trimmed)
    {
        Assert.Equal(lower, Call("LCASE", s));
        Assert.Equal(upper, Call("UCASE", s));
        Assert.Equal(trimmed, Call("TRIM", s));
    }

    [Fact]
    public void Trim_removes_control_characters_but_not_other_whitespace()
    {
        Assert.Equal("x", Call("TRIM", "\u0001\n x \r\u0000"));
        Assert.Equal("\u00a0x\u00a0", Call("TRIM", "\u00a0x\u00a0"));
        Assert.Null(Call("TRIM", Null(SqlTypes.String)));
    }

    [Theory]
    [InlineData("some_string", "Some_string")]
    [InlineData("the   Quick br0wn fOx", "The   Quick Br0wn Fox")]
    [InlineData("", "")]
    [InlineData("a\tb\nc", "A\tB\nC")]
    public void Initcap(string s, string expected) => Assert.Equal(expected, Call("INITCAP", s));

    [Fact]
    public void Len_of_strings_and_bytes()
    {
        Assert.Equal(3, Call("LEN", "ABC"));
        Assert.Equal(0, Call("LEN", ""));
        Assert.Equal(3, Call("LEN", B64("YWJj")));
        Assert.Null(Call("LEN", Null(SqlTypes.String)));
        Assert.Equal(2, Call("LEN", "\ud820\udeb8"));
    }

    [Fact]
    public void Replace_is_literal()
    {
        Assert.Equal("onocondo", Call("REPLACE", "anaconda", "a", "o"));
        Assert.Equal("popcorn", Call("REPLACE", "popcorn", "a", "o"));
        Assert.Null(Call("REPLACE", "anaconda", Null(SqlTypes.String), "o"));
        Assert.Null(Call("REPLACE", "anaconda", "a", Null(SqlTypes.String)));
        Assert.Equal("a.b", Call("REPLACE", "a$b", "$", "."));
        Assert.Equal("-a-b-", Call("REPLACE", "ab", "", "-"));
        Assert.Equal("{\"messageID\": \"x\",\"text\": {\"widget\": 10}}",
            Call("REPLACE", A(Call("REPLACE", A(Call("REPLACE", "{\"messageID\": \"x\",\"text\": \"{\\\"widget\\\": 10}\"}", "\"text\": \"{", "\"text\": {")), "\\\"", "\"")), "\"}", "}"));
    }

    [Theory]
    [InlineData("a.b.c", ".", new[] { "a", "b", "c" })]
    [InlineData(".abc.", ".", new[] { "", "abc", "" })]
    [InlineData("..a..", ".", new[] { "", "", "a", "", "" })]
    [InlineData("abc", ".", new[] { "abc" })]
    [InlineData("", ".", new[] { "" })]
    [InlineData("a$$b.c", "$$", new[] { "a", "b.c" })]
    [InlineData(".abc$$", "$$", new[] { ".abc", "" })]
    [InlineData("abc", "", new[] { "a", "b", "c" })]
    public void Split_strings_and_bytes(string s, string delimiter, string[] expected)
    {
        Assert.Equal(expected.Cast<object?>(), (List<object?>)Call("SPLIT", s, delimiter)!);
        var bytes = (List<object?>)Call("SPLIT", U(s), U(delimiter))!;
        Assert.Equal(expected, bytes.Select(b => Encoding.UTF8.GetString((byte[])b!)));
    }

    [Fact]
    public void Split_nulls()
    {
        Assert.Null(Call("SPLIT", Null(SqlTypes.String), "."));
        Assert.Null(Call("SPLIT", "a", Null(SqlTypes.String)));
    }

    public static TheoryData<string?, string?, string?, Dictionary<object, object?>?> SplitToMapCases() => new()
    {
        { "apple:green/banana:yellow/cherry:red", "/", ":", M(("apple", "green"), ("banana", "yellow"), ("cherry", "red")) },
        { "apple:green/banana:yellow/cherry:red", "&&", ":", M(("apple", "green/banana")) },
        { "apple:green//banana:yellow//cherry:red/", "/", ":", M(("apple", "green"), ("banana", "yellow"), ("cherry", "red")) },
        { "apple:green/banana:yellow/cherry:red", "/", "=", M() },
        { "apple:green/banana:yellow/cherry:red", "", ":", null },
        { "apple:green/banana:yellow/cherry:red", "/", "", null },
        { "apple:green/banana:yellow/cherry:red", null, ":", null },
        { "apple:green/banana:yellow/cherry:red", "/", null, null },
        { "", "/", ":", M() },
        { null, "/", ":", null },
        { "a:1/a:2", "/", ":", M(("a", "2")) },
    };

    [Theory]
    [MemberData(nameof(SplitToMapCases))]
    public void Split_to_map(string? input, string? entry, string? kv, Dictionary<object, object?>? expected) =>
        Assert.Equal(expected, Call("SPLIT_TO_MAP", A(SqlTypes.String, input), A(SqlTypes.String, entry), A(SqlTypes.String, kv)));

    [Theory]
    [InlineData(75, "K")]
    [InlineData(22909, "\u597d")]
    [InlineData(99000, "\ud820\udeb8")]
    [InlineData(9, "\t")]
    [InlineData(-1, null)]
    [InlineData(0x110000, null)]
    [InlineData(0xD800, null)]
    public void Chr_of_code_points(int code, string? expected) => Assert.Equal(expected, Call("CHR", code));

    [Theory]
    [InlineData("\\u004b", "K")]
    [InlineData("\\u597d", "\u597d")]
    [InlineData("\\ud820\\udeb8", "\ud820\udeb8")]
    [InlineData("75", null)]
    [InlineData("004b", null)]
    [InlineData("bogus", null)]
    [InlineData("", null)]
    [InlineData("\\u004b\\u0053", null)]
    [InlineData("\\ud820", null)]
    public void Chr_of_escapes(string code, string? expected) => Assert.Equal(expected, Call("CHR", code));

    [Fact]
    public void Chr_concatenated_spells_ksql() =>
        Assert.Equal("KSQL", Call("CONCAT", A(Call("CHR", "\\u004b")), A(Call("CHR", "\\u0053")), A(Call("CHR", 81)), A(Call("CHR", 76))));

    [Theory]
    [InlineData("My Test $123", "Xx-Xxxx--nnn")]
    [InlineData("abcDEF-99", "xxxXXX-nn")]
    public void Mask_defaults(string s, string expected) => Assert.Equal(expected, Call("MASK", s));

    [Fact]
    public void Mask_with_custom_characters_and_null_classes()
    {
        Assert.Equal("*y *est $111", Call("MASK", "My Test $123", "*", Null(SqlTypes.String), "1", Null(SqlTypes.String)));
        Assert.Equal("My Txxx--nnn", Call("MASK_KEEP_LEFT", "My Test $123", 4));
        Assert.Equal("Xx-Xxxx-$123", Call("MASK_KEEP_RIGHT", "My Test $123", 4));
        Assert.Equal("Xx-Xest $123", Call("MASK_LEFT", "My Test $123", 4));
        Assert.Equal("My Test -nnn", Call("MASK_RIGHT", "My Test $123", 4));
        Assert.Equal("My Test $123", Call("MASK_KEEP_LEFT", "My Test $123", 100));
        Assert.Equal("Xx-Xxxx--nnn", Call("MASK_LEFT", "My Test $123", 100));
        Assert.Equal("AbAbb", Call("MASK_RIGHT", "AbCde", 3, "A", "b", "9", "_"));
        Assert.Throws<SqlFunctionException>(() => Call("MASK_LEFT", "abc", -1));
        Assert.Null(Call("MASK", Null(SqlTypes.String)));
    }

    [Fact]
    public void Uuid_random_and_from_bytes()
    {
        var a = (string)Call("UUID")!;
        var b = (string)Call("UUID")!;
        Assert.NotEqual(a, b);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", a);
        var bytes = Convert.FromHexString("237e9877e79b12d4a765321741963000");
        Assert.Equal("237e9877-e79b-12d4-a765-321741963000", Call("UUID", bytes));
        Assert.Throws<SqlFunctionException>(() => Call("UUID", new byte[3]));
        Assert.Null(Call("UUID", Null(SqlTypes.Bytes)));
    }
}
