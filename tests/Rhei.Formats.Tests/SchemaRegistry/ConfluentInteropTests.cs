using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using static Rhei.Formats.Tests.SchemaRegistry.RegistryFixture;

namespace Rhei.Formats.Tests.SchemaRegistry;

/// <summary>Confluent's .NET schema registry client and serdes against Rhei's registry over HTTP, and Rhei's formats against their bytes.</summary>
public class ConfluentInteropTests
{
    private const string OrderSchema = """
        {"type":"record","name":"Order","namespace":"com.example","fields":[
          {"name":"id","type":"long"},
          {"name":"customer","type":["null","string"],"default":null},
          {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
          {"name":"tags","type":{"type":"array","items":"string"}},
          {"name":"attributes","type":{"type":"map","values":"int"}},
          {"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"city","type":"string"},{"name":"zip","type":["null","int"],"default":null}]}},
          {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}}]}
        """;

    [Fact]
    public async Task Confluent_avro_serializer_registers_over_http_and_Rhei_reads_the_record()
    {
        var fixture = new RegistryFixture();
        await using var host = await RegistryHttpHost.StartAsync(fixture.Store);
        using var confluent = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = host.Url });
        var schema = (global::Avro.RecordSchema)global::Avro.Schema.Parse(OrderSchema);
        var address = new GenericRecord((global::Avro.RecordSchema)schema["address"].Schema);
        address.Add("city", "Lyon");
        address.Add("zip", null);
        var order = new GenericRecord(schema);
        order.Add("id", 42L);
        order.Add("customer", "ada");
        order.Add("amount", new global::Avro.AvroDecimal(123.45m));
        order.Add("tags", new object[] { "a", "b" });
        order.Add("attributes", new Dictionary<string, object> { ["x"] = 1 });
        order.Add("address", address);
        order.Add("ts", new DateTime(2024, 5, 6, 7, 8, 9, 10, DateTimeKind.Utc));

        var serializer = new AvroSerializer<GenericRecord>(confluent);
        var bytes = await serializer.SerializeAsync(order, new SerializationContext(MessageComponentType.Value, "orders"));

        var registered = fixture.Store.TryGetLatest("orders-value");
        Assert.NotNull(registered);
        Assert.Equal(bytes[4], (byte)registered.Id);

        // CREATE STREAM orders WITH (VALUE_FORMAT='AVRO'): inference, then reading
        var format = (SchemaRegistryFormat)fixture.Formats.Get("AVRO");
        var inferred = await format.InferAsync("orders", SerdeTarget.Value);
        Assert.Equal(
            "[`ID` BIGINT, `CUSTOMER` STRING, `AMOUNT` DECIMAL(10, 2), `TAGS` ARRAY<STRING>, `ATTRIBUTES` MAP<STRING, INTEGER>, `ADDRESS` STRUCT<`CITY` STRING, `ZIP` INTEGER>, `TS` TIMESTAMP]",
            inferred.Columns.ToString());
        var row = format.CreateDeserializer(inferred.Columns, fixture.Options("AVRO", inferred.Columns, topic: "orders")).Deserialize(bytes)!;
        Assert.Equal(42L, row[0]);
        Assert.Equal("ada", row[1]);
        Assert.Equal(123.45m, row[2]);
        Assert.Equal(new List<object?> { "a", "b" }, (List<object?>)row[3]!);
        Assert.Equal(1, ((Dictionary<object, object?>)row[4]!)["x"]);
        Assert.Equal("Lyon", ((SqlStruct)row[5]!)[0]);
        Assert.Null(((SqlStruct)row[5]!)[1]);
        Assert.Equal(new DateTime(2024, 5, 6, 7, 8, 9, 10, DateTimeKind.Utc), row[6]);
    }

    [Fact]
    public async Task Rhei_avro_row_is_read_by_Confluents_deserializer()
    {
        var fixture = new RegistryFixture();
        await using var host = await RegistryHttpHost.StartAsync(fixture.Store);
        var inner = SqlTypes.Struct(new SqlField("CITY", SqlTypes.String), new SqlField("ZIP", SqlTypes.Integer));
        var columns = Columns(
            ("ID", SqlTypes.BigInt), ("NAME", SqlTypes.String), ("PRICE", SqlTypes.Decimal(6, 2)), ("TAGS", SqlTypes.Array(SqlTypes.String)),
            ("ATTRS", SqlTypes.Map(SqlTypes.String, SqlTypes.Integer)), ("ADDR", inner), ("D", SqlTypes.Date), ("TS", SqlTypes.Timestamp), ("OK", SqlTypes.Boolean), ("X", SqlTypes.Double));
        var (serializer, _) = await fixture.SerdesAsync("AVRO", columns, topic: "sink");
        var bytes = serializer.Serialize(
        [
            7L, "widget", 12.50m, new List<object?> { "t1", null }, new Dictionary<object, object?> { ["k"] = 3 },
            new SqlStruct(inner, ["Paris", 75001]), new DateOnly(2020, 1, 2), DateTime.UnixEpoch.AddMilliseconds(1234), true, 0.5,
        ])!;

        using var confluent = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = host.Url });
        var deserializer = new AvroDeserializer<GenericRecord>(confluent);
        var record = await deserializer.DeserializeAsync(bytes, false, new SerializationContext(MessageComponentType.Value, "sink"));
        Assert.Equal("io.confluent.ksql.avro_schemas.KsqlDataSourceSchema", record.Schema.Fullname);
        Assert.Equal(7L, record["ID"]);
        Assert.Equal("widget", record["NAME"]);
        Assert.Equal(12.50m, ((global::Avro.AvroDecimal)record["PRICE"]).ToType<decimal>());
        Assert.Equal(new object?[] { "t1", null }, (object?[])record["TAGS"]);
        var entry = (GenericRecord)((object[])record["ATTRS"])[0];
        Assert.Equal("k", entry["key"]);
        Assert.Equal(3, entry["value"]);
        Assert.Equal("Paris", ((GenericRecord)record["ADDR"])["CITY"]);
        Assert.Equal(new DateTime(2020, 1, 2), record["D"]);
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(1234), record["TS"]);
        Assert.Equal(true, record["OK"]);
        Assert.Equal(0.5, record["X"]);
    }

    [Fact]
    public async Task Confluent_client_api_calls_get_Confluents_answers()
    {
        var fixture = new RegistryFixture();
        await using var host = await RegistryHttpHost.StartAsync(fixture.Store);
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = host.Url });
        var id = await client.RegisterSchemaAsync("s-value", new Confluent.SchemaRegistry.Schema("""{"type":"record","name":"r","fields":[{"name":"a","type":"int"}]}""", Confluent.SchemaRegistry.SchemaType.Avro));
        var same = await client.RegisterSchemaAsync("other-value", new Confluent.SchemaRegistry.Schema("""{"type":"record","name":"r","fields":[{"name":"a","type":"int"}]}""", Confluent.SchemaRegistry.SchemaType.Avro));
        Assert.Equal(id, same);
        Assert.Contains("s-value", await client.GetAllSubjectsAsync());
        var latest = await client.GetLatestSchemaAsync("s-value");
        Assert.Equal(1, latest.Version);
        Assert.Equal(id, latest.Id);
        var byId = await client.GetSchemaAsync(id);
        Assert.Contains("\"a\"", byId.SchemaString);
        Assert.True(await client.IsCompatibleAsync("s-value", new Confluent.SchemaRegistry.Schema("""{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]}""", Confluent.SchemaRegistry.SchemaType.Avro)));
        Assert.False(await client.IsCompatibleAsync("s-value", new Confluent.SchemaRegistry.Schema("""{"type":"record","name":"r","fields":[{"name":"a","type":"string"}]}""", Confluent.SchemaRegistry.SchemaType.Avro)));
        var incompatible = await Assert.ThrowsAsync<Confluent.SchemaRegistry.SchemaRegistryException>(() =>
            client.RegisterSchemaAsync("s-value", new Confluent.SchemaRegistry.Schema("""{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}""", Confluent.SchemaRegistry.SchemaType.Avro)));
        Assert.Equal(409, incompatible.ErrorCode);
        var missing = await Assert.ThrowsAsync<Confluent.SchemaRegistry.SchemaRegistryException>(() => client.GetLatestSchemaAsync("nope"));
        Assert.Equal(40401, missing.ErrorCode);
        Assert.Equal(Compatibility.Backward, await client.GetCompatibilityAsync());
        await client.UpdateCompatibilityAsync(Compatibility.Full, "s-value");
        Assert.Equal(Compatibility.Full, await client.GetCompatibilityAsync("s-value"));

        var proto = await client.RegisterSchemaAsync("p-value", new Confluent.SchemaRegistry.Schema("syntax = \"proto3\"; message M { int32 a = 1; }", Confluent.SchemaRegistry.SchemaType.Protobuf));
        Assert.Equal(Confluent.SchemaRegistry.SchemaType.Protobuf, (await client.GetSchemaAsync(proto)).SchemaType);
    }

    [Fact]
    public async Task Confluent_json_serializer_and_Rhei_json_sr_exchange_records()
    {
        var fixture = new RegistryFixture();
        await using var host = await RegistryHttpHost.StartAsync(fixture.Store);
        using var confluent = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = host.Url });
        var serializer = new JsonSerializer<JsonOrder>(confluent);
        var bytes = await serializer.SerializeAsync(new JsonOrder { Id = 5, Name = "five", Tags = ["x"] }, new SerializationContext(MessageComponentType.Value, "jorders"));
        var format = (SchemaRegistryFormat)fixture.Formats.Get("JSON_SR");
        var inferred = await format.InferAsync("jorders", SerdeTarget.Value, schemaId: fixture.Store.TryGetLatest("jorders-value")!.Id);
        Assert.Contains(inferred.Columns, c => c.Name == "Id");
        var row = format.CreateDeserializer(inferred.Columns, fixture.Options("JSON_SR", inferred.Columns, topic: "jorders")).Deserialize(bytes)!;
        Assert.Equal(5L, row[inferred.Columns.IndexOf("Id")]);
        Assert.Equal("five", row[inferred.Columns.IndexOf("Name")]);

        var columns = Columns(("Id", SqlTypes.BigInt), ("Name", SqlTypes.String), ("Tags", SqlTypes.Array(SqlTypes.String)));
        var (rheiSerializer, _) = await fixture.SerdesAsync("JSON_SR", columns, topic: "jsink");
        var rheiBytes = rheiSerializer.Serialize([9L, "nine", new List<object?> { "t" }])!;
        var deserializer = new JsonDeserializer<JsonOrder>(confluent);
        var order = await deserializer.DeserializeAsync(rheiBytes, false, new SerializationContext(MessageComponentType.Value, "jsink"));
        Assert.Equal(9, order.Id);
        Assert.Equal("nine", order.Name);
        Assert.Equal(["t"], order.Tags);
    }

    public sealed class JsonOrder
    {
        public long Id { get; set; }

        public string? Name { get; set; }

        public List<string>? Tags { get; set; }
    }
}
