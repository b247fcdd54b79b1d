using Microsoft.Data.Sqlite;
using Rhei.Connect.Runtime;
using Rhei.Connect.Tests.Support;

namespace Rhei.Connect.Tests.Jdbc;

/// <summary>The SQLite source in the modes <see cref="SqliteTests"/> leaves out (bulk, timestamp), and a database file that goes away while the connector runs.</summary>
public sealed class SqliteModeTests : IDisposable
{
    private readonly TempDir _dir = new("rhei-sqlite-modes-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private string DbPath => _dir.File("modes.db");

    private Task ExecAsync(string sql) => SqliteTestDb.ExecAsync(DbPath, sql);

    private Dictionary<string, string> Source(string mode, params (string, string)[] extra) => SqliteTestDb.SourceConfig(DbPath, mode, extra);

    [Fact]
    public async Task Bulk_mode_captures_inserts_and_updates_on_the_next_poll()
    {
        await ExecAsync("CREATE TABLE prices (sku TEXT PRIMARY KEY, price REAL); INSERT INTO prices VALUES ('a', 1.0), ('b', 2.0);");
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("bulk", Source("bulk", ("table.whitelist", "prices"), ("poll.interval.ms", "200")));
        Assert.True((await cluster.ReadAsync("prices", 2)).Count >= 2);

        await ExecAsync("UPDATE prices SET price = 9.5 WHERE sku = 'a'; INSERT INTO prices VALUES ('c', 3.0);");
        // Each poll is a full snapshot: a later one has the new row and the new price.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        List<Message> records;
        do
        {
            records = await cluster.ReadAsync("prices", int.MaxValue, TimeSpan.FromMilliseconds(500));
        }
        while (!records.Any(m => m.Json.GetProperty("sku").GetString() == "c") && DateTime.UtcNow < deadline);

        var snapshot = records.SkipWhile(m => m.Json.GetProperty("sku").GetString() != "a" || m.Json.GetProperty("price").GetDouble() != 9.5).Take(3).ToList();
        Assert.Equal(["a", "b", "c"], snapshot.Select(m => m.Json.GetProperty("sku").GetString()));
        Assert.Equal([9.5, 2.0, 3.0], snapshot.Select(m => m.Json.GetProperty("price").GetDouble()));
    }

    [Fact]
    public async Task Timestamp_mode_captures_inserts_and_updates_with_the_row_time_as_record_time()
    {
        await ExecAsync("""
            CREATE TABLE tickets (id INTEGER PRIMARY KEY, status TEXT, changed DATETIME NOT NULL);
            INSERT INTO tickets VALUES (1, 'open', '2024-03-01 08:00:00'), (2, 'open', '2024-03-01 09:00:00');
            """);
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("ts", Source("timestamp", ("timestamp.column.name", "changed"), ("table.whitelist", "tickets")));

        var records = await cluster.ReadAsync("tickets", 2);
        Assert.Equal(2, records.Count);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), records[0].Timestamp);

        await ExecAsync("UPDATE tickets SET status = 'closed', changed = '2024-03-02 10:00:00' WHERE id = 1; INSERT INTO tickets VALUES (3, 'open', '2024-03-02 11:00:00');");
        records = await cluster.ReadAsync("tickets", 4);
        Assert.Equal(4, records.Count);
        Assert.Equal(["open", "open", "closed", "open"], records.Select(r => r.Json.GetProperty("status").GetString()));
        Assert.Equal([1, 2, 1, 3], records.Select(r => r.Json.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task A_database_file_that_goes_away_fails_the_source_with_the_reason_and_it_recovers_when_it_is_back()
    {
        await ExecAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a');");
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("gone", Source("incrementing", ("incrementing.column.name", "id"), ("table.whitelist", "t")));
        Assert.Single(await cluster.ReadAsync("t", 1));

        var moved = DbPath + ".away";
        SqliteConnection.ClearAllPools();
        File.Move(DbPath, moved);
        var failed = await Eventually.StateAsync(cluster.Runtime, "gone", ConnectorState.Failed);
        Assert.Contains(DbPath, failed.Error);

        File.Move(moved, DbPath);
        await ExecAsync("INSERT INTO t VALUES (2, 'b');");
        await Eventually.StateAsync(cluster.Runtime, "gone", ConnectorState.Running);
        Assert.Equal(["a", "b"], (await cluster.ReadAsync("t", 2)).Select(r => r.Json.GetProperty("v").GetString()));
    }
}
