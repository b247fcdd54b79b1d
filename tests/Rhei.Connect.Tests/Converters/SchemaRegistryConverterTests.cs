using Microsoft.Data.Sqlite;
using Rhei.Connect.Config;
using Rhei.Connect.Tests.Support;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Connect.Tests.Converters;

public sealed class SchemaRegistryConverterTests
{
    [Fact]
    public async Task AvroConverter_registers_the_value_schema_and_a_sink_reads_it_back()
    {
        await using var cluster = await Cluster.StartAsync(schemaRegistry: true);
        await cluster.Runtime.CreateAsync("orders", new Dictionary<string, string>
        {
            ["connector.class"] = "DatagenSource",
            ["quickstart"] = "pageviews",
            ["kafka.topic"] = "pageviews_avro",
            ["max.interval"] = "0",
            ["iterations"] = "10",
            ["random.seed"] = "4",
            ["value.converter"] = "io.confluent.connect.avro.AvroConverter",
            ["value.converter.schema.registry.url"] = "http://localhost:8081",
        });
        var records = await cluster.ReadAsync("pageviews_avro", 10);
        Assert.Equal(10, records.Count);
        var latest = cluster.Schemas!.TryGetLatest("pageviews_avro-value");
        Assert.NotNull(latest);
        Assert.All(records, r => Assert.Equal(0, r.Value![0])); // Confluent framing: magic byte 0, then the schema id

        // Read back with Rhei's AVRO deserializer.
        var avro = cluster.Formats().Get("AVRO");
        var columns = SerdeSchema.Of(("viewtime", SqlTypes.BigInt), ("userid", SqlTypes.String), ("pageid", SqlTypes.String));
        var reader = avro.CreateDeserializer(columns, SerdeOptions.Value("pageviews_avro"));
        var row = reader.Deserialize(records[0].Value)!;
        Assert.Equal(1L, row[0]);
        Assert.StartsWith("User_", (string)row[1]!, StringComparison.Ordinal);

        using var dir = new TempDir();
        await cluster.Runtime.CreateAsync("to-sqlite", new Dictionary<string, string>
        {
            ["connector.class"] = "JdbcSink",
            ["connection.url"] = $"jdbc:sqlite:{dir.File("out.db")}",
            ["topics"] = "pageviews_avro",
            ["auto.create"] = "true",
            ["value.converter"] = "io.confluent.connect.avro.AvroConverter",
        });
        var count = await Eventually.WaitAsync(() => CountRows(dir.File("out.db")), n => n == 10, "ten rows in SQLite");
        Assert.Equal(10, count);
    }

    [Fact]
    public async Task Schema_registry_formats_without_a_registry_are_a_config_error()
    {
        await using var cluster = await Cluster.StartAsync();
        var runtime = new Rhei.Connect.Runtime.ConnectorRuntime(cluster.Clients, SchemaRegistryFormats.AddTo(FormatRegistry.CreateDefault(), null),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);
        await using var _ = runtime;
        var e = await Assert.ThrowsAsync<ConnectorConfigException>(() => runtime.CreateAsync("x", new Dictionary<string, string>
        {
            ["connector.class"] = "DatagenSource",
            ["quickstart"] = "users",
            ["kafka.topic"] = "u",
            ["value.format"] = "AVRO",
        }));
        Assert.Contains("needs a schema registry", Assert.Single(e.Errors).Message);
    }

    private static long CountRows(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM pageviews_avro";
        try
        {
            return (long)cmd.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0;
        }
    }
}
