using System.Text;
using Rhei.Client;
using Rhei.Client.Embedded;
using Rhei.Formats.SchemaRegistry;
using Rhei.Storage;

namespace Rhei.Formats.Tests.SchemaRegistry;

/// <summary>The registry kept in a compacted <c>_schemas</c> topic through the embedded client, replayed after a restart.</summary>
public sealed class SchemaStorePersistenceTests : IDisposable
{
    private const string V1 = """{"type":"record","name":"r","fields":[{"name":"a","type":"int"}]}""";
    private const string V2 = """{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":["null","string"],"default":null}]}""";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rhei-registry-" + Guid.NewGuid().ToString("N"));

    public SchemaStorePersistenceTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(LogManager Log, SchemasTopicLog Topic, SchemaStore Store)> OpenAsync()
    {
        var log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [_dir], RunBackgroundTasks = false });
        var factory = new EmbeddedClientFactory(log, new EmbeddedClientOptions { AutoCreateTopics = false });
        var topic = new SchemasTopicLog(factory);
        var store = new SchemaStore(topic);
        await store.StartAsync();
        return (log, topic, store);
    }

    [Fact]
    public async Task State_survives_a_restart_with_the_same_ids()
    {
        int keep, proto, removed;
        var (log, topic, store) = await OpenAsync();
        await using (log)
        await using (topic)
        {
            keep = (await store.RegisterAsync("a-value", SchemaDefinition.Avro(V1))).Id;
            await store.RegisterAsync("a-value", SchemaDefinition.Avro(V2));
            await store.RegisterAsync("event", SchemaDefinition.Protobuf("syntax = \"proto3\"; message Event { int64 ts = 1; }"));
            proto = (await store.RegisterAsync("p-value", SchemaDefinition.Protobuf(
                "syntax = \"proto3\"; import \"event.proto\"; message L { Event e = 1; }", [new SchemaReference("event.proto", "event", 1)]))).Id;
            removed = (await store.RegisterAsync("gone", SchemaDefinition.Json("""{"type":"string"}"""))).Id;
            await store.DeleteSubjectAsync("gone", permanent: false);
            await store.DeleteSubjectAsync("gone", permanent: true);
            await store.DeleteVersionAsync("a-value", 1, permanent: false);
            await store.SetCompatibilityAsync(null, CompatibilityLevel.Full);
            await store.SetCompatibilityAsync("p-value", CompatibilityLevel.None);
            await store.SetCompatibilityAsync("a-value", CompatibilityLevel.Forward);
            await store.SetCompatibilityAsync("a-value", null);

            var described = (await Factory(log).CreateAdmin().DescribeTopicsAsync(["_schemas"]))[0];
            Assert.Equal(1, described.Partitions);
            Assert.Equal("compact", described.Configs["cleanup.policy"]);
        }

        (log, topic, store) = await OpenAsync();
        await using (log)
        await using (topic)
        {
            Assert.Equal(["a-value", "event", "p-value"], store.GetSubjects());
            Assert.Equal([2], store.GetVersions("a-value"));
            Assert.Equal([1, 2], store.GetVersions("a-value", includeDeleted: true));
            Assert.True(store.GetVersion("a-value", 1, includeDeleted: true).Deleted);
            Assert.Equal(keep, store.GetVersion("a-value", 1, includeDeleted: true).Id);
            Assert.Equal(proto, store.GetVersion("p-value", 1).Id);
            Assert.Equal("event", store.GetVersion("p-value", 1).References[0].Subject);
            Assert.IsType<Rhei.Formats.Protobuf.ProtobufParsedSchema>(store.GetParsedById(proto));
            Assert.Throws<SchemaRegistryException>(() => store.GetById(removed));
            Assert.Equal(CompatibilityLevel.Full, store.GetGlobalCompatibility());
            Assert.Equal(CompatibilityLevel.None, store.GetSubjectCompatibility("p-value"));
            Assert.Null(store.GetSubjectCompatibility("a-value"));

            var next = await store.RegisterAsync("b-value", SchemaDefinition.Avro("""{"type":"long"}"""));
            Assert.True(next.Id > proto);
            Assert.Equal(keep, (await store.RegisterAsync("c-value", SchemaDefinition.Avro(V1))).Id);
        }
    }

    [Fact]
    public async Task Records_use_Confluents_key_and_value_layout()
    {
        var (log, topic, store) = await OpenAsync();
        await using (log)
        await using (topic)
        {
            await store.RegisterAsync("s", SchemaDefinition.Protobuf("syntax = \"proto3\"; message M { int32 x = 1; }"));
            await store.SetCompatibilityAsync(null, CompatibilityLevel.Full);
            await using var consumer = Factory(log).CreateConsumer(new ConsumerOptions());
            consumer.Assign([new TopicPartitionOffset("_schemas", 0, Offsets.Beginning)]);
            var records = new List<ConsumedRecord>();
            for (var i = 0; i < 20 && records.Count < 2; i++)
            {
                records.AddRange(await consumer.PollAsync(TimeSpan.FromMilliseconds(100)));
            }

            Assert.Equal("""{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}""", Encoding.UTF8.GetString(records[0].Key!.Value.Span));
            Assert.Equal(
                """{"subject":"s","version":1,"id":1,"schemaType":"PROTOBUF","references":[],"schema":"syntax = \u0022proto3\u0022; message M { int32 x = 1; }","deleted":false}""",
                Encoding.UTF8.GetString(records[0].Value!.Value.Span));
            Assert.Equal("""{"keytype":"CONFIG","subject":null,"magic":0}""", Encoding.UTF8.GetString(records[1].Key!.Value.Span));
            Assert.Equal("""{"compatibilityLevel":"FULL"}""", Encoding.UTF8.GetString(records[1].Value!.Value.Span));
        }
    }

    [Fact]
    public void Codec_reads_what_it_writes_and_skips_other_key_types()
    {
        var schema = new RegisteredSchema("s", 3, 7, SchemaDefinition.Protobuf("x", [new SchemaReference("r", "t", 1)]), Deleted: true);
        var (key, value) = SchemasTopicCodec.Encode(new SchemaLogRecord.Schema(schema));
        Assert.Equal(new SchemaLogRecord.Schema(schema).Value, ((SchemaLogRecord.Schema)SchemasTopicCodec.Decode(key, value, false)!).Value);
        Assert.Equal(new SchemaLogRecord.SchemaTombstone("s", 3), SchemasTopicCodec.Decode(key, default, true));
        Assert.Null(SchemasTopicCodec.Decode("""{"keytype":"NOOP","magic":0}"""u8, default, true));
        Assert.Null(SchemasTopicCodec.Decode("not json"u8, default, true));
    }

    private static EmbeddedClientFactory Factory(LogManager log) => new(log, new EmbeddedClientOptions { AutoCreateTopics = false });
}
