using Rhei.Formats.Delimited;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using static Rhei.Formats.Tests.SerdeHelper;

namespace Rhei.Formats.Tests.Delimited;

public class DelimitedTests
{
    private static readonly SerdeSchema IdNameValue = Schema(("ID", SqlTypes.BigInt), ("NAME", SqlTypes.String), ("VALUE", SqlTypes.Integer));

    private static Dictionary<string, string> Delim(string d) => new() { [FormatPropertyNames.Delimiter] = d };

    [Fact]
    public void Round_trips_a_record()
    {
        var row = Deserializer("DELIMITED", IdNameValue).Deserialize(Bytes("0,zero,0"))!;
        Assert.Equal(new object?[] { 0L, "zero", 0 }, row);
        Assert.Equal("0,zero,0", Text(Serializer("DELIMITED", IdNameValue).Serialize(row)));
    }

    [Theory]
    [InlineData("|", "100|100|500")]
    [InlineData("$", "100$100$500")]
    [InlineData("\t", "100\t100\t500")]
    [InlineData(" ", "100 100 500")]
    [InlineData("☺", "100☺100☺500")]
    public void Uses_the_configured_delimiter(string delimiter, string text)
    {
        var props = Delim(delimiter);
        var row = Deserializer("DELIMITED", IdNameValue, properties: props).Deserialize(Bytes(text))!;
        Assert.Equal(new object?[] { 100L, "100", 500 }, row);
        Assert.Equal(text, Text(Serializer("DELIMITED", IdNameValue, properties: props).Serialize(row)));
    }

    [Fact]
    public void Writes_every_primitive_type()
    {
        var schema = Schema(
            ("B", SqlTypes.Boolean), ("I", SqlTypes.Integer), ("L", SqlTypes.BigInt), ("D", SqlTypes.Double),
            ("DEC", SqlTypes.Decimal(5, 3)), ("S", SqlTypes.String), ("BY", SqlTypes.Bytes), ("DT", SqlTypes.Date),
            ("T", SqlTypes.Time), ("TS", SqlTypes.Timestamp), ("N", SqlTypes.Integer));
        var row = new object?[]
        {
            true, 10, 101L, 10.3, 1m, "bob", "variations"u8.ToArray(), new DateOnly(1970, 1, 11), new TimeOnly(0, 0, 0, 10), Ts(10), null,
        };
        var text = Text(Serializer("DELIMITED", schema).Serialize(row));
        Assert.Equal("true,10,101,10.3,1.000,bob,dmFyaWF0aW9ucw==,10,10,10,", text);
        var back = Deserializer("DELIMITED", schema).Deserialize(Bytes(text!))!;
        Assert.Equal(row, back);
    }

    [Theory]
    [InlineData("-12345.12", "\"-12345.1200000000000000\"")]
    [InlineData(".12", "0.1200000000000000")]
    [InlineData("\"-12345.12\"", "\"-12345.1200000000000000\"")]
    [InlineData("0", "0.0000000000000000")]
    public void Decimals_keep_their_scale_and_a_leading_minus_is_quoted(string input, string output)
    {
        var schema = Schema(("V", SqlTypes.Decimal(33, 16)));
        var row = Deserializer("DELIMITED", schema).Deserialize(Bytes(input));
        Assert.Equal(output, Text(Serializer("DELIMITED", schema).Serialize(row)));
    }

    [Fact]
    public void Quotes_fields_as_Commons_CSV_does()
    {
        var three = Schema(("A", SqlTypes.String), ("B", SqlTypes.Bytes), ("C", SqlTypes.String));
        Assert.Equal("\"!\",IQ==,\"!\"", Text(Serializer("DELIMITED", three).Serialize(["!", "!"u8.ToArray(), "!"])));
        Assert.Equal("\"#\",Iw==,\"#\"", Text(Serializer("DELIMITED", three).Serialize(["#", "#"u8.ToArray(), "#"])));

        var strings = Schema(("A", SqlTypes.String), ("B", SqlTypes.String), ("C", SqlTypes.String), ("D", SqlTypes.String));
        var serializer = Serializer("DELIMITED", strings);
        Assert.Equal("\" \t with white space \t\",with,\"a,b\",\"say \"\"hi\"\"\"", Text(serializer.Serialize([" \t with white space \t", "with", "a,b", "say \"hi\""])));
        Assert.Equal("\"\",,x,\"line\nbreak\"", Text(serializer.Serialize(["", "", "x", "line\nbreak"])));
        Assert.Equal(",,,", Text(serializer.Serialize([null, null, null, null])));
        Assert.Equal("\"-a\",-a,\"trailing \",été", Text(serializer.Serialize(["-a", "-a", "trailing ", "été"])));
        Assert.Equal("\"été\",été,x,y", Text(serializer.Serialize(["été", "été", "x", "y"])));
    }

    [Fact]
    public void Reads_quoted_fields()
    {
        var two = Schema(("K1", SqlTypes.String), ("K2", SqlTypes.String));
        Assert.Equal(new object?[] { "foo", "bar" }, Deserializer("DELIMITED", two).Deserialize(Bytes("\"foo\",\"bar\"")));
        Assert.Equal(new object?[] { "a\"b", "c,d" }, Deserializer("DELIMITED", two).Deserialize(Bytes("\"a\"\"b\",\"c,d\"")));
        Assert.Equal(new object?[] { "a\"b\"", "x" }, Deserializer("DELIMITED", two).Deserialize(Bytes("a\"b\",x")));
        Assert.Equal(new object?[] { "line\nbreak", "x" }, Deserializer("DELIMITED", two).Deserialize(Bytes("\"line\nbreak\",x\nignored,record")));
        Assert.Equal(new object?[] { "foo,bar", "baz" }, Deserializer("DELIMITED", two, properties: Delim(";")).Deserialize(Bytes("foo,bar;baz")));
        Assert.Equal(new object?[] { "a", "b" }, Deserializer("DELIMITED", two).Deserialize(Bytes("\"a\"  ,b")));
    }

    [Fact]
    public void Parses_single_keys_in_quotes()
    {
        Assert.Equal(new object?[] { true }, Deserializer("DELIMITED", Schema(("K", SqlTypes.Boolean)), SerdeTarget.Key).Deserialize(Bytes("\"true\"")));
        Assert.Equal(new object?[] { 22 }, Deserializer("DELIMITED", Schema(("K", SqlTypes.Integer)), SerdeTarget.Key).Deserialize(Bytes("\"22\"")));
        Assert.Equal(new object?[] { 12.0000m }, Deserializer("DELIMITED", Schema(("K", SqlTypes.Decimal(6, 4))), SerdeTarget.Key).Deserialize(Bytes("\"12.0\"")));
    }

    [Fact]
    public void Empty_fields_are_null()
    {
        var schema = Schema(("A", SqlTypes.String), ("B", SqlTypes.Integer), ("C", SqlTypes.String));
        Assert.Equal(new object?[] { null, null, null }, Deserializer("DELIMITED", schema).Deserialize(Bytes(",,")));
        Assert.Equal(new object?[] { null, 1, null }, Deserializer("DELIMITED", schema).Deserialize(Bytes("\"\",1,")));
        Assert.Equal(new object?[] { null }, Deserializer("DELIMITED", Schema(("A", SqlTypes.String))).Deserialize(Bytes("")));
    }

    [Theory]
    [InlineData("1,2", "Column count mismatch on deserialization. topic: t, expected: 3, got: 2")]
    [InlineData("1,2,3,4", "Column count mismatch on deserialization. topic: t, expected: 3, got: 4")]
    [InlineData("x,a,1", "Invalid BIGINT value for column `ID`: \"x\"")]
    [InlineData("1,a,1.5", "Invalid INTEGER value for column `VALUE`: \"1.5\"")]
    [InlineData("\"1,a,1", "EOF reached before encapsulated token finished")]
    [InlineData("\"1\"x,a,1", "Invalid char between encapsulated token and delimiter")]
    public void Bad_records_are_serde_errors(string text, string reason)
    {
        var e = Assert.Throws<SerdeException>(() => Deserializer("DELIMITED", IdNameValue).Deserialize(Bytes(text)));
        Assert.Equal($"Failed to deserialize value from topic: t. {reason}", e.Message);
    }

    [Fact]
    public void Booleans_follow_Java_parseBoolean()
    {
        var schema = Schema(("B", SqlTypes.Boolean));
        Assert.Equal(true, Deserializer("DELIMITED", schema).Deserialize(Bytes("TRUE"))![0]);
        Assert.Equal(false, Deserializer("DELIMITED", schema).Deserialize(Bytes("yes"))![0]);
    }

    [Theory]
    [InlineData("<~>", "Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '<~>'. Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'")]
    [InlineData("", "Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'")]
    [InlineData(" ", "Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'")]
    [InlineData("\t", "Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'")]
    public void Delimiter_settings_are_validated(string value, string message)
    {
        Assert.Equal(message, Assert.Throws<FormatValidationException>(() => Delimiter.Parse("VALUE_DELIMITER", value)).Message);
    }

    [Theory]
    [InlineData("TAB", '\t')]
    [InlineData("SPACE", ' ')]
    [InlineData("|", '|')]
    public void Delimiter_settings_parse(string value, char expected)
    {
        Assert.Equal(expected, Delimiter.Parse("KEY_DELIMITER", value));
    }

    [Theory]
    [InlineData("ARRAY")]
    [InlineData("MAP")]
    [InlineData("STRUCT")]
    public void Nested_types_are_refused(string kind)
    {
        SqlType type = kind switch
        {
            "ARRAY" => SqlTypes.Array(SqlTypes.Double),
            "MAP" => SqlTypes.Map(SqlTypes.String, SqlTypes.Double),
            _ => SqlTypes.Struct(new SqlField("F", SqlTypes.Double)),
        };
        var e = Assert.Throws<FormatValidationException>(() => Registry.Get("DELIMITED").ValidateSchema(Schema(("K", type)), SerdeTarget.Key));
        Assert.Equal(
            $"Key format does not support schema.\nformat: DELIMITED\nschema: Persistence{{columns=[`K` {type} KEY], features=[]}}\nreason: The 'DELIMITED' format does not support type '{kind}', column: `K`",
            e.Message);
    }

    [Fact]
    public void Wrapping_a_single_value_is_refused()
    {
        var format = Registry.Get("DELIMITED");
        var e = Assert.Throws<FormatValidationException>(() => format.ResolveValueFeatures(1, wrapSingleValue: true));
        Assert.Equal("Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.", e.Message);
        Assert.Equal(SerdeFeatures.UnwrapSingles, format.ResolveValueFeatures(1, wrapSingleValue: false));
        Assert.Equal(SerdeFeatures.None, format.ResolveValueFeatures(1, wrapSingleValue: null));
    }
}
