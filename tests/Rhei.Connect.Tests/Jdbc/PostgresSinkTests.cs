using Rhei.Connect.Runtime;
using Rhei.Connect.Tests.Support;

namespace Rhei.Connect.Tests.Jdbc;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSinkTests(PostgresFixture fixture)
{
    private PostgresServer Pg => fixture.Server;

    private Dictionary<string, string> SinkConfig(string db, string topic, params (string, string)[] extra)
    {
        var config = new Dictionary<string, string>
        {
            ["connector.class"] = "JdbcSink",
            ["connection.url"] = Pg.JdbcUrl(db),
            ["topics"] = topic,
        };
        foreach (var (k, v) in extra)
        {
            config[k] = v;
        }

        return config;
    }

    [Fact]
    public async Task Upserts_by_record_key_auto_creates_the_table_and_deletes_on_tombstones()
    {
        var db = await Pg.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync();
        await cluster.ProduceAsync("customers", "c1", """{"NAME":"Ada","CREDIT":10.5,"VISITS":3,"VIP":true}""");
        await cluster.ProduceAsync("customers", "c2", """{"NAME":"Bruno","CREDIT":1,"VISITS":1,"VIP":false}""");
        await cluster.ProduceAsync("customers", "c1", """{"NAME":"Ada L.","CREDIT":12.5,"VISITS":4,"VIP":true}""");
        await cluster.ProduceAsync("customers", "c2", null);
        await cluster.ProduceAsync("customers", "c3", """{"NAME":"Carmen","CREDIT":null,"VISITS":7,"VIP":false}""");
        await cluster.Runtime.CreateAsync("customers-sink", SinkConfig(db, "customers",
            ("insert.mode", "upsert"), ("pk.mode", "record_key"), ("pk.fields", "ID"), ("auto.create", "true"), ("delete.enabled", "true")),
            expectedKind: Rhei.Connect.Plugins.ConnectorKind.Sink);

        var rows = await Eventually.WaitAsync(
            () => Pg.Rows(db, "SELECT \"ID\", \"NAME\", \"CREDIT\", \"VISITS\", \"VIP\" FROM customers ORDER BY \"ID\""),
            r => r.Count == 2 && (string?)r[1][1] == "Carmen", "the sink to write the table", TimeSpan.FromSeconds(30));
        Assert.Equal("c1", rows[0][0]);
        Assert.Equal("Ada L.", rows[0][1]);
        Assert.Equal(12.5, rows[0][2]);
        Assert.Equal(4L, rows[0][3]);
        Assert.Equal(true, rows[0][4]);
        Assert.Null(rows[1][2]);

        // The table was created with a primary key on the key column.
        var pk = await Pg.QueryAsync(db, """
            SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = 'customers'::regclass AND i.indisprimary
            """);
        Assert.Equal("ID", Assert.Single(pk)[0]);

        // Consumer offsets are committed after the write: more records continue from there.
        await cluster.ProduceAsync("customers", "c3", """{"NAME":"Carmen R.","CREDIT":2,"VISITS":8,"VIP":true}""");
        await Eventually.WaitAsync(
            () => Pg.Rows(db, "SELECT \"NAME\" FROM customers WHERE \"ID\" = 'c3'"),
            r => r.Count == 1 && (string?)r[0][0] == "Carmen R.", "the update of c3");
        var status = cluster.Runtime.Describe("customers-sink");
        Assert.Equal(ConnectorState.Running, status.State);
        Assert.Equal(6, status.Tasks.Sum(t => t.Records));
    }

    [Fact]
    public async Task Inserts_into_an_existing_table_with_schema_envelopes_and_typed_columns()
    {
        var db = await Pg.CreateDatabaseAsync();
        await Pg.ExecuteAsync(db, "CREATE TABLE readings (sensor INT PRIMARY KEY, temp NUMERIC(5,2), at TIMESTAMPTZ, day DATE)");
        await using var cluster = await Cluster.StartAsync();
        const string envelope = """
            {"schema":{"type":"struct","fields":[
              {"type":"int32","optional":false,"field":"sensor"},
              {"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"temp"},
              {"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"at"},
              {"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","version":1,"field":"day"}],"optional":false},
             "payload":{"sensor":7,"temp":"CSk=","at":1704067200000,"day":19723}}
            """;
        await cluster.ProduceAsync("readings", null, envelope);
        await cluster.Runtime.CreateAsync("readings-sink", SinkConfig(db, "readings",
            ("value.converter", "org.apache.kafka.connect.json.JsonConverter"), ("value.converter.schemas.enable", "true")));

        var rows = await Eventually.WaitAsync(
            () => Pg.Rows(db, "SELECT sensor, temp, at, day FROM readings"), r => r.Count == 1, "the insert");
        Assert.Equal(7, rows[0][0]);
        Assert.Equal(23.45m, rows[0][1]);
        Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), ((DateTime)rows[0][2]!).ToUniversalTime());
        Assert.Equal(new DateOnly(2024, 1, 1), rows[0][3]);
    }

    [Fact]
    public async Task Record_value_keys_and_auto_evolve_add_columns()
    {
        var db = await Pg.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync();
        await cluster.ProduceAsync("products", null, """{"sku":"A1","name":"Bike"}""");
        await cluster.ProduceAsync("products", null, """{"sku":"A1","name":"Road bike","price":999.5}""");
        await cluster.Runtime.CreateAsync("products-sink", SinkConfig(db, "products",
            ("insert.mode", "upsert"), ("pk.mode", "record_value"), ("pk.fields", "sku"), ("auto.create", "true"), ("auto.evolve", "true"),
            ("table.name.format", "shop_${topic}")));

        var rows = await Eventually.WaitAsync(
            () => Pg.Rows(db, "SELECT to_regclass('shop_products') IS NOT NULL")[0][0] is true
                ? Pg.QueryAsync(db, "SELECT sku, name, price FROM shop_products").GetAwaiter().GetResult()
                : [],
            r => r.Count == 1 && r[0][2] is not null, "the upsert with the new column");
        Assert.Equal("Road bike", rows[0][1]);
        Assert.Equal(999.5, rows[0][2]);
    }

    [Fact]
    public async Task A_missing_table_without_auto_create_fails_the_task_with_the_reason()
    {
        var db = await Pg.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync();
        await cluster.ProduceAsync("nowhere", null, """{"a":1}""");
        await cluster.Runtime.CreateAsync("nowhere-sink", SinkConfig(db, "nowhere"));
        var status = await Eventually.StateAsync(cluster.Runtime, "nowhere-sink", ConnectorState.Failed);
        Assert.Contains("Table nowhere is missing", status.Error);
        Assert.Contains("auto.create", status.Error);
        Assert.NotNull(status.Tasks[0].Trace);
    }
}
