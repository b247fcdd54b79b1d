using Rhei.Engine.Entities;
using Rhei.Engine.Metastore;
using Rhei.Sql.Planning;

namespace Rhei.Engine.Tests;

/// <summary>Persistent and push queries on the embedded client: real topics, streams applications, the query lifecycle.</summary>
public class QueryTests
{
    [Fact]
    public async Task Csas_over_an_embedded_topic_writes_the_expected_records()
    {
        await using var fx = await EngineFixture.StartAsync();
        await fx.Engine.ExecuteAsync("CREATE STREAM ORDERS (ID STRING KEY, ITEM STRING, PRICE DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);");
        var results = await fx.Engine.ExecuteAsync("CREATE STREAM EXPENSIVE AS SELECT ID, UCASE(ITEM) AS ITEM, PRICE * 2 AS DOUBLED FROM ORDERS WHERE PRICE > 10;");
        var status = Assert.IsType<CommandStatusEntity>(Assert.Single(results));
        Assert.Equal("CSAS_EXPENSIVE_0", status.QueryId);
        var query = Assert.Single(fx.Engine.MetaStore.Queries);
        Assert.Equal("_confluent-ksql-test_query_CSAS_EXPENSIVE_0", query.ApplicationId);

        await fx.ProduceAsync("orders", "1", """{"ITEM":"pen","PRICE":2.5}""", 1000);
        await fx.ProduceAsync("orders", "2", """{"ITEM":"book","PRICE":12.0}""", 2000);
        await fx.ProduceAsync("orders", "3", """{"ITEM":"lamp","PRICE":30.5}""", 3000);

        var output = await fx.ReadAsync("EXPENSIVE", 2);
        Assert.Null(query.Handle!.Error);
        Assert.Equal(2, output.Count);
        Assert.Equal("""{"ITEM":"BOOK","DOUBLED":24.0}""", output[0].Value);
        Assert.Equal(2000, output[0].Timestamp);
        Assert.Equal("""{"ITEM":"LAMP","DOUBLED":61.0}""", output[1].Value);
        Assert.Equal("`ID` STRING KEY, `ITEM` STRING, `DOUBLED` DOUBLE", fx.Engine.MetaStore.GetSource("EXPENSIVE")!.Schema.ToString());
    }

    [Fact]
    public async Task Ctas_aggregates_and_terminate_stops_the_query()
    {
        await using var fx = await EngineFixture.StartAsync();
        await fx.Engine.ExecuteAsync("CREATE STREAM CLICKS (USERID STRING KEY, PAGE STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);");
        await fx.Engine.ExecuteAsync("CREATE TABLE PER_PAGE AS SELECT PAGE, COUNT(*) AS N FROM CLICKS GROUP BY PAGE;");
        await fx.ProduceAsync("clicks", "u1", """{"PAGE":"home"}""", 1);
        await fx.ProduceAsync("clicks", "u2", """{"PAGE":"home"}""", 2);
        await fx.ProduceAsync("clicks", "u1", """{"PAGE":"about"}""", 3);
        var rows = await fx.ReadAsync("PER_PAGE", 3);
        Assert.Equal(3, rows.Count);
        Assert.Equal(("home", """{"N":2}"""), (rows.Last(r => r.Key == "home").Key, rows.Last(r => r.Key == "home").Value));

        var drop = await Assert.ThrowsAsync<KsqlStatementException>(() => fx.Engine.ExecuteAsync("DROP TABLE PER_PAGE;"));
        Assert.Contains("The following queries write into this source: [CTAS_PER_PAGE_0]", drop.Message, StringComparison.Ordinal);
        var queries = Assert.IsType<QueriesEntity>(Assert.Single(await fx.Engine.ExecuteAsync("SHOW QUERIES;")));
        Assert.Equal("CTAS_PER_PAGE_0", Assert.Single(queries.Queries).Id);

        await fx.Engine.ExecuteAsync("TERMINATE CTAS_PER_PAGE_0;");
        Assert.Empty(fx.Engine.MetaStore.Queries);
        await fx.Engine.ExecuteAsync("DROP TABLE PER_PAGE;");
        Assert.Null(fx.Engine.MetaStore.GetSource("PER_PAGE"));
    }

    [Fact]
    public async Task Pause_and_resume_change_the_query_state()
    {
        await using var fx = await EngineFixture.StartAsync();
        await fx.Engine.ExecuteAsync("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1); CREATE STREAM T AS SELECT * FROM S;");
        var id = Assert.Single(fx.Engine.MetaStore.Queries).Id;
        await fx.Engine.ExecuteAsync($"PAUSE {id};");
        Assert.Equal(QueryState.Paused, fx.Engine.MetaStore.GetQuery(id)!.State);
        await fx.ProduceAsync("s", "a", """{"V":1}""", 10);
        await fx.Engine.ExecuteAsync($"RESUME {id};");
        Assert.Equal(QueryState.Running, fx.Engine.MetaStore.GetQuery(id)!.State);
        var rows = await fx.ReadAsync("T", 1);
        Assert.Equal("""{"V":1}""", Assert.Single(rows).Value);
    }

    [Fact]
    public async Task Insert_values_writes_with_the_source_formats()
    {
        await using var fx = await EngineFixture.StartAsync();
        await fx.Engine.ExecuteAsync("CREATE STREAM S (K STRING KEY, V INT, D DECIMAL(4, 2)) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);");
        await fx.Engine.ExecuteAsync("INSERT INTO S (ROWTIME, K, V, D) VALUES (1234, 'k1', 7, 1.5);");
        var row = Assert.Single(await fx.ReadAsync("s", 1));
        Assert.Equal(("k1", """{"V":7,"D":1.50}""", 1234L), row);
    }

    [Fact]
    public async Task Push_query_streams_rows_until_its_limit()
    {
        await using var fx = await EngineFixture.StartAsync();
        await fx.Engine.ExecuteAsync("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);");
        await fx.ProduceAsync("s", "a", """{"V":1}""", 1);
        await fx.ProduceAsync("s", "b", """{"V":20}""", 2);
        await fx.ProduceAsync("s", "c", """{"V":30}""", 3);
        await using var push = await fx.Engine.StartPushQueryAsync("SELECT K, V * 10 AS X FROM S WHERE V > 5 EMIT CHANGES LIMIT 2;");
        Assert.Equal("`K` STRING KEY, `K` STRING, `X` INTEGER", push.Schema.ToString());
        var rows = new List<QueryRow>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var row in push.ReadAllAsync(cts.Token))
        {
            rows.Add(row);
        }

        Assert.Equal([(object?)"b", 200], rows[0].Values!);
        Assert.Equal([(object?)"c", 300], rows[1].Values!);
    }

    [Fact]
    public async Task Explain_shows_each_stage()
    {
        await using var fx = await EngineFixture.StartAsync();
        await fx.Engine.ExecuteAsync("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);");
        var explain = Assert.IsType<QueryDescriptionEntity>(Assert.Single(await fx.Engine.ExecuteAsync("EXPLAIN CREATE TABLE T AS SELECT K, SUM(V) AS TOTAL FROM S GROUP BY K;")));
        Assert.Contains("AggregateNode", explain.QueryDescription.LogicalPlan, StringComparison.Ordinal);
        Assert.Contains("[ Aggregate ]", explain.QueryDescription.ExecutionPlan, StringComparison.Ordinal);
        Assert.Contains("Sub-topology: 0", explain.QueryDescription.Topology, StringComparison.Ordinal);
    }
}
