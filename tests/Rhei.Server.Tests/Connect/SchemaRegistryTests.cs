using System.Text.Json;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Confluent.SchemaRegistry;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry.Serdes;

namespace Rhei.Server.Tests.Connect;

/// <summary>
/// The embedded schema registry on the HTTP listener, used by Confluent's own clients (Confluent.SchemaRegistry and
/// its Avro serdes, Confluent.Kafka) together with SQL; and an external registry by <c>ksql.schema.registry.url</c>.
/// </summary>
public sealed class SchemaRegistryTests
{
    private const string OrderSchema = """
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"int"},{"name":"item","type":"string"},{"name":"price","type":"double"}]}
        """;

    private static async Task CreateTopicAsync(string bootstrap, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }]);
    }

    private static List<ConsumeResult<TKey, TValue>> Consume<TKey, TValue>(string bootstrap, string topic, int count, IDeserializer<TKey> key, IDeserializer<TValue> value)
    {
        using var consumer = new ConsumerBuilder<TKey, TValue>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetKeyDeserializer(key).SetValueDeserializer(value).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<TKey, TValue>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (results.Count < count && DateTime.UtcNow < deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } r)
                {
                    results.Add(r);
                }
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                // Not created yet.
            }
        }

        consumer.Close();
        return results;
    }

    [Fact]
    public async Task A_topic_written_by_the_Confluent_Avro_serializer_is_read_by_sql_with_inferred_columns()
    {
        await using var server = await RheiProcess.StartAsync();
        Assert.Contains("schema registry: built in", server.Output);
        await CreateTopicAsync(server.BootstrapServers, "avro_orders");
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = server.SchemaRegistryUrl });
        var schema = (RecordSchema)Avro.Schema.Parse(OrderSchema);
        using (var producer = new ProducerBuilder<Null, GenericRecord>(new ProducerConfig { BootstrapServers = server.BootstrapServers })
            .SetValueSerializer(new AvroSerializer<GenericRecord>(registry)).Build())
        {
            foreach (var (id, item, price) in new[] { (1, "book", 12.5), (2, "pen", 1.25) })
            {
                var record = new GenericRecord(schema);
                record.Add("id", id);
                record.Add("item", item);
                record.Add("price", price);
                await producer.ProduceAsync("avro_orders", new Message<Null, GenericRecord> { Value = record });
            }
        }

        Assert.Contains("avro_orders-value", await registry.GetAllSubjectsAsync());

        await server.KsqlAsync("CREATE STREAM orders WITH (kafka_topic='avro_orders', value_format='AVRO');");
        var fields = (await server.KsqlAsync("DESCRIBE orders;"))[0].GetProperty("sourceDescription").GetProperty("fields");
        Assert.Equal(["ID", "ITEM", "PRICE"], fields.EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal("INTEGER", fields[0].GetProperty("schema").GetProperty("type").GetString());

        await server.KsqlAsync("CREATE STREAM orders_json WITH (value_format='JSON') AS SELECT id, item, price * 2 AS doubled FROM orders EMIT CHANGES;", earliest: true);
        var rows = Consume(server.BootstrapServers, "ORDERS_JSON", 2, Deserializers.Ignore, Deserializers.Utf8)
            .Select(r => JsonDocument.Parse(r.Message.Value).RootElement).ToList();
        Assert.Equal(["book", "pen"], rows.Select(r => r.GetProperty("ITEM").GetString()));
        Assert.Equal([25.0, 2.5], rows.Select(r => r.GetProperty("DOUBLED").GetDouble()));
    }

    [Fact]
    public async Task A_CSAS_with_VALUE_FORMAT_AVRO_is_read_by_the_Confluent_Avro_deserializer()
    {
        await using var server = await RheiProcess.StartAsync();
        await server.KsqlAsync("CREATE STREAM src (id INT KEY, item STRING, price DOUBLE) WITH (kafka_topic='src', value_format='JSON', partitions=1);");
        await server.KsqlAsync("INSERT INTO src (id, item, price) VALUES (7, 'lamp', 30.5);");
        await server.KsqlAsync("INSERT INTO src (id, item, price) VALUES (8, 'desk', 120.0);");
        await server.KsqlAsync("CREATE STREAM src_avro WITH (value_format='AVRO') AS SELECT * FROM src EMIT CHANGES;", earliest: true);

        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = server.SchemaRegistryUrl });
        Assert.Contains("SRC_AVRO-value", await registry.GetAllSubjectsAsync());
        var registered = await registry.GetLatestSchemaAsync("SRC_AVRO-value");
        Assert.Equal(SchemaType.Avro, registered.SchemaType);

        var records = Consume(server.BootstrapServers, "SRC_AVRO", 2, Deserializers.Int32, new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync());
        Assert.Equal(2, records.Count);
        Assert.Equal([7, 8], records.Select(r => r.Message.Key));
        Assert.Equal(["lamp", "desk"], records.Select(r => (string)r.Message.Value["ITEM"]));
        Assert.Equal([30.5, 120.0], records.Select(r => (double)r.Message.Value["PRICE"]));
    }

    [Fact]
    public async Task The_registry_answers_under_its_prefix_with_its_media_type_and_Confluents_errors()
    {
        await using var server = await RheiProcess.StartAsync();
        var (status, type, body) = await server.RegistryAsync(HttpMethod.Get, "/subjects");
        Assert.Equal(200, status);
        Assert.Equal("application/vnd.schemaregistry.v1+json", type);
        Assert.Equal(0, body.GetArrayLength());

        var v1 = JsonSerializer.Serialize(new { schema = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""" });
        (status, _, body) = await server.RegistryAsync(HttpMethod.Post, "/subjects/r-value/versions", v1);
        Assert.Equal(200, status);
        var id = body.GetProperty("id").GetInt32();
        (status, _, body) = await server.RegistryAsync(HttpMethod.Get, $"/schemas/ids/{id}");
        Assert.Equal(200, status);
        Assert.Contains("\"a\"", body.GetProperty("schema").GetString());

        // A new required field without a default breaks BACKWARD compatibility (the default level).
        var v2 = JsonSerializer.Serialize(new { schema = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}""" });
        (status, _, body) = await server.RegistryAsync(HttpMethod.Post, "/subjects/r-value/versions", v2);
        Assert.Equal(409, status);
        Assert.Equal(409, body.GetProperty("error_code").GetInt32());

        (status, _, body) = await server.RegistryAsync(HttpMethod.Get, "/subjects/nope/versions");
        Assert.Equal(404, status);
        Assert.Equal(40401, body.GetProperty("error_code").GetInt32());

        // ksqlDB's API is still there beside it.
        Assert.Equal("streams", (await server.KsqlAsync("SHOW STREAMS;"))[0].GetProperty("@type").GetString());
    }

    [Fact]
    public async Task A_CSAS_whose_schema_breaks_the_subjects_compatibility_fails_with_the_reason()
    {
        await using var server = await RheiProcess.StartAsync();
        var existing = JsonSerializer.Serialize(new { schema = """{"type":"record","name":"Old","fields":[{"name":"ITEM","type":"int"}]}""" });
        Assert.Equal(200, (await server.RegistryAsync(HttpMethod.Post, "/subjects/OUT-value/versions", existing)).Status);

        await server.KsqlAsync("CREATE STREAM src (id INT KEY, item STRING) WITH (kafka_topic='src', value_format='JSON', partitions=1);");
        var (status, error) = await server.KsqlErrorAsync("CREATE STREAM out WITH (kafka_topic='OUT', value_format='AVRO', partitions=1) AS SELECT * FROM src;");
        Assert.Equal(400, status);
        var message = error.GetProperty("message").GetString();
        Assert.Contains("OUT-value", message);
        Assert.Contains("incompatible", message);
        Assert.Contains("BACKWARD", message);
    }

    [Fact]
    public async Task With_ksql_schema_registry_url_the_engine_uses_that_registry_and_serves_none()
    {
        await using var registryHost = await RheiProcess.StartAsync();
        await using var server = await RheiProcess.StartAsync($"ksql.schema.registry.url={registryHost.SchemaRegistryUrl}");
        Assert.Contains("ksql.schema.registry.url", server.Output);

        await server.KsqlAsync("CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', value_format='AVRO', partitions=1);");
        var (_, _, subjects) = await registryHost.RegistryAsync(HttpMethod.Get, "/subjects");
        Assert.Contains("s-value", subjects.EnumerateArray().Select(s => s.GetString()));

        var (status, _, _) = await server.RegistryAsync(HttpMethod.Get, "/subjects");
        Assert.Equal(404, status);
    }

    [Fact]
    public async Task The_prefix_is_configurable()
    {
        await using var server = await RheiProcess.StartAsync("rhei.schema.registry.prefix=/sr/v1");
        using var response = await server.Http.GetAsync("sr/v1/subjects");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(404, (await server.RegistryAsync(HttpMethod.Get, "/subjects")).Status);
    }
}
