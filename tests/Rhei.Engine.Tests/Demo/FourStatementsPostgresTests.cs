using System.Globalization;
using Rhei.Connect.Tests.Support;
using Rhei.Engine.Queries;

namespace Rhei.Engine.Tests.Demo;

/// <summary>
/// The four-statement app of <c>examples/four-statements/app.sql</c>, end to end, against PostgreSQL (a server of the
/// test's own, started from Debian's binaries): the JDBC source connector captures the shop's tables, the streams
/// transform and aggregate them, and the pull query's answer is compared with counts computed by PostgreSQL from the
/// same rows. Only the connector's <c>connection.url</c> differs from the file.
/// </summary>
public class FourStatementsPostgresTests
{
    private const long Window = 300_000;

    [Fact]
    public async Task Pull_query_answer_matches_the_counts_computed_from_the_database_rows()
    {
        await using var pg = await PostgresServer.CreateAsync();
        var db = await pg.CreateDatabaseAsync();
        await pg.ExecuteAsync(db,
            "CREATE TABLE user_profiles (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, name TEXT NOT NULL, country TEXT NOT NULL, updated_at BIGINT NOT NULL);" +
            "CREATE TABLE purchases (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, pageid TEXT NOT NULL, order_total DECIMAL(10, 2) NOT NULL, viewtime BIGINT NOT NULL);");

        // Windows of event time well in the past, so that every purchase counts however long the test takes.
        var baseTime = 1_750_000_000_000L - (1_750_000_000_000L % Window);
        string[] countries = ["usa", "germany", "japan", "usa", "france"];
        const int customers = 15;
        await pg.ExecuteAsync(db, "INSERT INTO user_profiles VALUES " + string.Join(", ", Enumerable.Range(1, customers).Select(c =>
            $"({c}, {c}, 'customer {c}', '{countries[c % countries.Length]}', {baseTime - 3_600_000})")));

        await using var fx = await EngineFixture.StartAsync();
        var app = AppSql.Load();
        Assert.Contains(AppSql.SqliteUrl, app.Connector, StringComparison.Ordinal);
        await fx.Engine.ExecuteAsync(app.Connector.Replace(AppSql.SqliteUrl, pg.JdbcUrl(db), StringComparison.Ordinal));
        foreach (var statement in app.AfterConnector)
        {
            await fx.Engine.ExecuteAsync(statement);
        }

        // The profiles are in their topic before the first purchase, as in a shop where customers sign up before buying.
        Assert.Equal(customers, (await fx.ReadAsync("shop_user_profiles", customers, TimeSpan.FromSeconds(60))).Count);

        // Purchases over three windows, in two batches (the second arrives while the view is already running), one by
        // a customer without a profile (the LEFT JOIN gives no country, so no group counts it).
        var purchases = Enumerable.Range(1, 90).Select(i => (
            Id: i,
            Customer: i == 45 ? 999 : 1 + (i * 7 % customers),
            Total: (100 + (i * 1237 % 40_000)) / 100m,
            ViewTime: baseTime + (i * 3 * Window / 91))).ToList();
        foreach (var batch in purchases.Chunk(45))
        {
            await pg.ExecuteAsync(db, "INSERT INTO purchases VALUES " + string.Join(", ", batch.Select(p =>
                $"({p.Id}, {p.Customer}, 'checkout_{p.Id % 7}', {p.Total.ToString(CultureInfo.InvariantCulture)}, {p.ViewTime})")));
        }

        var expected = (await pg.QueryAsync(db,
            $"SELECT (p.viewtime / {Window}) * {Window}, COUNT(*), SUM(p.order_total) FROM purchases p " +
            "JOIN user_profiles u ON u.customer_id = p.customer_id WHERE u.country = 'usa' GROUP BY 1 ORDER BY 1"))
            .Select(r => $"{Convert.ToInt64(r[0], CultureInfo.InvariantCulture)} {Convert.ToInt64(r[1], CultureInfo.InvariantCulture)} {Convert.ToDecimal(r[2], CultureInfo.InvariantCulture):0.00}")
            .ToList();
        Assert.Equal(3, expected.Count);

        await using var queries = new QueryService(fx.Engine);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        List<string> answer;
        while (true)
        {
            answer = await PullAsync(queries, app.PullQuery);
            if (answer.SequenceEqual(expected) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        foreach (var q in fx.Engine.MetaStore.Queries)
        {
            Assert.Null(q.Handle!.Error);
        }

        Assert.Equal(expected, answer);
    }

    /// <summary>The pull query's rows as "WINDOWSTART ORDER_COUNT ORDER_TOTAL", in window order.</summary>
    private static async Task<List<string>> PullAsync(QueryService queries, string sql)
    {
        await using var query = await queries.StartAsync(sql);
        var names = query.Columns.Select(c => c.Name).ToList();
        int start = names.IndexOf("WINDOWSTART"), count = names.IndexOf("ORDER_COUNT"), total = names.IndexOf("ORDER_TOTAL");
        Assert.True(start >= 0 && count >= 0 && total >= 0, "columns: " + string.Join(", ", names));
        var rows = new List<(long Start, string Text)>();
        await foreach (var row in query.ReadAsync())
        {
            Assert.Equal("usa", row.Values[names.IndexOf("COUNTRY")]);
            var windowStart = Convert.ToInt64(row.Values[start], CultureInfo.InvariantCulture);
            rows.Add((windowStart, $"{windowStart} {Convert.ToInt64(row.Values[count], CultureInfo.InvariantCulture)} {Convert.ToDecimal(row.Values[total], CultureInfo.InvariantCulture):0.00}"));
        }

        return [.. rows.OrderBy(r => r.Start).Select(r => r.Text)];
    }
}
