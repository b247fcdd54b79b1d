using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Rhei.Client;

namespace Rhei.Server.Tests.Console;

/// <summary>The console's JSON API and static files on a real server: what the browser reads.</summary>
public sealed class ConsoleApiTests
{
    [Fact]
    public async Task The_page_and_its_assets_are_served_with_types_and_etags()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var page = await server.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<script type=\"module\" src=\"/assets/app.js\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-cache", page.Headers.CacheControl!.ToString());
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var etag = page.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, "/index.html");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await server.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        foreach (var (path, type) in new[] { ("/assets/app.js", "text/javascript"), ("/assets/app.css", "text/css"), ("/assets/views/sql.js", "text/javascript"), ("/assets/lib/chart.js", "text/javascript"), ("/assets/favicon.svg", "image/svg+xml") })
        {
            using var asset = await server.Http.GetAsync(path);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"{path}: {(int)asset.StatusCode}");
            Assert.Equal(type, asset.Content.Headers.ContentType!.MediaType);
        }

        using var missing = await server.Http.GetAsync("/assets/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Page_loads_nothing_from_other_origins()
    {
        await using var server = await ConsoleServer.StartAsync();
        foreach (var path in new[] { "/", "/assets/app.js", "/assets/app.css", "/assets/lib/dom.js", "/assets/lib/chart.js", "/assets/views/overview.js", "/assets/views/topics.js", "/assets/views/topic.js", "/assets/views/groups.js", "/assets/views/sql.js" })
        {
            var text = await server.Http.GetStringAsync(path);
            // The only absolute URL allowed is the SVG namespace, which is a name, not a fetch.
            var urls = System.Text.RegularExpressions.Regex.Matches(text, "https?://[^\\s'\"`)]+").Select(m => m.Value).Where(u => u != "http://www.w3.org/2000/svg").ToList();
            Assert.True(urls.Count == 0, $"{path} names {string.Join(", ", urls)}");
        }
    }

    [Fact]
    public async Task Overview_reports_throughput_counts_and_queries()
    {
        await using var server = await ConsoleServer.StartAsync();
        await server.KsqlAsync("CREATE STREAM clicks (id INT KEY, page STRING, ms BIGINT) WITH (kafka_topic='clicks', value_format='JSON', partitions=2);");
        await server.KsqlAsync("CREATE STREAM long_clicks AS SELECT id, page, ms FROM clicks WHERE ms > 100;");
        await server.ProduceAsync("clicks", Enumerable.Range(0, 50).Select(i => ((string?)null, (string?)$"{{\"PAGE\":\"/p{i}\",\"MS\":{i * 10}}}")));

        var overview = await ConsoleServer.EventuallyAsync(() => server.GetJsonAsync("/api/console/overview"),
            o => o.GetProperty("throughput").GetProperty("bytesIn").EnumerateArray().Any(v => v.GetDouble() > 0), "bytes in per second above zero");
        Assert.False(string.IsNullOrEmpty(overview.GetProperty("server").GetProperty("serviceId").GetString()));
        Assert.True(overview.GetProperty("server").GetProperty("embeddedBroker").GetBoolean());
        var totals = overview.GetProperty("totals");
        Assert.Equal(2, totals.GetProperty("streams").GetInt32());
        Assert.Equal(1, totals.GetProperty("queries").GetInt32());
        Assert.True(totals.GetProperty("partitions").GetInt32() >= 2);
        Assert.True(overview.GetProperty("throughput").GetProperty("recordsIn").EnumerateArray().Sum(v => v.GetDouble()) > 0);

        var query = Assert.Single(overview.GetProperty("queries").EnumerateArray());
        Assert.StartsWith("CSAS_LONG_CLICKS", query.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("RUNNING", query.GetProperty("state").GetString());
        Assert.Equal("LONG_CLICKS", query.GetProperty("sink").GetString());
        Assert.Equal(["CLICKS"], query.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(0, query.GetProperty("errors").GetInt64());

        // The query's consumer group reaches the end of its input; the output topic holds the 39 matching records.
        await ConsoleServer.EventuallyAsync(() => server.GetJsonAsync("/api/console/topics"),
            t => t.GetProperty("topics").EnumerateArray().Any(x => x.GetProperty("name").GetString() == "LONG_CLICKS" && x.GetProperty("records").GetInt64() == 39),
            "39 records in LONG_CLICKS; overview: " + await server.GetJsonAsync("/api/console/overview"));
        var connectors = overview.GetProperty("connectors");
        Assert.Equal(JsonValueKind.Array, connectors.GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task Topics_list_partitions_records_sizes_and_the_sources_over_them()
    {
        await using var server = await ConsoleServer.StartAsync();
        await server.CreateTopicAsync("raw", 3);
        await server.KsqlAsync("CREATE STREAM orders (id STRING KEY, amount DOUBLE) WITH (kafka_topic='orders', value_format='JSON', partitions=2);");
        await server.ProduceAsync("raw", [("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")]);

        var topics = (await server.GetJsonAsync("/api/console/topics")).GetProperty("topics").EnumerateArray().ToList();
        var raw = topics.Single(t => t.GetProperty("name").GetString() == "raw");
        Assert.Equal(3, raw.GetProperty("partitions").GetInt32());
        Assert.Equal(4, raw.GetProperty("records").GetInt64());
        Assert.True(raw.GetProperty("size").GetInt64() > 0);
        Assert.Empty(raw.GetProperty("sources").EnumerateArray());
        var orders = topics.Single(t => t.GetProperty("name").GetString() == "orders");
        var source = Assert.Single(orders.GetProperty("sources").EnumerateArray());
        Assert.Equal(("ORDERS", "STREAM", "KAFKA", "JSON"), (source.GetProperty("name").GetString(), source.GetProperty("type").GetString(), source.GetProperty("keyFormat").GetString(), source.GetProperty("valueFormat").GetString()));
        Assert.DoesNotContain(topics, t => t.GetProperty("name").GetString() == "__consumer_offsets");

        var withInternal = (await server.GetJsonAsync("/api/console/topics?internal=true")).GetProperty("topics").EnumerateArray();
        Assert.Contains(withInternal, t => t.GetProperty("name").GetString() == "__consumer_offsets" && t.GetProperty("internal").GetBoolean());

        var detail = await server.GetJsonAsync("/api/console/topics/raw");
        Assert.Equal(3, detail.GetProperty("partitions").GetArrayLength());
        Assert.Equal(4, detail.GetProperty("partitions").EnumerateArray().Sum(p => p.GetProperty("endOffset").GetInt64() - p.GetProperty("startOffset").GetInt64()));

        using var missing = await server.Http.GetAsync("/api/console/topics/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var missingText = await missing.Content.ReadAsStringAsync();
        Assert.True(missingText.Contains("Topic 'nope' does not exist", StringComparison.Ordinal), missingText);
    }

    [Fact]
    public async Task Records_are_decoded_by_the_format_of_the_stream_over_the_topic()
    {
        await using var server = await ConsoleServer.StartAsync();
        await server.KsqlAsync("CREATE STREAM pageviews (user_id INT KEY, page STRING, tags ARRAY<STRING>) WITH (kafka_topic='pageviews', key_format='KAFKA', value_format='JSON', partitions=1);");
        await server.KsqlAsync("INSERT INTO pageviews (user_id, page, tags) VALUES (7, '/home', ARRAY['a', 'b']);");
        await server.KsqlAsync("INSERT INTO pageviews (user_id, page, tags) VALUES (8, '/cart', ARRAY['c']);");

        var page = await server.GetJsonAsync("/api/console/topics/pageviews/records?from=beginning");
        Assert.Equal("PAGEVIEWS", page.GetProperty("decodedAs").GetString());
        var records = page.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(2, records.Count);
        var first = records[0];
        Assert.Equal(0, first.GetProperty("offset").GetInt64());
        Assert.Equal("KAFKA", first.GetProperty("key").GetProperty("format").GetString());
        Assert.Equal(7, first.GetProperty("key").GetProperty("data").GetInt32());
        var value = first.GetProperty("value");
        Assert.Equal("JSON", value.GetProperty("format").GetString());
        Assert.Equal("/home", value.GetProperty("data").GetProperty("PAGE").GetString());
        Assert.Equal(["a", "b"], value.GetProperty("data").GetProperty("TAGS").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(1, page.GetProperty("next").GetProperty("0").GetInt64() - 1);
    }

    [Fact]
    public async Task Records_without_a_stream_are_shown_as_json_text_or_hex_with_headers()
    {
        await using var server = await ConsoleServer.StartAsync();
        await server.CreateTopicAsync("mixed", 1);
        await server.ProduceAsync("mixed", [("k1", "{\"a\": 1, \"b\": [true, null]}")], headers: [new RecordHeader("trace", "abc"u8.ToArray())]);
        await server.ProduceAsync("mixed", [("k2", "plain text")]);
        await server.ProduceBytesAsync("mixed", [0, 0, 0, 42], [0xff, 0x00, 0x01]);
        await server.ProduceAsync("mixed", [(null, null)]);

        var records = (await server.GetJsonAsync("/api/console/topics/mixed/records?from=beginning")).GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(4, records.Count);
        Assert.Equal("JSON", records[0].GetProperty("value").GetProperty("format").GetString());
        Assert.Equal(1, records[0].GetProperty("value").GetProperty("data").GetProperty("a").GetInt32());
        Assert.Equal("STRING", records[0].GetProperty("key").GetProperty("format").GetString());
        Assert.Equal("k1", records[0].GetProperty("key").GetProperty("data").GetString());
        var header = Assert.Single(records[0].GetProperty("headers").EnumerateArray());
        Assert.Equal(("trace", "abc"), (header.GetProperty("key").GetString(), header.GetProperty("value").GetProperty("data").GetString()));
        Assert.Equal("plain text", records[1].GetProperty("value").GetProperty("data").GetString());
        Assert.Equal("BYTES", records[2].GetProperty("key").GetProperty("format").GetString());
        Assert.Equal(42, records[2].GetProperty("key").GetProperty("asInteger").GetInt32());
        Assert.Equal("FF0001", records[2].GetProperty("value").GetProperty("data").GetString());
        Assert.True(records[3].GetProperty("key").ValueKind == JsonValueKind.Null, records[3].ToString());
        Assert.True(records[3].GetProperty("value").ValueKind == JsonValueKind.Null, records[3].ToString());
    }

    [Fact]
    public async Task Records_read_from_an_offset_a_time_or_the_newest_in_one_partition()
    {
        await using var server = await ConsoleServer.StartAsync();
        await server.CreateTopicAsync("events", 2);
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 100_000;
        for (var i = 0; i < 10; i++)
        {
            await server.ProduceAsync("events", [($"k{i}", $"v{i}")], partition: 0, timestamp: t0 + i * 1000);
        }

        await server.ProduceAsync("events", [("other", "p1")], partition: 1, timestamp: t0);

        async Task<List<string?>> Values(string query) =>
            [.. (await server.GetJsonAsync("/api/console/topics/events/records?" + query)).GetProperty("records").EnumerateArray()
                .Select(r => r.GetProperty("value").GetProperty("data").GetString())];

        Assert.Equal(["v7", "v8", "v9"], await Values("partition=0&offset=7"));
        Assert.Equal(["v5", "v6"], await Values("partition=0&timestamp=" + (t0 + 4500) + "&limit=2"));
        Assert.Equal(["v9", "v8", "v7"], await Values("partition=0&from=latest&limit=3"));
        Assert.Equal(["p1"], await Values("partition=1&from=beginning"));
        Assert.Equal(11, (await Values("from=beginning&limit=100")).Count);

        using var badPartition = await server.Http.GetAsync("/api/console/topics/events/records?partition=5");
        Assert.Equal(HttpStatusCode.BadRequest, badPartition.StatusCode);
        Assert.Contains("partitions 0 to 1", await badPartition.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var badFrom = await server.Http.GetAsync("/api/console/topics/events/records?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badFrom.StatusCode);
    }

    [Fact]
    public async Task The_tail_streams_new_records_as_server_sent_events()
    {
        await using var server = await ConsoleServer.StartAsync();
        await server.CreateTopicAsync("live", 1);
        await server.ProduceAsync("live", [("old", "before the tail")]);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/console/topics/live/tail");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("retry: 2000", await reader.ReadLineAsync());
        Assert.Equal("event: ready", await reader.ReadLineAsync());

        await server.ProduceAsync("live", [("new", "{\"n\":1}")]);
        string? line;
        do
        {
            line = await reader.ReadLineAsync();
        }
        while (line is not null && !line.StartsWith("data: {\"partition\"", StringComparison.Ordinal));

        Assert.NotNull(line);
        var record = JsonDocument.Parse(line["data: ".Length..]).RootElement;
        Assert.Equal(1, record.GetProperty("offset").GetInt64());
        Assert.Equal("new", record.GetProperty("key").GetProperty("data").GetString());
        Assert.Equal(1, record.GetProperty("value").GetProperty("data").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Groups_report_lag_per_partition()
    {
        await using var server = await ConsoleServer.StartAsync();
        await server.CreateTopicAsync("work", 2);
        await server.ProduceAsync("work", Enumerable.Range(0, 6).Select(i => ((string?)$"k{i}", (string?)$"v{i}")), partition: 0);
        await server.ProduceAsync("work", Enumerable.Range(0, 4).Select(i => ((string?)$"k{i}", (string?)$"v{i}")), partition: 1);
        await using (var consumer = server.Clients.CreateConsumer(new ConsumerOptions { GroupId = "workers" }))
        {
            consumer.Assign([new TopicPartitionOffset("work", 0, 0), new TopicPartitionOffset("work", 1, 0)]);
            await consumer.CommitAsync([new TopicPartitionOffset("work", 0, 2), new TopicPartitionOffset("work", 1, 4)]);
        }

        var groups = (await server.GetJsonAsync("/api/console/groups")).GetProperty("groups").EnumerateArray().ToList();
        var workers = groups.Single(g => g.GetProperty("group").GetString() == "workers");
        Assert.Equal(4, workers.GetProperty("lag").GetInt64());
        var partitions = workers.GetProperty("partitions").EnumerateArray().OrderBy(p => p.GetProperty("partition").GetInt32()).ToList();
        Assert.Equal((2, 6, 4), (partitions[0].GetProperty("committed").GetInt64(), partitions[0].GetProperty("end").GetInt64(), partitions[0].GetProperty("lag").GetInt64()));
        Assert.Equal((4, 4, 0), (partitions[1].GetProperty("committed").GetInt64(), partitions[1].GetProperty("end").GetInt64(), partitions[1].GetProperty("lag").GetInt64()));
    }

    [Fact]
    public async Task Unknown_console_paths_and_writes_are_refused_with_a_hint()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var missing = await server.Http.GetAsync("/api/console/nothing");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("overview", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var post = await server.Http.PostAsync("/api/console/topics", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        using var other = await server.Http.GetAsync("/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Contains("REST API", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
