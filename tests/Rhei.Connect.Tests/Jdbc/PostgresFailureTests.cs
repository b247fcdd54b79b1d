using Rhei.Connect.Runtime;
using Rhei.Connect.Tests.Support;

namespace Rhei.Connect.Tests.Jdbc;

/// <summary>A database that goes away and comes back. Each test has its own server, since it kills it.</summary>
public sealed class PostgresFailureTests
{
    [Fact]
    public async Task Killing_the_database_fails_the_source_with_the_reason_and_it_recovers_when_the_database_is_back()
    {
        await using var pg = await PostgresServer.CreateAsync();
        var db = await pg.CreateDatabaseAsync();
        await pg.ExecuteAsync(db, "CREATE TABLE ticks (id SERIAL PRIMARY KEY, v TEXT); INSERT INTO ticks (v) VALUES ('a'), ('b');");
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("ticks-src", new Dictionary<string, string>
        {
            ["connector.class"] = "JdbcSource",
            ["connection.url"] = pg.JdbcUrl(db),
            ["mode"] = "incrementing",
            ["incrementing.column.name"] = "id",
            ["table.whitelist"] = "ticks",
            ["poll.interval.ms"] = "100",
        });
        await cluster.Runtime.CreateAsync("other", new Dictionary<string, string>
        {
            ["connector.class"] = "DatagenSource",
            ["quickstart"] = "users",
            ["kafka.topic"] = "users",
            ["max.interval"] = "10",
            ["random.seed"] = "1",
        });
        Assert.Equal(2, (await cluster.ReadAsync("ticks", 2)).Count);

        await pg.KillAsync();
        var failed = await Eventually.StateAsync(cluster.Runtime, "ticks-src", ConnectorState.Failed);
        Assert.Contains($"jdbc:postgresql://127.0.0.1:{pg.Port}/{db}", failed.Error);
        Assert.Contains("Could not", failed.Error);
        Assert.Equal(ConnectorState.Failed, failed.Tasks[0].State);
        Assert.Contains("JdbcException", failed.Tasks[0].Trace);
        // The other connector goes on.
        Assert.Equal(ConnectorState.Running, cluster.Runtime.Describe("other").State);
        var before = (await cluster.ReadAsync("users", 1)).Count;
        Assert.True((await cluster.ReadAsync("users", before + 5)).Count > before);

        await pg.StartAsync();
        await pg.ExecuteAsync(db, "INSERT INTO ticks (v) VALUES ('c');");
        var running = await Eventually.StateAsync(cluster.Runtime, "ticks-src", ConnectorState.Running);
        Assert.Null(running.Tasks[0].Error);
        Assert.True(running.Tasks[0].Restarts > 0);
        var records = await cluster.ReadAsync("ticks", 3);
        Assert.Equal(["a", "b", "c"], records.Select(r => r.Json.GetProperty("v").GetString()));
    }

    [Fact]
    public async Task A_connector_created_while_the_database_is_down_is_failed_and_starts_when_it_is_up()
    {
        await using var pg = await PostgresServer.CreateAsync();
        var db = await pg.CreateDatabaseAsync();
        await pg.ExecuteAsync(db, "CREATE TABLE t (id SERIAL PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('x');");
        await pg.KillAsync();
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("late", new Dictionary<string, string>
        {
            ["connector.class"] = "io.confluent.connect.jdbc.JdbcSourceConnector",
            ["connection.url"] = pg.JdbcUrl(db),
            ["mode"] = "bulk",
            ["poll.interval.ms"] = "60000",
        });
        var failed = await Eventually.StateAsync(cluster.Runtime, "late", ConnectorState.Failed);
        Assert.Equal(ConnectorState.Failed, failed.ConnectorState);
        Assert.Contains("Could not connect to the database", failed.Error);

        await pg.StartAsync();
        await Eventually.StateAsync(cluster.Runtime, "late", ConnectorState.Running);
        Assert.Single(await cluster.ReadAsync("t", 1));
    }

    [Fact]
    public async Task The_sink_fails_while_the_database_is_down_and_writes_everything_once_it_is_back()
    {
        await using var pg = await PostgresServer.CreateAsync();
        var db = await pg.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("sink", new Dictionary<string, string>
        {
            ["connector.class"] = "JdbcSink",
            ["connection.url"] = pg.JdbcUrl(db),
            ["topics"] = "kv",
            ["insert.mode"] = "upsert",
            ["pk.mode"] = "record_key",
            ["pk.fields"] = "k",
            ["auto.create"] = "true",
        });
        await cluster.ProduceAsync("kv", "a", """{"v":1}""");
        await Eventually.WaitAsync(() => CountRows(pg, db), n => n == 1, "the first row");

        await pg.KillAsync();
        await cluster.ProduceAsync("kv", "b", """{"v":2}""");
        await cluster.ProduceAsync("kv", "a", """{"v":3}""");
        var failed = await Eventually.StateAsync(cluster.Runtime, "sink", ConnectorState.Failed);
        Assert.Contains("Could not", failed.Error);

        await pg.StartAsync();
        await Eventually.StateAsync(cluster.Runtime, "sink", ConnectorState.Running);
        var rows = await Eventually.WaitAsync(
            () => pg.Rows(db, "SELECT k, v FROM kv ORDER BY k"),
            r => r.Count == 2 && r[0][1] is 3L, "both rows, a updated");
        Assert.Equal([("a", 3L), ("b", 2L)], rows.Select(r => ((string)r[0]!, (long)r[1]!)));
    }

    private static long CountRows(PostgresServer pg, string db)
    {
        try
        {
            return (long)pg.QueryAsync(db, "SELECT count(*) FROM kv").GetAwaiter().GetResult()[0][0]!;
        }
        catch (Npgsql.PostgresException)
        {
            return 0;
        }
    }
}
