using Rhei.Connect.Config;
using Rhei.Connect.Plugins;
using Rhei.Connect.Runtime;
using Rhei.Connect.Tests.Support;

namespace Rhei.Connect.Tests.Runtime;

public sealed class ConfigValidationTests
{
    private static async Task<ConnectorConfigException> CreateFailsAsync(Dictionary<string, string> config, ConnectorKind? kind = null)
    {
        await using var cluster = await Cluster.StartAsync();
        var e = await Assert.ThrowsAsync<ConnectorConfigException>(() => cluster.Runtime.CreateAsync("bad", config, expectedKind: kind));
        Assert.Empty(cluster.Runtime.List());
        return e;
    }

    [Fact]
    public async Task Missing_connector_class_is_named()
    {
        var e = await CreateFailsAsync(new() { ["mode"] = "bulk" });
        Assert.Equal("connector.class", Assert.Single(e.Errors).Name);
        Assert.Contains("Missing required configuration \"connector.class\" which has no default value.", e.Message);
    }

    [Fact]
    public async Task An_unknown_class_lists_the_available_connectors()
    {
        var e = await CreateFailsAsync(new() { ["connector.class"] = "com.example.MongoSource" });
        Assert.Contains("com.example.MongoSource", e.Message);
        Assert.Contains("io.confluent.connect.jdbc.JdbcSourceConnector", e.Message);
    }

    [Fact]
    public async Task Every_error_of_a_jdbc_source_is_listed_with_its_property()
    {
        var e = await CreateFailsAsync(new()
        {
            ["connector.class"] = "JdbcSource",
            ["mode"] = "bulkk",
            ["tasks.max"] = "two",
            ["poll.interval.ms"] = "0",
        });
        Assert.StartsWith("Connector configuration is invalid and contains the following 4 error(s):", e.Message);
        Assert.Contains(e.Errors, x => x.Name == "connection.url" && x.Message == "Missing required configuration \"connection.url\" which has no default value.");
        Assert.Contains(e.Errors, x => x.Name == "mode" && x.Message == "Invalid value bulkk for configuration mode: String must be one of: bulk, timestamp, incrementing, timestamp+incrementing");
        Assert.Contains(e.Errors, x => x.Name == "tasks.max" && x.Message == "Invalid value two for configuration tasks.max: Not a number of type INT");
        Assert.Contains(e.Errors, x => x.Name == "poll.interval.ms" && x.Message.EndsWith("Value must be at least 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mode_specific_columns_are_required()
    {
        var e = await CreateFailsAsync(new()
        {
            ["connector.class"] = "io.confluent.connect.jdbc.JdbcSourceConnector",
            ["connection.url"] = "jdbc:sqlite:/tmp/x.db",
            ["mode"] = "timestamp+incrementing",
        });
        Assert.Equal(["incrementing.column.name", "timestamp.column.name"], e.Errors.Select(x => x.Name).Order());
    }

    [Fact]
    public async Task Bad_urls_and_unsupported_databases_are_explained()
    {
        var e = await CreateFailsAsync(new() { ["connector.class"] = "JdbcSource", ["connection.url"] = "jdbc:mysql://localhost/db", ["mode"] = "bulk" });
        Assert.Contains("'mysql' is not supported", Assert.Single(e.Errors).Message);
        e = await CreateFailsAsync(new() { ["connector.class"] = "JdbcSource", ["connection.url"] = "nonsense", ["mode"] = "bulk" });
        Assert.Equal("connection.url", Assert.Single(e.Errors).Name);
    }

    [Fact]
    public async Task Sink_rules_across_properties()
    {
        var e = await CreateFailsAsync(new()
        {
            ["connector.class"] = "JdbcSink",
            ["connection.url"] = "jdbc:sqlite:/tmp/x.db",
            ["topics"] = "a",
            ["insert.mode"] = "upsert",
            ["delete.enabled"] = "true",
        });
        Assert.Contains(e.Errors, x => x.Name == "pk.mode" && x.Message.Contains("insert.mode=upsert needs a primary key", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Name == "delete.enabled" && x.Message.Contains("only supported for pk.mode record_key", StringComparison.Ordinal));
        e = await CreateFailsAsync(new() { ["connector.class"] = "JdbcSink", ["connection.url"] = "jdbc:sqlite:/tmp/x.db" });
        Assert.Equal("topics", Assert.Single(e.Errors).Name);
    }

    [Fact]
    public async Task Converters_and_transforms_are_checked()
    {
        var e = await CreateFailsAsync(new()
        {
            ["connector.class"] = "DatagenSource",
            ["quickstart"] = "users",
            ["kafka.topic"] = "u",
            ["value.converter"] = "io.confluent.connect.avro.AvroConverter",
            ["key.converter"] = "com.example.Nope",
            ["transforms"] = "a,b",
            ["transforms.a.type"] = "org.apache.kafka.connect.transforms.ValueToKey",
            ["transforms.b.type"] = "org.apache.kafka.connect.transforms.Flatten$Value",
        });
        Assert.Contains(e.Errors, x => x.Name == "value.converter" && x.Message.Contains("(the AVRO format) is not available", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Name == "key.converter" && x.Message.Contains("could not be found", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Name == "transforms.a.fields");
        Assert.Contains(e.Errors, x => x.Name == "transforms.b.type");
    }

    [Fact]
    public async Task A_source_class_in_a_sink_statement_is_refused()
    {
        var e = await CreateFailsAsync(new() { ["connector.class"] = "DatagenSource", ["quickstart"] = "users", ["kafka.topic"] = "u" }, ConnectorKind.Sink);
        Assert.Contains("use CREATE SOURCE CONNECTOR", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public async Task Datagen_quickstart_names_are_checked()
    {
        var e = await CreateFailsAsync(new() { ["connector.class"] = "DatagenSource", ["quickstart"] = "pageview", ["kafka.topic"] = "p" });
        Assert.Contains("pageviews", Assert.Single(e.Errors).Message);
        e = await CreateFailsAsync(new() { ["connector.class"] = "DatagenSource", ["quickstart"] = "pageviews" });
        Assert.Equal("kafka.topic", Assert.Single(e.Errors).Name);
    }

    [Fact]
    public async Task Validate_returns_the_errors_without_creating()
    {
        await using var cluster = await Cluster.StartAsync();
        var errors = cluster.Runtime.Validate(new ConnectorConfig("x", new Dictionary<string, string> { ["connector.class"] = "JdbcSink" }));
        Assert.Equal(["connection.url", "topics"], errors.Select(x => x.Name).Order());
        Assert.Empty(cluster.Runtime.Validate(new ConnectorConfig("x", new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSink",
            ["file"] = "/tmp/out.txt",
            ["topics"] = "t",
        })));
    }
}
