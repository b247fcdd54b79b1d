using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Rhei.Server.Tests;

/// <summary>Push queries sharing one read of their source, and /inserts-stream, over real HTTP.</summary>
public sealed class PushFanOutAndInsertsTests
{
    public static IEnumerable<object[]> Versions => TestServer.Versions;

    private const string CreateStream =
        "CREATE STREAM s (id INT KEY, name STRING, amount DOUBLE) WITH (kafka_topic='s', value_format='JSON', partitions=2);";

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Concurrent_push_queries_on_one_source_share_one_reader_and_each_apply_their_own_filter(Version version)
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(version);
        await Http.KsqlAsync(client, CreateStream);

        var queries = new List<(HttpResponseMessage Response, StreamReader Reader, string Id)>();
        string[] sqls =
        [
            "SELECT id, name FROM s EMIT CHANGES;",
            "SELECT name FROM s WHERE amount > 10 EMIT CHANGES;",
            "SELECT id * 2 AS twice FROM s WHERE id = 3 EMIT CHANGES LIMIT 1;",
        ];
        foreach (var sql in sqls)
        {
            var response = await client.SendAsync(
                Http.Request(client, "/query-stream", Http.Json(new { sql })), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var header = JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement;
            queries.Add((response, reader, header.GetProperty("queryId").GetString()!));
        }

        Assert.Equal(3, server.Server.RunningQueries.Count);
        Assert.Equal(1, server.Server.SharedPushReaders);

        await Http.KsqlAsync(client,
            "INSERT INTO s (id, name, amount) VALUES (1, 'small', 1); INSERT INTO s (id, name, amount) VALUES (3, 'big', 20);");
        var all = new[] { await queries[0].Reader.ReadLineAsync(), await queries[0].Reader.ReadLineAsync() };
        Assert.Equal(["[1,\"small\"]", "[3,\"big\"]"], all.Order(StringComparer.Ordinal));
        Assert.Equal("[\"big\"]", await queries[1].Reader.ReadLineAsync());
        Assert.Equal("[6]", await queries[2].Reader.ReadLineAsync());
        Assert.Equal("", (await queries[2].Reader.ReadToEndAsync()).Trim()); // LIMIT 1 reached: the response ends

        foreach (var (_, _, id) in queries.Take(2))
        {
            var (status, _, _) = await Http.PostAsync(client, "/close-query", new { queryId = id });
            Assert.Equal(HttpStatusCode.OK, status);
        }

        Assert.Equal("", (await queries[0].Reader.ReadToEndAsync()).Trim());
        Assert.Equal("", (await queries[1].Reader.ReadToEndAsync()).Trim());
        Assert.Empty(server.Server.RunningQueries);
        Assert.Equal(0, server.Server.SharedPushReaders);
        foreach (var (response, reader, _) in queries)
        {
            reader.Dispose();
            response.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Push_query_on_a_table_streams_its_changes(Version version)
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(version);
        await Http.KsqlAsync(client, CreateStream + "CREATE TABLE totals AS SELECT id, SUM(amount) AS total FROM s GROUP BY id;");
        using var response = await client.SendAsync(
            Http.Request(client, "/query-stream", Http.Json(new { sql = "SELECT id, total FROM totals WHERE total > 2 EMIT CHANGES;" })),
            HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var header = JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement;
        Assert.Equal("[\"ID\",\"TOTAL\"]", header.GetProperty("columnNames").GetRawText());

        await Http.KsqlAsync(client, "INSERT INTO s (id, name, amount) VALUES (5, 'a', 1.5);");
        await Http.KsqlAsync(client, "INSERT INTO s (id, name, amount) VALUES (5, 'b', 1.5);");
        Assert.Equal("[5,3.0]", await reader.ReadLineAsync());
        var (status, _, _) = await Http.PostAsync(client, "/close-query", new { queryId = header.GetProperty("queryId").GetString() });
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Inserts_stream_acks_each_row_and_reports_bad_rows(Version version)
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(version);
        await Http.KsqlAsync(client, CreateStream);

        var body = "{\"target\":\"s\"}\n{\"ID\":1,\"NAME\":\"a\",\"AMOUNT\":1.5}\n{\"ID\":2,\"NAME\":\"b\",\"AMOUNT\":\"not a number\"}\n{\"id\":3,\"name\":\"c\"}\n";
        using var request = Http.Request(client, "/inserts-stream", new StringContent(body, Encoding.UTF8, "application/vnd.ksqlapi.delimited.v1"));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Acks come as rows are stored or rejected, so not necessarily in order: match them by seq.
        var acks = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).OrderBy(a => a.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(3, acks.Count);
        Assert.Equal([0L, 1L, 2L], acks.Select(a => a.GetProperty("seq").GetInt64()));
        Assert.Equal(["ok", "error", "ok"], acks.Select(a => a.GetProperty("status").GetString()));
        Assert.True(acks[1].GetProperty("error_code").GetInt32() >= 40000);

        var (status, text, _) = await PostRawAsync(client, "/query", new { ksql = "SELECT id, name FROM s;" });
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = JsonDocument.Parse(text).RootElement.EnumerateArray().Where(r => r.TryGetProperty("row", out _))
            .Select(r => r.GetProperty("row").GetProperty("columns").GetRawText()).Order(StringComparer.Ordinal);
        Assert.Equal(["[1,\"a\"]", "[3,\"c\"]"], rows);
    }

    [Fact]
    public async Task Inserts_stream_to_an_unknown_stream_is_an_error()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version20);
        using var request = Http.Request(client, "/inserts-stream", new StringContent("{\"target\":\"nope\"}\n{\"A\":1}\n", Encoding.UTF8, "application/json"));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("NOPE", error.GetProperty("message").GetString()!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Inserts_stream_acks_while_the_request_is_still_open_over_http2()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version20);
        await Http.KsqlAsync(client, CreateStream);
        var body = new DuplexContent("application/vnd.ksqlapi.delimited.v1");
        using var request = Http.Request(client, "/inserts-stream", body);
        await body.SendAsync("{\"target\":\"s\"}\n{\"ID\":1,\"NAME\":\"a\",\"AMOUNT\":1.5}\n");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement;
        Assert.Equal(("ok", 0L), (first.GetProperty("status").GetString(), first.GetProperty("seq").GetInt64()));

        await body.SendAsync("{\"ID\":2,\"NAME\":\"b\",\"AMOUNT\":2.5}\n");
        var second = JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement;
        Assert.Equal(("ok", 1L), (second.GetProperty("status").GetString(), second.GetProperty("seq").GetInt64()));
        body.Complete();
        Assert.Equal("", (await reader.ReadToEndAsync()).Trim());
    }

    /// <summary>A request body written piece by piece while the response is read, each piece flushed (as ksqlDB's clients stream inserts).</summary>
    private sealed class DuplexContent : HttpContent
    {
        private readonly System.Threading.Channels.Channel<byte[]> _pieces = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();

        public DuplexContent(string mediaType) => Headers.ContentType = new MediaTypeHeaderValue(mediaType);

        public ValueTask SendAsync(string text) => _pieces.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

        public void Complete() => _pieces.Writer.Complete();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await foreach (var piece in _pieces.Reader.ReadAllAsync())
            {
                await stream.WriteAsync(piece);
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostRawAsync(HttpClient client, string path, object body)
    {
        using var request = Http.Request(client, path, Http.Json(body));
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }
}
