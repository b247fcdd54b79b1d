using System.Text.Json;
using Rhei.Connect.Plugins;
using Rhei.Connect.Runtime;
using Rhei.Engine.Entities;
using Rhei.Sql.Planning;

namespace Rhei.Engine.Tests.Connect;

/// <summary>CREATE/DROP/SHOW/DESCRIBE CONNECTOR and SHOW CONNECTOR PLUGINS on the engine, with real connectors on an embedded log.</summary>
public sealed class ConnectorStatementTests
{
    private static readonly Dictionary<string, string> s_earliest = new() { [KsqlConfig.AutoOffsetReset] = "earliest" };

    private static string SqliteSource(ConnectEngine fx, string name, string table, string extra = "") =>
        $"CREATE SOURCE CONNECTOR {name} WITH ('connector.class'='io.confluent.connect.jdbc.JdbcSourceConnector', " +
        $"'connection.url'='{fx.JdbcUrl}', 'mode'='incrementing', 'incrementing.column.name'='id', " +
        $"'table.whitelist'='{table}', 'topic.prefix'='sqlite-', 'key'='id', 'poll.interval.ms'='100'{extra});";

    [Fact]
    public async Task A_sqlite_source_feeds_a_stream_that_a_persistent_query_transforms()
    {
        await using var fx = await ConnectEngine.StartAsync();
        await fx.SqliteAsync("""
            CREATE TABLE purchases (id INTEGER PRIMARY KEY AUTOINCREMENT, country TEXT, total REAL);
            INSERT INTO purchases (country, total) VALUES ('usa', 25.5), ('fr', 3), ('de', 12);
            """);

        var created = Assert.IsType<ConnectorInfoEntity>(await fx.ExecuteAsync(SqliteSource(fx, "purchases_src", "purchases")));
        Assert.Equal("PURCHASES_SRC", created.Name);
        Assert.Equal(ConnectorKind.Source, created.Kind);
        Assert.Equal("incrementing", created.Config["mode"]);
        Assert.Equal(3, (await fx.ReadAsync("sqlite-purchases", 3)).Count);

        await fx.ExecuteAsync("CREATE STREAM purchases (id INT KEY, country STRING, total DOUBLE) WITH (kafka_topic='sqlite-purchases', value_format='JSON');");
        await fx.ExecuteAsync("CREATE STREAM big AS SELECT id, UCASE(country) AS country, total FROM purchases WHERE total > 10 EMIT CHANGES;", s_earliest);
        await fx.SqliteAsync("INSERT INTO purchases (country, total) VALUES ('jp', 99), ('it', 1);");

        var output = await fx.ReadAsync("BIG", 3);
        Assert.Equal(["USA", "DE", "JP"], output.Select(r => JsonDocument.Parse(r.Value!).RootElement.GetProperty("COUNTRY").GetString()));

        var list = Assert.IsType<ConnectorListEntity>(await fx.ExecuteAsync("SHOW CONNECTORS;"));
        var info = Assert.Single(list.Connectors);
        Assert.Equal("PURCHASES_SRC", info.Name);
        Assert.Equal("io.confluent.connect.jdbc.JdbcSourceConnector", info.ClassName);
        Assert.Equal("RUNNING (1/1 tasks RUNNING)", info.Summary);
        Assert.Empty(Assert.IsType<ConnectorListEntity>(await fx.ExecuteAsync("SHOW SINK CONNECTORS;")).Connectors);
        Assert.Single(Assert.IsType<ConnectorListEntity>(await fx.ExecuteAsync("LIST SOURCE CONNECTORS;")).Connectors);

        var described = Assert.IsType<ConnectorDescriptionEntity>(await fx.ExecuteAsync("DESCRIBE CONNECTOR purchases_src;"));
        Assert.Equal(ConnectorState.Running, described.Status.State);
        Assert.Equal(["sqlite-purchases"], described.Topics);
        Assert.Equal("PURCHASES", Assert.Single(described.Sources).Name);

        var dropped = Assert.IsType<DropConnectorEntity>(await fx.ExecuteAsync("DROP CONNECTOR purchases_src;"));
        Assert.Equal("PURCHASES_SRC", dropped.ConnectorName);
        Assert.Empty(Assert.IsType<ConnectorListEntity>(await fx.ExecuteAsync("SHOW CONNECTORS;")).Connectors);
        Assert.Contains("does not exist", Assert.IsType<WarningResult>(await fx.ExecuteAsync("DROP CONNECTOR IF EXISTS purchases_src;")).Message);
        var error = await Assert.ThrowsAsync<KsqlStatementException>(() => fx.ExecuteAsync("DROP CONNECTOR purchases_src;"));
        Assert.Contains("PURCHASES_SRC does not exist", error.Message);
        await Assert.ThrowsAsync<KsqlStatementException>(() => fx.ExecuteAsync("DESCRIBE CONNECTOR purchases_src;"));
    }

    [Fact]
    public async Task Datagen_writes_a_quickstart_set_that_SQL_reads_and_plugins_and_errors_are_reported()
    {
        await using var fx = await ConnectEngine.StartAsync();
        const string create = "CREATE SOURCE CONNECTOR users_gen WITH ('connector.class'='DatagenSource', 'kafka.topic'='users', " +
            "'quickstart'='users', 'max.interval'='0', 'iterations'='5', 'random.seed'='7');";
        Assert.IsType<ConnectorInfoEntity>(await fx.ExecuteAsync(create));
        Assert.Equal(5, (await fx.ReadAsync("users", 5)).Count);

        await fx.ExecuteAsync("CREATE STREAM users_s (userid STRING, regionid STRING, gender STRING) WITH (kafka_topic='users', value_format='JSON');");
        await fx.ExecuteAsync("CREATE STREAM named AS SELECT userid, gender FROM users_s WHERE userid LIKE 'User_%' EMIT CHANGES;", s_earliest);
        var rows = await fx.ReadAsync("NAMED", 5);
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.StartsWith("User_", JsonDocument.Parse(r.Value!).RootElement.GetProperty("USERID").GetString()));

        var again = "CREATE SOURCE CONNECTOR IF NOT EXISTS users_gen WITH ('connector.class'='DatagenSource', 'kafka.topic'='users', 'quickstart'='users');";
        Assert.Contains("already exists", Assert.IsType<WarningResult>(await fx.ExecuteAsync(again)).Message);
        var duplicate = await Assert.ThrowsAsync<KsqlStatementException>(() => fx.ExecuteAsync(create));
        Assert.Contains("already exists", duplicate.Message);

        var plugins = Assert.IsType<ConnectorPluginsListEntity>(await fx.ExecuteAsync("SHOW CONNECTOR PLUGINS;"));
        Assert.Contains(plugins.Plugins, p => p.ClassName == "io.confluent.kafka.connect.datagen.DatagenConnector" && p.Kind == ConnectorKind.Source);
        Assert.Contains(plugins.Plugins, p => p.ClassName == "io.confluent.connect.jdbc.JdbcSinkConnector" && p.Kind == ConnectorKind.Sink);

        var wrongKind = await Assert.ThrowsAsync<KsqlStatementException>(() =>
            fx.ExecuteAsync("CREATE SINK CONNECTOR g WITH ('connector.class'='DatagenSource', 'kafka.topic'='x', 'quickstart'='users');"));
        Assert.Contains("CREATE SOURCE CONNECTOR", wrongKind.Message);
        var missing = await Assert.ThrowsAsync<KsqlStatementException>(() => fx.ExecuteAsync("CREATE SOURCE CONNECTOR nothing WITH ('mode'='bulk');"));
        Assert.Contains("Missing required configuration \"connector.class\"", missing.Message);
    }

    [Fact]
    public async Task Describe_shows_FAILED_with_the_error_while_the_database_is_missing_and_RUNNING_once_it_is_there()
    {
        await using var fx = await ConnectEngine.StartAsync();
        Assert.IsType<ConnectorInfoEntity>(await fx.ExecuteAsync(SqliteSource(fx, "orders_src", "orders")));

        var failed = await fx.DescribeUntilAsync("orders_src", s => s.State == ConnectorState.Failed, "FAILED");
        Assert.Contains(fx.DbPath, failed.Status.Error);
        Assert.Contains("FAILED", Assert.Single(Assert.IsType<ConnectorListEntity>(await fx.ExecuteAsync("SHOW CONNECTORS;")).Connectors).Summary);

        await fx.SqliteAsync("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT); INSERT INTO orders VALUES (1, 'book');");
        var running = await fx.DescribeUntilAsync("orders_src",
            s => s.State == ConnectorState.Running && s.Tasks.Count > 0 && s.Tasks.All(t => t.State == ConnectorState.Running), "RUNNING");
        Assert.Null(running.Status.Error);
        Assert.Single(await fx.ReadAsync("sqlite-orders", 1));
    }

    [Fact]
    public async Task Replaying_CREATE_CONNECTOR_after_a_restart_resumes_from_the_stored_offsets()
    {
        await using var fx = await ConnectEngine.StartAsync();
        await fx.SqliteAsync("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items VALUES (1, 'a'), (2, 'b');");
        var statement = SqliteSource(fx, "items_src", "items");
        await fx.ExecuteAsync(statement);
        Assert.Equal(2, (await fx.ReadAsync("sqlite-items", 2)).Count);

        // The restarted engine replays CREATE CONNECTOR from the command topic; nobody runs it again.
        await fx.RestartAsync();
        Assert.Single(Assert.IsType<ConnectorListEntity>(await fx.ExecuteAsync("SHOW CONNECTORS;")).Connectors);
        await fx.SqliteAsync("INSERT INTO items VALUES (3, 'c');");
        Assert.Equal(3, (await fx.ReadAsync("sqlite-items", 3)).Count);
        await fx.SqliteAsync("INSERT INTO items VALUES (4, 'd');");

        // Had the connector started over, rows 1 and 2 would come again before 4.
        var names = (await fx.ReadAsync("sqlite-items", 4)).Select(r => JsonDocument.Parse(r.Value!).RootElement.GetProperty("name").GetString());
        Assert.Equal(["a", "b", "c", "d"], names);
    }

    [Fact]
    public async Task A_sink_connector_writes_a_stream_into_sqlite()
    {
        await using var fx = await ConnectEngine.StartAsync();
        await fx.ExecuteAsync("CREATE STREAM orders (id INT KEY, item STRING, qty INT) WITH (kafka_topic='orders', value_format='JSON', partitions=1);");
        await fx.ExecuteAsync("INSERT INTO orders (id, item, qty) VALUES (1, 'book', 2);");
        await fx.ExecuteAsync("INSERT INTO orders (id, item, qty) VALUES (2, 'pen', 10);");

        var created = Assert.IsType<ConnectorInfoEntity>(await fx.ExecuteAsync(
            $"CREATE SINK CONNECTOR orders_sink WITH ('connector.class'='JdbcSink', 'connection.url'='{fx.JdbcUrl}', 'topics'='orders', " +
            "'auto.create'='true', 'insert.mode'='insert');"));
        Assert.Equal(ConnectorKind.Sink, created.Kind);
        Assert.Single(Assert.IsType<ConnectorListEntity>(await fx.ExecuteAsync("SHOW SINK CONNECTORS;")).Connectors);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        long count = 0;
        while (count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            count = await CountAsync(fx.DbPath, "orders");
        }

        Assert.Equal(2, count);
    }

    private static async Task<long> CountAsync(string path, string table)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        try
        {
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0;
        }
    }
}
