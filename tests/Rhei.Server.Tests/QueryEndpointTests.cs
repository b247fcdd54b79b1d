using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Rhei.Server.Tests;

/// <summary>Pull and push queries over /query, /query-stream and /close-query, on a server with real storage.</summary>
public sealed class QueryEndpointTests
{
    public static IEnumerable<object[]> Versions => TestServer.Versions;

    private const string CreateStream =
        "CREATE STREAM s (id INT KEY, name STRING, amount DOUBLE) WITH (kafka_topic='s', value_format='JSON', partitions=1);";

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Pull_query_on_a_stream_reads_what_is_there(Version version)
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(version);
        await Http.KsqlAsync(client, CreateStream +
            "INSERT INTO s (id, name, amount) VALUES (1, 'a', 1.5); INSERT INTO s (id, name, amount) VALUES (2, 'b', 2.0);");

        var (status, body, response) = await PostRawAsync(client, "/query", new { ksql = "SELECT id, name FROM s WHERE amount > 1.6;" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var array = JsonDocument.Parse(body).RootElement;
        Assert.Equal("`ID` INTEGER, `NAME` STRING", array[0].GetProperty("header").GetProperty("schema").GetString());
        Assert.StartsWith("query_", array[0].GetProperty("header").GetProperty("queryId").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, array.GetArrayLength());
        Assert.Equal("[2,\"b\"]", array[1].GetProperty("row").GetProperty("columns").GetRawText());
        Assert.Equal("Query Completed", array[2].GetProperty("finalMessage").GetString());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Pull_query_on_a_materialized_table_looks_keys_up_and_scans(Version version)
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(version);
        await Http.KsqlAsync(client, CreateStream +
            "CREATE TABLE totals AS SELECT id, COUNT(*) AS n, SUM(amount) AS total FROM s GROUP BY id;" +
            "INSERT INTO s (id, name, amount) VALUES (1, 'a', 1.5); INSERT INTO s (id, name, amount) VALUES (2, 'b', 2.0);" +
            "INSERT INTO s (id, name, amount) VALUES (1, 'c', 3.0);");

        var rows = await EventuallyAsync(client, "SELECT * FROM totals WHERE id = 1;", r => r.Count == 1 && r[0] == "[1,2,4.5]");
        Assert.Equal(["[1,2,4.5]"], rows);
        rows = await EventuallyAsync(client, "SELECT id, total FROM totals;", r => r.Count == 2);
        Assert.Equal(["[1,4.5]", "[2,2.0]"], rows.Order(StringComparer.Ordinal));
        rows = await EventuallyAsync(client, "SELECT id FROM totals WHERE id IN (2, 3);", r => r.Count == 1);
        Assert.Equal(["[2]"], rows);

        var (_, body, _) = await PostRawAsync(client, "/query", new { ksql = "SELECT * FROM totals WHERE id = 1;" });
        Assert.Equal("`ID` INTEGER KEY, `N` BIGINT, `TOTAL` DOUBLE",
            JsonDocument.Parse(body).RootElement[0].GetProperty("header").GetProperty("schema").GetString());
    }

    [Fact]
    public async Task Pull_query_errors_are_statement_errors()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version11);
        await Http.KsqlAsync(client, CreateStream + "CREATE TABLE plain (id INT PRIMARY KEY, v STRING) WITH (kafka_topic='plain', value_format='JSON', partitions=1);");

        var (status, body, _) = await Http.PostAsync(client, "/query", new { ksql = "SELECT * FROM plain;" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("statement_error", body.GetProperty("@type").GetString());
        Assert.StartsWith("The `PLAIN` table isn't queryable.", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        (status, body, _) = await Http.PostAsync(client, "/query", new { ksql = "SELECT * FROM s GROUP BY id;" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("Pull queries don't support GROUP BY clauses.", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        (status, body, _) = await Http.PostAsync(client, "/query", new { ksql = "SELECT * FROM nope;" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("NOPE does not exist", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        (status, body, _) = await Http.PostAsync(client, "/query", new { ksql = "SHOW STREAMS;" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(40001, body.GetProperty("error_code").GetInt32());
        Assert.Contains("/ksql", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        (status, body, _) = await Http.PostAsync(client, "/query", new { ksql = "SELECT * FROM s WHERE;" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("line 1:", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Push_query_from_earliest_with_limit_ends_with_limit_reached(Version version)
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(version);
        await Http.KsqlAsync(client, CreateStream +
            "INSERT INTO s (id, name, amount) VALUES (1, 'a', 1.5); INSERT INTO s (id, name, amount) VALUES (2, 'b', 2.5);");
        var (status, body, _) = await PostRawAsync(client, "/query", new
        {
            ksql = "SELECT name, id FROM s EMIT CHANGES LIMIT 2;",
            streamsProperties = new Dictionary<string, string> { ["auto.offset.reset"] = "earliest" },
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var array = JsonDocument.Parse(body).RootElement;
        Assert.Equal("`NAME` STRING, `ID` INTEGER", array[0].GetProperty("header").GetProperty("schema").GetString());
        Assert.Equal("[\"a\",1]", array[1].GetProperty("row").GetProperty("columns").GetRawText());
        Assert.Equal("[\"b\",2]", array[2].GetProperty("row").GetProperty("columns").GetRawText());
        Assert.Equal("Limit Reached", array[3].GetProperty("finalMessage").GetString());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Query_stream_push_query_sees_new_rows_and_is_closed_by_close_query(Version version)
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(version);
        await Http.KsqlAsync(client, CreateStream);
        using var request = Http.Request(client, "/query-stream", Http.Json(new { sql = "SELECT id, name FROM s WHERE id > 1 EMIT CHANGES;" }));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.ksqlapi.delimited.v1", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var header = JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement;
        var queryId = header.GetProperty("queryId").GetString()!;
        Assert.Equal("[\"ID\",\"NAME\"]", header.GetProperty("columnNames").GetRawText());
        Assert.Equal("[\"INTEGER\",\"STRING\"]", header.GetProperty("columnTypes").GetRawText());

        var inserter = server.Client(version);
        await Http.KsqlAsync(inserter, "INSERT INTO s (id, name, amount) VALUES (1, 'skipped', 0); INSERT INTO s (id, name, amount) VALUES (2, 'kept', 0);");
        Assert.Equal("[2,\"kept\"]", await reader.ReadLineAsync());

        var (status, _, _) = await Http.PostAsync(inserter, "/close-query", new { queryId });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("", (await reader.ReadToEndAsync()).Trim());
        Assert.Empty(server.Server.RunningQueries);

        (status, var error, _) = await Http.PostAsync(inserter, "/close-query", new { queryId });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(40003, error.GetProperty("error_code").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_client_that_goes_away_closes_its_push_query(Version version)
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(version);
        await Http.KsqlAsync(client, CreateStream);
        var request = Http.Request(client, "/query-stream", Http.Json(new { sql = "SELECT * FROM s EMIT CHANGES;" }));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1];
        await stream.ReadExactlyAsync(buffer);
        Assert.Single(server.Server.RunningQueries);

        response.Dispose();
        request.Dispose();
        for (var i = 0; i < 200 && server.Server.RunningQueries.Count > 0; i++)
        {
            await Task.Delay(25);
        }

        Assert.Empty(server.Server.RunningQueries);
    }

    [Fact]
    public async Task Query_stream_in_json_form_is_one_array()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version20);
        await Http.KsqlAsync(client, CreateStream + "INSERT INTO s (id, name, amount) VALUES (7, 'x', 1.0);");
        var (status, body, response) = await PostRawAsync(client, "/query-stream", new { sql = "SELECT * FROM s;" }, accept: "application/json");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var array = JsonDocument.Parse(body).RootElement;
        Assert.False(array[0].TryGetProperty("queryId", out _));
        Assert.Equal("[\"ID\",\"NAME\",\"AMOUNT\"]", array[0].GetProperty("columnNames").GetRawText());
        Assert.Equal("[7,\"x\",1.0]", array[1].GetRawText());
    }

    [Fact]
    public async Task Query_stream_errors()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version20);
        var (status, body, _) = await Http.PostAsync(client, "/query-stream", new { properties = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(40001, body.GetProperty("error_code").GetInt32());

        (status, body, _) = await Http.PostAsync(client, "/query-stream", new { sql = "SELECT * FROM nope EMIT CHANGES;" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("NOPE does not exist", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var malformed = await client.PostAsync("/query-stream", new StringContent("{\"sql\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Aggregating_push_query_runs_on_the_streams_runtime(Version version)
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(version);
        await Http.KsqlAsync(client, CreateStream +
            "INSERT INTO s (id, name, amount) VALUES (1, 'a', 1.0); INSERT INTO s (id, name, amount) VALUES (1, 'b', 2.0);");
        var (status, body, _) = await PostRawAsync(client, "/query", new
        {
            ksql = "SELECT COUNT(*) AS n FROM s GROUP BY id EMIT CHANGES LIMIT 2;",
            streamsProperties = new Dictionary<string, string> { ["auto.offset.reset"] = "earliest" },
        });
        Assert.True(status == HttpStatusCode.OK, body);
        var array = JsonDocument.Parse(body).RootElement;
        Assert.Equal("`N` BIGINT", array[0].GetProperty("header").GetProperty("schema").GetString());
        Assert.Equal("[1]", array[1].GetProperty("row").GetProperty("columns").GetRawText());
        Assert.Equal("[2]", array[2].GetProperty("row").GetProperty("columns").GetRawText());
        Assert.Equal("Limit Reached", array[3].GetProperty("finalMessage").GetString());
        Assert.Empty(server.Server.RunningQueries);
    }

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostRawAsync(HttpClient client, string path, object body, string? accept = null)
    {
        using var request = Http.Request(client, path, Http.Json(body));
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Runs a pull query on /query-stream until its rows satisfy <paramref name="done"/> (persistent queries catch up asynchronously).</summary>
    private static async Task<List<string>> EventuallyAsync(HttpClient client, string sql, Func<List<string>, bool> done)
    {
        List<string> rows = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var (status, body, _) = await PostRawAsync(client, "/query-stream", new { sql });
            Assert.True(status == HttpStatusCode.OK, body);
            rows = [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];
            if (done(rows))
            {
                return rows;
            }

            await Task.Delay(50);
        }

        return rows;
    }
}
