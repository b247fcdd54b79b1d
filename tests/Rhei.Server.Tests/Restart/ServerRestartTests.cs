using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Rhei.Server.Tests.Restart;

/// <summary>
/// Restarting a real <c>rhei server</c> process on the same data directory: after kill -9 and after SIGTERM, the
/// streams, tables and persistent queries come back from the command topic, the queries go on from their committed
/// offsets, and nothing acknowledged is lost.
/// </summary>
public sealed class ServerRestartTests : IDisposable
{
    private const string Setup = """
        CREATE STREAM CLICKS (USERID STRING KEY, PAGE STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
        CREATE TABLE PER_PAGE AS SELECT PAGE, COUNT(*) AS N FROM CLICKS GROUP BY PAGE;
        CREATE STREAM HOME AS SELECT * FROM CLICKS WHERE PAGE = 'home';
        """;

    private static readonly string[] Pages = ["home", "about", "shop", "home", "blog", "home", "shop"];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rhei-restart-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task After_kill_9_everything_is_listed_the_queries_run_and_the_table_is_right()
    {
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var server = await ServerProcess.StartAsync(_dir))
        {
            await KsqlAsync(server, Setup);
            await ProduceAsync(server, 0, 70, expected);
            await WaitForCountsAsync(server, expected);
            await server.KillAsync();
        }

        await using (var server = await ServerProcess.StartAsync(_dir))
        {
            await AssertListedAsync(server);
            Assert.Equal(70, await CountAsync(server, "clicks"));

            // The queries run: new clicks are counted on top of the old ones, and reach the CSAS's stream.
            await ProduceAsync(server, 70, 35, expected);
            await WaitForCountsAsync(server, expected, atLeastOnce: true);
            Assert.True(await CountAsync(server, "HOME") >= 105 * 3 / 7, server.Output);

            // A pull query answers from the restored state store (at least once: never less than what was produced).
            Assert.True(await PullCountAsync(server, "home") >= expected["home"], server.Output);
        }
    }

    [Fact]
    public async Task After_sigterm_the_server_stops_cleanly_and_restarts_without_loss()
    {
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        long sequence;
        await using (var server = await ServerProcess.StartAsync(_dir))
        {
            var created = await KsqlAsync(server, Setup);
            sequence = created[2].GetProperty("commandSequenceNumber").GetInt64();
            Assert.Equal(4, sequence); // each command is followed by its completed marker
            await ProduceAsync(server, 0, 70, expected);
            await WaitForCountsAsync(server, expected);
            Assert.Equal(0, await server.TerminateAsync());
            Assert.Contains("rhei server: stopped", server.Output, StringComparison.Ordinal);
            Assert.Contains("clean start", server.Output, StringComparison.Ordinal);
        }

        await using (var server = await ServerProcess.StartAsync(_dir))
        {
            Assert.DoesNotContain("unclean shutdown", server.Output, StringComparison.Ordinal);
            Assert.Contains("replayed 3 commands", server.Output, StringComparison.Ordinal);
            await AssertListedAsync(server);
            Assert.Equal(70, await CountAsync(server, "clicks"));

            // The sequence numbers are command topic offsets: one from before the restart has run already.
            using (var client = new HttpClient { BaseAddress = server.RestAddress })
            using (var response = await client.PostAsJsonAsync("/ksql", new { ksql = "SHOW STREAMS;", commandSequenceNumber = sequence }))
            {
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }

            // After a clean stop the offsets and the state were flushed together: exact counts, no double counting.
            await ProduceAsync(server, 70, 35, expected);
            await WaitForCountsAsync(server, expected);
            var latest = await LatestAsync(server, "PER_PAGE");
            Assert.Equal(expected.OrderBy(e => e.Key), latest.Select(l => KeyValuePair.Create(l.Key, N(l.Value))).OrderBy(e => e.Key));
            Assert.Equal(expected["home"], await PullCountAsync(server, "home"));
        }
    }

    [Fact]
    public async Task On_an_external_kafka_cluster_the_command_topic_lives_there_and_a_restart_replays_it()
    {
        // Another rhei server plays the external cluster; the node under test reaches it with the Kafka client only.
        await using var cluster = await ServerProcess.StartAsync(Path.Combine(_dir, "cluster"));
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var node = await ServerProcess.StartAsync(Path.Combine(_dir, "node"), cluster.BootstrapServers))
        {
            Assert.Contains("on Kafka at", node.Output, StringComparison.Ordinal);
            await KsqlAsync(node, Setup);
            await ProduceAsync(node, 0, 35, expected);
            await WaitForCountsAsync(node, expected);

            // A graceful stop: the node's consumer groups on the cluster see it leave (after kill -9 they would wait
            // for the session timeout before the restarted node gets the partitions).
            Assert.Equal(0, await node.TerminateAsync());
        }

        Assert.Equal(6, await CountAsync(cluster, "_rhei_restart__command_topic")); // 3 commands, each with its completed marker
        await using (var node = await ServerProcess.StartAsync(Path.Combine(_dir, "node"), cluster.BootstrapServers))
        {
            await AssertListedAsync(node);
            await ProduceAsync(node, 35, 35, expected);
            await WaitForCountsAsync(node, expected);
        }
    }

    /// <summary><c>SELECT * FROM PER_PAGE WHERE PAGE = '...'</c> over <c>POST /query</c>: the count, or -1 without a row.</summary>
    private static async Task<int> PullCountAsync(ServerProcess server, string page)
    {
        using var client = new HttpClient { BaseAddress = server.RestAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var response = await client.PostAsJsonAsync("/query", new { ksql = $"SELECT * FROM PER_PAGE WHERE PAGE = '{page}';", streamsProperties = new { } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/query answered {(int)response.StatusCode}: {body}");
        var rows = JsonDocument.Parse(body).RootElement.EnumerateArray().Where(e => e.TryGetProperty("row", out _)).ToList();
        Assert.True(rows.Count <= 1, body);
        return rows.Count == 0 ? -1 : rows[0].GetProperty("row").GetProperty("columns")[1].GetInt32();
    }

    private static async Task AssertListedAsync(ServerProcess server)
    {
        var entities = await KsqlAsync(server, "SHOW STREAMS; SHOW TABLES; SHOW QUERIES;");
        var streams = entities[0].GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Order().ToList();
        Assert.Equal(["CLICKS", "HOME"], streams);
        var tables = entities[1].GetProperty("tables").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["PER_PAGE"], tables);
        var queries = entities[2].GetProperty("queries").EnumerateArray()
            .Select(q => (q.GetProperty("id").GetString(), q.GetProperty("state").GetString())).Order().ToList();
        Assert.Equal([("CSAS_HOME_1", "RUNNING"), ("CTAS_PER_PAGE_0", "RUNNING")], queries);
    }

    private static async Task<JsonElement> KsqlAsync(ServerProcess server, string ksql)
    {
        using var client = new HttpClient { BaseAddress = server.RestAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var response = await client.PostAsJsonAsync("/ksql", new { ksql, streamsProperties = new { } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/ksql answered {(int)response.StatusCode}: {body}\n{server.Output}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task ProduceAsync(ServerProcess server, int from, int count, Dictionary<string, int> expected)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = server.BootstrapServers, Acks = Acks.All, EnableIdempotence = true }).Build();
        for (var i = from; i < from + count; i++)
        {
            var page = Pages[i % Pages.Length];
            await producer.ProduceAsync("clicks", new Message<string, string> { Key = "u" + (i % 5), Value = $$"""{"PAGE":"{{page}}"}""" });
            expected[page] = expected.GetValueOrDefault(page) + 1;
        }
    }

    /// <summary>
    /// Waits until the table's topic holds <paramref name="expected"/> as the latest count of every page (with
    /// <paramref name="atLeastOnce"/>, a count may also be higher: records between the last commit and a kill are
    /// processed again).
    /// </summary>
    private static async Task WaitForCountsAsync(ServerProcess server, Dictionary<string, int> expected, bool atLeastOnce = false)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Dictionary<string, string> latest = [];
        while (!timeout.IsCancellationRequested)
        {
            latest = await LatestAsync(server, "PER_PAGE");
            if (expected.All(e => latest.TryGetValue(e.Key, out var v) && (atLeastOnce ? N(v) >= e.Value : N(v) == e.Value)))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"PER_PAGE never reached {string.Join(",", expected)}; latest {string.Join(",", latest)}\n{server.Output}");
    }

    private static int N(string json) => JsonDocument.Parse(json).RootElement.GetProperty("N").GetInt32();

    /// <summary>The latest value of every key in the topic now.</summary>
    private static async Task<Dictionary<string, string>> LatestAsync(ServerProcess server, string topic)
    {
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in await ReadAllAsync(server, topic))
        {
            if (key is not null && value is not null)
            {
                latest[key] = value;
            }
        }

        return latest;
    }

    private static async Task<int> CountAsync(ServerProcess server, string topic) => (await ReadAllAsync(server, topic)).Count;

    /// <summary>Every record of partition 0 of <paramref name="topic"/> up to its end now, read with Confluent.Kafka.</summary>
    private static async Task<List<(string? Key, string? Value)>> ReadAllAsync(ServerProcess server, string topic)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = server.BootstrapServers,
            GroupId = "restart-test-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<string?, string?>(config).Build();
        var partition = new TopicPartition(topic, 0);
        var end = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
        var result = new List<(string?, string?)>();
        if (end == 0)
        {
            return result;
        }

        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!timeout.IsCancellationRequested)
        {
            var r = await Task.Run(() => consumer.Consume(TimeSpan.FromMilliseconds(200)), CancellationToken.None);
            if (r is null)
            {
                continue;
            }

            if (!r.IsPartitionEOF)
            {
                result.Add((r.Message.Key, r.Message.Value));
            }

            if (r.Offset.Value + 1 >= end)
            {
                break;
            }
        }

        return result;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
