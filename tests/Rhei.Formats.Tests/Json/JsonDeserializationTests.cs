using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using static Rhei.Formats.Tests.SerdeHelper;

namespace Rhei.Formats.Tests.Json;

public class JsonDeserializationTests
{
    private static object?[]? Read(SerdeSchema schema, string json, bool? wrap = null, SerdeTarget target = SerdeTarget.Value) =>
        Deserializer("JSON", schema, target, wrap).Deserialize(Bytes(json));

    [Fact]
    public void Reads_every_type()
    {
        var schema = Schema(
            ("B", SqlTypes.Boolean), ("I", SqlTypes.Integer), ("L", SqlTypes.BigInt), ("D", SqlTypes.Double),
            ("DEC", SqlTypes.Decimal(4, 2)), ("S", SqlTypes.String), ("BY", SqlTypes.Bytes), ("DT", SqlTypes.Date),
            ("T", SqlTypes.Time), ("TS", SqlTypes.Timestamp));
        var row = Read(schema, """{"B":true,"I":1,"L":10827272222,"D":1.5,"DEC":1.1,"S":"x\u00e9","BY":"YWJj","DT":-10,"T":1000,"TS":1651182287943}""")!;
        Assert.Equal(true, row[0]);
        Assert.Equal(1, row[1]);
        Assert.Equal(10827272222L, row[2]);
        Assert.Equal(1.5, row[3]);
        Assert.Equal("1.10", ((decimal)row[4]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("xé", row[5]);
        Assert.Equal("abc"u8.ToArray(), (byte[])row[6]!);
        Assert.Equal(new DateOnly(1969, 12, 22), row[7]);
        Assert.Equal(new TimeOnly(0, 0, 1), row[8]);
        Assert.Equal(Ts(1651182287943), row[9]);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)row[9]!).Kind);
    }

    [Fact]
    public void Matches_property_names_case_insensitively_with_exact_names_first()
    {
        var schema = Schema(("PRICE", SqlTypes.Integer), ("name", SqlTypes.String), ("NAME", SqlTypes.String));
        Assert.Equal(new object?[] { 1, null, "a" }, Read(schema, """{"price":1,"Name":"a"}"""));
        Assert.Equal(new object?[] { 2, null, null }, Read(schema, """{"PRICE":2,"price":1}"""));
        Assert.Equal(new object?[] { 2, null, null }, Read(schema, """{"price":1,"PRICE":2}"""));
        Assert.Equal(new object?[] { 3, null, null }, Read(schema, """{"Price":3,"pRICE":4}"""));
        Assert.Equal(new object?[] { 6, null, null }, Read(schema, """{"PRICE":5,"PRICE":6}"""));
        // "name" matches `name` exactly and NAME by its upper case; an exact "NAME" wins for NAME.
        Assert.Equal(new object?[] { null, "x", "x" }, Read(schema, """{"name":"x"}"""));
        Assert.Equal(new object?[] { null, "x", "y" }, Read(schema, """{"name":"x","NAME":"y"}"""));
        Assert.Equal(new object?[] { null, "x", "y" }, Read(schema, """{"NAME":"y","name":"x"}"""));
    }

    [Fact]
    public void An_upper_case_match_that_does_not_fit_yields_to_the_exact_name()
    {
        var schema = Schema(("Name", SqlTypes.String), ("NAME", SqlTypes.Bytes));
        Assert.Equal(new object?[] { "5", "abc"u8.ToArray() }, Read(schema, """{"Name":5,"NAME":"YWJj"}"""));
        Assert.Equal(new object?[] { "5", "abc"u8.ToArray() }, Read(schema, """{"NAME":"YWJj","Name":5}"""));
        var e = Assert.Throws<SerdeException>(() => Read(schema, """{"Name":{"x":[1]}}"""));
        Assert.EndsWith("Can't convert type. sourceType: ObjectNode, requiredType: BYTES, path: $.NAME", e.Message);
    }

    [Fact]
    public void Escaped_and_non_ASCII_names_match_too()
    {
        var schema = Schema(("ÉTÉ", SqlTypes.Integer), ("AB", SqlTypes.Integer));
        Assert.Equal(new object?[] { 1, 2 }, Read(schema, """{"été":1,"\u0061b":2}"""));
    }

    [Fact]
    public void Unknown_properties_are_ignored_and_missing_ones_are_null()
    {
        var schema = Schema(("A", SqlTypes.Integer), ("B", SqlTypes.Array(SqlTypes.Integer)));
        Assert.Equal(new object?[] { 1, null }, Read(schema, """{"x":{"deep":[1,{"y":2}]},"a":1,"z":[]}"""));
    }

    [Fact]
    public void Reads_nested_structs_maps_and_arrays()
    {
        var inner = SqlTypes.Struct(new SqlField("F", SqlTypes.Double), new SqlField("quoted", SqlTypes.String));
        var schema = Schema(("S", inner), ("M", SqlTypes.Map(SqlTypes.String, SqlTypes.Array(SqlTypes.BigInt))));
        var row = Read(schema, """{"s":{"f":45.67,"quoted":"q","QUOTED":"no"},"m":{"a":[1,null],"b":null}}""")!;
        var s = (SqlStruct)row[0]!;
        Assert.Equal(inner, s.Type);
        Assert.Equal(new object?[] { 45.67, "q" }, s.Values);
        var m = (Dictionary<object, object?>)row[1]!;
        Assert.Equal(new object?[] { 1L, null }, (List<object?>)m["a"]!);
        Assert.Null(m["b"]);
    }

    [Fact]
    public void Null_text_and_anonymous_values()
    {
        var multi = Schema(("A", SqlTypes.Integer), ("B", SqlTypes.Integer));
        Assert.Null(Read(multi, "null"));
        Assert.Null(Deserializer("JSON", multi).Deserialize((byte[]?)null));

        var single = Schema(("V", SqlTypes.Array(SqlTypes.String)));
        Assert.Equal(new object?[] { new List<object?> { "a", "b", null } }, Read(single, """["a","b",null]""", wrap: false));
        Assert.Null(Read(single, "null", wrap: false));
        Assert.Equal(new object?[] { new List<object?> { "a" } }, Read(single, """{"V":["a"]}"""));

        Assert.Equal(new object?[] { 12.365m }, Read(Schema(("K", SqlTypes.Decimal(6, 4))), "12.365", target: SerdeTarget.Key));
        var keyStruct = SqlTypes.Struct(new SqlField("F", SqlTypes.Double));
        var key = Read(Schema(("K", keyStruct)), """{"f":45.67}""", target: SerdeTarget.Key)!;
        Assert.Equal(new object?[] { 45.67 }, ((SqlStruct)key[0]!).Values);
    }

    [Fact]
    public void Lenient_numbers_and_strings()
    {
        var schema = Schema(("I", SqlTypes.Integer), ("L", SqlTypes.BigInt), ("D", SqlTypes.Double), ("B", SqlTypes.Boolean), ("DEC", SqlTypes.Decimal(6, 4)));
        Assert.Equal(new object?[] { 10, -5L, 2.5, true, 1.5m }, Read(schema, """{"I":"10","L":"-5","D":"2.5","B":"TRUE","DEC":"1.5"}"""));
        Assert.Equal(new object?[] { 1, -1L, 3.0, false, 10m }, Read(schema, """{"I":1.9,"L":-1.9,"D":3,"B":false,"DEC":10}"""));
        Assert.Equal(int.MinValue, Read(schema, """{"I":2147483648}""")![0]);
        Assert.Equal(double.NaN, Read(schema, """{"D":"NaN"}""")![2]);
        Assert.Equal("10.0000", ((decimal)Read(schema, """{"DEC":10}""")![4]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Anything_reads_as_a_string()
    {
        var schema = Schema(("S", SqlTypes.String));
        Assert.Equal("1", Read(schema, """{"S":1}""")![0]);
        Assert.Equal("1.50", Read(schema, """{"S":1.50}""")![0]);
        Assert.Equal("true", Read(schema, """{"S":true}""")![0]);
        Assert.Equal("""{"a":1,"b":[1,"x"]}""", Read(schema, """{"S":{ "a" : 1, "b":[1, "x"] }}""")![0]);
        Assert.Equal("[a, 1, null, [b], {\"c\":2}]", Read(schema, """{"S":["a",1,null,["b"],{"c":2}]}""")![0]);
        var array = Schema(("A", SqlTypes.Array(SqlTypes.String)));
        Assert.Equal(new object?[] { new List<object?> { "1", "2", "3" } }, Read(array, "[1,2,3]", wrap: false));
    }

    [Fact]
    public void Timestamps_also_read_from_strings()
    {
        var schema = Schema(("TS", SqlTypes.Timestamp));
        Assert.Equal(Ts(10), Read(schema, """{"TS":"10"}""")![0]);
        Assert.Equal(Ts(1651182287943), Read(schema, """{"TS":"2022-04-28T21:44:47.943Z"}""")![0]);
    }

    [Theory]
    [InlineData("""{"A":"x"}""", "Can't coerce string to type. targetType: INTEGER, path: $.A")]
    [InlineData("""{"A":true}""", "Can't convert type. sourceType: BooleanNode, requiredType: INTEGER, path: $.A")]
    [InlineData("""{"S":{"ARR":[1,"x"]}}""", "Can't coerce string to type. targetType: INTEGER, path: $.S.ARR[1]")]
    [InlineData("""{"M":{"k":[]}}""", "Can't convert type. sourceType: ArrayNode, requiredType: INTEGER, path: $.M['k']")]
    [InlineData("""{"BY":1}""", "Can't convert type. sourceType: NumericNode, requiredType: BYTES, path: $.BY")]
    [InlineData("""{"DEC":1.234}""", "Cannot fit decimal '1.234' into DECIMAL(4, 2) without rounding. (Requires 4,3), path: $.DEC")]
    [InlineData("""{"DEC":100}""", "Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less than 10^2. Got 100, path: $.DEC")]
    [InlineData("""[1]""", "Can't convert type. sourceType: ArrayNode, requiredType: STRUCT")]
    [InlineData("", "No content to map due to end-of-input")]
    public void Mismatches_are_reported_with_their_path(string json, string reason)
    {
        var inner = SqlTypes.Struct(new SqlField("ARR", SqlTypes.Array(SqlTypes.Integer)));
        var schema = Schema(("A", SqlTypes.Integer), ("S", inner), ("M", SqlTypes.Map(SqlTypes.String, SqlTypes.Integer)), ("BY", SqlTypes.Bytes), ("DEC", SqlTypes.Decimal(4, 2)));
        var e = Assert.Throws<SerdeException>(() => Read(schema, json));
        Assert.Equal($"Failed to deserialize value from topic: t. {reason}", e.Message);
        Assert.Equal(reason, e.Reason);
    }

    [Fact]
    public void Malformed_json_is_a_serde_error()
    {
        var schema = Schema(("A", SqlTypes.Integer));
        var e = Assert.Throws<SerdeException>(() => Read(schema, """{"A":1"""));
        Assert.StartsWith("Failed to deserialize value from topic: t. ", e.Message);
        Assert.Throws<SerdeException>(() => Read(schema, "{A:1}"));
    }

    [Fact]
    public void Maps_need_string_keys()
    {
        var schema = Schema(("M", SqlTypes.Map(SqlTypes.Integer, SqlTypes.Double)));
        var e = Assert.Throws<FormatValidationException>(() => Registry.Get("JSON").ValidateSchema(schema, SerdeTarget.Value));
        Assert.Contains("JSON only supports MAP types with STRING keys", e.Message);
        Assert.Equal("JSON only supports MAP types with STRING keys", e.Reason);
    }

    [Fact]
    public void Json_accepts_no_format_properties()
    {
        var e = Assert.Throws<FormatValidationException>(() =>
            Registry.Get("JSON").ValidateProperties(new Dictionary<string, string> { [FormatPropertyNames.FullSchemaName] = "x" }));
        Assert.Equal("JSON does not support the following configs: [fullSchemaName]", e.Message);
    }

    [Fact]
    public void Deserializes_into_a_slice_of_a_larger_row()
    {
        var deserializer = Deserializer("JSON", Schema(("A", SqlTypes.Integer), ("B", SqlTypes.String)));
        var row = new object?[] { "key", null, null, "meta" };
        Assert.True(deserializer.Deserialize(Bytes("""{"B":"b","A":7}"""), row.AsSpan(1, 2)));
        Assert.Equal(new object?[] { "key", 7, "b", "meta" }, row);
        Assert.False(deserializer.DeserializeRecord(null, row.AsSpan(1, 2)));
        Assert.Equal(new object?[] { "key", null, null, "meta" }, row);
        Assert.True(deserializer.DeserializeRecord(Bytes("""{"A":8}""").AsMemory(), row.AsSpan(1, 2)));
        Assert.Equal(new object?[] { "key", 8, null, "meta" }, row);
    }
}
