using Rhei.Formats.Protobuf;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Tests.SchemaRegistry;
using Rhei.Formats.Types;
using static Rhei.Formats.Tests.SchemaRegistry.RegistryFixture;

namespace Rhei.Formats.Tests.Protobuf;

public class ProtobufFormatTests
{
    private static readonly SerdeSchema Primitives = Columns(("I", SqlTypes.Integer), ("L", SqlTypes.BigInt), ("D", SqlTypes.Double), ("B", SqlTypes.Boolean), ("S", SqlTypes.String));

    private static Dictionary<string, string> Nullable(string representation) => new() { [ProtobufProperties.NullableRepresentation] = representation };

    [Fact]
    public void Generated_schemas_are_ksqlDBs_text()
    {
        var f = new RegistryFixture();
        var format = (SchemaRegistryFormat)f.Formats.Get("PROTOBUF");
        Assert.Equal(
            "syntax = \"proto3\";\n\nmessage ConnectDefault1 {\n  int32 I = 1;\n  int64 L = 2;\n  double D = 3;\n  bool B = 4;\n  string S = 5;\n}\n",
            format.ToDefinition(Primitives, f.Options("PROTOBUF", Primitives)).Schema);
        Assert.Equal(
            "syntax = \"proto3\";\n\nmessage ConnectDefault1 {\n  optional int32 I = 1;\n  optional int64 L = 2;\n  optional double D = 3;\n  optional bool B = 4;\n  optional string S = 5;\n}\n",
            format.ToDefinition(Primitives, f.Options("PROTOBUF", Primitives, properties: Nullable("OPTIONAL"))).Schema);
        Assert.Equal(
            "syntax = \"proto3\";\n\nimport \"google/protobuf/wrappers.proto\";\n\nmessage ConnectDefault1 {\n  google.protobuf.Int32Value I = 1;\n  google.protobuf.Int64Value L = 2;\n  google.protobuf.DoubleValue D = 3;\n  google.protobuf.BoolValue B = 4;\n  google.protobuf.StringValue S = 5;\n}\n",
            format.ToDefinition(Primitives, f.Options("PROTOBUF", Primitives, properties: Nullable("wrapper"))).Schema);
    }

    [Fact]
    public async Task Nulls_become_defaults_unless_a_nullable_representation_is_chosen()
    {
        object?[] row = [null, 0L, null, false, null];
        var f = new RegistryFixture();
        var (plain, plainReader) = await f.SerdesAsync("PROTOBUF", Primitives, topic: "plain");
        Assert.Equal(new object?[] { 0, 0L, 0.0, false, "" }, plainReader.Deserialize(plain.Serialize(row)));
        foreach (var representation in new[] { "OPTIONAL", "WRAPPER" })
        {
            var (ser, de) = await f.SerdesAsync("PROTOBUF", Primitives, topic: representation, properties: Nullable(representation));
            Assert.Equal(row, de.Deserialize(ser.Serialize(row)));
            object?[] zeros = [0, null, 0.0, null, ""];
            Assert.Equal(zeros, de.Deserialize(ser.Serialize(zeros)));
        }

        var nosrOptions = f.Options("PROTOBUF_NOSR", Primitives, properties: Nullable("optional"));
        var nosr = f.Formats.Get("PROTOBUF_NOSR");
        Assert.Equal(row, nosr.CreateDeserializer(Primitives, nosrOptions).Deserialize(nosr.CreateSerializer(Primitives, nosrOptions).Serialize(row)));
    }

    [Fact]
    public async Task Every_type_round_trips_including_nested_ones()
    {
        var inner = SqlTypes.Struct(new SqlField("F0", SqlTypes.Integer), new SqlField("NAME", SqlTypes.String));
        var schema = Columns(
            ("BYTES", SqlTypes.Bytes), ("DEC", SqlTypes.Decimal(10, 3)), ("DAY", SqlTypes.Date), ("T", SqlTypes.Time), ("TS", SqlTypes.Timestamp),
            ("S", inner), ("A", SqlTypes.Array(SqlTypes.BigInt)), ("SA", SqlTypes.Array(inner)), ("M", SqlTypes.Map(SqlTypes.String, SqlTypes.Double)),
            ("MS", SqlTypes.Map(SqlTypes.String, inner)), ("NEG", SqlTypes.Integer));
        object?[] row =
        [
            new byte[] { 1, 2, 3 }, -1234.567m, new DateOnly(1969, 12, 31), new TimeOnly(23, 59, 58, 999), DateTime.UnixEpoch.AddMilliseconds(-1500),
            new SqlStruct(inner, [7, "x"]), new List<object?> { 1L, -2L, 3L }, new List<object?> { new SqlStruct(inner, [1, "a"]) },
            new Dictionary<object, object?> { ["k"] = 1.5 }, new Dictionary<object, object?> { ["s"] = new SqlStruct(inner, [2, "b"]) }, -5,
        ];
        var f = new RegistryFixture();
        var (ser, de) = await f.SerdesAsync("PROTOBUF", schema);
        Assert.Equal(row, de.Deserialize(ser.Serialize(row)), SqlValueComparer.Instance);
        var nosr = f.Formats.Get("PROTOBUF_NOSR");
        var options = f.Options("PROTOBUF_NOSR", schema);
        Assert.Equal(row, nosr.CreateDeserializer(schema, options).Deserialize(nosr.CreateSerializer(schema, options).Serialize(row)), SqlValueComparer.Instance);
    }

    [Fact]
    public async Task Nested_nulls_follow_protobufs_defaults()
    {
        var inner = SqlTypes.Struct(new SqlField("FOO", SqlTypes.Integer));
        var schema = Columns(("S", inner), ("A", SqlTypes.Array(SqlTypes.Integer)), ("M", SqlTypes.Map(SqlTypes.String, SqlTypes.String)), ("B", SqlTypes.Bytes));
        var f = new RegistryFixture();
        var (ser, de) = await f.SerdesAsync("PROTOBUF", schema);
        var back = de.Deserialize(ser.Serialize([new SqlStruct(inner, [null]), new List<object?> { null, 1 }, null, null]))!;
        Assert.Equal(new SqlStruct(inner, [0]), back[0]);       // a null inside a struct is the default
        Assert.Equal(new List<object?> { 0, 1 }, back[1]);      // array elements cannot be null
        Assert.Equal(new Dictionary<object, object?>(), back[2]); // an absent map is empty
        Assert.Null(back[3]);
        var nullStruct = de.Deserialize(ser.Serialize([null, null, null, null]))!;
        Assert.Null(nullStruct[0]);                             // an absent message stays null
        Assert.Equal(new List<object?>(), nullStruct[1]);
    }

    [Fact]
    public async Task Framing_is_magic_byte_id_message_indexes_then_the_message()
    {
        var f = new RegistryFixture();
        var schema = Columns(("F1", SqlTypes.Integer), ("F2", SqlTypes.String));
        var (ser, _) = await f.SerdesAsync("PROTOBUF", schema, SerdeTarget.Key);
        var id = f.Store.TryGetLatest("t-key")!.Id;
        // 0 | id | [0] as 0x00 | field 1 varint 150 (08 96 01) | field 2 "hi" (12 02 68 69)
        Assert.Equal(new byte[] { 0, 0, 0, 0, (byte)id, 0, 0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69 }, ser.Serialize([150, "hi"]));

        var two = await f.Store.RegisterAsync("two-value", SchemaDefinition.Protobuf("syntax = \"proto3\"; message A { int32 x = 1; } message B { string k1 = 1; }"));
        var columns = Columns(("k1", SqlTypes.String));
        var props = new Dictionary<string, string> { [FormatPropertyNames.SchemaId] = two.Id.ToString(), [FormatPropertyNames.FullSchemaName] = "B" };
        var options = f.Options("PROTOBUF", columns, topic: "two", properties: props);
        var bytes = f.Formats.Get("PROTOBUF").CreateSerializer(columns, options).Serialize(["A"])!;
        // message indexes [1]: count 1 and index 1, both zig-zag (02 02)
        Assert.Equal(new byte[] { 0, 0, 0, 0, (byte)two.Id, 0x02, 0x02, 0x0A, 0x01, 0x41 }, bytes);
        Assert.Equal(new object?[] { "A" }, f.Formats.Get("PROTOBUF").CreateDeserializer(columns, options).Deserialize(bytes));
        Assert.Equal(new byte[] { 0x04, 0x04, 0x02 }, SchemaRegistryFraming.MessageIndexes([2, 1]));
    }

    [Fact]
    public async Task Inference_maps_protobuf_types_to_sql()
    {
        var f = new RegistryFixture();
        var format = (SchemaRegistryFormat)f.Formats.Get("PROTOBUF");
        async Task<string> Infer(string topic, string proto, string? fullName = null, bool pin = false)
        {
            var r = await f.Store.RegisterAsync(topic + "-value", SchemaDefinition.Protobuf(proto));
            return (await format.InferAsync(topic, SerdeTarget.Value, schemaId: pin ? r.Id : null, fullSchemaName: fullName)).Columns.ToString();
        }

        Assert.Equal("[`C1` BOOLEAN, `C2` INTEGER, `C3` BIGINT, `C4` DOUBLE, `C5` STRING]",
            await Infer("a", "syntax = \"proto3\"; message ConfluentDefault1 {bool c1 = 1; int32 c2 = 2; int64 c3 = 3; double c4 = 4; string c5 = 5;}"));
        Assert.Equal("[`C1` BOOLEAN, `C2` INTEGER, `C3` BIGINT, `C4` DOUBLE, `C5` STRING]",
            await Infer("b", "syntax = \"proto3\"; import 'google/protobuf/wrappers.proto'; message ConfluentDefault1 {google.protobuf.BoolValue c1 = 1; google.protobuf.Int32Value c2 = 2; google.protobuf.Int64Value c3 = 3; google.protobuf.DoubleValue c4 = 4; google.protobuf.StringValue c5 = 5;}"));
        Assert.Equal("[`C1` BOOLEAN, `C6` DECIMAL(4, 2)]",
            await Infer("c", "syntax = \"proto3\"; import \"confluent/type/decimal.proto\"; message ConfluentDefault1 {bool c1 = 1; confluent.type.Decimal c6 = 6 [(confluent.field_meta) = { params: [{ value: \"4\", key: \"precision\" }, { value: \"2\", key: \"scale\" }]}];}"));
        Assert.Equal("[`C1` DOUBLE, `C2` BIGINT, `C3` BIGINT, `C4` INTEGER, `C5` BIGINT]",
            await Infer("d", "syntax = \"proto3\"; message ConfluentDefault1 {float c1 = 1; uint32 c2 = 2; uint64 c3 = 3; sint32 c4 = 4; sint64 c5 = 5;}"));
        Assert.Equal("[`C1` STRUCT<`F1` INTEGER>, `C2` ARRAY<STRING>, `C3` MAP<STRING, BIGINT>, `C4` STRING]",
            await Infer("e", "syntax = \"proto3\"; message ConfluentDefault1 {message Something {int32 f1 = 1;} Something c1 = 1; repeated string c2 = 2; map<string, int64> c3 = 3; E c4 = 4; enum E { A = 0; } }"));
        Assert.Equal("[`C1` BIGINT]", await Infer("f", "syntax = \"proto3\"; message ProtobufValue1 {float c0 = 1;} message ProtobufValue2 {uint32 c1 = 1;}", "ProtobufValue2"));
        Assert.Equal("[`c1` INTEGER]", await Infer("g", "syntax = \"proto3\"; message ValueName { int32 c1 = 1; }", pin: true));
        Assert.Equal("[`TS` TIMESTAMP, `D` DATE, `T` TIME, `CHOICE` STRUCT<`A` INTEGER, `B` STRING>]",
            await Infer("h", "syntax = \"proto3\"; import \"google/protobuf/timestamp.proto\"; import \"google/type/date.proto\"; import \"google/type/timeofday.proto\"; message M { google.protobuf.Timestamp ts = 1; google.type.Date d = 2; google.type.TimeOfDay t = 3; oneof choice { int32 a = 4; string b = 5; } }"));
        var missing = await Assert.ThrowsAsync<FormatValidationException>(async () => await Infer("i", "syntax = \"proto3\"; message A { int32 x = 1; }", "Nope"));
        Assert.StartsWith("Schema for message values on topic 'i' does not exist in the Schema Registry.", missing.Message);
        var recursive = await Assert.ThrowsAsync<FormatValidationException>(async () => await Infer("j", "syntax = \"proto3\"; message Node { Node next = 1; }"));
        Assert.Contains("recursive", recursive.Message);
    }

    [Fact]
    public async Task Key_inference_gives_the_message_fields_as_key_columns()
    {
        var f = new RegistryFixture();
        await f.Store.RegisterAsync("k-key", SchemaDefinition.Protobuf("syntax = \"proto3\"; message ConnectDefault1 { int32 c0 = 1; }"));
        var inferred = await ((SchemaRegistryFormat)f.Formats.Get("PROTOBUF")).InferAsync("k", SerdeTarget.Key);
        Assert.Equal("[`C0` INTEGER]", inferred.Columns.ToString());
    }

    [Fact]
    public async Task References_are_resolved_for_reading_and_writing()
    {
        var f = new RegistryFixture();
        await f.Store.RegisterAsync("event.proto", SchemaDefinition.Protobuf("syntax = \"proto3\";\n\nmessage Event {\n int64 timestamp = 1;\n}"));
        var logistics = await f.Store.RegisterAsync("input-value", SchemaDefinition.Protobuf(
            "syntax = \"proto3\";\n\nimport \"event.proto\"; \n\nmessage Logistics {\n Event event = 1;\n}", [new SchemaReference("event.proto", "event.proto", 1)]));
        var format = (SchemaRegistryFormat)f.Formats.Get("PROTOBUF");
        var inferred = await format.InferAsync("input", SerdeTarget.Value, schemaId: logistics.Id);
        Assert.Equal("[`event` STRUCT<`timestamp` BIGINT>]", inferred.Columns.ToString());
        var props = new Dictionary<string, string> { [FormatPropertyNames.SchemaId] = logistics.Id.ToString() };
        var options = f.Options("PROTOBUF", inferred.Columns, topic: "input", properties: props);
        var type = (SqlStructType)inferred.Columns[0].Type;
        object?[] row = [new SqlStruct(type, [1L])];
        var bytes = format.CreateSerializer(inferred.Columns, options).Serialize(row);
        Assert.Equal(row, format.CreateDeserializer(inferred.Columns, options).Deserialize(bytes));
    }

    [Fact]
    public void Validation_messages_are_ksqlDBs()
    {
        var f = new RegistryFixture();
        var proto = f.Formats.Get("PROTOBUF");
        var map = Assert.Throws<FormatValidationException>(() => proto.ValidateSchema(Columns(("FOO", SqlTypes.Map(SqlTypes.Integer, SqlTypes.Double))), SerdeTarget.Value));
        Assert.Contains("PROTOBUF format only supports MAP types with STRING keys", map.Message);
        var unwrap = Assert.Throws<FormatValidationException>(() => proto.ResolveValueFeatures(1, wrapSingleValue: false));
        Assert.Equal("Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'.", unwrap.Message);
        Assert.Throws<FormatValidationException>(() => proto.ValidateProperties(new Dictionary<string, string> { [ProtobufProperties.NullableRepresentation] = "sometimes" }));
        proto.ValidateProperties(new Dictionary<string, string> { [ProtobufProperties.NullableRepresentation] = "optional", [ProtobufProperties.UnwrapPrimitives] = "true" });
    }

    [Fact]
    public void Parser_handles_comments_options_oneofs_maps_enums_and_nested_types()
    {
        var parsed = ProtobufParsedSchema.Parse("""
            // a comment
            syntax = "proto3";
            package com.acme;
            option java_package = "com.acme.gen"; /* block
            comment */
            message Outer {
              option deprecated = true;
              reserved 9, 10 to 12;
              enum Kind { option allow_alias = true; A = 0; B = 1 [deprecated = true]; }
              message Inner { repeated Kind kinds = 1 [packed = true]; }
              Inner inner = 1;
              map<string, Inner> byName = 2;
              oneof pick { string s = 3; .com.acme.Other other = 4; }
              optional int64 maybe = 5;
            }
            message Other { bytes data = 1; }
            service S { rpc Go (Outer) returns (Other); }
            """);
        var outer = parsed.File.Messages[0];
        Assert.Equal("com.acme.Outer", outer.FullName);
        Assert.Equal("com.acme.Outer.Inner", outer.Fields[0].Message!.FullName);
        Assert.True(outer.Fields[1].IsMap);
        Assert.Equal("com.acme.Other", outer.Fields[3].Message!.FullName);
        Assert.Equal(0, outer.Fields[3].OneofIndex);
        Assert.Equal(ProtoLabel.Optional, outer.Fields[4].Label);
        Assert.Equal("com.acme.Outer.Kind", outer.Messages[0].Fields[0].Enum!.FullName);
        Assert.Equal([1], parsed.MessageIndexes(parsed.File.Messages[1]));
        var bad = Assert.Throws<FormatException>(() => ProtobufParsedSchema.Parse("syntax = \"proto3\"; message M { Missing m = 1; }"));
        Assert.Contains("Missing", bad.Message);
    }
}
