using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;

namespace Rhei.Formats.Tests.SchemaRegistry;

public class RegisteredSchemaJsonTests
{
    [Theory]
    [InlineData("AVRO", """{"name":"blah","type":"record","fields":[{"name":"c1","type":"boolean"},{"name":"c2","type":["null","string"]},{"name":"m","type":{"type":"map","values":"long"}}]}""", """{"c1":true,"c2":"x","m":{"f1":1}}""")]
    [InlineData("AVRO", """{"type":"array","items":["null","string"]}""", """["a","b",null]""")]
    [InlineData("AVRO", "\"int\"", "10")]
    [InlineData("PROTOBUF", "syntax = \"proto3\"; message ConfluentDefault1 {bool c1 = 1; int32 c2 = 2; repeated string c3 = 3;}", """{"c1":true,"c2":1,"c3":["a"]}""")]
    [InlineData("JSON_SR", """{"type":"object","properties":{"FOO":{"connect.index":0,"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int32"}]}}}""", """{"FOO":10}""")]
    public async Task Json_values_encode_with_a_registered_schema_and_decode_back(string formatName, string schema, string json)
    {
        var f = new RegistryFixture();
        var format = (SchemaRegistryFormat)f.Formats.Get(formatName);
        var type = formatName switch { "AVRO" => SchemaType.Avro, "PROTOBUF" => SchemaType.Protobuf, _ => SchemaType.Json };
        var id = (await f.Store.RegisterAsync("in-value", new SchemaDefinition(type, schema))).Id;
        var bytes = RegisteredSchemaJson.Encode(format, id, "in", SerdeTarget.Value, json);
        Assert.Equal(json, RegisteredSchemaJson.Decode(format, "in", SerdeTarget.Value, bytes));
        Assert.Null(RegisteredSchemaJson.Encode(format, id, "in", SerdeTarget.Value, "null"));
    }
}
