using System.Text.Json;
using Rhei.Connect.Runtime;
using Rhei.Connect.Tests.Support;

namespace Rhei.Connect.Tests.Jdbc;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSourceTests(PostgresFixture fixture)
{
    private PostgresServer Pg => fixture.Server;

    private Dictionary<string, string> SourceConfig(string db, string mode, params (string, string)[] extra)
    {
        var config = new Dictionary<string, string>
        {
            ["connector.class"] = "io.confluent.connect.jdbc.JdbcSourceConnector",
            ["connection.url"] = Pg.JdbcUrl(db),
            ["mode"] = mode,
            ["topic.prefix"] = "pg-",
            ["poll.interval.ms"] = "100",
        };
        foreach (var (k, v) in extra)
        {
            config[k] = v;
        }

        return config;
    }

    [Fact]
    public async Task Incrementing_mode_captures_inserts_with_keys_and_types()
    {
        var db = await Pg.CreateDatabaseAsync();
        await Pg.ExecuteAsync(db, """
            CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT NOT NULL, age INT, balance NUMERIC(10,2), score DOUBLE PRECISION,
              active BOOLEAN, born DATE, created TIMESTAMP, photo BYTEA, big BIGINT, small SMALLINT);
            INSERT INTO users (name, age, balance, score, active, born, created, photo, big, small) VALUES
              ('alice', 30, 12.50, 1.5, true, '1994-05-01', '2024-01-02 03:04:05.678', '\x0102', 9000000000, 7),
              ('bob', NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL);
            """);
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("users-src", SourceConfig(db, "incrementing", ("incrementing.column.name", "id"), ("table.whitelist", "users"), ("key", "id")));

        var records = await cluster.ReadAsync("pg-users", 2);
        Assert.Equal(2, records.Count);
        var alice = records[0].Json;
        Assert.Equal(1, alice.GetProperty("id").GetInt32());
        Assert.Equal("alice", alice.GetProperty("name").GetString());
        Assert.Equal(30, alice.GetProperty("age").GetInt32());
        Assert.Equal("12.50", alice.GetProperty("balance").GetRawText());
        Assert.Equal(1.5, alice.GetProperty("score").GetDouble());
        Assert.True(alice.GetProperty("active").GetBoolean());
        Assert.Equal(new DateOnly(1994, 5, 1).DayNumber - new DateOnly(1970, 1, 1).DayNumber, alice.GetProperty("born").GetInt32());
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero).ToUnixTimeMilliseconds(), alice.GetProperty("created").GetInt64());
        Assert.Equal("AQI=", alice.GetProperty("photo").GetString());
        Assert.Equal(9000000000L, alice.GetProperty("big").GetInt64());
        Assert.Equal(7, alice.GetProperty("small").GetInt32());
        // The key is the id in the KAFKA format of an INT: 4 bytes big-endian.
        Assert.Equal(new byte[] { 0, 0, 0, 1 }, records[0].Key);
        Assert.Equal(new byte[] { 0, 0, 0, 2 }, records[1].Key);
        Assert.Equal(JsonValueKind.Null, records[1].Json.GetProperty("age").ValueKind);

        await Pg.ExecuteAsync(db, "INSERT INTO users (name) VALUES ('carol'); UPDATE users SET name = 'alicia' WHERE id = 1;");
        records = await cluster.ReadAsync("pg-users", 3);
        Assert.Equal(["alice", "bob", "carol"], records.Select(r => r.Json.GetProperty("name").GetString()));
        var status = cluster.Runtime.Describe("users-src");
        Assert.Equal(ConnectorState.Running, status.State);
        Assert.Contains("pg-users", status.Topics);
    }

    [Fact]
    public async Task Bulk_mode_reads_the_whole_table_each_poll()
    {
        var db = await Pg.CreateDatabaseAsync();
        await Pg.ExecuteAsync(db, "CREATE TABLE codes (code INT, label TEXT); INSERT INTO codes VALUES (1, 'one'), (2, 'two');");
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("bulk", SourceConfig(db, "bulk", ("table.include.list", "codes"), ("poll.interval.ms", "200")));

        var records = await cluster.ReadAsync("pg-codes", 6);
        Assert.True(records.Count >= 6);
        Assert.Equal(["one", "two", "one", "two", "one", "two"], records.Take(6).Select(r => r.Json.GetProperty("label").GetString()));
        Assert.All(records, r => Assert.Null(r.Key));
    }

    [Fact]
    public async Task Timestamp_mode_captures_inserts_and_updates_with_the_row_time_as_record_time()
    {
        var db = await Pg.CreateDatabaseAsync();
        await Pg.ExecuteAsync(db, """
            CREATE TABLE orders (id INT PRIMARY KEY, status TEXT, updated_at TIMESTAMP NOT NULL);
            INSERT INTO orders VALUES (1, 'new', '2024-01-01 10:00:00'), (2, 'new', '2024-01-01 10:00:01');
            """);
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("ts", SourceConfig(db, "timestamp", ("timestamp.column.name", "updated_at"), ("table.whitelist", "orders")));

        var records = await cluster.ReadAsync("pg-orders", 2);
        Assert.Equal(2, records.Count);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), records[0].Timestamp);

        await Pg.ExecuteAsync(db, "UPDATE orders SET status = 'shipped', updated_at = '2024-01-01 11:00:00' WHERE id = 1");
        records = await cluster.ReadAsync("pg-orders", 3);
        Assert.Equal(3, records.Count);
        Assert.Equal(1, records[2].Json.GetProperty("id").GetInt32());
        Assert.Equal("shipped", records[2].Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Timestamp_incrementing_mode_captures_rows_sharing_a_timestamp_and_updates()
    {
        var db = await Pg.CreateDatabaseAsync();
        await Pg.ExecuteAsync(db, """
            CREATE TABLE events (id SERIAL PRIMARY KEY, what TEXT, modified TIMESTAMPTZ NOT NULL);
            INSERT INTO events (what, modified) VALUES ('a', '2024-01-01 10:00:00+00'), ('b', '2024-01-01 10:00:00+00');
            """);
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("tsinc", SourceConfig(db, "timestamp+incrementing",
            ("timestamp.column.name", "modified"), ("incrementing.column.name", "id"), ("table.whitelist", "events"), ("batch.max.rows", "1")));

        var records = await cluster.ReadAsync("pg-events", 2);
        Assert.Equal(["a", "b"], records.Select(r => r.Json.GetProperty("what").GetString()));

        // Same timestamp, higher id: still captured; an update moves the timestamp forward: captured again.
        await Pg.ExecuteAsync(db, "INSERT INTO events (what, modified) VALUES ('c', '2024-01-01 10:00:00+00'); UPDATE events SET what = 'A', modified = '2024-01-01 12:00:00+00' WHERE id = 1;");
        records = await cluster.ReadAsync("pg-events", 4);
        Assert.Equal(["a", "b", "c", "A"], records.Select(r => r.Json.GetProperty("what").GetString()));
        Assert.Equal(4, records.Count);
    }

    [Fact]
    public async Task A_restart_resumes_from_the_stored_offsets_without_duplicates()
    {
        var db = await Pg.CreateDatabaseAsync();
        await Pg.ExecuteAsync(db, "CREATE TABLE items (id SERIAL PRIMARY KEY, name TEXT); INSERT INTO items (name) SELECT 'item' || g FROM generate_series(1, 25) g;");
        await using var cluster = await Cluster.StartAsync();
        var config = SourceConfig(db, "incrementing", ("incrementing.column.name", "id"), ("table.whitelist", "items"), ("batch.max.rows", "10"));
        await cluster.Runtime.CreateAsync("items-src", config);
        Assert.Equal(25, (await cluster.ReadAsync("pg-items", 25)).Count);

        await cluster.RestartRuntimeAsync();
        await Pg.ExecuteAsync(db, "INSERT INTO items (name) VALUES ('late1'), ('late2');");
        await cluster.Runtime.CreateAsync("items-src", config);
        await Eventually.StateAsync(cluster.Runtime, "items-src", ConnectorState.Running);
        var records = await cluster.ReadAsync("pg-items", 27);
        // Wait for a few more polls: nothing else may come.
        await Task.Delay(500);
        records = await cluster.ReadAsync("pg-items", 27);
        Assert.Equal(27, records.Count);
        Assert.Equal(Enumerable.Range(1, 27), records.Select(r => r.Json.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task Query_mode_with_incrementing_filters_the_query()
    {
        var db = await Pg.CreateDatabaseAsync();
        await Pg.ExecuteAsync(db, """
            CREATE TABLE customers (id INT PRIMARY KEY, country TEXT);
            CREATE TABLE purchases (id SERIAL PRIMARY KEY, customer INT, amount NUMERIC(8,2));
            INSERT INTO customers VALUES (1, 'usa'), (2, 'fr');
            INSERT INTO purchases (customer, amount) VALUES (1, 10), (2, 20.5);
            """);
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("q", SourceConfig(db, "incrementing",
            ("query", "SELECT p.id, c.country, p.amount FROM purchases p JOIN customers c ON c.id = p.customer"),
            ("incrementing.column.name", "id"), ("topic.prefix", "purchases_enriched"), ("key", "country")));

        var records = await cluster.ReadAsync("purchases_enriched", 2);
        Assert.Equal(["usa", "fr"], records.Select(r => r.KeyText));
        Assert.Equal("20.50", records[1].Json.GetProperty("amount").GetRawText());
    }

    [Fact]
    public async Task The_SMT_pair_sets_the_key_and_converters_change_the_bytes()
    {
        var db = await Pg.CreateDatabaseAsync();
        await Pg.ExecuteAsync(db, "CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT); INSERT INTO t VALUES (42, 'x');");
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("smt", SourceConfig(db, "incrementing",
            ("incrementing.column.name", "id"), ("table.whitelist", "t"),
            ("transforms", "createKey,extractKey"),
            ("transforms.createKey.type", "org.apache.kafka.connect.transforms.ValueToKey"),
            ("transforms.createKey.fields", "id"),
            ("transforms.extractKey.type", "org.apache.kafka.connect.transforms.ExtractField$Key"),
            ("transforms.extractKey.field", "id"),
            ("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
            ("value.converter", "org.apache.kafka.connect.json.JsonConverter"),
            ("value.converter.schemas.enable", "true")));

        var record = Assert.Single(await cluster.ReadAsync("pg-t", 1));
        Assert.Equal("42", record.KeyText);
        var json = record.Json;
        Assert.Equal("struct", json.GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("int64", json.GetProperty("schema").GetProperty("fields")[0].GetProperty("type").GetString());
        Assert.Equal(42, json.GetProperty("payload").GetProperty("id").GetInt64());
    }
}
