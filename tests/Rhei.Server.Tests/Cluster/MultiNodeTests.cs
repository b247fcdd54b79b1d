using System.Net;
using System.Text.Json;
using Rhei.Engine.Metastore;
using Xunit.Abstractions;

namespace Rhei.Server.Tests.Cluster;

/// <summary>
/// Several nodes with the same service id on one external Kafka cluster share one metastore through the command
/// topic: a statement run on one node is run by the others' followers, in order, and the persistent queries they
/// start share their consumer groups, so the partitions of their input split between the nodes.
/// </summary>
public sealed class MultiNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Pages = ["home", "about", "shop", "home", "blog", "home", "shop"];
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private ExternalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ExternalCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_stream_and_a_ctas_created_on_one_node_run_on_both_each_record_counted_once_and_a_drop_reaches_the_other()
    {
        await using var a = await _cluster.StartNodeAsync("a");
        await using var b = await _cluster.StartNodeAsync("b");
        var clientA = a.Client(HttpVersion.Version11);
        var clientB = b.Client(HttpVersion.Version11);

        await Http.KsqlAsync(clientA, """
            CREATE STREAM CLICKS (USERID STRING KEY, PAGE STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=4);
            CREATE TABLE PER_PAGE AS SELECT PAGE, COUNT(*) AS N FROM CLICKS GROUP BY PAGE;
            """, new Dictionary<string, string> { ["auto.offset.reset"] = "earliest" });

        // B lists them and runs the query, with the same id (so the same consumer group) as A.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await WaitUntilAsync(async () => Names(await Http.KsqlAsync(clientB, "SHOW TABLES;"), "tables").Contains("PER_PAGE"), "B lists PER_PAGE");
        output.WriteLine($"B listed the CTAS {clock.ElapsedMilliseconds} ms after A answered (information, not asserted)");
        Assert.Contains("CLICKS", Names(await Http.KsqlAsync(clientB, "SHOW STREAMS;"), "streams"));
        var queryA = Assert.Single(a.Engine.MetaStore.Queries);
        await WaitUntilAsync(() => Task.FromResult(b.Engine.MetaStore.Queries.Count == 1 && b.Engine.MetaStore.Queries[0].Handle is not null), "B runs the query");
        var queryB = b.Engine.MetaStore.Queries[0];
        Assert.Equal((queryA.Id, queryA.ApplicationId, QueryState.Running), (queryB.Id, queryB.ApplicationId, queryB.State));

        // B reports the commands it ran for A in /status.
        var (status, body, _) = await Http.GetAsync(clientB, "/status/table/PER_PAGE/create");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("SUCCESS", body.GetProperty("status").GetString());

        // Both instances are members of the query's consumer group, each with some of the partitions.
        await WaitUntilAsync(async () => (await MembersWithPartitionsAsync(queryA.ApplicationId)) == 2, "two members with partitions in the query's group");

        // Records over the four partitions are counted exactly once between the two nodes.
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        var records = new List<(string, string)>();
        for (var i = 0; i < 140; i++)
        {
            var page = Pages[i % Pages.Length];
            records.Add(("u" + (i % 13), $$"""{"PAGE":"{{page}}"}"""));
            expected[page] = expected.GetValueOrDefault(page) + 1;
        }

        await _cluster.ProduceAsync("clicks", records);
        Dictionary<string, string> latest = [];
        await WaitUntilAsync(async () =>
        {
            latest = await _cluster.LatestAsync("PER_PAGE");
            return expected.All(e => latest.TryGetValue(e.Key, out var v) && Count(v) == e.Value);
        }, () => $"PER_PAGE counts {string.Join(",", expected)}; latest {string.Join(",", latest)}");

        // A TERMINATE and a DROP on A: B stops its instance and the table is gone there too.
        await Http.KsqlAsync(clientA, $"TERMINATE {queryA.Id}; DROP TABLE PER_PAGE;");
        await WaitUntilAsync(async () => !Names(await Http.KsqlAsync(clientB, "SHOW TABLES;"), "tables").Contains("PER_PAGE"), "PER_PAGE dropped on B");
        Assert.Empty(b.Engine.MetaStore.Queries);
        Assert.Equal(QueryState.Terminated, queryB.State);
    }

    [Fact]
    public async Task A_statement_sent_to_the_other_node_with_a_command_sequence_number_waits_until_that_node_ran_the_command()
    {
        await using var a = await _cluster.StartNodeAsync("a");

        // B's follower would only look every ten minutes: only the wait for the sequence number makes it catch up.
        await using var b = await _cluster.StartNodeAsync("b", followInterval: TimeSpan.FromMinutes(10), configure: o => o with { CommandQueueCatchupTimeout = TimeSpan.FromSeconds(2) });
        var clientA = a.Client(HttpVersion.Version11);
        var clientB = b.Client(HttpVersion.Version11);

        var created = await Http.KsqlAsync(clientA, "CREATE STREAM ORDERS (ID STRING KEY, AMOUNT INT) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=2);");
        var sequence = created[0].GetProperty("commandSequenceNumber").GetInt64();
        Assert.Null(b.Engine.MetaStore.GetSource("ORDERS"));

        var (status, body, _) = await Http.PostAsync(clientB, "/ksql", new { ksql = "SHOW STREAMS;", commandSequenceNumber = sequence });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("ORDERS", Names(body, "streams"));
        Assert.True(b.Engine.CommandSequenceNumber >= sequence);

        // A command nobody wrote yet: the request times out with ksqlDB's error.
        (status, body, _) = await Http.PostAsync(clientB, "/ksql", new { ksql = "SHOW STREAMS;", commandSequenceNumber = sequence + 1000 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(50301, body.GetProperty("error_code").GetInt32());
        Assert.Contains($"command sequence number: {sequence + 1000}", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        // A statement written through B runs after A's commands, and A's follower runs it.
        await Http.KsqlAsync(clientB, "CREATE STREAM BIG AS SELECT * FROM ORDERS WHERE AMOUNT > 100;");
        await WaitUntilAsync(() => Task.FromResult(a.Engine.MetaStore.GetSource("BIG") is not null && a.Engine.MetaStore.Queries.Count == 1), "A runs B's CSAS");
    }

    [Fact]
    public async Task A_statement_that_fails_on_its_node_is_skipped_by_the_others()
    {
        await using var a = await _cluster.StartNodeAsync("a");
        await using var b = await _cluster.StartNodeAsync("b");
        var clientA = a.Client(HttpVersion.Version11);

        // The topic does not exist and no PARTITIONS are given: it fails on A after it was written.
        var (status, _, _) = await Http.PostAsync(clientA, "/ksql", new { ksql = "CREATE STREAM MISSING (K STRING KEY, V INT) WITH (KAFKA_TOPIC='missing', VALUE_FORMAT='JSON');" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var created = await Http.KsqlAsync(clientA, "CREATE STREAM PRESENT (K STRING KEY, V INT) WITH (KAFKA_TOPIC='present', VALUE_FORMAT='JSON', PARTITIONS=1);");
        var sequence = created[0].GetProperty("commandSequenceNumber").GetInt64();

        Assert.True(await b.Engine.WaitForCommandAsync(sequence, Deadline));
        Assert.Equal(["PRESENT"], b.Engine.MetaStore.Sources.Select(s => s.Name));
        var (_, body, _) = await Http.GetAsync(b.Client(HttpVersion.Version11), "/status/stream/MISSING/create");
        Assert.Equal("ERROR", body.GetProperty("status").GetString());
    }

    /// <summary>The members of a stable consumer group that have partitions assigned (Confluent's admin client).</summary>
    private async Task<int> MembersWithPartitionsAsync(string groupId)
    {
        using var admin = new Confluent.Kafka.AdminClientBuilder(new Confluent.Kafka.AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        var groups = await admin.DescribeConsumerGroupsAsync([groupId]);
        var group = groups.ConsumerGroupDescriptions.Single();
        return group.State == Confluent.Kafka.ConsumerGroupState.Stable ? group.Members.Count(m => m.Assignment.TopicPartitions.Count > 0) : 0;
    }

    private static List<string> Names(JsonElement entities, string list) =>
        [.. entities[0].GetProperty(list).EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];

    private static int Count(string json) => JsonDocument.Parse(json).RootElement.GetProperty("N").GetInt32();

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => WaitUntilAsync(condition, () => what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not reached within {Deadline.TotalSeconds} s: {what()}");
            }

            await Task.Delay(100);
        }
    }
}
