using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using static Rhei.Formats.Tests.SerdeHelper;

namespace Rhei.Formats.Tests.Json;

public class JsonSerializationTests
{
    [Fact]
    public void Writes_an_object_of_the_columns_with_Java_numbers()
    {
        var schema = Schema(
            ("B", SqlTypes.Boolean), ("I", SqlTypes.Integer), ("L", SqlTypes.BigInt), ("D", SqlTypes.Double),
            ("DEC", SqlTypes.Decimal(4, 2)), ("S", SqlTypes.String), ("BY", SqlTypes.Bytes), ("DT", SqlTypes.Date),
            ("T", SqlTypes.Time), ("TS", SqlTypes.Timestamp), ("N", SqlTypes.String));
        var row = new object?[]
        {
            true, 1, 10827272222L, 1.0, 1.1m, "héllo \"x\" <b>", new byte[] { 97, 98, 99 }, new DateOnly(1970, 1, 3),
            new TimeOnly(0, 0, 1), Ts(1), null,
        };
        var json = Text(Serializer("JSON", schema).Serialize(row));
        Assert.Equal(
            "{\"B\":true,\"I\":1,\"L\":10827272222,\"D\":1.0,\"DEC\":1.10,\"S\":\"héllo \\\"x\\\" <b>\",\"BY\":\"YWJj\",\"DT\":2,\"T\":1000,\"TS\":1,\"N\":null}",
            json);
    }

    [Fact]
    public void Doubles_use_Java_text_and_non_finite_values_are_strings()
    {
        var schema = Schema(("A", SqlTypes.Array(SqlTypes.Double)));
        var json = Text(Serializer("JSON", schema).Serialize([new List<object?> { 1e10, 0.0001, double.NaN, double.NegativeInfinity, null }]));
        Assert.Equal("{\"A\":[1.0E10,1.0E-4,\"NaN\",\"-Infinity\",null]}", json);
    }

    [Fact]
    public void Nested_types_keep_declared_field_names()
    {
        var inner = SqlTypes.Struct(new SqlField("F0", SqlTypes.Integer), new SqlField("lower", SqlTypes.String));
        var schema = Schema(("S", inner), ("M", SqlTypes.Map(SqlTypes.String, SqlTypes.Array(inner))));
        var value = new SqlStruct(inner, [1, "x"]);
        var json = Text(Serializer("JSON", schema).Serialize([value, new Dictionary<object, object?> { ["k"] = new List<object?> { value, null } }]));
        Assert.Equal("{\"S\":{\"F0\":1,\"lower\":\"x\"},\"M\":{\"k\":[{\"F0\":1,\"lower\":\"x\"},null]}}", json);
    }

    [Fact]
    public void Decimals_are_written_at_the_type_scale()
    {
        var schema = Schema(("D", SqlTypes.Decimal(6, 4)));
        var serializer = Serializer("JSON", schema);
        Assert.Equal("{\"D\":10.0000}", Text(serializer.Serialize([10m])));
        Assert.Equal("{\"D\":-0.0001}", Text(serializer.Serialize([-0.0001m])));
        Assert.Equal("{\"D\":1.1235}", Text(serializer.Serialize([1.12345m])));
    }

    [Fact]
    public void Unwrapped_single_values_are_bare()
    {
        var schema = Schema(("V", SqlTypes.Decimal(4, 2)));
        var serializer = Serializer("JSON", schema, wrapSingleValue: false);
        Assert.Equal("99.99", Text(serializer.Serialize([99.99m])));
        Assert.Null(serializer.Serialize([null]));
        Assert.Null(serializer.Serialize((object?[]?)null));

        var structType = SqlTypes.Struct(new SqlField("F0", SqlTypes.Integer));
        var structSerializer = Serializer("JSON", Schema(("FOO", structType)), wrapSingleValue: false);
        Assert.Equal("{\"F0\":null}", Text(structSerializer.Serialize([new SqlStruct(structType, [null])])));
    }

    [Fact]
    public void Single_keys_are_unwrapped_and_multi_column_keys_are_objects()
    {
        Assert.Equal("true", Text(Serializer("JSON", Schema(("K", SqlTypes.Boolean)), SerdeTarget.Key).Serialize([true])));
        Assert.Equal("{\"K1\":\"foo\",\"K2\":\"bar\"}", Text(Serializer("JSON", Schema(("K1", SqlTypes.String), ("K2", SqlTypes.String)), SerdeTarget.Key).Serialize(["foo", "bar"])));
        Assert.Null(Serializer("JSON", Schema(("K", SqlTypes.Integer)), SerdeTarget.Key).Serialize([null]));
    }

    [Fact]
    public void Wrapping_follows_the_configured_default()
    {
        var format = Registry.Get("JSON");
        Assert.Equal(SerdeFeatures.UnwrapSingles, format.ResolveValueFeatures(1, wrapSingleValue: null, defaultWrapSingleValues: false));
        Assert.Equal(SerdeFeatures.WrapSingles, format.ResolveValueFeatures(1, wrapSingleValue: null));
        Assert.Equal(SerdeFeatures.None, format.ResolveValueFeatures(2, wrapSingleValue: null, defaultWrapSingleValues: false));
    }

    [Fact]
    public void Serializing_writes_into_a_buffer_writer()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var serializer = Serializer("JSON", Schema(("A", SqlTypes.Integer)));
        Assert.True(serializer.Serialize([1], buffer));
        Assert.True(serializer.Serialize([2], buffer));
        Assert.Equal("{\"A\":1}{\"A\":2}", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void A_value_of_the_wrong_kind_is_a_serde_error()
    {
        var e = Assert.Throws<SerdeException>(() => Serializer("JSON", Schema(("A", SqlTypes.Integer))).Serialize(["x"]));
        Assert.Contains("Failed to serialize value for topic: t.", e.Message);
        Assert.Contains("INTEGER", e.Message);
    }
}
