using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using static Rhei.Sql.Tests.Functions.FunctionTestKit;

namespace Rhei.Sql.Tests.Functions;

public class JsonFunctionTests
{
    [Theory]
    [InlineData("{\"name\": \"cdc\", \"version\": \"1\", \"@type\": \"UDF\"}", "$.name", "cdc")]
    [InlineData("{\"name\": \"cdd\", \"version\": \"2\", \"@type\": \"VAL\"}}", "$.version", "2")]
    [InlineData("{\"name\": \"cdd\", \"version\": \"2\", \"@type\": \"VAL\"}}", "$.@type", "VAL")]
    [InlineData("{\"array\": [1, 2, 3]}", "$.array[-1]", null)]
    [InlineData("{\"array\": [1, 2, 3]}", "$.array[0]", "1")]
    [InlineData("{\"array\": [1, 2, 3]}", "$.array[1]", "2")]
    [InlineData("{\"array\": [1.23450]}", "$.array[0]", "1.23450")]
    [InlineData("{\"array\": [1.23450]}", "$.array[1]", null)]
    [InlineData("{\"log\": {\"cloud\": \"gcp836Csd\", \"app\": \"ksProcessor\", \"instance\": 4}}", "$.log.cloud", "gcp836Csd")]
    [InlineData("{\"log\": {\"cloud\": \"gcp836Csd\", \"instance\": 4}}", "$.log", "{\"cloud\":\"gcp836Csd\",\"instance\":4}")]
    [InlineData("{\"ITEMID\": 6, \"CATEGORY\": {\"ID\": 2, \"NAME\": \"Food\"}}", "$.ITEMID", "6")]
    [InlineData("{\"a\": {\"b c\": [true, null]}}", "$['a']['b c'][0]", "true")]
    [InlineData("{\"a\": {\"b c\": [true, null]}}", "$['a'][\"b c\"][1]", null)]
    [InlineData("{\"city\": \"London\"}", "$.city", "London")]
    [InlineData("{\"a\": \"tab\\there \\u00e9\"}", "$.a", "tab\there \u00e9")]
    [InlineData("[{\"a\": 1}]", "$[0].a", "1")]
    [InlineData("not json", "$.a", null)]
    [InlineData("{\"a\": 1}", "$.missing", null)]
    [InlineData("{\"a\": 1}", "$", "{\"a\":1}")]
    public void Extract_json_field(string json, string path, string? expected) => Assert.Equal(expected, Call("EXTRACTJSONFIELD", json, path));

    [Fact]
    public void Extract_json_field_nulls_and_bad_paths()
    {
        Assert.Null(Call("EXTRACTJSONFIELD", Null(SqlTypes.String), "$.a"));
        Assert.Throws<SqlFunctionException>(() => Call("EXTRACTJSONFIELD", "{}", "a.b"));
        Assert.Throws<SqlFunctionException>(() => Call("EXTRACTJSONFIELD", "{}", "$.a[x]"));
        Assert.Equal("{\"x\":\"q\\\"uote\"}", Call("EXTRACTJSONFIELD", "{\"o\": {\"x\": \"q\\\"uote\"}}", "$.o"));
    }

    [Theory]
    [InlineData("[1, 2, 3]", true)]
    [InlineData("{}", true)]
    [InlineData("1", true)]
    [InlineData("\"abc\"", true)]
    [InlineData("null", true)]
    [InlineData("", false)]
    [InlineData("abc", false)]
    [InlineData("{", false)]
    public void Is_json_string(string s, bool expected) => Assert.Equal(expected, Call("IS_JSON_STRING", s));

    [Fact]
    public void Is_json_string_of_null_is_false() => Assert.Equal(false, Call("IS_JSON_STRING", Null(SqlTypes.String)));

    [Theory]
    [InlineData("[1, 2, 3]", 3)]
    [InlineData("[1, [1, [2]], 3]", 3)]
    [InlineData("[]", 0)]
    [InlineData("{}", null)]
    [InlineData("123", null)]
    [InlineData("abc", null)]
    [InlineData("", null)]
    public void Json_array_length(string s, int? expected) => Assert.Equal(expected, Call("JSON_ARRAY_LENGTH", s));

    [Fact]
    public void Json_keys()
    {
        Assert.Equal(L("a", "b", "d"), Call("JSON_KEYS", "{\"a\": \"abc\", \"b\": { \"c\": \"a\" }, \"d\": 1}"));
        Assert.Equal(L(), Call("JSON_KEYS", "{}"));
        Assert.Null(Call("JSON_KEYS", "[]"));
        Assert.Null(Call("JSON_KEYS", "123"));
        Assert.Null(Call("JSON_KEYS", ""));
        Assert.Null(Call("JSON_KEYS", Null(SqlTypes.String)));
        Assert.Equal(L("Red", "Green"), Call("JSON_KEYS", "{\"Red\": 3, \"Green\": 5}"));
    }

    [Fact]
    public void Json_records()
    {
        Assert.Equal(M(("a", "abc"), ("b", "{\"c\":\"a\"}"), ("d", "1")), Call("JSON_RECORDS", "{\"a\": \"abc\", \"b\": { \"c\": \"a\" }, \"d\": 1}"));
        Assert.Equal(M(("White", "Seven")), Call("JSON_RECORDS", "{\"White\": \"Seven\"}"));
        Assert.Equal(M(("n", "null"), ("t", "true"), ("x", "[1,2]")), Call("JSON_RECORDS", "{\"n\": null, \"t\": true, \"x\": [1, 2]}"));
        Assert.Equal(M(), Call("JSON_RECORDS", "{}"));
        Assert.Null(Call("JSON_RECORDS", "[]"));
        Assert.Null(Call("JSON_RECORDS", "abc"));
        Assert.Equal(SqlTypes.Map(SqlTypes.String, SqlTypes.String), TypeOfCall("JSON_RECORDS", "{}"));
    }

    [Fact]
    public void Json_items()
    {
        Assert.Equal(
            L("{\"type\":\"A\",\"timestamp\":\"2022-01-27\"}", "{\"type\":\"B\",\"timestamp\":\"2022-05-18\"}"),
            Call("JSON_ITEMS", "[{\"type\": \"A\", \"timestamp\": \"2022-01-27\"}, {\"type\": \"B\", \"timestamp\": \"2022-05-18\"}]"));
        Assert.Equal(L(), Call("JSON_ITEMS", "[]"));
        Assert.Equal(L("1", "2", "3"), Call("JSON_ITEMS", "[1, 2, 3]"));
        Assert.Equal(L("\"a\"", "null"), Call("JSON_ITEMS", "[\"a\", null]"));
        Assert.Null(Call("JSON_ITEMS", "abc"));
        Assert.Null(Call("JSON_ITEMS", Null(SqlTypes.String)));
    }

    public static TheoryData<string?, string?, string?> ConcatTwo() => new()
    {
        { "{\"a\": 1}", "{\"b\": 2}", "{\"a\":1,\"b\":2}" },
        { "{}", "{}", "{}" },
        { "{\"a\": {\"5\": 6}}", "{\"a\": {\"3\": 4}}", "{\"a\":{\"3\":4}}" },
        { "[1, 2]", "[3, 4]", "[1,2,3,4]" },
        { "null", "null", "[null,null]" },
        { "[1, 2]", "{\"a\": 1}", "[1,2,{\"a\":1}]" },
        { "[]", "[]", "[]" },
        { "[1, [2]]", "[[[3]], [[[4]]]]", "[1,[2],[[3]],[[[4]]]]" },
        { "[1, 2]", "3", "[1,2,3]" },
        { "1", "2", "[1,2]" },
        { "1", "", null },
        { "", "1", null },
        { "", "", null },
        { null, null, null },
        { null, "", null },
        { "abc", "[1]", null },
    };

    [Theory]
    [MemberData(nameof(ConcatTwo))]
    public void Json_concat_two(string? a, string? b, string? expected) =>
        Assert.Equal(expected, Call("JSON_CONCAT", A(SqlTypes.String, a), A(SqlTypes.String, b)));

    [Theory]
    [InlineData("{\"a\": 1}", "{\"b\": 2}", "{\"c\": 3}", "{\"a\":1,\"b\":2,\"c\":3}")]
    [InlineData("{\"a\": {\"5\": 6}}", "{\"a\": {\"3\": 4}}", "{\"a\": {\"7\": 8}}", "{\"a\":{\"7\":8}}")]
    [InlineData("[1, 2]", "[3, 4]", "[5, 6]", "[1,2,3,4,5,6]")]
    [InlineData("null", "null", "null", "[null,null,null]")]
    [InlineData("[1, 2]", "{\"a\": 1}", "4", "[1,2,{\"a\":1},4]")]
    [InlineData("1", "", "2", null)]
    public void Json_concat_three(string a, string b, string c, string? expected) => Assert.Equal(expected, Call("JSON_CONCAT", a, b, c));

    [Theory]
    [InlineData("[\"Red\", \"Green\"]", false)]
    [InlineData("[\"Pink\", \"Yellow\", \"Pink\"]", true)]
    [InlineData("[\"Pink\", null]", true)]
    [InlineData("[[\"Pink\"]]", false)]
    [InlineData("{\"Pink\": 1}", false)]
    [InlineData("not json", false)]
    public void Json_array_contains_strings(string json, bool expected) => Assert.Equal(expected, Call("JSON_ARRAY_CONTAINS", json, "Pink"));

    [Fact]
    public void Json_array_contains_other_types()
    {
        Assert.Equal(true, Call("JSON_ARRAY_CONTAINS", "[1, 2, 3]", 3));
        Assert.Equal(false, Call("JSON_ARRAY_CONTAINS", "[1.0, 2, 3]", 1));
        Assert.Equal(true, Call("JSON_ARRAY_CONTAINS", "[1, 2, 3]", 2L));
        Assert.Equal(true, Call("JSON_ARRAY_CONTAINS", "[1.5, 2]", 1.5));
        Assert.Equal(false, Call("JSON_ARRAY_CONTAINS", "[2]", 2.0));
        Assert.Equal(true, Call("JSON_ARRAY_CONTAINS", "[false]", false));
        Assert.Equal(true, Call("JSON_ARRAY_CONTAINS", "[1, null]", Nul));
        Assert.Equal(false, Call("JSON_ARRAY_CONTAINS", Null(SqlTypes.String), "Pink"));
    }

    [Fact]
    public void To_json_string_of_primitives()
    {
        Assert.Equal("true", Call("TO_JSON_STRING", true));
        Assert.Equal("null", Call("TO_JSON_STRING", Null(SqlTypes.Boolean)));
        Assert.Equal("null", Call("TO_JSON_STRING", Nul));
        Assert.Equal("123", Call("TO_JSON_STRING", 123L));
        Assert.Equal("1", Call("TO_JSON_STRING", 1));
        Assert.Equal("123.456", Call("TO_JSON_STRING", 123.456m));
        Assert.Equal("15.3", Call("TO_JSON_STRING", 15.3));
        Assert.Equal("1.0", Call("TO_JSON_STRING", 1.0));
        Assert.Equal("1.0E7", Call("TO_JSON_STRING", 1e7));
        Assert.Equal("\"abc\"", Call("TO_JSON_STRING", "abc"));
        Assert.Equal("\"16:43:40\"", Call("TO_JSON_STRING", Tm(60220000)));
        Assert.Equal("\"13:25\"", Call("TO_JSON_STRING", Tm(48300000)));
        Assert.Equal("\"1971-11-28T23:46:40.000\"", Call("TO_JSON_STRING", Ts(60220000000)));
        Assert.Equal("\"2021-10-11\"", Call("TO_JSON_STRING", new DateOnly(2021, 10, 11)));
        Assert.Equal("\"YWJj\"", Call("TO_JSON_STRING", B64("YWJj")));
    }

    [Fact]
    public void To_json_string_of_compound_values()
    {
        Assert.Equal("[1,2,3]", Call("TO_JSON_STRING", L(1, 2, 3)));
        Assert.Equal("{\"id\":1}", Call("TO_JSON_STRING", M(("id", 1))));
        Assert.Equal("{\"id\":[1,2,3]}", Call("TO_JSON_STRING", M(("id", L(1, 2, 3)))));
        var type = SqlTypes.Struct(new SqlField("ID", SqlTypes.Integer), new SqlField("NAME", SqlTypes.String));
        Assert.Equal("{\"ID\":1,\"NAME\":\"A\"}", Call("TO_JSON_STRING", new SqlStruct(type, [1, "A"])));
        var inner = SqlTypes.Struct(new SqlField("JSON_KEY", SqlTypes.Integer), new SqlField("JSON_VALUE", SqlTypes.Map(SqlTypes.String, SqlTypes.Integer)));
        Assert.Equal("[{\"JSON_KEY\":1,\"JSON_VALUE\":{\"c\":2,\"d\":3}}]", Call("TO_JSON_STRING", L(new SqlStruct(inner, [1, M(("c", 2), ("d", 3))]))));
        Assert.Equal("{\"s\":\"a\\\"b\\\\c\\n\"}", Call("TO_JSON_STRING", M(("s", "a\"b\\c\n"))));
    }
}
