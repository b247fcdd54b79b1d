using System.Text;
using System.Text.Json;
using Rhei.Connect.Config;
using Rhei.Connect.Converters;
using Rhei.Connect.Data;
using Rhei.Connect.Transforms;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Connect.Tests.Converters;

public sealed class ConverterTests
{
    private static readonly SqlStructType Row = SqlTypes.Struct(
        new SqlField("id", SqlTypes.Integer), new SqlField("name", SqlTypes.String), new SqlField("price", SqlTypes.Decimal(6, 2)),
        new SqlField("at", SqlTypes.Timestamp), new SqlField("day", SqlTypes.Date), new SqlField("blob", SqlTypes.Bytes), new SqlField("ratio", SqlTypes.Double));

    private static SqlStruct Sample() => new(Row,
        [7, "x", 12.5m, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateOnly(1970, 1, 11), new byte[] { 1, 2 }, 1.0]);

    private static Converter Create(bool isKey, params (string, string)[] properties) =>
        ConverterFactory.Create(properties.ToDictionary(p => p.Item1, p => p.Item2), isKey, FormatRegistry.CreateDefault());

    [Fact]
    public void Default_value_converter_writes_plain_json_as_ksqlDB_reads_it()
    {
        var bytes = Create(false).FromConnectData("t", Row, Sample());
        Assert.Equal("""{"id":7,"name":"x","price":12.50,"at":1704067200000,"day":10,"blob":"AQI=","ratio":1.0}""", Encoding.UTF8.GetString(bytes!));
        Assert.Null(Create(false).FromConnectData("t", Row, null));
    }

    [Fact]
    public void Json_converter_with_schemas_writes_the_envelope_and_reads_it_back()
    {
        var converter = Create(false, ("value.converter", ConverterFactory.JsonConverterClass));
        var bytes = converter.FromConnectData("t", Row, Sample())!;
        var root = JsonDocument.Parse(bytes).RootElement;
        var fields = root.GetProperty("schema").GetProperty("fields");
        Assert.Equal("org.apache.kafka.connect.data.Decimal", fields[2].GetProperty("name").GetString());
        Assert.Equal("BOI=", root.GetProperty("payload").GetProperty("price").GetString()); // 1250 unscaled, Kafka's BASE64 default
        Assert.Equal("org.apache.kafka.connect.data.Timestamp", fields[3].GetProperty("name").GetString());

        var back = converter.ToConnectData("t", bytes.AsSpan());
        Assert.Equal(Row, back.Schema);
        Assert.Equal(Sample(), back.Value);

        var numeric = Create(false, ("value.converter", ConverterFactory.JsonConverterClass), ("value.converter.decimal.format", "NUMERIC"));
        Assert.Equal("12.50", JsonDocument.Parse(numeric.FromConnectData("t", Row, Sample())!).RootElement.GetProperty("payload").GetProperty("price").GetRawText());
    }

    [Fact]
    public void Json_converter_with_schemas_refuses_plain_json_with_Kafkas_hint()
    {
        var converter = Create(false, ("value.converter", ConverterFactory.JsonConverterClass), ("value.converter.schemas.enable", "true"));
        var e = Assert.Throws<ConnectDataException>(() => converter.ToConnectData("t", """{"a":1}"""u8));
        Assert.Contains("set schemas.enable=false", e.Message);
    }

    [Fact]
    public void Schemaless_json_reads_into_maps_with_integers_and_doubles()
    {
        var value = Create(false).ToConnectData("t", """{"a":1,"b":2.5,"c":"x","d":null,"e":[1,2],"f":{"g":true}}"""u8);
        Assert.Null(value.Schema);
        var map = Assert.IsType<Dictionary<string, object?>>(value.Value);
        Assert.Equal(1L, map["a"]);
        Assert.Equal(2.5, map["b"]);
        Assert.Null(map["d"]);
        Assert.Equal(new List<object?> { 1L, 2L }, map["e"]);
    }

    [Fact]
    public void Keys_default_to_the_KAFKA_format_of_their_type()
    {
        var key = Create(true);
        Assert.Equal(new byte[] { 0, 0, 0, 5 }, key.FromConnectData("t", SqlTypes.Integer, 5));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 5 }, key.FromConnectData("t", SqlTypes.BigInt, 5L));
        Assert.Equal("abc"u8.ToArray(), key.FromConnectData("t", SqlTypes.String, "abc"));
        Assert.Null(key.FromConnectData("t", null, null));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(key.FromConnectData("t", SqlTypes.Struct(new SqlField("a", SqlTypes.Integer)), new SqlStruct(SqlTypes.Struct(new SqlField("a", SqlTypes.Integer)), [1]))!));
    }

    [Fact]
    public void Number_and_string_converters_use_Kafkas_bytes()
    {
        var longs = Create(true, ("key.converter", "org.apache.kafka.connect.converters.LongConverter"));
        var bytes = longs.FromConnectData("t", SqlTypes.BigInt, 258L)!;
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 1, 2 }, bytes);
        Assert.Equal(258L, longs.ToConnectData("t", bytes.AsSpan()).Value);
        Assert.Throws<ConnectDataException>(() => longs.ToConnectData("t", new byte[3].AsSpan()));
        var ints = Create(true, ("key.converter", "org.apache.kafka.connect.converters.IntegerConverter"));
        Assert.Equal(-1, ints.ToConnectData("t", new byte[] { 255, 255, 255, 255 }.AsSpan()).Value);
        var strings = Create(true, ("key.converter", ConverterFactory.StringConverterClass));
        Assert.Equal("42", Encoding.UTF8.GetString(strings.FromConnectData("t", SqlTypes.BigInt, 42L)!));
        Assert.Equal("Struct{id=7,name=x,price=12.50,at=1704067200000,day=10,blob=AQI=,ratio=1.0}", Encoding.UTF8.GetString(strings.FromConnectData("t", Row, Sample())!));
    }

    [Fact]
    public void Value_format_writes_with_Rheis_formats()
    {
        var delimited = Create(false, ("value.format", "DELIMITED"));
        Assert.Equal("7,x,12.50,1704067200000,10,AQI=,1.0", Encoding.UTF8.GetString(delimited.FromConnectData("t", Row, Sample())!));
        var e = Assert.Throws<ConnectorConfigException>(() => Create(false, ("value.format", "XML")));
        Assert.Contains("known formats", e.Message);
    }

    [Fact]
    public void ValueToKey_and_ExtractField_set_the_key()
    {
        var errors = new List<ConfigError>();
        var chain = TransformChain.Create(new Dictionary<string, string>
        {
            ["transforms"] = "k,x,r",
            ["transforms.k.type"] = "org.apache.kafka.connect.transforms.ValueToKey",
            ["transforms.k.fields"] = "id",
            ["transforms.x.type"] = "org.apache.kafka.connect.transforms.ExtractField$Key",
            ["transforms.x.field"] = "id",
            ["transforms.r.type"] = "org.apache.kafka.connect.transforms.RegexRouter",
            ["transforms.r.regex"] = "(.*)-raw",
            ["transforms.r.replacement"] = "$1",
        }, errors);
        Assert.Empty(errors);
        var record = new SourceRecord(new Dictionary<string, object?>(), new Dictionary<string, object?>(), "orders-raw", null, null, null, Row, Sample(), null);
        var result = chain.Apply(record)!;
        Assert.Equal(SqlTypes.Integer, result.KeySchema);
        Assert.Equal(7, result.Key);
        Assert.Equal("orders", result.Topic);
        Assert.IsType<SourceRecord>(result);

        var missing = TransformChain.Create(new Dictionary<string, string> { ["key"] = "nope" }, errors);
        var e = Assert.Throws<ConnectDataException>(() => missing.Apply(record));
        Assert.Contains("'nope'", e.Message);
        Assert.Contains("id, name", e.Message);
    }

    [Fact]
    public void The_key_property_with_several_columns_makes_a_struct_key()
    {
        var chain = TransformChain.Create(new Dictionary<string, string> { ["key"] = "id, name" }, []);
        var record = new SourceRecord(new Dictionary<string, object?>(), new Dictionary<string, object?>(), "t", null, null, null, Row, Sample(), null);
        var key = Assert.IsType<SqlStruct>(chain.Apply(record)!.Key);
        Assert.Equal([7, "x"], key.Values);
    }
}
