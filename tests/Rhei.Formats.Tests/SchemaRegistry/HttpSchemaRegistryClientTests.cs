using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using static Rhei.Formats.Tests.SchemaRegistry.RegistryFixture;

namespace Rhei.Formats.Tests.SchemaRegistry;

/// <summary>The formats on an external registry (<c>ksql.schema.registry.url</c>): Rhei's HTTP client against Rhei's registry served by Kestrel.</summary>
public class HttpSchemaRegistryClientTests
{
    [Fact]
    public async Task Formats_register_infer_and_round_trip_through_the_http_client()
    {
        var store = new SchemaStore();
        await using var host = await RegistryHttpHost.StartAsync(store);
        using var client = new HttpSchemaRegistryClient(host.Url);
        var formats = SchemaRegistryFormats.AddTo(FormatRegistry.CreateDefault(), client);
        var columns = Columns(("ID", SqlTypes.BigInt), ("TAGS", SqlTypes.Array(SqlTypes.String)));
        foreach (var name in new[] { "AVRO", "PROTOBUF", "JSON_SR" })
        {
            var format = (SchemaRegistryFormat)formats.Get(name);
            var topic = "http-" + name;
            var options = new SerdeOptions(SerdeTarget.Value) { Topic = topic };
            var registered = await format.RegisterAsync(topic, columns, options);
            Assert.Equal(1, registered.Version);
            Assert.Equal(registered.Id, store.TryGetLatest(topic + "-value")!.Id);
            var inferred = await format.InferAsync(topic, SerdeTarget.Value);
            Assert.Equal(columns, inferred.Columns);
            object?[] row = [5L, new List<object?> { "a" }];
            var bytes = format.CreateSerializer(columns, options).Serialize(row);
            Assert.Equal(row, format.CreateDeserializer(columns, options).Deserialize(bytes), SqlValueComparer.Instance);
        }

        Assert.Equal(3, (await client.GetSubjectsAsync()).Count);
        Assert.Equal(CompatibilityLevel.Backward, await client.GetCompatibilityAsync("http-AVRO-value"));
        Assert.Null(await client.GetLatestAsync("missing"));
        var incompatible = SchemaDefinition.Avro("""{"type":"record","name":"KsqlDataSourceSchema","namespace":"io.confluent.ksql.avro_schemas","fields":[{"name":"X","type":"string"}]}""");
        Assert.NotEmpty(await client.CheckCompatibilityAsync("http-AVRO-value", incompatible));
        var e = await Assert.ThrowsAsync<SchemaRegistryException>(async () => await client.RegisterAsync("http-AVRO-value", incompatible));
        Assert.Equal(409, e.ErrorCode);
        var notFound = Assert.Throws<SchemaRegistryException>(() => client.GetSchemaById(999));
        Assert.Equal(40403, notFound.ErrorCode);
    }
}
