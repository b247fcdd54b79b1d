using System.Text.Json.Nodes;
using Rhei.Formats.JsonSchema;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Tests.SchemaRegistry;
using Rhei.Formats.Types;
using static Rhei.Formats.Tests.SchemaRegistry.RegistryFixture;

namespace Rhei.Formats.Tests.JsonSchema;

public class JsonSchemaFormatTests
{
    [Fact]
    public void Generated_schemas_match_what_ksqlDB_registers()
    {
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"type":"object","properties":{"FOO":{"connect.index":0,"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int32"}]}}}"""),
            JsonNode.Parse(JsonSchemaTranslator.ToJsonSchema(Columns(("FOO", SqlTypes.Integer)), unwrapped: false))));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int32"}]}"""),
            JsonNode.Parse(JsonSchemaTranslator.ToJsonSchema(Columns(("K", SqlTypes.Integer)), unwrapped: true))));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"oneOf":[{"type":"null"},{"type":"object","properties":{"F1":{"connect.index":0,"oneOf":[{"type":"null"},{"type":"string"}]}}}]}"""),
            JsonNode.Parse(JsonSchemaTranslator.ToJsonSchema(Columns(("K", SqlTypes.Struct(new SqlField("F1", SqlTypes.String)))), unwrapped: true))));
    }

    [Fact]
    public void Every_sql_type_survives_generation_then_inference()
    {
        var inner = SqlTypes.Struct(new SqlField("a", SqlTypes.Integer), new SqlField("B", SqlTypes.Array(SqlTypes.String)));
        var columns = Columns(
            ("BOOL", SqlTypes.Boolean), ("I", SqlTypes.Integer), ("L", SqlTypes.BigInt), ("D", SqlTypes.Double), ("S", SqlTypes.String), ("BY", SqlTypes.Bytes),
            ("DEC", SqlTypes.Decimal(4, 2)), ("DA", SqlTypes.Date), ("TI", SqlTypes.Time), ("TS", SqlTypes.Timestamp),
            ("ST", inner), ("M", SqlTypes.Map(SqlTypes.String, SqlTypes.Map(SqlTypes.String, SqlTypes.Integer))));
        var parsed = JsonParsedSchema.Parse(JsonSchemaTranslator.ToJsonSchema(columns, unwrapped: false));
        Assert.Equal(columns, JsonSchemaTranslator.ToColumns(parsed, unwrapped: false, preserveNames: true, "ROWVAL"));
    }

    [Fact]
    public async Task Inference_reads_connect_annotations_and_plain_json_schemas()
    {
        var f = new RegistryFixture();
        var format = (SchemaRegistryFormat)f.Formats.Get("JSON_SR");
        await f.Store.RegisterAsync("a-key", SchemaDefinition.Json("""{"oneOf":[{"type":"null"},{"type":"number","title":"org.apache.kafka.connect.data.Decimal","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2","connect.decimal.precision":"4"}}]}"""));
        await f.Store.RegisterAsync("a-value", SchemaDefinition.Json("""{"type":"object","properties":{"FOO":{"connect.index":0,"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int32"}]}}}"""));
        Assert.Equal("[`ROWKEY` DECIMAL(4, 2)]", (await format.InferAsync("a", SerdeTarget.Key)).Columns.ToString());
        Assert.Equal("[`FOO` INTEGER]", (await format.InferAsync("a", SerdeTarget.Value)).Columns.ToString());

        var plain = await f.Store.RegisterAsync("b-value", SchemaDefinition.Json("""
            {"type":"object","properties":{"c1":{"type":"integer"},"name":{"type":["string","null"]},"tags":{"type":"array","items":{"type":"string"}},
             "meta":{"type":"object","connect.type":"map","additionalProperties":{"type":"integer","connect.type":"int32"}},
             "ref":{"$ref":"#/definitions/point"}},
             "definitions":{"point":{"type":"object","properties":{"x":{"type":"number"}}}}}
            """));
        Assert.Equal("[`c1` BIGINT, `name` STRING, `tags` ARRAY<STRING>, `meta` MAP<STRING, INTEGER>, `ref` STRUCT<`x` DOUBLE>]",
            (await format.InferAsync("b", SerdeTarget.Value, schemaId: plain.Id)).Columns.ToString());
        Assert.Equal("[`C1` BIGINT, `NAME` STRING, `TAGS` ARRAY<STRING>, `META` MAP<STRING, INTEGER>, `REF` STRUCT<`X` DOUBLE>]",
            (await format.InferAsync("b", SerdeTarget.Value)).Columns.ToString());

        await f.Store.RegisterAsync("c-value", SchemaDefinition.Json("""{"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int32"}]}"""));
        Assert.Equal("[`ROWVAL` INTEGER]", (await format.InferAsync("c", SerdeTarget.Value, wrapSingleValue: false)).Columns.ToString());
        await f.Store.RegisterAsync("d-value", SchemaDefinition.Json("""{"type":"object","properties":{"u":{"oneOf":[{"type":"string"},{"type":"integer"}]}}}"""));
        var union = await Assert.ThrowsAsync<FormatValidationException>(async () => await format.InferAsync("d", SerdeTarget.Value));
        Assert.Contains("unions of several types are not supported", union.Message);
    }

    [Fact]
    public async Task Records_are_json_behind_the_five_byte_header()
    {
        var f = new RegistryFixture();
        var columns = Columns(("FOO", SqlTypes.Integer), ("BAR", SqlTypes.Array(SqlTypes.String)));
        var (ser, de) = await f.SerdesAsync("JSON_SR", columns);
        var id = f.Store.TryGetLatest("t-value")!.Id;
        var bytes = ser.Serialize([10, new List<object?> { "a", null }])!;
        Assert.Equal(new byte[] { 0, 0, 0, 0, (byte)id }, bytes[..5]);
        Assert.Equal("""{"FOO":10,"BAR":["a",null]}""", System.Text.Encoding.UTF8.GetString(bytes[5..]));
        Assert.Equal(new object?[] { 10, new List<object?> { "a", null } }, de.Deserialize(bytes), SqlValueComparer.Instance);
        var e = Assert.Throws<SerdeException>(() => de.Deserialize("""{"FOO":1}"""u8.ToArray()));
        Assert.Contains("Unknown magic byte", e.Message);
    }

    [Fact]
    public async Task Unwrapped_keys_and_values_round_trip()
    {
        var f = new RegistryFixture();
        var key = Columns(("K", SqlTypes.Struct(new SqlField("F1", SqlTypes.String))));
        var (ser, de) = await f.SerdesAsync("JSON_SR", key, SerdeTarget.Key);
        var value = new SqlStruct((SqlStructType)key[0].Type, ["x"]);
        Assert.Equal(new object?[] { value }, de.Deserialize(ser.Serialize([value])));
        Assert.Null(ser.Serialize([null]));
    }

    [Fact]
    public void Map_keys_must_be_strings()
    {
        var f = new RegistryFixture();
        var e = Assert.Throws<FormatValidationException>(() => f.Formats.Get("JSON_SR").ValidateSchema(Columns(("FOO", SqlTypes.Map(SqlTypes.Integer, SqlTypes.Double))), SerdeTarget.Value));
        Assert.Contains("JSON only supports MAP types with STRING keys", e.Message);
    }
}
