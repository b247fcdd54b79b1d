using System.Text;
using Rhei.Client;
using Rhei.Client.Embedded;
using Rhei.Engine.Commands;
using Rhei.Engine.Entities;
using Rhei.Engine.Metastore;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Sql.Planning;
using Rhei.Storage;

namespace Rhei.Engine.Tests;

/// <summary>
/// The command topic: statements that change the metastore are written before they run, and a new engine over the same
/// storage replays them (streams, tables, types, queries with the same ids, resuming from their committed offsets).
/// </summary>
public sealed class CommandTopicTests : IAsyncDisposable
{
    private const string Topic = "_rhei_test__command_topic";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rhei-cmdtopic-" + Guid.NewGuid().ToString("N"));
    private LogManager? _log;
    private EmbeddedClientFactory? _clients;

    private async Task<RheiEngine> StartEngineAsync(bool reopenStorage = false, FormatRegistry? formats = null, Func<RheiEngineOptions, RheiEngineOptions>? configure = null)
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

        var options = new RheiEngineOptions
        {
            ServiceId = "test_",
            ClientFactory = _clients,
            Formats = formats,
            StateDirectory = Path.Combine(_dir, "state"),
            Properties = new Dictionary<string, string> { ["commit.interval.ms"] = "100" },
        };
        var engine = new RheiEngine(configure?.Invoke(options) ?? options);
        await engine.StartAsync();
        return engine;
    }

    [Fact]
    public async Task A_restarted_engine_lists_the_same_sources_types_and_queries_and_the_ctas_keeps_counting()
    {
        var engine = await StartEngineAsync();
        await engine.ExecuteAsync("""
            CREATE TYPE ADDRESS AS STRUCT<STREET STRING, CITY STRING>;
            CREATE STREAM CLICKS (USERID STRING KEY, PAGE STRING, ADDR ADDRESS) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
            CREATE TABLE PER_PAGE AS SELECT PAGE, COUNT(*) AS N FROM CLICKS GROUP BY PAGE;
            CREATE STREAM HOME AS SELECT * FROM CLICKS WHERE PAGE = 'home';
            CREATE STREAM UNUSED (K STRING KEY, V INT) WITH (KAFKA_TOPIC='unused', VALUE_FORMAT='JSON', PARTITIONS=1);
            DROP STREAM UNUSED;
            """);
        var homeQuery = engine.MetaStore.QueriesWriting("HOME").Single();
        await engine.ExecuteAsync($"TERMINATE {homeQuery};");
        await Assert.ThrowsAsync<KsqlStatementException>(() => engine.ExecuteAsync("CREATE STREAM BROKEN AS SELECT * FROM NO_SUCH_SOURCE;"));
        await engine.ExecuteAsync("CREATE STREAM LATER (K STRING KEY, V INT) WITH (KAFKA_TOPIC='later', VALUE_FORMAT='JSON', PARTITIONS=1);");

        await ProduceAsync("clicks", "u1", """{"PAGE":"home"}""");
        await ProduceAsync("clicks", "u2", """{"PAGE":"home"}""");
        await ProduceAsync("clicks", "u1", """{"PAGE":"about"}""");
        await WaitForCountAsync("PER_PAGE", "home", 2);

        var sourcesBefore = engine.MetaStore.Sources.Select(s => (s.Name, s.IsTable, s.Schema.ToString())).ToList();
        var queriesBefore = engine.MetaStore.Queries.Select(q => (q.Id, q.StatementText, q.ApplicationId)).ToList();
        var typesBefore = engine.MetaStore.Types.ToDictionary(t => t.Key, t => t.Value.ToString());
        var sequenceBefore = engine.CommandSequenceNumber;
        await engine.DisposeAsync();

        var restarted = await StartEngineAsync(reopenStorage: true);
        await using (restarted)
        {
            Assert.Equal(sourcesBefore, restarted.MetaStore.Sources.Select(s => (s.Name, s.IsTable, s.Schema.ToString())).ToList());
            Assert.Equal(queriesBefore, restarted.MetaStore.Queries.Select(q => (q.Id, q.StatementText, q.ApplicationId)).ToList());
            Assert.Equal(typesBefore, restarted.MetaStore.Types.ToDictionary(t => t.Key, t => t.Value.ToString()));
            // The replay has read the log to its end: the last command and the marker saying it completed.
            Assert.True(restarted.CommandSequenceNumber >= sequenceBefore);
            Assert.Equal((await ReadRecordsAsync(Topic)).Count - 1, restarted.CommandSequenceNumber);
            Assert.Null(restarted.MetaStore.GetSource("BROKEN"));
            var replay = restarted.Replay!;
            Assert.Equal(1, replay.SkippedFailed);
            Assert.Equal(0, replay.FailedOnReplay);
            Assert.Equal(1, replay.QueriesStarted);
            var query = Assert.Single(restarted.MetaStore.Queries);
            Assert.Equal(QueryState.Running, query.State);
            Assert.NotNull(query.Handle);

            // The CTAS resumes from its committed offsets with its state restored: the old clicks are not counted again.
            await ProduceAsync("clicks", "u3", """{"PAGE":"home"}""");
            await WaitForCountAsync("PER_PAGE", "home", 3);
            var rows = await ReadAsync("PER_PAGE");
            Assert.DoesNotContain(rows, r => r.Key == "home" && r.Value == """{"N":4}""");

            // New queries count on from the replayed ids, and the sequence numbers from the topic's offsets.
            var created = await restarted.ExecuteAsync("CREATE STREAM ABOUT AS SELECT * FROM CLICKS WHERE PAGE = 'about';");
            var status = Assert.IsType<CommandStatusEntity>(Assert.Single(created));
            Assert.Equal("CSAS_ABOUT_2", status.QueryId);
            Assert.True(status.CommandSequenceNumber > sequenceBefore);
            Assert.Equal(status.CommandSequenceNumber, restarted.CommandSequenceNumber);
        }
    }

    [Fact]
    public async Task A_create_without_columns_is_recorded_with_the_columns_inferred_then_and_a_replay_keeps_them_after_the_subject_evolves()
    {
        var registry = new EmbeddedSchemaRegistryClient(new SchemaStore());
        FormatRegistry Formats() => SchemaRegistryFormats.AddTo(FormatRegistry.CreateDefault(), registry);
        await registry.RegisterAsync("orders-value", SchemaDefinition.Avro("""
            {"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"item","type":"string"}]}
            """));

        await using (var engine = await StartEngineAsync(formats: Formats()))
        {
            await engine.ExecuteAsync("CREATE STREAM ORDERS WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='AVRO', PARTITIONS=1);");
            Assert.Equal("`ID` BIGINT, `ITEM` STRING", engine.MetaStore.GetSource("ORDERS")!.Schema.ToString());
        }

        // The command holds the statement with the columns, as inferred when it ran.
        var command = CommandRecord.Parse(Encoding.UTF8.GetBytes((await ReadRecordsAsync(Topic))[0].Value!));
        Assert.StartsWith("CREATE STREAM ORDERS (ID BIGINT, ITEM STRING) WITH (", command.Statement, StringComparison.Ordinal);

        // The subject evolves (a field with a default: a backward-compatible change).
        await registry.RegisterAsync("orders-value", SchemaDefinition.Avro("""
            {"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"item","type":"string"},{"name":"qty","type":"int","default":1}]}
            """));

        await using var replayed = await StartEngineAsync(reopenStorage: true, formats: Formats());
        Assert.Equal("`ID` BIGINT, `ITEM` STRING", replayed.MetaStore.GetSource("ORDERS")!.Schema.ToString());

        // A stream created now sees the evolved subject.
        await replayed.ExecuteAsync("CREATE STREAM ORDERS2 WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='AVRO');");
        Assert.Equal("`ID` BIGINT, `ITEM` STRING, `QTY` INTEGER", replayed.MetaStore.GetSource("ORDERS2")!.Schema.ToString());
    }

    [Fact]
    public async Task Two_engines_on_one_topic_follow_each_other_and_a_command_never_marked_runs_after_the_outcome_timeout()
    {
        await using var a = await StartEngineAsync(configure: o => o with { CommandOutcomeTimeout = TimeSpan.FromSeconds(1) });
        await using var b = await StartEngineAsync(configure: o => o with
        {
            StateDirectory = Path.Combine(_dir, "state-b"),
            CommandOutcomeTimeout = TimeSpan.FromSeconds(1),
        });

        var created = Assert.IsType<CommandStatusEntity>(Assert.Single(await a.ExecuteAsync(
            "CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")));
        Assert.True(await b.WaitForCommandAsync(created.CommandSequenceNumber, TimeSpan.FromSeconds(30)));
        Assert.NotNull(b.MetaStore.GetSource("S"));
        Assert.Equal(CommandStatus.Success, b.CommandStatuses["stream/S/create"].Status);

        // A writer that stopped between writing a command and marking it: the followers wait for the marker, then run it.
        long offset;
        await using (var producer = _clients!.CreateProducer(new ProducerOptions()))
        {
            var statement = CommandRecord.ForStatement("CREATE STREAM T (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');", new Dictionary<string, string>(), null);
            offset = (await producer.ProduceAsync(new ProduceRecord(Topic, null, statement.ToJson(), 0))).Offset;
        }

        Assert.True(await b.WaitForCommandAsync(offset, TimeSpan.FromSeconds(30)));
        Assert.True(await a.WaitForCommandAsync(offset, TimeSpan.FromSeconds(30)));
        Assert.NotNull(b.MetaStore.GetSource("T"));
        Assert.NotNull(a.MetaStore.GetSource("T"));

        // B's statement runs after everything before it, and A runs it in turn.
        await b.ExecuteAsync("DROP STREAM T;");
        Assert.True(await a.WaitForCommandAsync(b.CommandSequenceNumber, TimeSpan.FromSeconds(30)));
        Assert.Null(a.MetaStore.GetSource("T"));
    }

    [Fact]
    public async Task Commands_are_json_records_in_a_single_partition_topic_kept_forever()
    {
        await using (var engine = await StartEngineAsync())
        {
            await engine.ExecuteAsync(
                "CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1); CREATE STREAM T AS SELECT * FROM S;",
                new Dictionary<string, string> { ["auto.offset.reset"] = "earliest" });
            var show = Assert.IsType<KafkaTopicsListEntity>(Assert.Single(await engine.ExecuteAsync("SHOW TOPICS;")));
            Assert.DoesNotContain(show.Topics, t => t.Name == Topic);
            var all = Assert.IsType<KafkaTopicsListEntity>(Assert.Single(await engine.ExecuteAsync("SHOW ALL TOPICS;")));
            Assert.Contains(all.Topics, t => t.Name == Topic && t.Partitions == 1);
        }

        await using var admin = _clients!.CreateAdmin();
        var description = Assert.Single(await admin.DescribeTopicsAsync([Topic]));
        Assert.Equal("delete", description.Configs["cleanup.policy"]);
        Assert.Equal("-1", description.Configs["retention.ms"]);

        // Each command is followed by the marker saying it completed (other nodes run it once they see that).
        var records = (await ReadRecordsAsync(Topic)).Select(r => CommandRecord.Parse(Encoding.UTF8.GetBytes(r.Value!))).ToList();
        Assert.Equal(4, records.Count);
        var first = records[0];
        Assert.StartsWith("CREATE STREAM S ", first.Statement, StringComparison.Ordinal);
        Assert.Equal("earliest", first.Properties["auto.offset.reset"]);
        Assert.Equal(0, records[1].CompletedOffset);
        var second = records[2];
        Assert.Equal(2, records[3].CompletedOffset);
        Assert.Equal("CSAS_T_0", second.QueryId);
        Assert.Equal("CREATE STREAM T AS SELECT * FROM S;", second.Statement);
    }

    [Fact]
    public async Task Sequence_numbers_are_command_topic_offsets_and_queries_are_not_commands()
    {
        await using var engine = await StartEngineAsync();
        var results = await engine.ExecuteAsync("""
            CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
            SET 'auto.offset.reset'='earliest';
            INSERT INTO S (K, V) VALUES ('a', 1);
            SHOW STREAMS;
            CREATE STREAM T AS SELECT * FROM S;
            """);
        Assert.Equal(0, Assert.IsType<CommandStatusEntity>(results[0]).CommandSequenceNumber);
        Assert.Equal(2, Assert.IsType<CommandStatusEntity>(results[4]).CommandSequenceNumber);
        Assert.Equal(4, (await ReadRecordsAsync(Topic)).Count);
    }

    [Fact]
    public async Task A_command_that_fails_on_replay_is_logged_and_the_rest_still_replay()
    {
        await using (var engine = await StartEngineAsync())
        {
            await engine.ExecuteAsync("""
                CREATE STREAM A (K STRING KEY, V INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE STREAM B (K STRING KEY, V INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);
                """);
        }

        // A record no Rhei wrote, and a statement that cannot run any more, in the middle of the log.
        await using (var producer = _clients!.CreateProducer(new ProducerOptions()))
        {
            await producer.ProduceAsync(new ProduceRecord(Topic, null, Encoding.UTF8.GetBytes("not json"), 0));
            await producer.ProduceAsync(new ProduceRecord(Topic, null, CommandRecord.ForStatement("CREATE STREAM C AS SELECT * FROM GONE;", new Dictionary<string, string>(), "CSAS_C_7").ToJson(), 0));
        }

        await using (var engine = await StartEngineAsync())
        {
            await engine.ExecuteAsync("CREATE TABLE D (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='d', VALUE_FORMAT='JSON', PARTITIONS=1);");
        }

        await using var replayed = await StartEngineAsync(reopenStorage: true);
        Assert.Equal(["A", "B", "D"], replayed.MetaStore.Sources.Select(s => s.Name));
        Assert.Equal(2, replayed.Replay!.FailedOnReplay);
        Assert.Equal(8, replayed.Replay.Records);
    }

    [Fact]
    public async Task Paused_queries_stay_paused_after_a_restart_and_resume_starts_them()
    {
        await using (var engine = await StartEngineAsync())
        {
            await engine.ExecuteAsync("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1); CREATE STREAM T AS SELECT * FROM S;");
            await engine.ExecuteAsync("PAUSE CSAS_T_0;");
        }

        await using var restarted = await StartEngineAsync();
        var query = Assert.Single(restarted.MetaStore.Queries);
        Assert.Equal(QueryState.Paused, query.State);
        Assert.Null(query.Handle);
        await ProduceAsync("s", "a", """{"V":1}""");
        await restarted.ExecuteAsync("RESUME CSAS_T_0;");
        Assert.NotNull(query.Handle);
        Assert.Equal("""{"V":1}""", Assert.Single(await ReadAsync("T", 1)).Value);
    }

    [Fact]
    public async Task Dropped_topics_are_not_recreated_by_a_replay()
    {
        await using (var engine = await StartEngineAsync())
        {
            await engine.ExecuteAsync("""
                CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
                CREATE STREAM T AS SELECT * FROM S;
                TERMINATE CSAS_T_0;
                DROP STREAM T DELETE TOPIC;
                """);
        }

        await using var restarted = await StartEngineAsync();
        Assert.Equal(["S"], restarted.MetaStore.Sources.Select(s => s.Name));
        await using var admin = _clients!.CreateAdmin();
        var topics = await admin.ListTopicsAsync();
        Assert.DoesNotContain("T", topics);
        Assert.DoesNotContain(topics, t => t.Contains("CSAS_T_0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_engine_without_a_client_factory_numbers_commands_in_memory()
    {
        await using var engine = EngineFixture.InMemory();
        Assert.False(engine.IsDurable);
        var results = await engine.ExecuteAsync("CREATE TYPE T1 AS INT; CREATE TYPE T2 AS STRING; SHOW TYPES;");
        Assert.Equal(0, Assert.IsType<CommandStatusEntity>(results[0]).CommandSequenceNumber);
        Assert.Equal(1, Assert.IsType<CommandStatusEntity>(results[1]).CommandSequenceNumber);
        Assert.Equal(1, engine.CommandSequenceNumber);
    }

    private async Task ProduceAsync(string topic, string key, string value)
    {
        await using var producer = _clients!.CreateProducer(new ProducerOptions());
        await producer.ProduceAsync(new ProduceRecord(topic, Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value)));
    }

    /// <summary>Waits until the table's topic has <c>{"N":count}</c> as the latest value for <paramref name="key"/>.</summary>
    private async Task WaitForCountAsync(string topic, string key, int count)
    {
        var expected = $$"""{"N":{{count}}}""";
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var rows = await ReadAsync(topic);
            if (rows.LastOrDefault(r => r.Key == key).Value == expected)
            {
                return;
            }

            Assert.False(cts.IsCancellationRequested, $"{topic} never reached {key}={expected}: {string.Join(", ", rows)}");
            await Task.Delay(100);
        }
    }

    private async Task<List<(string? Key, string? Value)>> ReadAsync(string topic, int atLeast = 0)
    {
        var records = await ReadRecordsAsync(topic, atLeast);
        return records;
    }

    /// <summary>Everything in partition 0 of the topic now (waiting for at least <paramref name="atLeast"/> records).</summary>
    private async Task<List<(string? Key, string? Value)>> ReadRecordsAsync(string topic, int atLeast = 0)
    {
        await using var admin = _clients!.CreateAdmin();
        await using var consumer = _clients.CreateConsumer(new ConsumerOptions { AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offsets.Beginning)]);
        var result = new List<(string?, string?)>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!cts.IsCancellationRequested)
        {
            var end = (await admin.ListOffsetsAsync([(new TopicPartition(topic, 0), OffsetSpec.Latest)]))[0].Offset;
            if (result.Count >= atLeast && consumer.Position(new TopicPartition(topic, 0)) >= end)
            {
                break;
            }

            foreach (var r in await consumer.PollAsync(TimeSpan.FromMilliseconds(100), cts.Token))
            {
                result.Add((r.Key is { } k ? Encoding.UTF8.GetString(k.Span) : null, r.Value is { } v ? Encoding.UTF8.GetString(v.Span) : null));
            }
        }

        return result;
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
