using System.Text;
using System.Text.Json;
using Rhei.Streams.Processors;
using Rhei.Streams.Runtime;
using Rhei.Streams.State;
using Rhei.Streams.Testing;
using static Rhei.Streams.Tests.TestSupport;

namespace Rhei.Streams.Tests;

public class RuntimeTests
{
    private static StreamsBuilder CountTopology(StoreType type)
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed).GroupByKey()
            .Count("cnt", new Materialized<string, long?>("counts") { StoreType = type })
            .ToStream().To("out", new Produced<string, long?>(Serdes.String, Serdes.NullableInt64));
        return b;
    }

    [Theory]
    [InlineData(StoreType.InMemory)]
    [InlineData(StoreType.RocksDb)]
    public void Changelog_restores_state_on_restart(StoreType type)
    {
        var topics = new TestTopics();
        var options = Options();
        using (var d = Driver(CountTopology(type), options, topics))
        {
            var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
            input.PipeInput("a", "x", 1);
            input.PipeInput("a", "x", 2);
            input.PipeInput("b", "x", 3);
        }

        Assert.Equal(3, topics.ReadAll("app-counts-changelog").Count);
        using (var d = Driver(CountTopology(type), options, topics))
        {
            var store = d.GetTimestampedKeyValueStore<string, long?>("counts");
            Assert.True(store.TryGet("a", out var a));
            Assert.Equal(2, a.Value);
            Assert.Equal(2, a.Timestamp);
            d.CreateInputTopic("in", Serdes.String, Serdes.String).PipeInput("a", "x", 4);
            Assert.Equal(3, d.CreateOutputTopic("out", Serdes.String, Serdes.NullableInt64).ReadRecordsToList().Last().Value);
        }
    }

    [Fact]
    public void Changelog_records_written_by_hand_are_restored()
    {
        var topics = new TestTopics();
        topics.CreateTopic("app-counts-changelog", 1);
        topics.Append("app-counts-changelog", 0, Encoding.UTF8.GetBytes("k"), Serdes.NullableInt64.Serialize(41, ""), 100);
        topics.Append("app-counts-changelog", 0, Encoding.UTF8.GetBytes("gone"), Serdes.NullableInt64.Serialize(1, ""), 100);
        topics.Append("app-counts-changelog", 0, Encoding.UTF8.GetBytes("gone"), null, 101);
        using var d = Driver(CountTopology(StoreType.InMemory), Options(), topics);
        var store = d.GetTimestampedKeyValueStore<string, long?>("counts");
        Assert.Equal([new KeyValuePair<string, ValueAndTimestamp<long?>>("k", new(41, 100))], store.All());
        d.CreateInputTopic("in", Serdes.String, Serdes.String).PipeInput("k", "x", 200);
        Assert.Equal(["k:42@200"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.NullableInt64).ReadRecordsToList()));
    }

    [Fact]
    public void RocksDb_restart_with_checkpoint_restores_only_the_tail_and_wipe_restores_all()
    {
        var topics = new TestTopics();
        var options = Options();
        using (var d = Driver(CountTopology(StoreType.RocksDb), options, topics))
        {
            d.CreateInputTopic("in", Serdes.String, Serdes.String).PipeInput("a", "x", 1);
        }

        var taskDir = Path.Combine(options.StateDir, "app", "0_0");
        var checkpoint = File.ReadAllText(Path.Combine(taskDir, ".checkpoint"));
        Assert.Contains("app-counts-changelog 0 1", checkpoint);

        // a record appended to the changelog after the checkpoint (as another instance would have written)
        topics.Append("app-counts-changelog", 0, Encoding.UTF8.GetBytes("b"), Serdes.NullableInt64.Serialize(7, ""), 5);
        using (var d = Driver(CountTopology(StoreType.RocksDb), options, topics))
        {
            var store = d.GetTimestampedKeyValueStore<string, long?>("counts");
            Assert.Equal(["a=1", "b=7"], store.All().Select(e => $"{e.Key}={e.Value.Value}"));
        }

        Directory.Delete(taskDir, recursive: true);
        using (var d = Driver(CountTopology(StoreType.RocksDb), options, topics))
        {
            Assert.Equal(["a=1", "b=7"], d.GetTimestampedKeyValueStore<string, long?>("counts").All().Select(e => $"{e.Key}={e.Value.Value}"));
        }
    }

    [Fact]
    public void Record_cache_folds_updates_per_key_until_commit()
    {
        var b = CountTopology(StoreType.InMemory);
        using var d = Driver(b, Options() with { CacheMaxBytesBuffering = 1 << 20 }, commitEveryRecord: false);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        var output = d.CreateOutputTopic("out", Serdes.String, Serdes.NullableInt64);
        input.PipeInput("a", "x", 1);
        input.PipeInput("a", "x", 2);
        input.PipeInput("b", "x", 3);
        input.PipeInput("a", "x", 4);
        Assert.True(output.IsEmpty);
        Assert.True(d.GetTimestampedKeyValueStore<string, long?>("counts").TryGet("a", out var cached));
        Assert.Equal(3, cached.Value);
        Assert.Empty(d.Topics.ReadAll("app-counts-changelog"));
        d.Commit();
        Assert.Equal(["b:1@3", "a:3@4"], Show(output.ReadRecordsToList())); // in the order of their last update, as Kafka Streams flushes
        Assert.Equal(2, d.Topics.ReadAll("app-counts-changelog").Count);
    }

    [Fact]
    public void Record_cache_evicts_when_over_budget()
    {
        using var d = Driver(CountTopology(StoreType.InMemory), Options() with { CacheMaxBytesBuffering = 100 }, commitEveryRecord: false);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        for (var i = 0; i < 10; i++) { input.PipeInput("k" + i, "x", i); }
        Assert.True(d.CreateOutputTopic("out", Serdes.String, Serdes.NullableInt64).QueueSize >= 8);
    }

    [Fact]
    public void Bad_record_goes_to_processing_log_and_processing_continues()
    {
        var b = new StreamsBuilder();
        b.Stream("in", new Consumed<string, long>(Serdes.String, Serdes.Int64))
            .MapValues((_, v) => v == 13 ? throw new InvalidOperationException("unlucky") : v)
            .To("out", new Produced<string, long>(Serdes.String, Serdes.Int64));
        using var d = Driver(b, Options() with { ProcessingLogTopic = "plog", ProcessingLogName = "processing.Q1" });
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.Int64);
        input.PipeInput("a", 1, 1);
        input.PipeRawInput(Encoding.UTF8.GetBytes("bad"), [1, 2, 3], 2);
        input.PipeInput("c", 13, 3);
        input.PipeInput("d", 4, 4);
        Assert.Equal(["a:1@1", "d:4@4"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.Int64).ReadRecordsToList()));
        Assert.Equal(2, d.ProcessingLog.Count);
        Assert.Equal(ProcessingErrorType.DeserializationError, d.ProcessingLog[0].Error.Type);
        Assert.Equal("value", d.ProcessingLog[0].Error.Target);
        Assert.Equal(1, d.ProcessingLog[0].Error.Offset);
        Assert.Equal(ProcessingErrorType.RecordProcessingError, d.ProcessingLog[1].Error.Type);

        var json = d.Topics.ReadAll("plog").Select(r => JsonDocument.Parse(r.Value!)).ToList();
        Assert.Equal(2, json.Count);
        var first = json[0].RootElement;
        Assert.Equal("processing.Q1", first.GetProperty("logger").GetString());
        Assert.Equal("ERROR", first.GetProperty("level").GetString());
        var de = first.GetProperty("message").GetProperty("deserializationError");
        Assert.Equal(0, first.GetProperty("message").GetProperty("type").GetInt32());
        Assert.Equal("in", de.GetProperty("topic").GetString());
        Assert.Equal(1, de.GetProperty("offset").GetInt64());
        Assert.Equal(Convert.ToBase64String([1, 2, 3]), de.GetProperty("recordB64").GetString());
        var pe = json[1].RootElement.GetProperty("message").GetProperty("recordProcessingError");
        Assert.Contains("unlucky", pe.GetProperty("errorMessage").GetString());
        Assert.Equal(2, pe.GetProperty("offset").GetInt64());
    }

    [Fact]
    public void Fail_handler_stops_processing_with_the_reason()
    {
        var b = new StreamsBuilder();
        b.Stream("in", new Consumed<string, long>(Serdes.String, Serdes.Int64)).To("out", new Produced<string, long>(Serdes.String, Serdes.Int64));
        using var d = Driver(b, Options() with { DeserializationErrorHandler = _ => ErrorHandlerResponse.Fail });
        var ex = Assert.Throws<StreamsException>(() => d.CreateInputTopic("in", Serdes.String, Serdes.Int64).PipeRawInput(null, [9], 1));
        Assert.Contains("Failed to deserialize value from topic: in", ex.Message);
    }

    [Fact]
    public void Punctuations_fire_on_stream_time_and_wall_clock()
    {
        var b = new StreamsBuilder();
        var fired = new List<string>();
        b.Stream("in", StringConsumed).Process<string, string>((ctx, ds) => new PunctuatingProcessor(ctx, fired, ds));
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        input.PipeInput("a", "x", 5);     // stream time 5: first stream-time punctuation (aligned to 0)
        input.PipeInput("a", "x", 9);
        input.PipeInput("a", "x", 10);    // due at 10
        input.PipeInput("a", "x", 35);    // due at 20, fires once at 35, next at 40
        input.PipeInput("a", "x", 39);
        d.AdvanceWallClockTime(TimeSpan.FromMilliseconds(99));
        d.AdvanceWallClockTime(TimeSpan.FromMilliseconds(1));
        d.AdvanceWallClockTime(TimeSpan.FromMilliseconds(250));
        Assert.Equal(["stream@5", "stream@10", "stream@35", "wall@100", "wall@350"], fired);
    }

    private sealed class PunctuatingProcessor : Processor<string, string>
    {
        private readonly List<string> _fired;

        public PunctuatingProcessor(ProcessorContext context, List<string> fired, Downstream<string, string> downstream)
        {
            _fired = fired;
            _ = downstream;
        }

        public override void Init(ProcessorContext context)
        {
            context.Schedule(TimeSpan.FromMilliseconds(10), PunctuationType.StreamTime, t => _fired.Add("stream@" + t));
            context.Schedule(TimeSpan.FromMilliseconds(100), PunctuationType.WallClockTime, t => _fired.Add("wall@" + t));
        }

        public override void Process(string key, string value, long timestamp)
        {
        }
    }

    [Fact]
    public void Copartitioned_inputs_with_different_partition_counts_are_rejected()
    {
        var b = new StreamsBuilder();
        var table = b.Table("t", StringConsumed);
        b.Stream("s", StringConsumed).Join(table, (_, a, c) => a + c).To("out", StringProduced);
        var topics = new TestTopics();
        topics.CreateTopic("s", 2);
        topics.CreateTopic("t", 3);
        var ex = Assert.Throws<InvalidOperationException>(() => new TopologyTestDriver(b.Build(), Options(), topics));
        Assert.Contains("not co-partitioned", ex.Message);
    }

    [Fact]
    public void Multiple_partitions_run_one_task_each_with_their_own_stores()
    {
        var topics = new TestTopics();
        topics.CreateTopic("in", 3);
        using var d = Driver(CountTopology(StoreType.InMemory), Options(), topics);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        for (var i = 0; i < 30; i++) { input.PipeInput("k" + (i % 6), "x", i); }
        Assert.Equal(3, d.Tasks.Count);
        var total = Enumerable.Range(0, 3).Sum(p => d.GetTimestampedKeyValueStore<string, long?>("counts", p).All().Sum(e => e.Value.Value ?? 0));
        Assert.Equal(30, total);
        Assert.Equal(3, topics.PartitionCount("app-counts-changelog"));
    }
}
