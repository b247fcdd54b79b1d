using Rhei.Formats.SchemaRegistry;

namespace Rhei.Formats.Tests.SchemaRegistry;

/// <summary>Compatibility rules, table-driven: can the reader schema read data written with the writer schema?</summary>
public class CompatibilityTests
{
    private static string Rec(string fields) => $$"""{"type":"record","name":"r","fields":[{{fields}}]}""";

    public static TheoryData<string, string, string, string?> AvroCases() => new()
    {
        // name, reader, writer, expected error type (null = compatible)
        { "same", Rec("""{"name":"a","type":"int"}"""), Rec("""{"name":"a","type":"int"}"""), null },
        { "added field with default", Rec("""{"name":"a","type":"int"},{"name":"b","type":"string","default":"x"}"""), Rec("""{"name":"a","type":"int"}"""), null },
        { "added field without default", Rec("""{"name":"a","type":"int"},{"name":"b","type":"string"}"""), Rec("""{"name":"a","type":"int"}"""), "READER_FIELD_MISSING_DEFAULT_VALUE" },
        { "removed field", Rec("""{"name":"a","type":"int"}"""), Rec("""{"name":"a","type":"int"},{"name":"b","type":"string"}"""), null },
        { "int to long", Rec("""{"name":"a","type":"long"}"""), Rec("""{"name":"a","type":"int"}"""), null },
        { "int to float", Rec("""{"name":"a","type":"float"}"""), Rec("""{"name":"a","type":"int"}"""), null },
        { "long to double", Rec("""{"name":"a","type":"double"}"""), Rec("""{"name":"a","type":"long"}"""), null },
        { "float to double", Rec("""{"name":"a","type":"double"}"""), Rec("""{"name":"a","type":"float"}"""), null },
        { "long to int", Rec("""{"name":"a","type":"int"}"""), Rec("""{"name":"a","type":"long"}"""), "TYPE_MISMATCH" },
        { "double to float", Rec("""{"name":"a","type":"float"}"""), Rec("""{"name":"a","type":"double"}"""), "TYPE_MISMATCH" },
        { "string to bytes", Rec("""{"name":"a","type":"bytes"}"""), Rec("""{"name":"a","type":"string"}"""), null },
        { "bytes to string", Rec("""{"name":"a","type":"string"}"""), Rec("""{"name":"a","type":"bytes"}"""), null },
        { "int to string", Rec("""{"name":"a","type":"string"}"""), Rec("""{"name":"a","type":"int"}"""), "TYPE_MISMATCH" },
        { "made nullable", Rec("""{"name":"a","type":["null","int"]}"""), Rec("""{"name":"a","type":"int"}"""), null },
        { "made non-nullable", Rec("""{"name":"a","type":"int"}"""), Rec("""{"name":"a","type":["null","int"]}"""), "TYPE_MISMATCH" },
        { "union lost a branch", Rec("""{"name":"a","type":["null","int"]}"""), Rec("""{"name":"a","type":["null","int","string"]}"""), "MISSING_UNION_BRANCH" },
        { "enum gained a symbol", """{"type":"enum","name":"e","symbols":["A","B","C"]}""", """{"type":"enum","name":"e","symbols":["A","B"]}""", null },
        { "enum lost a symbol", """{"type":"enum","name":"e","symbols":["A"]}""", """{"type":"enum","name":"e","symbols":["A","B"]}""", "MISSING_ENUM_SYMBOLS" },
        { "enum lost a symbol but has a default", """{"type":"enum","name":"e","symbols":["A"],"default":"A"}""", """{"type":"enum","name":"e","symbols":["A","B"]}""", null },
        { "record renamed", """{"type":"record","name":"x","fields":[]}""", """{"type":"record","name":"y","fields":[]}""", "NAME_MISMATCH" },
        { "fixed resized", """{"type":"fixed","name":"f","size":4}""", """{"type":"fixed","name":"f","size":8}""", "FIXED_SIZE_MISMATCH" },
        { "array items promoted", """{"type":"array","items":"long"}""", """{"type":"array","items":"int"}""", null },
        { "map values changed", """{"type":"map","values":"string"}""", """{"type":"map","values":"int"}""", "TYPE_MISMATCH" },
        { "nested field without default", Rec("""{"name":"n","type":{"type":"record","name":"n","fields":[{"name":"x","type":"int"}]}}"""), Rec("""{"name":"n","type":{"type":"record","name":"n","fields":[]}}"""), "READER_FIELD_MISSING_DEFAULT_VALUE" },
        { "field found by alias", Rec("""{"name":"b","type":"int","aliases":["a"]}"""), Rec("""{"name":"a","type":"int"}"""), null },
        { "decimal logical type over bytes", """{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}""", "\"bytes\"", null },
    };

    [Theory]
    [MemberData(nameof(AvroCases))]
    public void Avro(string name, string reader, string writer, string? expected) =>
        Check(name, SchemaDefinition.Avro(reader), SchemaDefinition.Avro(writer), expected);

    private const string P = "syntax = \"proto3\"; ";

    public static TheoryData<string, string, string, string?> ProtobufCases() => new()
    {
        { "same", P + "message M { int32 a = 1; }", P + "message M { int32 a = 1; }", null },
        { "field added", P + "message M { int32 a = 1; string b = 2; }", P + "message M { int32 a = 1; }", null },
        { "field removed", P + "message M { int32 a = 1; }", P + "message M { int32 a = 1; string b = 2; }", null },
        { "field renamed", P + "message M { int32 renamed = 1; }", P + "message M { int32 a = 1; }", null },
        { "int32 to int64 (same wire type)", P + "message M { int64 a = 1; }", P + "message M { int32 a = 1; }", null },
        { "string to bytes", P + "message M { bytes a = 1; }", P + "message M { string a = 1; }", null },
        { "int32 to string", P + "message M { string a = 1; }", P + "message M { int32 a = 1; }", "FIELD_SCALAR_KIND_CHANGED" },
        { "int32 to sint32", P + "message M { sint32 a = 1; }", P + "message M { int32 a = 1; }", "FIELD_SCALAR_KIND_CHANGED" },
        { "singular to repeated", P + "message M { repeated int32 a = 1; }", P + "message M { int32 a = 1; }", "FIELD_KIND_CHANGED" },
        { "scalar to message", P + "message M { N a = 1; } message N { }", P + "message M { int32 a = 1; }", "FIELD_KIND_CHANGED" },
        { "message type changed", P + "message M { X a = 1; } message X { } message Y { }", P + "message M { Y a = 1; } message X { } message Y { }", "FIELD_NAMED_TYPE_CHANGED" },
        { "nested message field changed", P + "message M { N n = 1; message N { string x = 1; } }", P + "message M { N n = 1; message N { int64 x = 1; } }", "FIELD_SCALAR_KIND_CHANGED" },
        { "enum and int32", P + "message M { E a = 1; enum E { Z = 0; } }", P + "message M { int32 a = 1; }", null },
        { "first message renamed", P + "message Other { int32 a = 1; }", P + "message M { int32 a = 1; }", "MESSAGE_REMOVED" },
        { "package changed", P + "package b; message M { int32 a = 1; }", P + "package a; message M { int32 a = 1; }", "PACKAGE_CHANGED" },
        { "proto2 required added", "syntax = \"proto2\"; message M { required int32 a = 1; required int32 b = 2; }", "syntax = \"proto2\"; message M { required int32 a = 1; }", "REQUIRED_FIELD_ADDED" },
        { "proto2 required removed", "syntax = \"proto2\"; message M { optional int32 x = 3; }", "syntax = \"proto2\"; message M { required int32 a = 1; }", "REQUIRED_FIELD_REMOVED" },
    };

    [Theory]
    [MemberData(nameof(ProtobufCases))]
    public void Protobuf(string name, string reader, string writer, string? expected) =>
        Check(name, SchemaDefinition.Protobuf(reader), SchemaDefinition.Protobuf(writer), expected);

    private static string Obj(string properties, string extra = "") => $$"""{"type":"object","properties":{{{properties}}}{{extra}}}""";

    public static TheoryData<string, string, string, string?> JsonCases() => new()
    {
        { "same", Obj("\"a\":{\"type\":\"integer\"}"), Obj("\"a\":{\"type\":\"integer\"}"), null },
        { "optional property added", Obj("\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}"), Obj("\"a\":{\"type\":\"integer\"}"), null },
        { "required property added", Obj("\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}", ",\"required\":[\"b\"]"), Obj("\"a\":{\"type\":\"integer\"}"), "REQUIRED_PROPERTY_ADDED" },
        { "integer widened to number", Obj("\"a\":{\"type\":\"number\"}"), Obj("\"a\":{\"type\":\"integer\"}"), null },
        { "number narrowed to integer", Obj("\"a\":{\"type\":\"integer\"}"), Obj("\"a\":{\"type\":\"number\"}"), "TYPE_CHANGED" },
        { "string to integer", Obj("\"a\":{\"type\":\"integer\"}"), Obj("\"a\":{\"type\":\"string\"}"), "TYPE_CHANGED" },
        { "made nullable", Obj("\"a\":{\"oneOf\":[{\"type\":\"null\"},{\"type\":\"integer\"}]}"), Obj("\"a\":{\"type\":\"integer\"}"), null },
        { "made non-nullable", Obj("\"a\":{\"type\":\"integer\"}"), Obj("\"a\":{\"oneOf\":[{\"type\":\"null\"},{\"type\":\"integer\"}]}"), "TYPE_NARROWED" },
        { "closed content model drops a property", Obj("\"a\":{\"type\":\"integer\"}", ",\"additionalProperties\":false"), Obj("\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}", ",\"additionalProperties\":false"), "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL" },
        { "content model closed", Obj("\"a\":{\"type\":\"integer\"}", ",\"additionalProperties\":false"), Obj("\"a\":{\"type\":\"integer\"}"), "ADDITIONAL_PROPERTIES_REMOVED" },
        { "enum narrowed", "{\"enum\":[\"A\"]}", "{\"enum\":[\"A\",\"B\"]}", "ENUM_ARRAY_NARROWED" },
        { "array items changed", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}", "{\"type\":\"array\",\"items\":{\"type\":\"boolean\"}}", "TYPE_CHANGED" },
        { "local refs followed", "{\"$defs\":{\"x\":{\"type\":\"string\"}},\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/x\"}}}", Obj("\"a\":{\"type\":\"integer\"}"), "TYPE_CHANGED" },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public void Json(string name, string reader, string writer, string? expected) =>
        Check(name, SchemaDefinition.Json(reader), SchemaDefinition.Json(writer), expected);

    private static void Check(string name, SchemaDefinition reader, SchemaDefinition writer, string? expected)
    {
        var problems = SchemaParser.Parse(reader).FindReadProblems(SchemaParser.Parse(writer));
        if (expected is null)
        {
            Assert.True(problems.Count == 0, $"{name}: {string.Join("; ", problems)}");
        }
        else
        {
            Assert.True(problems.Any(p => p.Contains($"errorType:'{expected}'", StringComparison.Ordinal)), $"{name}: expected {expected}, got [{string.Join("; ", problems)}]");
        }
    }

    private const string A = """{"type":"record","name":"r","fields":[{"name":"a","type":"int"}]}""";
    private const string AB = """{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]}""";
    private const string ABRequired = """{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}""";
    private const string Empty = """{"type":"record","name":"r","fields":[]}""";

    public static TheoryData<CompatibilityLevel, string[], string, bool> LevelCases() => new()
    {
        // level, registered versions, candidate, accepted
        { CompatibilityLevel.Backward, [A], AB, true },
        { CompatibilityLevel.Backward, [A], ABRequired, false },
        { CompatibilityLevel.Backward, [A], Empty, true },
        { CompatibilityLevel.Forward, [A], Empty, false },
        { CompatibilityLevel.Forward, [A], ABRequired, true },
        { CompatibilityLevel.Full, [A], AB, true },
        { CompatibilityLevel.Full, [A], ABRequired, false },
        { CompatibilityLevel.Full, [A], Empty, false },
        { CompatibilityLevel.None, [A], """{"type":"string"}""", true },
        // transitive: the candidate is checked against every version, not only the latest
        // a schema the subject already has is returned as it is, without a check (Confluent's behaviour)
        { CompatibilityLevel.Backward, [ABRequired, A], ABRequired, true },
        { CompatibilityLevel.BackwardTransitive, [Empty, AB], ABRequired, false },
        { CompatibilityLevel.Backward, [Empty, AB], """{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0},{"name":"c","type":["null","int"],"default":null}]}""", true },
        { CompatibilityLevel.ForwardTransitive, [ABRequired, A], Empty, false },
        { CompatibilityLevel.FullTransitive, [A, AB], """{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0},{"name":"c","type":"int","default":1}]}""", true },
    };

    [Theory]
    [MemberData(nameof(LevelCases))]
    public async Task Levels(CompatibilityLevel level, string[] versions, string candidate, bool accepted)
    {
        var store = new SchemaStore();
        await store.SetCompatibilityAsync("s", CompatibilityLevel.None);
        foreach (var v in versions)
        {
            await store.RegisterAsync("s", SchemaDefinition.Avro(v));
        }

        await store.SetCompatibilityAsync("s", level);
        if (accepted)
        {
            await store.RegisterAsync("s", SchemaDefinition.Avro(candidate));
        }
        else
        {
            var e = await Assert.ThrowsAsync<SchemaRegistryException>(async () => await store.RegisterAsync("s", SchemaDefinition.Avro(candidate)));
            Assert.Equal(409, e.ErrorCode);
            Assert.Contains(level.Name(), e.Message);
        }
    }
}
