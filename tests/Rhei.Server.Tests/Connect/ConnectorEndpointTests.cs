using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Data.Sqlite;

namespace Rhei.Server.Tests.Connect;

/// <summary>Connector statements through POST /ksql on a whole server: ksqlDB's connector entities, real connectors, real Kafka clients.</summary>
public sealed class ConnectorEndpointTests
{
    private static async Task SqliteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Values of a topic read with a Confluent consumer from the beginning, until <paramref name="count"/> arrived (or 30 s).</summary>
    private static List<string> Consume(string bootstrap, string topic, int count)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var values = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (values.Count < count && DateTime.UtcNow < deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } m })
                {
                    values.Add(m.Value);
                }
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                // The connector has not created the topic yet.
            }
        }

        consumer.Close();
        return values;
    }

    [Fact]
    public async Task A_sqlite_source_created_over_http_feeds_a_stream_and_the_connector_entities_have_ksqlDBs_shapes()
    {
        await using var server = await RheiProcess.StartAsync();
        var db = Path.Combine(server.Directory, "shop.db");
        await SqliteAsync(db, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, country TEXT); INSERT INTO users VALUES (1, 'ann', 'fr'), (2, 'bob', 'us');");

        var created = (await server.KsqlAsync(
            $"CREATE SOURCE CONNECTOR `users-src` WITH ('connector.class'='JdbcSourceConnector', 'connection.url'='jdbc:sqlite:{db}', " +
            "'mode'='incrementing', 'incrementing.column.name'='id', 'table.whitelist'='users', 'topic.prefix'='db-', 'key'='id', 'poll.interval.ms'='100');"))[0];
        Assert.Equal("connector_info", created.GetProperty("@type").GetString());
        Assert.Equal("users-src", created.GetProperty("info").GetProperty("name").GetString());
        Assert.Equal("source", created.GetProperty("info").GetProperty("type").GetString());
        Assert.Equal("incrementing", created.GetProperty("info").GetProperty("config").GetProperty("mode").GetString());
        Assert.Equal(2, Consume(server.BootstrapServers, "db-users", 2).Count);

        await server.KsqlAsync("CREATE STREAM users (id INT KEY, name STRING, country STRING) WITH (kafka_topic='db-users', value_format='JSON');");
        await server.KsqlAsync("CREATE STREAM us_users AS SELECT id, UCASE(name) AS name FROM users WHERE country = 'us' EMIT CHANGES;", earliest: true);
        await SqliteAsync(db, "INSERT INTO users VALUES (3, 'cy', 'us');");
        var names = Consume(server.BootstrapServers, "US_USERS", 2).Select(v => JsonDocument.Parse(v).RootElement.GetProperty("NAME").GetString());
        Assert.Equal(["BOB", "CY"], names);

        var list = (await server.KsqlAsync("SHOW CONNECTORS;"))[0];
        Assert.Equal("connector_list", list.GetProperty("@type").GetString());
        var info = Assert.Single(list.GetProperty("connectors").EnumerateArray());
        Assert.Equal("users-src", info.GetProperty("name").GetString());
        Assert.Equal("source", info.GetProperty("type").GetString());
        Assert.Equal("io.confluent.connect.jdbc.JdbcSourceConnector", info.GetProperty("className").GetString());
        Assert.Equal("RUNNING (1/1 tasks RUNNING)", info.GetProperty("state").GetString());

        var description = (await server.KsqlAsync("DESCRIBE CONNECTOR `users-src`;"))[0];
        Assert.Equal("connector_description", description.GetProperty("@type").GetString());
        Assert.Equal("io.confluent.connect.jdbc.JdbcSourceConnector", description.GetProperty("connectorClass").GetString());
        var status = description.GetProperty("status");
        Assert.Equal("users-src", status.GetProperty("name").GetString());
        Assert.Equal("RUNNING", status.GetProperty("connector").GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(status.GetProperty("connector").GetProperty("worker_id").GetString()));
        var task = Assert.Single(status.GetProperty("tasks").EnumerateArray());
        Assert.Equal(0, task.GetProperty("id").GetInt32());
        Assert.Equal("RUNNING", task.GetProperty("state").GetString());
        Assert.Equal("source", status.GetProperty("type").GetString());
        Assert.Equal("USERS", Assert.Single(description.GetProperty("sources").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(["db-users"], description.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));

        var plugins = (await server.KsqlAsync("SHOW CONNECTOR PLUGINS;"))[0];
        Assert.Equal("connector_plugins_list", plugins.GetProperty("@type").GetString());
        Assert.Contains(plugins.GetProperty("connectorPlugins").EnumerateArray(),
            p => p.GetProperty("className").GetString() == "io.confluent.connect.jdbc.JdbcSinkConnector" && p.GetProperty("type").GetString() == "sink");

        var dropped = (await server.KsqlAsync("DROP CONNECTOR `users-src`;"))[0];
        Assert.Equal("drop_connector", dropped.GetProperty("@type").GetString());
        Assert.Equal("users-src", dropped.GetProperty("connectorName").GetString());
        var warning = (await server.KsqlAsync("DROP CONNECTOR IF EXISTS `users-src`;"))[0];
        Assert.Equal("warning_entity", warning.GetProperty("@type").GetString());
        var (code, error) = await server.KsqlErrorAsync("DESCRIBE CONNECTOR `users-src`;");
        Assert.Equal(400, code);
        Assert.Contains("does not exist", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Describe_over_http_shows_FAILED_with_the_trace_until_the_database_exists()
    {
        await using var server = await RheiProcess.StartAsync();
        var db = Path.Combine(server.Directory, "later.db");
        await server.KsqlAsync(
            $"CREATE SOURCE CONNECTOR later WITH ('connector.class'='JdbcSource', 'connection.url'='jdbc:sqlite:{db}', 'mode'='bulk', " +
            "'table.whitelist'='t', 'poll.interval.ms'='200');");

        JsonElement status = default;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            status = (await server.KsqlAsync("DESCRIBE CONNECTOR later;"))[0].GetProperty("status");
            if (status.GetProperty("connector").GetProperty("state").GetString() == "FAILED")
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("FAILED", status.GetProperty("connector").GetProperty("state").GetString());
        Assert.Contains(db, status.GetProperty("connector").GetProperty("trace").GetString());

        // The server goes on: other statements run while the connector is failed.
        Assert.Equal("streams", (await server.KsqlAsync("SHOW STREAMS;"))[0].GetProperty("@type").GetString());

        await SqliteAsync(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'x');");
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            status = (await server.KsqlAsync("DESCRIBE CONNECTOR later;"))[0].GetProperty("status");
            if (status.GetProperty("connector").GetProperty("state").GetString() == "RUNNING")
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("RUNNING", status.GetProperty("connector").GetProperty("state").GetString());
        Assert.NotEmpty(Consume(server.BootstrapServers, "t", 1));
    }

    [Fact]
    public async Task Datagen_over_http_writes_records_that_sql_reads()
    {
        await using var server = await RheiProcess.StartAsync();
        var created = (await server.KsqlAsync(
            "CREATE SOURCE CONNECTOR pv WITH ('connector.class'='io.confluent.kafka.connect.datagen.DatagenConnector', " +
            "'kafka.topic'='pageviews', 'quickstart'='pageviews', 'max.interval'='0', 'iterations'='10');"))[0];
        Assert.Equal("connector_info", created.GetProperty("@type").GetString());
        Assert.Equal(10, Consume(server.BootstrapServers, "pageviews", 10).Count);

        await server.KsqlAsync("CREATE STREAM pageviews (viewtime BIGINT, userid STRING, pageid STRING) WITH (kafka_topic='pageviews', value_format='JSON');");
        await server.KsqlAsync("CREATE STREAM pages AS SELECT pageid FROM pageviews EMIT CHANGES;", earliest: true);
        var pages = Consume(server.BootstrapServers, "PAGES", 10);
        Assert.Equal(10, pages.Count);
        Assert.All(pages, p => Assert.StartsWith("Page_", JsonDocument.Parse(p).RootElement.GetProperty("PAGEID").GetString()));
    }
}
