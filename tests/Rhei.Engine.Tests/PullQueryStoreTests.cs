using System.Text;
using Rhei.Client;
using Rhei.Client.Embedded;
using Rhei.Engine.Queries;
using Rhei.Storage;
using Rhei.Streams.State;

namespace Rhei.Engine.Tests;

/// <summary>
/// Where pull queries read tables: a CTAS table from its persistent query's own store (no consumer of the sink topic,
/// restored from the sink topic after a restart), a source table from a materialization of its topic; prepared pull
/// queries are dropped when their table is dropped and created again.
/// </summary>
public sealed class PullQueryStoreTests : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rhei-pullstore-" + Guid.NewGuid().ToString("N"));
    private LogManager? _log;
    private EmbeddedClientFactory? _clients;

    [Fact]
    public async Task Ctas_pull_queries_read_the_query_store_without_materializing_the_topic()
    {
        await using var engine = await StartEngineAsync();
        await using var queries = new QueryService(engine);
        await engine.ExecuteAsync("""
            CREATE STREAM CLICKS (USERID STRING KEY, PAGE STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=2);
            CREATE TABLE PER_PAGE AS SELECT PAGE, COUNT(*) AS N FROM CLICKS GROUP BY PAGE;
            """);
        await ProduceAsync("clicks", "u1", """{"PAGE":"home"}""", 1);
        await ProduceAsync("clicks", "u2", """{"PAGE":"home"}""", 2);
        await ProduceAsync("clicks", "u3", """{"PAGE":"about"}""", 3);

        Assert.Equal(["[about, 1]", "[home, 2]"], (await EventuallyAsync(queries, "SELECT PAGE, N FROM PER_PAGE;", r => r.Order(StringComparer.Ordinal).SequenceEqual(["[about, 1]", "[home, 2]"]))).Order(StringComparer.Ordinal));
        Assert.Equal(["[home, 2]"], await PullAsync(queries, "SELECT * FROM PER_PAGE WHERE PAGE = 'home';"));
        Assert.Equal(["[home]"], await PullAsync(queries, "SELECT PAGE FROM PER_PAGE WHERE N > 1;"));
        Assert.Empty(await PullAsync(queries, "SELECT * FROM PER_PAGE WHERE PAGE = 'nowhere';"));

        var store = Assert.IsType<TopicTableStore>(Assert.Single(engine.MetaStore.Queries).Handle!.OutputStore);
        Assert.Equal(2, store.Count);
        Assert.Equal(0, queries.MaterializedTableCount);
    }

    [Fact]
    public async Task Source_table_pull_queries_read_a_materialization_of_the_topic()
    {
        await using var engine = await StartEngineAsync();
        await using var queries = new QueryService(engine);
        await engine.ExecuteAsync("CREATE SOURCE TABLE USERS (ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', KEY_FORMAT='JSON', PARTITIONS=1);");
        await ProduceAsync("users", "1", """{"NAME":"ann"}""", 1);
        Assert.Equal(["[1, ann]"], await EventuallyAsync(queries, "SELECT * FROM USERS WHERE ID = 1;", r => r.Count == 1));
        Assert.Equal(1, queries.MaterializedTableCount);
    }

    [Fact]
    public async Task Windowed_ctas_lookups_return_every_window_of_the_key_with_its_bounds()
    {
        await using var engine = await StartEngineAsync();
        await using var queries = new QueryService(engine);
        await engine.ExecuteAsync("""
            CREATE STREAM S (ID INT KEY, NAME STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
            CREATE TABLE PER_MINUTE AS SELECT ID, COUNT(*) AS N FROM S WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY ID;
            """);
        await ProduceIntKeyAsync("s", 1, """{"NAME":"a"}""", 1000);
        await ProduceIntKeyAsync("s", 1, """{"NAME":"b"}""", 2000);
        await ProduceIntKeyAsync("s", 1, """{"NAME":"c"}""", 61000);
        await ProduceIntKeyAsync("s", 2, """{"NAME":"d"}""", 61000);

        Assert.Equal(
            ["[1, 0, 60000, 2]", "[1, 60000, 120000, 1]"],
            await EventuallyAsync(queries, "SELECT ID, WINDOWSTART, WINDOWEND, N FROM PER_MINUTE WHERE ID = 1;", r => r is [_, "[1, 60000, 120000, 1]"] && r[0] == "[1, 0, 60000, 2]"));
        Assert.Equal(["[1, 1]"], await PullAsync(queries, "SELECT ID, N FROM PER_MINUTE WHERE ID = 1 AND WINDOWSTART >= 60000;"));
        Assert.Equal(["[1]", "[2]"], (await EventuallyAsync(queries, "SELECT ID FROM PER_MINUTE WHERE WINDOWSTART = 60000;", r => r.Count == 2)).Order(StringComparer.Ordinal));
        Assert.Equal(0, queries.MaterializedTableCount);
    }

    [Fact]
    public async Task A_prepared_pull_query_is_replanned_when_its_table_is_dropped_and_created_again()
    {
        await using var engine = await StartEngineAsync();
        await using var queries = new QueryService(engine);
        await engine.ExecuteAsync("CREATE SOURCE TABLE T (ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t1', VALUE_FORMAT='JSON', KEY_FORMAT='JSON', PARTITIONS=1);");
        await ProduceAsync("t1", "1", """{"NAME":"ann"}""", 1);
        const string sql = "SELECT * FROM T WHERE ID = 1;";
        Assert.Equal(["[1, ann]"], await EventuallyAsync(queries, sql, r => r.Count == 1));
        Assert.Equal(1, queries.PreparedPullCount);

        await engine.ExecuteAsync("DROP TABLE T;");
        await engine.ExecuteAsync("CREATE SOURCE TABLE T (ID INT PRIMARY KEY, AGE INT) WITH (KAFKA_TOPIC='t2', VALUE_FORMAT='JSON', KEY_FORMAT='JSON', PARTITIONS=1);");
        await ProduceAsync("t2", "1", """{"AGE":42}""", 1);
        Assert.Equal(["[1, 42]"], await EventuallyAsync(queries, sql, r => r.Count == 1));
        await using var query = await queries.StartAsync(sql);
        Assert.Equal(["ID", "AGE"], query.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task Lookups_that_differ_only_in_their_key_literal_answer_each_key()
    {
        await using var engine = await StartEngineAsync();
        await using var queries = new QueryService(engine);
        await engine.ExecuteAsync("CREATE SOURCE TABLE USERS (NAME STRING PRIMARY KEY, AGE INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA', PARTITIONS=1);");
        await ProduceAsync("users", "ann", """{"AGE":30}""", 1);
        await ProduceAsync("users", "bob", """{"AGE":40}""", 2);
        await ProduceAsync("users", "ANN", """{"AGE":50}""", 3);
        Assert.Equal(["[ann, 30]"], await EventuallyAsync(queries, "SELECT * FROM USERS WHERE NAME = 'ann';", r => r.Count == 1));
        Assert.Equal(["[bob, 40]"], await PullAsync(queries, "SELECT * FROM USERS WHERE NAME = 'bob';"));
        Assert.Equal(["[ANN, 50]"], await PullAsync(queries, "SELECT * FROM USERS WHERE NAME = 'ANN';"));
        Assert.Empty(await PullAsync(queries, "SELECT * FROM USERS WHERE NAME = 'nobody';"));
        Assert.Equal(1, queries.PreparedPullCount); // one plan, run with each key
        Assert.Equal(["[40]"], await PullAsync(queries, "SELECT AGE FROM USERS WHERE 'bob' = NAME;"));
        Assert.Equal(["[30]"], await PullAsync(queries, "SELECT AGE FROM USERS WHERE 'ann' = NAME;"));

        // A key computed from the literal is not a lookup of the literal: each such text is planned on its own.
        Assert.Equal(["[ANN, 50]"], await PullAsync(queries, "SELECT * FROM USERS WHERE NAME = UCASE('ann');"));
        Assert.Equal(["[ann, 30]"], await PullAsync(queries, "SELECT * FROM USERS WHERE NAME = LCASE('ANN');"));
        Assert.Equal(["[ann, 30]"], await PullAsync(queries, "SELECT * FROM USERS WHERE NAME = LCASE('Ann');"));
    }

    [Fact]
    public async Task After_a_restart_the_ctas_store_is_restored_from_the_sink_topic()
    {
        var engine = await StartEngineAsync();
        await using (engine)
        {
            await using var queries = new QueryService(engine);
            await engine.ExecuteAsync("""
                CREATE STREAM CLICKS (USERID STRING KEY, PAGE STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE TABLE PER_PAGE AS SELECT PAGE, COUNT(*) AS N FROM CLICKS GROUP BY PAGE;
                """);
            for (var i = 0; i < 5; i++)
            {
                await ProduceAsync("clicks", "u" + i, i % 2 == 0 ? """{"PAGE":"home"}""" : """{"PAGE":"shop"}""", i);
            }

            await EventuallyAsync(queries, "SELECT * FROM PER_PAGE;", r => r.Order(StringComparer.Ordinal).SequenceEqual(["[home, 3]", "[shop, 2]"]));
        }

        await using var restarted = await StartEngineAsync(reopenStorage: true);
        await using var after = new QueryService(restarted);
        // The store comes back from the sink topic before the first pull query answers: no new input is needed.
        Assert.Equal(["[home, 3]", "[shop, 2]"], (await PullAsync(after, "SELECT * FROM PER_PAGE;")).Order(StringComparer.Ordinal));
        Assert.Equal(["[shop, 2]"], await PullAsync(after, "SELECT * FROM PER_PAGE WHERE PAGE = 'shop';"));
        Assert.Equal(0, after.MaterializedTableCount);

        await ProduceAsync("clicks", "u9", """{"PAGE":"shop"}""", 9);
        Assert.Equal(["[shop, 3]"], await EventuallyAsync(after, "SELECT * FROM PER_PAGE WHERE PAGE = 'shop';", r => r is ["[shop, 3]"]));
    }

    private async Task<RheiEngine> StartEngineAsync(bool reopenStorage = false)
    {
        if (reopenStorage && _log is not null)
        {
            await _log.DisposeAsync();
            _log = null;
        }

        if (_log is null)
        {
            _log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [Path.Combine(_dir, "log")], RunBackgroundTasks = false });
            _clients = new EmbeddedClientFactory(_log, new EmbeddedClientOptions { AutoCreateTopics = false });
        }

        var engine = new RheiEngine(new RheiEngineOptions
        {
            ServiceId = "test_",
            ClientFactory = _clients,
            StateDirectory = Path.Combine(_dir, "state"),
            Properties = new Dictionary<string, string> { ["commit.interval.ms"] = "100" },
        });
        await engine.StartAsync();
        return engine;
    }

    private async Task ProduceAsync(string topic, string key, string value, long timestamp)
    {
        await using var producer = _clients!.CreateProducer(new ProducerOptions());
        await producer.ProduceAsync(new ProduceRecord(topic, Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), Timestamp: timestamp));
    }

    private async Task ProduceIntKeyAsync(string topic, int key, string value, long timestamp)
    {
        var keyBytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(keyBytes, key);
        await using var producer = _clients!.CreateProducer(new ProducerOptions());
        await producer.ProduceAsync(new ProduceRecord(topic, keyBytes, Encoding.UTF8.GetBytes(value), Timestamp: timestamp));
    }

    private static async Task<List<string>> PullAsync(QueryService queries, string sql)
    {
        await using var query = await queries.StartAsync(sql);
        return [.. query.ImmediateRows!.Select(r => "[" + string.Join(", ", r.Values) + "]")];
    }

    /// <summary>Pull queries read what the store holds now: asks again until the persistent query has caught up.</summary>
    private static async Task<List<string>> EventuallyAsync(QueryService queries, string sql, Func<List<string>, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var rows = await PullAsync(queries, sql);
            if (done(rows) || timeout.IsCancellationRequested)
            {
                return rows;
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
