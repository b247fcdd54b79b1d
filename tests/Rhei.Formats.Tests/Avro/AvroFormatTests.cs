using System.Text.Json.Nodes;
using Rhei.Formats.Avro;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Tests.SchemaRegistry;
using Rhei.Formats.Types;
using static Rhei.Formats.Tests.SchemaRegistry.RegistryFixture;

namespace Rhei.Formats.Tests.Avro;

public class AvroFormatTests
{
    private static readonly SqlStructType Inner = SqlTypes.Struct(new SqlField("F1", SqlTypes.Integer), new SqlField("F2", SqlTypes.String));

    public static TheoryData<string, object?> Values() => new()
    {
        { "BOOLEAN", true },
        { "INTEGER", -42 },
        { "BIGINT", 998877665544332211L },
        { "DOUBLE", 1.284765648 },
        { "STRING", "héllo 😀" },
        { "BYTES", new byte[] { 0, 1, 255 } },
        { "DECIMAL", 65.21m },
        { "DATE", new DateOnly(2021, 3, 4) },
        { "TIME", new TimeOnly(13, 14, 15, 16) },
        { "TIMESTAMP", DateTime.UnixEpoch.AddMilliseconds(1_600_000_000_123) },
        { "NULL", null },
    };

    private static SqlType TypeOf(string name) => name switch
    {
        "BOOLEAN" => SqlTypes.Boolean,
        "INTEGER" => SqlTypes.Integer,
        "BIGINT" => SqlTypes.BigInt,
        "DOUBLE" => SqlTypes.Double,
        "STRING" or "NULL" => SqlTypes.String,
        "BYTES" => SqlTypes.Bytes,
        "DECIMAL" => SqlTypes.Decimal(4, 2),
        "DATE" => SqlTypes.Date,
        "TIME" => SqlTypes.Time,
        "TIMESTAMP" => SqlTypes.Timestamp,
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task Every_primitive_round_trips_wrapped_and_unwrapped(string type, object? value)
    {
        var f = new RegistryFixture();
        var schema = Columns(("V", TypeOf(type)));
        var (ser, de) = await f.SerdesAsync("AVRO", schema, topic: "wrapped");
        Assert.Equal(new[] { value }, de.Deserialize(ser.Serialize([value])), SqlValueComparer.Instance);

        var (userial, udeserial) = await f.SerdesAsync("AVRO", schema, wrapSingleValue: false, topic: "unwrapped");
        var bytes = userial.Serialize([value]);
        if (value is null)
        {
            Assert.Null(bytes);
        }
        else
        {
            Assert.Equal(new[] { value }, udeserial.Deserialize(bytes), SqlValueComparer.Instance);
        }
    }

    [Fact]
    public async Task Nested_structs_arrays_and_maps_round_trip_with_nulls_inside()
    {
        var f = new RegistryFixture();
        var schema = Columns(
            ("S", Inner),
            ("A", SqlTypes.Array(Inner)),
            ("M", SqlTypes.Map(SqlTypes.String, SqlTypes.Array(SqlTypes.BigInt))),
            ("N", SqlTypes.Map(SqlTypes.String, Inner)));
        var (ser, de) = await f.SerdesAsync("AVRO", schema);
        object?[] row =
        [
            new SqlStruct(Inner, [1, null]),
            new List<object?> { new SqlStruct(Inner, [2, "b"]), null },
            new Dictionary<object, object?> { ["k"] = new List<object?> { 1L, null }, ["n"] = null },
            new Dictionary<object, object?> { ["x"] = new SqlStruct(Inner, [null, "y"]) },
        ];
        Assert.Equal(row, de.Deserialize(ser.Serialize(row)), SqlValueComparer.Instance);
        object?[] nulls = [null, null, null, null];
        Assert.Equal(nulls, de.Deserialize(ser.Serialize(nulls)), SqlValueComparer.Instance);
    }

    [Fact]
    public async Task Bytes_are_framed_with_magic_byte_and_schema_id()
    {
        var f = new RegistryFixture();
        var schema = Columns(("V", SqlTypes.Integer));
        var (ser, _) = await f.SerdesAsync("AVRO", schema, wrapSingleValue: false);
        var id = f.Store.TryGetLatest("t-value")!.Id;
        // magic 0, id big-endian, then the int 10 as a zig-zag varint (20)
        Assert.Equal(new byte[] { 0, 0, 0, 0, (byte)id, 20 }, ser.Serialize([10]));
    }

    [Fact]
    public void Sql_schema_becomes_ksqlDBs_Avro_schema()
    {
        var schema = Columns(("F1", Inner), ("FOO", SqlTypes.Integer));
        var json = JsonNode.Parse(AvroSchemaTranslator.ToAvroJson(schema, unwrapped: false))!;
        Assert.Equal("KsqlDataSourceSchema", (string?)json["name"]);
        Assert.Equal("io.confluent.ksql.avro_schemas", (string?)json["namespace"]);
        Assert.Equal("io.confluent.ksql.avro_schemas.KsqlDataSourceSchema", (string?)json["connect.name"]);
        var f1 = json["fields"]![0]!;
        Assert.Equal("null", (string?)f1["type"]![0]);
        Assert.Equal("KsqlDataSourceSchema_F1", (string?)f1["type"]![1]!["name"]);
        Assert.Equal("io.confluent.ksql.avro_schemas.KsqlDataSourceSchema_F1", (string?)f1["type"]![1]!["connect.name"]);
        Assert.Null(f1["default"]?.GetValue<object>());
        Assert.True(f1.AsObject().ContainsKey("default"));
    }

    [Fact]
    public void Unwrapped_struct_key_with_full_schema_name_is_the_record_itself()
    {
        var schema = Columns(("K", SqlTypes.Struct(new SqlField("F1", SqlTypes.String))));
        var avro = AvroSchemaTranslator.ToAvroJson(schema, unwrapped: true, "io.confluent.ksql.avro_schemas.OutputKey");
        var expected = """{"type":"record","name":"OutputKey","namespace":"io.confluent.ksql.avro_schemas","fields":[{"name":"F1","type":["null","string"],"default":null}],"connect.name":"io.confluent.ksql.avro_schemas.OutputKey"}""";
        Assert.Equal(global::Avro.Schema.Parse(expected), global::Avro.Schema.Parse(avro));
    }

    [Fact]
    public void Maps_are_arrays_of_key_value_entries_and_read_back_as_maps()
    {
        var schema = Columns(("M", SqlTypes.Map(SqlTypes.String, SqlTypes.Double)));
        var avro = AvroSchemaTranslator.ToAvro(schema, unwrapped: true);
        Assert.Equal(global::Avro.Schema.Type.Array, avro.Tag);
        Assert.Equal(SqlTypes.Map(SqlTypes.String, SqlTypes.Double), AvroSchemaTranslator.ToSql(avro, preserveNames: true));
    }

    [Fact]
    public void Inference_upper_cases_names_unless_a_schema_id_pins_them()
    {
        var avro = global::Avro.Schema.Parse("""
            {"name":"blah","type":"record","fields":[
              {"name":"c1","type":"boolean"},{"name":"c2","type":"int"},{"name":"c3","type":"long"},{"name":"c4","type":"double"},
              {"name":"c5","type":"string"},{"name":"c6","type":"float"},{"name":"c7","type":{"type":"enum","name":"Suit","symbols":["A","B"]}},
              {"name":"c8","type":["null",{"type":"fixed","size":16,"name":"md5"}]},
              {"name":"c9","type":{"type":"record","name":"something","fields":[{"name":"f1","type":"int"}]}},
              {"name":"c10","type":{"type":"map","values":"long"}},
              {"name":"c11","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}},
              {"name":"c12","type":{"type":"int","logicalType":"date"}},
              {"name":"c13","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"c14","type":["int","string"]}]}
            """);
        var columns = AvroSchemaTranslator.ToColumns(avro, unwrapped: false, preserveNames: false, "ROWVAL");
        Assert.Equal(
            "[`C1` BOOLEAN, `C2` INTEGER, `C3` BIGINT, `C4` DOUBLE, `C5` STRING, `C6` DOUBLE, `C7` STRING, `C8` BYTES, `C9` STRUCT<`F1` INTEGER>, " +
            "`C10` MAP<STRING, BIGINT>, `C11` DECIMAL(4, 2), `C12` DATE, `C13` TIMESTAMP, `C14` STRUCT<`INT` INTEGER, `STRING` STRING>]",
            columns.ToString());
        var preserved = AvroSchemaTranslator.ToColumns(avro, unwrapped: false, preserveNames: true, "ROWVAL");
        Assert.Equal("c1", preserved[0].Name);
        Assert.Equal("[`ROWKEY` INTEGER]", AvroSchemaTranslator.ToColumns(global::Avro.Schema.Parse("\"int\""), unwrapped: true, preserveNames: false, "ROWKEY").ToString());
    }

    [Fact]
    public async Task Reads_a_writer_schema_with_other_field_order_extra_fields_and_coercions()
    {
        var f = new RegistryFixture();
        var writer = """
            {"type":"record","name":"w","fields":[
              {"name":"extra","type":{"type":"array","items":"string"}},
              {"name":"b","type":"int"},
              {"name":"A","type":["null","string"]},
              {"name":"m","type":{"type":"map","values":["null","int"]}},
              {"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"]}}]}
            """;
        var id = (await f.Store.RegisterAsync("t-value", SchemaDefinition.Avro(writer))).Id;
        var bytes = AvroTestData.Encode(writer, id, w =>
        {
            w.WriteLong(1); w.WriteString("skip me"); w.WriteLong(0);   // extra
            w.WriteInt(7);                                               // b
            w.WriteLong(1); w.WriteString("text");                       // A: branch 1
            w.WriteLong(1); w.WriteString("k"); w.WriteLong(1); w.WriteInt(3); w.WriteLong(0); // m
            w.WriteInt(1);                                               // e = Y
        });
        var schema = Columns(("A", SqlTypes.String), ("B", SqlTypes.String), ("M", SqlTypes.Map(SqlTypes.String, SqlTypes.String)), ("E", SqlTypes.String), ("MISSING", SqlTypes.Integer));
        var de = f.Formats.Get("AVRO").CreateDeserializer(schema, f.Options("AVRO", schema));
        var row = de.Deserialize(bytes)!;
        Assert.Equal("text", row[0]);
        Assert.Equal("7", row[1]);
        Assert.Equal(new Dictionary<object, object?> { ["k"] = "3" }, (Dictionary<object, object?>)row[2]!);
        Assert.Equal("Y", row[3]);
        Assert.Null(row[4]);
    }

    [Fact]
    public async Task Writes_with_a_registered_schema_filling_defaults_and_failing_without_one()
    {
        var f = new RegistryFixture();
        var registered = """
            {"type":"record","name":"blah","fields":[{"name":"c1","type":"int"},{"name":"c2","type":"int","default":100},{"name":"c3","type":["null","string"],"default":null}]}
            """;
        var id = (await f.Store.RegisterAsync("out-value", SchemaDefinition.Avro(registered))).Id;
        var schema = Columns(("c1", SqlTypes.Integer));
        var props = new Dictionary<string, string> { [FormatPropertyNames.SchemaId] = id.ToString() };
        var format = (SchemaRegistryFormat)f.Formats.Get("AVRO");
        var options = f.Options("AVRO", schema, topic: "out", properties: props);
        Assert.Null(format.FindSchemaIdMismatch(schema, id, options));
        var bytes = format.CreateSerializer(schema, options).Serialize([5])!;
        Assert.Equal(new byte[] { 0, 0, 0, 0, (byte)id, 10, 200, 1, 0 }, bytes);

        var strict = (await f.Store.RegisterAsync("strict-value", SchemaDefinition.Avro("""{"type":"record","name":"blah","fields":[{"name":"c1","type":"int"},{"name":"c2","type":"double"}]}"""))).Id;
        var strictOptions = f.Options("AVRO", schema, topic: "strict", properties: new Dictionary<string, string> { [FormatPropertyNames.SchemaId] = strict.ToString() });
        var e = Assert.Throws<SerdeException>(() => format.CreateSerializer(schema, strictOptions).Serialize([5]));
        Assert.Contains("c2", e.Message);
        var nullInNonNull = Assert.Throws<SerdeException>(() => format.CreateSerializer(schema, options).Serialize([null]));
        Assert.Contains("does not allow null", nullInNonNull.Message);
    }

    [Fact]
    public async Task Schema_id_mismatch_names_the_changed_columns_as_ksqlDB_does()
    {
        var f = new RegistryFixture();
        var id = (await f.Store.RegisterAsync("o-value", SchemaDefinition.Avro("""{"name":"blah","type":"record","fields":[{"name":"c2","type":"double"},{"name":"c1","type":"int"}]}"""))).Id;
        var format = (SchemaRegistryFormat)f.Formats.Get("AVRO");
        var schema = Columns(("c1", SqlTypes.Integer));
        Assert.Equal(
            "The following value columns are changed, missing or reordered: [`c1` INTEGER]. Schema from schema registry is [`c2` DOUBLE, `c1` INTEGER]",
            format.FindSchemaIdMismatch(schema, id, f.Options("AVRO", schema, topic: "o")));
    }

    [Fact]
    public void Validation_messages_are_ksqlDBs()
    {
        var f = new RegistryFixture();
        var avro = f.Formats.Get("AVRO");
        var bad = Assert.Throws<FormatValidationException>(() => avro.ValidateSchema(Columns(("1AvroDoesNotLikeFieldsThatStartWithNumbers", SqlTypes.Double)), SerdeTarget.Value));
        Assert.Contains("Schema is not compatible with Avro: Illegal initial character: 1AvroDoesNotLikeFieldsThatStartWithNumbers", bad.Message);
        var map = Assert.Throws<FormatValidationException>(() => avro.ValidateSchema(Columns(("M", SqlTypes.Map(SqlTypes.Integer, SqlTypes.Double))), SerdeTarget.Value));
        Assert.Contains("Avro only supports MAPs with STRING keys", map.Message);
        var empty = Assert.Throws<FormatValidationException>(() => avro.ValidateProperties(new Dictionary<string, string> { ["fullSchemaName"] = " " }));
        Assert.Equal("fullSchemaName cannot be empty. Format configuration: {fullSchemaName=}", empty.Message);
        var json = Assert.Throws<FormatValidationException>(() => f.Formats.Get("JSON").ValidateProperties(new Dictionary<string, string> { ["fullSchemaName"] = "com.custom.schema" }));
        Assert.Equal("JSON does not support the following configs: [fullSchemaName]", json.Message);
    }

    [Fact]
    public async Task Inference_from_the_latest_version_or_a_schema_id()
    {
        var f = new RegistryFixture();
        var format = (SchemaRegistryFormat)f.Formats.Get("AVRO");
        await f.Store.RegisterAsync("in-key", SchemaDefinition.Avro("""{"type":"record","name":"key","fields":[{"name":"F1","type":["null","string"]}]}"""));
        var v = await f.Store.RegisterAsync("in-value", SchemaDefinition.Avro("""{"name":"blah","type":"record","fields":[{"name":"c1","type":"int"}]}"""));
        var key = await format.InferAsync("in", SerdeTarget.Key);
        Assert.Equal("[`ROWKEY` STRUCT<`F1` STRING>]", key.Columns.ToString());
        var value = await format.InferAsync("in", SerdeTarget.Value);
        Assert.Equal("[`C1` INTEGER]", value.Columns.ToString());
        var pinned = await format.InferAsync("in", SerdeTarget.Value, schemaId: v.Id);
        Assert.Equal("[`c1` INTEGER]", pinned.Columns.ToString());
        var rowval = await format.InferAsync("in", SerdeTarget.Value, wrapSingleValue: false);
        Assert.Equal("[`ROWVAL` STRUCT<`C1` INTEGER>]", rowval.Columns.ToString());
        var missing = await Assert.ThrowsAsync<FormatValidationException>(async () => await format.InferAsync("nope", SerdeTarget.Value));
        Assert.StartsWith("Schema for message values on topic 'nope' does not exist in the Schema Registry.", missing.Message);
    }

    [Fact]
    public async Task Incompatible_evolution_names_the_subject_and_the_problem()
    {
        var f = new RegistryFixture();
        var format = (SchemaRegistryFormat)f.Formats.Get("AVRO");
        var v1 = Columns(("A", SqlTypes.Integer));
        await format.RegisterAsync("sink", v1, f.Options("AVRO", v1, topic: "sink"));
        var v2 = Columns(("A", SqlTypes.Integer), ("B", SqlTypes.String));
        await format.RegisterAsync("sink", v2, f.Options("AVRO", v2, topic: "sink")); // nullable with default: BACKWARD-compatible
        Assert.Equal([1, 2], f.Store.GetVersions("sink-value"));
        var v3 = Columns(("A", SqlTypes.Map(SqlTypes.String, SqlTypes.Integer)));
        var e = await Assert.ThrowsAsync<FormatValidationException>(async () => await format.RegisterAsync("sink", v3, f.Options("AVRO", v3, topic: "sink")));
        Assert.Contains("subject 'sink-value'", e.Message);
        Assert.Contains("BACKWARD", e.Message);
        Assert.Contains("MISSING_UNION_BRANCH", e.Message);
    }

    [Fact]
    public async Task Serializer_without_a_registered_schema_explains_what_to_do()
    {
        var f = new RegistryFixture();
        var schema = Columns(("A", SqlTypes.Integer));
        var e = Assert.Throws<FormatValidationException>(() => f.Formats.Get("AVRO").CreateSerializer(schema, f.Options("AVRO", schema, topic: "x")));
        Assert.Contains("not registered in subject 'x-value'", e.Message);
        await Task.CompletedTask;
    }
}
