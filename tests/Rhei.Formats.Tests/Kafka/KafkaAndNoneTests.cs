using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using static Rhei.Formats.Tests.SerdeHelper;

namespace Rhei.Formats.Tests.Kafka;

public class KafkaAndNoneTests
{
    [Fact]
    public void Writes_Kafka_standard_serializer_bytes()
    {
        Assert.Equal(new byte[] { 0, 0, 0, 2 }, Serializer("KAFKA", Schema(("V", SqlTypes.Integer))).Serialize([2]));
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFE }, Serializer("KAFKA", Schema(("V", SqlTypes.Integer))).Serialize([-2]));
        Assert.Equal(new byte[] { 0, 0, 0, 2, 0x54, 0x0B, 0xE4, 0x00 }, Serializer("KAFKA", Schema(("V", SqlTypes.BigInt))).Serialize([10_000_000_000L]));
        Assert.Equal(BitConverter.GetBytes(2.2).Reverse().ToArray(), Serializer("KAFKA", Schema(("V", SqlTypes.Double))).Serialize([2.2]));
        Assert.Equal("bär"u8.ToArray(), Serializer("KAFKA", Schema(("V", SqlTypes.String))).Serialize(["bär"]));
        Assert.Equal(new byte[] { 1, 2, 3 }, Serializer("KAFKA", Schema(("V", SqlTypes.Bytes))).Serialize([new byte[] { 1, 2, 3 }]));
        Assert.Equal(Array.Empty<byte>(), Serializer("KAFKA", Schema(("V", SqlTypes.String))).Serialize([""]));
        Assert.Null(Serializer("KAFKA", Schema(("V", SqlTypes.Integer))).Serialize([null]));
    }

    [Fact]
    public void Round_trips_each_supported_type()
    {
        (SqlType Type, object Value)[] cases =
        [
            (SqlTypes.Integer, int.MinValue), (SqlTypes.BigInt, long.MaxValue), (SqlTypes.Double, -0.5),
            (SqlTypes.String, "€ and 😀"), (SqlTypes.Bytes, new byte[] { 0, 255 }),
        ];
        foreach (var (type, value) in cases)
        {
            var schema = Schema(("K", type));
            var bytes = Serializer("KAFKA", schema, SerdeTarget.Key).Serialize([value]);
            Assert.Equal(new[] { value }, Deserializer("KAFKA", schema, SerdeTarget.Key).Deserialize(bytes));
        }
    }

    [Theory]
    [InlineData("INTEGER", 3, "Size of data received by IntegerDeserializer is not 4")]
    [InlineData("BIGINT", 4, "Size of data received by LongDeserializer is not 8")]
    [InlineData("DOUBLE", 9, "Size of data received by Deserializer is not 8")]
    public void A_wrong_byte_count_is_an_error(string type, int length, string reason)
    {
        SqlType t = type switch { "INTEGER" => SqlTypes.Integer, "BIGINT" => SqlTypes.BigInt, _ => SqlTypes.Double };
        var e = Assert.Throws<SerdeException>(() => Deserializer("KAFKA", Schema(("K", t)), SerdeTarget.Key).Deserialize(new byte[length]));
        Assert.Equal($"Failed to deserialize key from topic: t. {reason}", e.Message);
    }

    [Fact]
    public void Kafka_carries_at_most_one_supported_column()
    {
        var kafka = Registry.Get("KAFKA");
        var e = Assert.Throws<FormatValidationException>(() => kafka.ValidateSchema(Schema(("K", SqlTypes.Boolean)), SerdeTarget.Key));
        Assert.Equal("Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K` BOOLEAN KEY], features=[]}\nreason: The 'KAFKA' format does not support type 'BOOLEAN'", e.Message);

        e = Assert.Throws<FormatValidationException>(() => kafka.ValidateSchema(Schema(("V0", SqlTypes.Integer), ("V1", SqlTypes.String)), SerdeTarget.Value));
        Assert.Equal("The 'KAFKA' format only supports a single field. Got: [`V0` INTEGER, `V1` STRING]", e.Reason);

        e = Assert.Throws<FormatValidationException>(() => kafka.ValidateSchema(Schema(("ID", SqlTypes.Integer), ("AGE", SqlTypes.Integer)), SerdeTarget.Key));
        Assert.Contains("reason: The 'KAFKA' format only supports a single field. Got: [`ID` INTEGER KEY, `AGE` INTEGER KEY]", e.Message);

        foreach (var type in new SqlType[] { SqlTypes.Array(SqlTypes.Integer), SqlTypes.Map(SqlTypes.String, SqlTypes.Integer), SqlTypes.Struct(new SqlField("F", SqlTypes.Double)), SqlTypes.Decimal(4, 2), SqlTypes.Timestamp })
        {
            e = Assert.Throws<FormatValidationException>(() => kafka.ValidateSchema(Schema(("FOO", type)), SerdeTarget.Value));
            Assert.Equal($"The 'KAFKA' format does not support type '{type.BaseType.SqlName()}'", e.Reason);
        }

        var wrap = Assert.Throws<FormatValidationException>(() => kafka.ResolveValueFeatures(1, wrapSingleValue: true));
        Assert.Equal("Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.", wrap.Message);
    }

    [Fact]
    public void Kafka_without_columns_writes_null_and_ignores_input()
    {
        Assert.Null(Serializer("KAFKA", SerdeSchema.Empty, SerdeTarget.Key).Serialize(Array.Empty<object?>()));
        Assert.Equal([], Deserializer("KAFKA", SerdeSchema.Empty, SerdeTarget.Key).Deserialize(Bytes("ignored")));
    }

    [Fact]
    public void None_has_no_columns()
    {
        Assert.Null(Serializer("NONE", SerdeSchema.Empty, SerdeTarget.Key).Serialize(Array.Empty<object?>()));
        Assert.Equal([], Deserializer("NONE", SerdeSchema.Empty, SerdeTarget.Key).Deserialize(Bytes("data that should be ignored")));
        var e = Assert.Throws<FormatValidationException>(() => Registry.Get("NONE").ValidateSchema(Schema(("K", SqlTypes.String)), SerdeTarget.Key));
        Assert.Equal("The 'NONE' format can only be used when no columns are defined. Got: [`K` STRING KEY]", e.Reason);
        e = Assert.Throws<FormatValidationException>(() => Registry.Get("NONE").CreateSerializer(Schema(("FOO", SqlTypes.Integer)), SerdeOptions.Value()));
        Assert.Equal("The 'NONE' format can only be used when no columns are defined. Got: [`FOO` INTEGER]", e.Reason);
    }
}
