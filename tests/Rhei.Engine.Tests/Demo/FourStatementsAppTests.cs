using Rhei.Engine.Entities;

namespace Rhei.Engine.Tests.Demo;

/// <summary>
/// The statements of <c>examples/four-statements/app.sql</c> after the connector: the captured topics are fed here the
/// way the JDBC source writes them (JSON values, INT keys of customer_id), and the materialized view's changelog is
/// checked against counts computed from the same rows.
/// </summary>
public class FourStatementsAppTests
{
    [Fact]
    public async Task Transform_and_materialize_statements_count_orders_per_country_and_window()
    {
        await using var fx = await EngineFixture.StartAsync();
        var app = AppSql.Load();
        foreach (var statement in app.AfterConnector)
        {
            await fx.Engine.ExecuteAsync(statement);
        }

        var window = 300_000L;
        var t0 = 1_700_000_100_000L - (1_700_000_100_000L % window);
        await fx.ProduceIntKeyAsync("shop_user_profiles", 1, """{"id":1,"customer_id":1,"name":"Ada","country":"usa","updated_at":1000}""", 1000);
        await fx.ProduceIntKeyAsync("shop_user_profiles", 2, """{"id":2,"customer_id":2,"name":"Bo","country":"germany","updated_at":1000}""", 1000);
        await fx.ProduceIntKeyAsync("shop_purchases", 1, $$"""{"id":1,"customer_id":1,"pageid":"checkout","order_total":10.50,"viewtime":{{t0 + 1000}}}""", t0 + 1000);
        await fx.ProduceIntKeyAsync("shop_purchases", 2, $$"""{"id":2,"customer_id":2,"pageid":"checkout","order_total":3.25,"viewtime":{{t0 + 2000}}}""", t0 + 2000);
        await fx.ProduceIntKeyAsync("shop_purchases", 1, $$"""{"id":3,"customer_id":1,"pageid":"checkout","order_total":4.00,"viewtime":{{t0 + 3000}}}""", t0 + 3000);
        await fx.ProduceIntKeyAsync("shop_purchases", 1, $$"""{"id":4,"customer_id":1,"pageid":"checkout","order_total":1.00,"viewtime":{{t0 + window + 5}}}""", t0 + window + 5);

        var purchases = await fx.ReadAsync("PURCHASES", 4);
        Assert.Equal(4, purchases.Count);
        Assert.Contains("\"VIEWED_AT\":\"", purchases[0].Value, StringComparison.Ordinal);

        var changes = await fx.ReadAsync("ORDERS_BY_COUNTRY", 4);
        foreach (var q in fx.Engine.MetaStore.Queries)
        {
            Assert.Null(q.Handle!.Error);
        }

        Assert.Equal(4, changes.Count);
        Assert.Equal("""{"ORDER_COUNT":2,"ORDER_TOTAL":14.50}""", changes[2].Value);
        Assert.Equal(t0 + 3000, changes[2].Timestamp);
        Assert.Equal("""{"ORDER_COUNT":1,"ORDER_TOTAL":1.00}""", changes[3].Value);
    }
}
