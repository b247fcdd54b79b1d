using System.Net;
using System.Text.Json;

namespace Rhei.Server.Tests;

/// <summary>Pull queries on windowed tables, source tables, scans with expressions, and their limits, over /query-stream.</summary>
public sealed class PullQueryTests
{
    private const string CreateStream =
        "CREATE STREAM s (id INT KEY, name STRING, amount DOUBLE) WITH (kafka_topic='s', value_format='JSON', partitions=1);";

    [Fact]
    public async Task Windowed_table_is_read_by_key_and_window_bounds()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version20);
        await Http.KsqlAsync(client, CreateStream +
            "CREATE TABLE per_minute AS SELECT id, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY id;" +
            "INSERT INTO s (ROWTIME, id, name, amount) VALUES (1000, 1, 'a', 1);" +
            "INSERT INTO s (ROWTIME, id, name, amount) VALUES (2000, 1, 'b', 1);" +
            "INSERT INTO s (ROWTIME, id, name, amount) VALUES (61000, 1, 'c', 1);" +
            "INSERT INTO s (ROWTIME, id, name, amount) VALUES (61000, 2, 'd', 1);");

        var rows = await EventuallyAsync(client, "SELECT id, WINDOWSTART, WINDOWEND, n FROM per_minute WHERE id = 1;", r => r.Count == 2 && r.Contains("[1,0,60000,2]"));
        Assert.Equal(["[1,0,60000,2]", "[1,60000,120000,1]"], rows.Order(StringComparer.Ordinal));
        rows = await EventuallyAsync(client, "SELECT id, n FROM per_minute WHERE id = 1 AND WINDOWSTART >= 60000;", r => r.Count == 1);
        Assert.Equal(["[1,1]"], rows);
        rows = await EventuallyAsync(client, "SELECT id, n FROM per_minute WHERE WINDOWEND <= 60000;", r => r.Count == 1);
        Assert.Equal(["[1,2]"], rows);
        rows = await EventuallyAsync(client, "SELECT id FROM per_minute WHERE WINDOWSTART = 60000;", r => r.Count == 2);
        Assert.Equal(["[1]", "[2]"], rows.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Source_table_answers_lookups_scans_expressions_and_limits()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version11);
        await Http.KsqlAsync(client,
            "CREATE SOURCE TABLE users (name STRING PRIMARY KEY, age INT, city STRING) WITH (kafka_topic='users', value_format='JSON', partitions=1);");
        await Http.KsqlAsync(client, "CREATE STREAM users_in (name STRING KEY, age INT, city STRING) WITH (kafka_topic='users', value_format='JSON');" +
            "INSERT INTO users_in (name, age, city) VALUES ('ann', 30, 'Oslo');" +
            "INSERT INTO users_in (name, age, city) VALUES ('bob', 40, 'Rome');" +
            "INSERT INTO users_in (name, age, city) VALUES ('cid', 50, 'Oslo');" +
            "INSERT INTO users_in (name, age, city) VALUES ('bob', 41, 'Rome');");

        var rows = await EventuallyAsync(client, "SELECT * FROM users WHERE name = 'bob';", r => r.Count == 1 && r[0].Contains("41", StringComparison.Ordinal));
        Assert.Equal(["[\"bob\",41,\"Rome\"]"], rows);
        Assert.Equal(["[\"ann\",31]", "[\"cid\",51]"], (await PullAsync(client, "SELECT name, age + 1 AS older FROM users WHERE city = 'Oslo';")).Order(StringComparer.Ordinal));
        Assert.Equal(["[\"bob\"]", "[\"cid\"]"], (await PullAsync(client, "SELECT name FROM users WHERE name > 'ann';")).Order(StringComparer.Ordinal));
        Assert.Equal(["[\"ANN\"]", "[\"CID\"]"], (await PullAsync(client, "SELECT UCASE(name) FROM users WHERE name IN ('ann', 'cid', 'zed');")).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await PullAsync(client, "SELECT * FROM users LIMIT 2;")).Count);
        Assert.Empty(await PullAsync(client, "SELECT * FROM users WHERE name = 'nobody';"));
    }

    [Fact]
    public async Task Pull_query_on_a_stream_with_a_limit_reads_only_that_many()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version20);
        await Http.KsqlAsync(client, CreateStream +
            "INSERT INTO s (id, name, amount) VALUES (1, 'a', 1); INSERT INTO s (id, name, amount) VALUES (2, 'b', 2); INSERT INTO s (id, name, amount) VALUES (3, 'c', 3);");
        Assert.Equal(["[1]", "[2]"], await PullAsync(client, "SELECT id FROM s LIMIT 2;"));
        Assert.Equal(["[\"c\",6.0]"], await PullAsync(client, "SELECT name, amount * 2 FROM s WHERE id = 3;"));
    }

    [Fact]
    public async Task Unsupported_pull_queries_have_ksqldb_messages()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version20);
        await Http.KsqlAsync(client, CreateStream + "CREATE TABLE t AS SELECT id, COUNT(*) AS n FROM s GROUP BY id;");
        (string Sql, string Message)[] cases =
        [
            ("SELECT * FROM t t1 JOIN t t2 ON t1.id = t2.id;", "Pull queries don't support JOIN clauses."),
            ("SELECT COUNT(*) FROM t;", "Pull queries don't support aggregate or table functions in the SELECT clause."),
            ("SELECT * FROM t WHERE id = 1 HAVING n > 1;", "Pull queries don't support HAVING clauses"),
            ("SELECT * FROM s WINDOW TUMBLING (SIZE 1 SECOND);", "Pull queries don't support WINDOW clauses."),
        ];
        foreach (var (sql, message) in cases)
        {
            var (status, body, _) = await Http.PostAsync(client, "/query-stream", new { sql });
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.StartsWith(message, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var (_, error, _) = await Http.PostAsync(client, "/query-stream", new { sql = "SELECT * FROM t WHERE n > 0;", properties = new Dictionary<string, string> { ["ksql.query.pull.table.scan.enabled"] = "false" } });
        Assert.StartsWith("WHERE clause missing key column", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<List<string>> PullAsync(HttpClient client, string sql)
    {
        var (status, body, _) = await Http.PostAsync(client, "/query-stream", new { sql }, accept: "application/json");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return [.. body.EnumerateArray().Skip(1).Select(r => r.GetRawText())];
    }

    private static async Task<List<string>> EventuallyAsync(HttpClient client, string sql, Func<List<string>, bool> done)
    {
        List<string> rows = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            rows = await PullAsync(client, sql);
            if (done(rows))
            {
                return rows;
            }

            await Task.Delay(50);
        }

        return rows;
    }
}
