using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Cli;
using Rhei.Configuration;

namespace Rhei.Server.Tests;

/// <summary>
/// The whole server as <c>rhei server</c> wires it (storage, Kafka broker, engine, REST API): records produced with
/// Confluent.Kafka over the Kafka protocol reach push queries over /query-stream, and a CTAS table answers pull
/// queries that match a reference computed here.
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rhei-e2e-" + Guid.NewGuid().ToString("N")[..12]);
    private ServerComponents? _server;
    private string _bootstrap = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var kafkaPort = FreePort();
        var httpPort = FreePort();
        var config = RheiConfig.Load(null,
        [
            $"log.dirs={Path.Combine(_directory, "data")}",
            $"listeners=PLAINTEXT://127.0.0.1:{kafkaPort},HTTP://127.0.0.1:{httpPort}",
            $"ksql.streams.state.dir={Path.Combine(_directory, "state")}",
            "ksql.streams.commit.interval.ms=100",
            "group.initial.rebalance.delay.ms=0",
        ], new Dictionary<string, string>());
        _server = await ServerHost.StartAsync(config, NullLoggerFactory.Instance, TextWriter.Null, CancellationToken.None);
        _bootstrap = _server.Broker!.BootstrapServers;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Theory]
    [MemberData(nameof(TestServer.Versions), MemberType = typeof(TestServer))]
    public async Task Records_produced_over_kafka_reach_push_queries_and_a_ctas_table_answers_pull_queries(Version version)
    {
        using var client = new HttpClient(new SocketsHttpHandler())
        {
            BaseAddress = _server!.RestServer!.Addresses[0],
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        await Http.KsqlAsync(client,
            "CREATE STREAM clicks (user STRING KEY, amount INT) WITH (kafka_topic='clicks', value_format='JSON', partitions=2);" +
            "CREATE TABLE by_user AS SELECT user, COUNT(*) AS n, SUM(amount) AS total FROM clicks GROUP BY user;");

        using var push = await client.SendAsync(
            Http.Request(client, "/query-stream", Http.Json(new { sql = "SELECT user, amount FROM clicks WHERE amount >= 0 EMIT CHANGES;" })),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, push.StatusCode);
        using var rows = new StreamReader(await push.Content.ReadAsStreamAsync());
        var header = JsonDocument.Parse((await rows.ReadLineAsync())!).RootElement;
        Assert.Equal("[\"USER\",\"AMOUNT\"]", header.GetProperty("columnNames").GetRawText());

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = _bootstrap, LingerMs = 0, Acks = Acks.All }).Build();

        // One record first: it is in the push query's answer within a second of being acknowledged.
        await producer.ProduceAsync("clicks", new Message<string, string> { Key = "u0", Value = "{\"AMOUNT\":0}" });
        var clock = Stopwatch.StartNew();
        var first = await rows.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal("[\"u0\",0]", first);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1));

        var reference = new Dictionary<string, (long N, long Total)> { ["u0"] = (1, 0) };
        var expectedRows = new List<string>();
        var random = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            var user = "u" + random.Next(20);
            var amount = random.Next(100);
            producer.Produce("clicks", new Message<string, string> { Key = user, Value = $"{{\"AMOUNT\":{amount}}}" });
            reference[user] = reference.TryGetValue(user, out var r) ? (r.N + 1, r.Total + amount) : (1, amount);
            expectedRows.Add($"[\"{user}\",{amount}]");
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        var seen = new List<string>();
        while (seen.Count < expectedRows.Count)
        {
            seen.Add((await rows.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)))!);
        }

        Assert.Equal(expectedRows.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));

        // Pull queries on the CTAS table: a scan, then every key's lookup, match the reference.
        var expected = reference.Select(kv => $"[\"{kv.Key}\",{kv.Value.N},{kv.Value.Total}]").Order(StringComparer.Ordinal).ToList();
        List<string> scan = [];
        for (var attempt = 0; attempt < 200; attempt++)
        {
            scan = await PullAsync(client, "SELECT user, n, total FROM by_user;");
            if (scan.Order(StringComparer.Ordinal).SequenceEqual(expected))
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.Equal(expected, scan.Order(StringComparer.Ordinal));
        foreach (var (user, (n, total)) in reference)
        {
            Assert.Equal([$"[\"{user}\",{n},{total}]"], await PullAsync(client, $"SELECT * FROM by_user WHERE user = '{user}';"));
        }

        var big = reference.Where(kv => kv.Value.Total > 500).Select(kv => $"[\"{kv.Key}\",{kv.Value.Total}]").Order(StringComparer.Ordinal);
        Assert.Equal(big, (await PullAsync(client, "SELECT user, total FROM by_user WHERE total > 500;")).Order(StringComparer.Ordinal));
        Assert.Equal(3, (await PullAsync(client, "SELECT * FROM by_user LIMIT 3;")).Count);

        var (status, _, _) = await Http.PostAsync(client, "/close-query", new { queryId = header.GetProperty("queryId").GetString() });
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task<List<string>> PullAsync(HttpClient client, string sql)
    {
        using var response = await client.PostAsync("/query-stream", new StringContent(JsonSerializer.Serialize(new { sql }), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
