using Rhei.Connect.Tests.Support;

namespace Rhei.Connect.Tests.Jdbc;

/// <summary>Bulk mode against PostgreSQL sees updates and inserts in a later snapshot (the other modes are in <see cref="PostgresSourceTests"/>).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBulkUpdateTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Bulk_mode_captures_updates_and_inserts_in_a_later_snapshot()
    {
        var pg = fixture.Server;
        var db = await pg.CreateDatabaseAsync();
        await pg.ExecuteAsync(db, "CREATE TABLE rates (code TEXT PRIMARY KEY, rate NUMERIC(8,3)); INSERT INTO rates VALUES ('eur', 1.000), ('usd', 1.080);");
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("rates", new Dictionary<string, string>
        {
            ["connector.class"] = "JdbcSource",
            ["connection.url"] = pg.JdbcUrl(db),
            ["mode"] = "bulk",
            ["table.whitelist"] = "rates",
            ["topic.prefix"] = "pg-",
            ["poll.interval.ms"] = "200",
        });
        Assert.True((await cluster.ReadAsync("pg-rates", 2)).Count >= 2);

        await pg.ExecuteAsync(db, "UPDATE rates SET rate = 1.100 WHERE code = 'usd'; INSERT INTO rates VALUES ('gbp', 0.860);");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        List<Message> records;
        do
        {
            records = await cluster.ReadAsync("pg-rates", int.MaxValue, TimeSpan.FromMilliseconds(500));
        }
        while (!records.Any(m => m.Json.GetProperty("code").GetString() == "gbp") && DateTime.UtcNow < deadline);

        var gbp = records.FindIndex(m => m.Json.GetProperty("code").GetString() == "gbp");
        Assert.True(gbp >= 0, "the inserted row never arrived");
        var snapshot = records.Skip(gbp - 2).Take(3).ToList();
        Assert.Equal(["eur", "usd", "gbp"], snapshot.Select(m => m.Json.GetProperty("code").GetString()));
        Assert.Equal(1.1, snapshot[1].Json.GetProperty("rate").GetDouble());
    }
}
