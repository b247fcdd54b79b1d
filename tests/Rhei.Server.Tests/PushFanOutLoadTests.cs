using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Rhei.Client;

namespace Rhei.Server.Tests;

/// <summary>Push queries sharing a source's reader when a subscriber is slow, when a LIMIT ends inside a read, and when they close while rows flow.</summary>
public sealed class PushFanOutLoadTests
{
    /// <summary>How many rows a push query may have queued before it is ended (the fan-out's SubscriberCapacity).</summary>
    private const int Capacity = 100_000;

    private const string CreateStream = "CREATE STREAM ev (id INT KEY, n BIGINT) WITH (kafka_topic='ev', value_format='JSON', partitions=1);";

    [Fact]
    public async Task A_subscriber_that_does_not_read_is_ended_with_an_error_and_the_others_get_every_row()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        await Http.KsqlAsync(server.Client(HttpVersion.Version11), CreateStream);
        await using var stalled = await server.Server.Queries.StartAsync("SELECT n FROM ev EMIT CHANGES;");
        await using var reading = await server.Server.Queries.StartAsync("SELECT n FROM ev EMIT CHANGES;");
        Assert.Equal(1, server.Server.SharedPushReaders);

        var rows = reading.ReadAsync().GetAsyncEnumerator();
        await using var producer = server.Clients.CreateProducer(new ProducerOptions { ClientId = "test" });
        const int Step = 10_000;
        var total = Capacity + Step;
        long expected = 0;
        for (var sent = 0; sent < total; sent += Step)
        {
            // In steps, each read before the next: the reading subscriber never has much queued, the stalled one all of it.
            for (var i = sent; i < sent + Step; i++)
            {
                producer.Produce(new ProduceRecord("ev", null, Encoding.UTF8.GetBytes($"{{\"N\":{i}}}")));
            }

            await producer.FlushAsync();
            for (var i = sent; i < sent + Step; i++)
            {
                Assert.True(await rows.MoveNextAsync());
                Assert.Equal(expected++, rows.Current.Values[0]);
            }
        }

        long stalledRows = 0;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var row in stalled.ReadAsync())
            {
                Assert.Equal(stalledRows++, row.Values[0]);
            }
        });
        Assert.Contains("fell more than 100000 rows behind", error.Message, StringComparison.Ordinal);
        Assert.InRange(stalledRows, 1, Capacity);

        // The reader goes on for the subscriber that keeps up.
        producer.Produce(new ProduceRecord("ev", null, "{\"N\":-1}"u8.ToArray()));
        await producer.FlushAsync();
        Assert.True(await rows.MoveNextAsync());
        Assert.Equal(-1L, rows.Current.Values[0]);
        await rows.DisposeAsync();
    }

    [Fact]
    public async Task Queries_running_one_statement_get_the_same_rows_in_each_response_format()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        var client = server.Client(HttpVersion.Version11);
        await Http.KsqlAsync(client, CreateStream);
        const string Sql = "SELECT id, n FROM ev EMIT CHANGES LIMIT 4;";
        var delimited = StartAsync(server.Client(HttpVersion.Version11), "/query-stream", new { sql = Sql }, "application/vnd.ksqlapi.delimited.v1");
        var json = StartAsync(server.Client(HttpVersion.Version11), "/query-stream", new { sql = Sql }, "application/json");
        var query = StartAsync(server.Client(HttpVersion.Version11), "/query", new { ksql = Sql }, "application/json");
        var another = StartAsync(server.Client(HttpVersion.Version11), "/query-stream", new { sql = Sql }, "application/vnd.ksqlapi.delimited.v1");
        for (var i = 0; i < 500 && server.Server.RunningQueries.Count < 4; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(4, server.Server.RunningQueries.Count);
        Assert.Equal(1, server.Server.SharedPushReaders);
        await using (var producer = server.Clients.CreateProducer(new ProducerOptions { ClientId = "test", LingerMs = 50 }))
        {
            // Three rows in one batch (one read, one chunk for all four queries), then one more.
            for (var i = 1; i <= 3; i++)
            {
                producer.Produce(new ProduceRecord("ev", null, Encoding.UTF8.GetBytes($"{{\"N\":{i}}}")));
            }

            await producer.FlushAsync();
            producer.Produce(new ProduceRecord("ev", null, "{\"N\":4}"u8.ToArray()));
            await producer.FlushAsync();
        }

        string[] rows = ["[null,1]", "[null,2]", "[null,3]", "[null,4]"];
        foreach (var lines in new[] { await delimited, await another })
        {
            var split = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(rows, split[1..]);
        }

        var array = JsonDocument.Parse(await json).RootElement;
        Assert.Equal(5, array.GetArrayLength());
        Assert.Equal(rows, array.EnumerateArray().Skip(1).Select(r => r.GetRawText()));

        var objects = JsonDocument.Parse(await query).RootElement.EnumerateArray().ToList();
        Assert.Equal(rows, objects.Where(o => o.TryGetProperty("row", out _)).Select(o => o.GetProperty("row").GetProperty("columns").GetRawText()));
        Assert.Equal("Limit Reached", objects[^1].GetProperty("finalMessage").GetString());
    }

    private static async Task<string> StartAsync(HttpClient client, string path, object body, string accept)
    {
        using var request = Http.Request(client, path, Http.Json(body));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_limit_that_ends_inside_one_read_gives_exactly_its_rows()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        await Http.KsqlAsync(server.Client(HttpVersion.Version11), CreateStream);
        await using var limited = await server.Server.Queries.StartAsync("SELECT n FROM ev EMIT CHANGES LIMIT 3;");
        await using var all = await server.Server.Queries.StartAsync("SELECT n FROM ev EMIT CHANGES LIMIT 10;");
        await using (var producer = server.Clients.CreateProducer(new ProducerOptions { ClientId = "test", LingerMs = 50 }))
        {
            for (var i = 0; i < 10; i++)
            {
                producer.Produce(new ProduceRecord("ev", null, Encoding.UTF8.GetBytes($"{{\"N\":{i}}}")));
            }

            await producer.FlushAsync();
        }

        var first = new List<object?>();
        await foreach (var row in limited.ReadAsync())
        {
            first.Add(row.Values[0]);
        }

        var second = new List<object?>();
        await foreach (var row in all.ReadAsync())
        {
            second.Add(row.Values[0]);
        }

        Assert.Equal([0L, 1L, 2L], first);
        Assert.Equal("Limit Reached", limited.CompletionMessage);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (object?)(long)i), second);
    }

    [Fact]
    public async Task Push_queries_closed_while_rows_flow_leave_no_reader_running()
    {
        await using var server = await TestServer.StartWithStorageAsync();
        await Http.KsqlAsync(server.Client(HttpVersion.Version11), CreateStream);
        var clients = Enumerable.Range(0, 12).Select(_ => server.Client(HttpVersion.Version11)).ToArray();
        var queries = new List<(HttpResponseMessage Response, StreamReader Reader, string Id)>();
        foreach (var client in clients)
        {
            var response = await client.SendAsync(
                Http.Request(client, "/query-stream", Http.Json(new { sql = "SELECT id, n FROM ev EMIT CHANGES;" })), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var header = JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement;
            queries.Add((response, reader, header.GetProperty("queryId").GetString()!));
        }

        Assert.Equal(1, server.Server.SharedPushReaders);
        using var stop = new CancellationTokenSource();
        var producing = Task.Run(async () =>
        {
            await using var producer = server.Clients.CreateProducer(new ProducerOptions { ClientId = "test" });
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                for (var k = 0; k < 100; k++, i++)
                {
                    producer.Produce(new ProduceRecord("ev", null, Encoding.UTF8.GetBytes($"{{\"N\":{i}}}")));
                }

                await producer.FlushAsync();
                await Task.Delay(1);
            }
        });

        foreach (var (_, reader, _) in queries)
        {
            Assert.StartsWith("[null,", await reader.ReadLineAsync(), StringComparison.Ordinal); // rows are flowing to each
        }

        // Half are closed by /close-query, half by their clients going away, while the producer goes on.
        for (var q = 0; q < queries.Count; q++)
        {
            var (response, reader, id) = queries[q];
            if (q % 2 == 0)
            {
                var (status, _, _) = await Http.PostAsync(clients[q], "/close-query", new { queryId = id });
                Assert.Equal(HttpStatusCode.OK, status);
            }
            else
            {
                reader.Dispose();
                response.Dispose();
                clients[q].Dispose();
            }
        }

        for (var i = 0; i < 500 && (server.Server.RunningQueries.Count > 0 || server.Server.SharedPushReaders > 0); i++)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await producing;
        Assert.Empty(server.Server.RunningQueries);
        Assert.Equal(0, server.Server.SharedPushReaders);
        foreach (var (response, reader, _) in queries)
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
