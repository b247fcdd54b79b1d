using Microsoft.Data.Sqlite;
using Rhei.Connect.Runtime;
using Rhei.Connect.Tests.Support;

namespace Rhei.Connect.Tests.Jdbc;

public sealed class SqliteTests : IDisposable
{
    private readonly TempDir _dir = new("rhei-sqlite-");

    public void Dispose() => _dir.Dispose();

    private string DbPath => _dir.File("shop.db");

    private Task ExecAsync(string sql, string? path = null) => SqliteTestDb.ExecAsync(path ?? DbPath, sql);

    private List<object?[]> Rows(string sql)
    {
        if (!System.IO.File.Exists(DbPath))
        {
            return [];
        }

        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        try
        {
            using var reader = cmd.ExecuteReader();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            return rows;
        }
        catch (SqliteException e) when (e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return [];
        }
    }

    private Dictionary<string, string> Source(string mode, params (string, string)[] extra) => SqliteTestDb.SourceConfig(DbPath, mode, extra);

    [Fact]
    public async Task Incrementing_source_maps_declared_types_and_keys()
    {
        await ExecAsync("""
            CREATE TABLE purchases (id INTEGER PRIMARY KEY AUTOINCREMENT, country VARCHAR(20), total DECIMAL(10,2), qty BIGINT,
              ratio REAL, paid BOOLEAN, viewtime DATETIME, note TEXT, raw BLOB);
            INSERT INTO purchases (country, total, qty, ratio, paid, viewtime, note, raw) VALUES
              ('usa', 12.5, 3, 0.5, 1, '2024-03-01 12:00:00.250', NULL, x'0A0B'),
              ('fr', 7, 1, 1.25, 0, '2024-03-01 12:00:01', 'hi', NULL);
            """);
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("p", Source("incrementing", ("incrementing.column.name", "id"), ("topic.prefix", "sqlite-"), ("key", "country")));

        var records = await cluster.ReadAsync("sqlite-purchases", 2);
        Assert.Equal(["usa", "fr"], records.Select(r => r.KeyText));
        var usa = records[0].Json;
        Assert.Equal(1, usa.GetProperty("id").GetInt32());
        Assert.Equal("12.50", usa.GetProperty("total").GetRawText());
        Assert.Equal(3, usa.GetProperty("qty").GetInt64());
        Assert.Equal(0.5, usa.GetProperty("ratio").GetDouble());
        Assert.True(usa.GetProperty("paid").GetBoolean());
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 12, 0, 0, 250, TimeSpan.Zero).ToUnixTimeMilliseconds(), usa.GetProperty("viewtime").GetInt64());
        Assert.Equal("Cgs=", usa.GetProperty("raw").GetString());
        Assert.False(records[1].Json.GetProperty("paid").GetBoolean());

        await ExecAsync("INSERT INTO purchases (country, total) VALUES ('de', 1)");
        Assert.Equal(["usa", "fr", "de"], (await cluster.ReadAsync("sqlite-purchases", 3)).Select(r => r.KeyText));
    }

    [Fact]
    public async Task Timestamp_incrementing_source_captures_updates_of_text_and_epoch_timestamps()
    {
        await ExecAsync("""
            CREATE TABLE pageviews (id INTEGER PRIMARY KEY, page TEXT, modified TIMESTAMP NOT NULL);
            INSERT INTO pageviews VALUES (1, 'home', '2024-01-01 10:00:00'), (2, 'cart', 1704103200000);
            """);
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("pv", Source("timestamp+incrementing",
            ("incrementing.column.name", "id"), ("timestamp.column.name", "modified")));

        var records = await cluster.ReadAsync("pageviews", 2);
        Assert.Equal(["home", "cart"], records.Select(r => r.Json.GetProperty("page").GetString()));
        Assert.Equal(1704103200000, records[1].Timestamp);

        await ExecAsync("UPDATE pageviews SET page = 'HOME', modified = '2024-01-01 12:00:00.500' WHERE id = 1");
        records = await cluster.ReadAsync("pageviews", 3);
        Assert.Equal(3, records.Count);
        Assert.Equal("HOME", records[2].Json.GetProperty("page").GetString());
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 12, 0, 0, 500, TimeSpan.Zero).ToUnixTimeMilliseconds(), records[2].Timestamp);
    }

    [Fact]
    public async Task A_missing_database_file_fails_with_the_path_and_the_source_starts_once_it_exists()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("missing", Source("incrementing", ("incrementing.column.name", "id"), ("table.whitelist", "t")));
        var failed = await Eventually.StateAsync(cluster.Runtime, "missing", ConnectorState.Failed);
        Assert.Contains("does not exist", failed.Error);
        Assert.Contains(DbPath, failed.Error);
        Assert.False(System.IO.File.Exists(DbPath));

        await ExecAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'x');");
        await Eventually.StateAsync(cluster.Runtime, "missing", ConnectorState.Running);
        Assert.Single(await cluster.ReadAsync("t", 1));
    }

    [Fact]
    public async Task With_a_zero_retry_timeout_a_failed_connector_waits_for_a_restart()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("once", Source("bulk", ("errors.retry.timeout", "0"), ("poll.interval.ms", "60000")));
        await Eventually.StateAsync(cluster.Runtime, "once", ConnectorState.Failed);
        await ExecAsync("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);");
        await Task.Delay(300);
        Assert.Equal(ConnectorState.Failed, cluster.Runtime.Describe("once").State);

        cluster.Runtime.Restart("once");
        await Eventually.StateAsync(cluster.Runtime, "once", ConnectorState.Running);
        Assert.Single(await cluster.ReadAsync("t", 1));
    }

    [Fact]
    public async Task A_locked_database_fails_the_task_and_it_recovers_when_the_lock_is_released()
    {
        await ExecAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a');");
        await using var cluster = await Cluster.StartAsync();
        var config = Source("incrementing", ("incrementing.column.name", "id"), ("table.whitelist", "t"));
        config["connection.url"] = $"Data Source={DbPath};Default Timeout=1";
        await cluster.Runtime.CreateAsync("locked", config);
        Assert.Single(await cluster.ReadAsync("t", 1));

        await using (var holder = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE; INSERT INTO t VALUES (2, 'b');";
                await begin.ExecuteNonQueryAsync();
            }

            var failed = await Eventually.StateAsync(cluster.Runtime, "locked", ConnectorState.Failed);
            Assert.Contains("locked", failed.Error);
            Assert.Contains("table t", failed.Error);

            await using var commit = holder.CreateCommand();
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }

        await Eventually.StateAsync(cluster.Runtime, "locked", ConnectorState.Running);
        Assert.Equal(["a", "b"], (await cluster.ReadAsync("t", 2)).Select(r => r.Json.GetProperty("v").GetString()));
    }

    [Fact]
    public async Task Sink_upserts_and_deletes_into_an_auto_created_table()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.ProduceAsync("stock", "apple", """{"qty":3,"price":1.5,"updated":"2024-01-01"}""");
        await cluster.ProduceAsync("stock", "pear", """{"qty":1,"price":2.0,"updated":"2024-01-02"}""");
        await cluster.ProduceAsync("stock", "apple", """{"qty":5,"price":1.75,"updated":"2024-01-03"}""");
        await cluster.ProduceAsync("stock", "pear", null);
        await cluster.Runtime.CreateAsync("stock-sink", new Dictionary<string, string>
        {
            ["connector.class"] = "io.confluent.connect.jdbc.JdbcSinkConnector",
            ["connection.url"] = $"jdbc:sqlite:{DbPath}",
            ["topics"] = "stock",
            ["insert.mode"] = "upsert",
            ["pk.mode"] = "record_key",
            ["pk.fields"] = "fruit",
            ["auto.create"] = "true",
            ["delete.enabled"] = "true",
            ["batch.size"] = "2",
        });

        var rows = await Eventually.WaitAsync(() => Rows("SELECT fruit, qty, price, updated FROM stock ORDER BY fruit"),
            r => r.Count == 1 && r[0][1] is 5L, "apple updated and pear deleted");
        Assert.Equal("apple", rows[0][0]);
        Assert.Equal(1.75, rows[0][2]);
        Assert.Equal("2024-01-03", rows[0][3]);
    }
}
