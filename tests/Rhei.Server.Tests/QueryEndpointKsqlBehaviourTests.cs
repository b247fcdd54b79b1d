using System.Net;
using System.Text.Json;

namespace Rhei.Server.Tests;

/// <summary>
/// Behaviour of /query and /ksql that ksqlDB's REST query-translation tests check: pull queries on streams end with a
/// final message, the messages of rejected pull queries, INSERT VALUES and CREATE ... AS SELECT errors, and the names
/// of a push join's qualified pseudo columns.
/// </summary>
public sealed class QueryEndpointKsqlBehaviourTests
{
    private const string CreateStream =
        "CREATE STREAM s (id INT KEY, name STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);";

    [Fact]
    public async Task Pull_query_on_a_stream_ends_with_query_completed_or_limit_reached()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version11);
        await Http.KsqlAsync(client, CreateStream +
            "INSERT INTO s (id, name) VALUES (1, 'a'); INSERT INTO s (id, name) VALUES (2, 'b'); INSERT INTO s (id, name) VALUES (3, 'c');");

        var all = await QueryAsync(client, "SELECT * FROM s;");
        Assert.Equal(3, all.Count(e => e.TryGetProperty("row", out _)));
        Assert.Equal("Query Completed", all[^1].GetProperty("finalMessage").GetString());

        var limited = await QueryAsync(client, "SELECT * FROM s LIMIT 2;");
        Assert.Equal(2, limited.Count(e => e.TryGetProperty("row", out _)));
        Assert.Equal("Limit Reached", limited[^1].GetProperty("finalMessage").GetString());

        var none = await QueryAsync(client, "SELECT * FROM s LIMIT 0;");
        Assert.Equal(2, none.Count);
        Assert.True(none[0].TryGetProperty("header", out _));
        Assert.Equal("Limit Reached", none[1].GetProperty("finalMessage").GetString());

        var beyond = await QueryAsync(client, "SELECT * FROM s LIMIT 10;");
        Assert.Equal(3, beyond.Count(e => e.TryGetProperty("row", out _)));
        Assert.Equal("Query Completed", beyond[^1].GetProperty("finalMessage").GetString());
    }

    [Fact]
    public async Task Rejected_pull_queries_say_why_in_ksqlDB_words()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version11);
        await Http.KsqlAsync(client, CreateStream +
            "CREATE STREAM other (id INT KEY, v STRING) WITH (kafka_topic='other', value_format='JSON', partitions=1);" +
            "CREATE TABLE counts AS SELECT id, COUNT(*) AS n FROM s GROUP BY id;" +
            "CREATE TABLE names AS SELECT name, COUNT(*) AS n FROM s GROUP BY name;" +
            "CREATE TABLE plain (id INT PRIMARY KEY, v STRING) WITH (kafka_topic='plain', value_format='JSON', partitions=1);");

        var syntax = await ErrorAsync(client, "SELECT * FROM s ORDER BY id;");
        Assert.Matches(@"^line 1:\d+: Syntax Error\n\nStatement: SELECT \* FROM s ORDER BY id;$", syntax);
        Assert.Equal(
            "Pull queries don't support JOIN clauses. See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.",
            await ErrorAsync(client, "SELECT * FROM s JOIN other WITHIN 1 SECOND ON s.id = other.id;"));
        Assert.Equal(
            "Error in WHERE expression: Cannot compare ID (INTEGER) to '10' (STRING) with EQUAL.\nStatement: (ID = '10')",
            await ErrorAsync(client, "SELECT * FROM counts WHERE id = '10';"));
        Assert.Equal("'10' can not be converted to the type of the key column: ID INTEGER KEY", await ErrorAsync(client, "SELECT * FROM counts WHERE id IN ('10', 8);"));
        Assert.StartsWith("Invalid expression: Cannot compare NAME (STRING) to 10 (INTEGER) with GREATER_THAN_OR_EQUAL",
            await ErrorAsync(client, "SELECT * FROM names WHERE name BETWEEN 10 AND 'x';"), StringComparison.Ordinal);
        Assert.Equal("The column type for Like condition must be VARCHAR. The column type is INTEGER", await ErrorAsync(client, "SELECT * FROM counts WHERE id LIKE 12;"));
        Assert.StartsWith("Like condition must be between strings",
            await ErrorAsync(client, "SELECT * FROM counts WHERE '1' LIKE '1';", new Dictionary<string, object> { ["ksql.query.pull.table.scan.enabled"] = false }), StringComparison.Ordinal);
        Assert.Equal("Duplicate value columns found in schema: `V` STRING", await ErrorAsync(client, "SELECT v, v FROM plain WHERE id = 1;"));

        Assert.Equal("Bound on key columns '[`ID` INTEGER KEY]' must currently be '='. ",
            await ErrorAsync(client, "SELECT * FROM counts WHERE id != 1;", new Dictionary<string, object> { ["ksql.query.pull.table.scan.enabled"] = false }));
        Assert.StartsWith("Query requires table scan to be enabled",
            await ErrorAsync(client, "SELECT * FROM names WHERE name <= 'a' OR name >= 'c';", new Dictionary<string, object> { ["ksql.query.pull.table.scan.enabled"] = false }),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insert_values_and_create_as_select_reject_what_ksqlDB_rejects()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version11);
        await Http.KsqlAsync(client, CreateStream);

        Assert.Equal("Failed to prepare statement: Expected number columns and values to match: 2, 1", await KsqlErrorAsync(client, "INSERT INTO s (id, name) VALUES (1);"));
        Assert.Equal("Inserting into column `ROWPARTITION` is not allowed.", await KsqlErrorAsync(client, "INSERT INTO s (id, ROWPARTITION) VALUES (1, 0);"));
        Assert.Equal("Inserting into column `ROWOFFSET` is not allowed.", await KsqlErrorAsync(client, "INSERT INTO s (id, ROWOFFSET) VALUES (1, 0);"));
        Assert.Equal("CREATE STREAM AS SELECT statements don't support LIMIT clause.", await KsqlErrorAsync(client, "CREATE STREAM copy AS SELECT * FROM s LIMIT 5;"));
        Assert.Equal("CREATE TABLE AS SELECT statements don't support LIMIT clause.", await KsqlErrorAsync(client, "CREATE TABLE t AS SELECT id, COUNT(*) AS n FROM s GROUP BY id LIMIT 5;"));
    }

    [Fact]
    public async Task Push_join_names_qualified_pseudo_columns_after_their_source()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version11);
        await Http.KsqlAsync(client, CreateStream + "CREATE STREAM other (id INT KEY, v STRING) WITH (kafka_topic='other', value_format='JSON', partitions=1);");

        using var request = Http.Request(client, "/query", Http.Json(new { ksql = "SELECT s.id, s.ROWTIME, other.ROWTIME, other.ROWOFFSET FROM s JOIN other WITHIN 1 MINUTE ON s.id = other.id EMIT CHANGES;" }));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The header is the array's first element; its line ends only when the next element comes, so read it by braces.
        var text = new System.Text.StringBuilder();
        var buffer = new char[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!text.ToString().Contains("}}", StringComparison.Ordinal))
        {
            var read = await reader.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "the response ended before its header");
            text.Append(buffer, 0, read);
        }

        var all = text.ToString();
        var header = Http.Parse(all[1..(all.IndexOf("}}", StringComparison.Ordinal) + 2)]);
        Assert.Equal("`S_ID` INTEGER, `S_ROWTIME` BIGINT, `OTHER_ROWTIME` BIGINT, `OTHER_ROWOFFSET` BIGINT", header.GetProperty("header").GetProperty("schema").GetString());
    }

    [Fact]
    public async Task Push_aggregate_without_group_by_keeps_one_running_result_and_limit_0_ends_at_once()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version11);
        await Http.KsqlAsync(client, CreateStream + "INSERT INTO s (id, name) VALUES (1, 'a'); INSERT INTO s (id, name) VALUES (2, 'b');");

        var totals = await QueryAsync(client, "SELECT SUM(id) AS total, COUNT(*) AS n FROM s EMIT CHANGES LIMIT 2;", new Dictionary<string, object> { ["auto.offset.reset"] = "earliest" });
        Assert.Equal("`TOTAL` INTEGER, `N` BIGINT", totals[0].GetProperty("header").GetProperty("schema").GetString());
        Assert.Equal(["[1,1]", "[3,2]"], totals.Where(e => e.TryGetProperty("row", out _)).Select(e => e.GetProperty("row").GetProperty("columns").GetRawText()));
        Assert.Equal("Limit Reached", totals[^1].GetProperty("finalMessage").GetString());

        var none = await QueryAsync(client, "SELECT * FROM s EMIT CHANGES LIMIT 0;", new Dictionary<string, object> { ["auto.offset.reset"] = "earliest" });
        Assert.Equal(2, none.Count);
        Assert.Equal("`ID` INTEGER, `NAME` STRING", none[0].GetProperty("header").GetProperty("schema").GetString());
        Assert.Equal("Limit Reached", none[1].GetProperty("finalMessage").GetString());
    }

    [Fact]
    public async Task Window_bounds_in_an_aggregation_where_and_foreign_key_joins_of_windowed_tables_are_rejected()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version11);
        await Http.KsqlAsync(client, CreateStream +
            "CREATE TABLE l (k STRING PRIMARY KEY, f1 STRING) WITH (kafka_topic='l', value_format='JSON', partitions=1, WINDOW_TYPE='Tumbling', WINDOW_SIZE='1 SECOND');" +
            "CREATE TABLE r (k STRING PRIMARY KEY, id INT) WITH (kafka_topic='r', value_format='JSON', partitions=1, WINDOW_TYPE='Tumbling', WINDOW_SIZE='1 SECOND');");

        Assert.Equal("Error in WHERE expression: Unknown column WINDOWSTART.",
            await ErrorAsync(client, "SELECT COUNT(*) FROM s WINDOW TUMBLING (SIZE 1 SECOND) WHERE WINDOWSTART > 1000 GROUP BY id EMIT CHANGES;"));
        Assert.Equal("Foreign-key table-table joins are not supported on windowed tables.",
            await ErrorAsync(client, "SELECT * FROM l JOIN r ON l.f1 = r.k EMIT CHANGES;"));
    }

    private static async Task<List<JsonElement>> QueryAsync(HttpClient client, string ksql, object streamsProperties)
    {
        var (status, body, _) = await Http.PostAsync(client, "/query", new { ksql, streamsProperties });
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.EnumerateArray()];
    }

    private static async Task<List<JsonElement>> QueryAsync(HttpClient client, string ksql)
    {
        var (status, body, _) = await Http.PostAsync(client, "/query", new { ksql });
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.EnumerateArray()];
    }

    private static async Task<string> ErrorAsync(HttpClient client, string ksql, object? streamsProperties = null)
    {
        var (status, body, _) = await Http.PostAsync(client, "/query", new { ksql, streamsProperties = streamsProperties ?? new Dictionary<string, object>() });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        return body.GetProperty("message").GetString()!;
    }

    private static async Task<string> KsqlErrorAsync(HttpClient client, string ksql)
    {
        var (status, body, _) = await Http.PostAsync(client, "/ksql", new { ksql });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        return body.GetProperty("message").GetString()!;
    }
}
