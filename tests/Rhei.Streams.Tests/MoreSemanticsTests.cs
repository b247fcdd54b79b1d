using System.Text;
using static Rhei.Streams.Tests.TestSupport;

namespace Rhei.Streams.Tests;

public class MoreSemanticsTests
{
    [Fact]
    public void Timestamp_extractor_takes_event_time_from_the_value_and_drops_negative_times()
    {
        var b = new StreamsBuilder();
        b.Stream("in", new Consumed<string, string>(Serdes.String, Serdes.String) { TimestampExtractor = (_, v, _, _) => long.Parse(v) })
            .To("out", StringProduced);
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        input.PipeInput("a", "500", 1);
        input.PipeInput("b", "-1", 2);
        input.PipeInput("c", "not a number", 3);
        Assert.Equal(["a:500@500"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
        Assert.Equal(2, d.DroppedRecords);
        Assert.Single(d.ProcessingLog);
    }

    [Fact]
    public void Default_timestamp_extractor_can_use_partition_time_for_invalid_timestamps()
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed).To("out", StringProduced);
        using var d = Driver(b, Options() with { DefaultTimestampExtractor = (ts, partitionTime) => ts >= 0 ? ts : partitionTime });
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        input.PipeInput("a", "1", 40);
        input.PipeInput("b", "2", -5);
        Assert.Equal(["a:1@40", "b:2@40"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
    }

    [Fact]
    public void Window_store_cache_folds_updates_of_a_window_until_commit()
    {
        var b = new StreamsBuilder();
        var serde = WindowedSerdes.TimeWindowed(Serdes.String, 10);
        b.Stream("in", StringConsumed).GroupByKey().WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)))
            .Count("c", new Materialized<string, long?>("w"))
            .ToStream().To("out", new Produced<Windowed<string>, long?>(serde, Serdes.NullableInt64));
        using var d = Driver(b, Options() with { CacheMaxBytesBuffering = 1 << 20 }, commitEveryRecord: false);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        input.PipeInput("a", "x", 1);
        input.PipeInput("a", "x", 2);
        input.PipeInput("a", "x", 12);
        var store = d.GetTimestampedWindowStore<string, long?>("w");
        Assert.Equal(2, store.Fetch("a", 0, 0).Single().Value.Value);
        Assert.Equal(2, store.FetchAll(0, 20).Count);
        d.Commit();
        Assert.Equal(["a[0,10]:2@2", "a[10,20]:1@12"], ShowW(d.CreateOutputTopic("out", serde, Serdes.NullableInt64).ReadRecordsToList()));
    }

    [Fact]
    public void Suppress_until_time_limit_emits_latest_update_per_key_after_the_limit()
    {
        var b = new StreamsBuilder();
        b.Table("in", StringConsumed, new Materialized<string, string>("t"))
            .Suppress(Suppressed.UntilTimeLimit<string>(TimeSpan.FromMilliseconds(10)))
            .ToStream().To("out", StringProduced);
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        var output = d.CreateOutputTopic("out", Serdes.String, Serdes.String);
        input.PipeInput("a", "1", 0);
        input.PipeInput("a", "2", 5);
        input.PipeInput("b", "1", 9);
        Assert.True(output.IsEmpty);
        input.PipeInput("c", "1", 15);   // a's buffer time is 5 (its latest update): 5 <= 15 - 10
        Assert.Equal(["a:2@5"], Show(output.ReadRecordsToList()));
        input.PipeInput("b", null!, 20); // b's delete replaces its update and is emitted (time limit keeps deletes)
        input.PipeInput("d", "1", 30);
        Assert.Equal(["c:1@15", "b:null@20"], Show(output.ReadRecordsToList()));
    }

    [Fact]
    public void Joining_a_join_result_reads_values_through_both_joined_tables()
    {
        var b = new StreamsBuilder();
        var t1 = b.Table("t1", StringConsumed, new Materialized<string, string>("s1"));
        var t2 = b.Table("t2", StringConsumed, new Materialized<string, string>("s2"));
        var joined = t1.Join(t2, (_, x, y) => x + y);
        b.Stream("s", StringConsumed).Join(joined, (_, s, j) => s + ":" + j).To("out", StringProduced);
        using var d = Driver(b);
        d.CreateInputTopic("t1", Serdes.String, Serdes.String).PipeInput("k", "A", 1);
        d.CreateInputTopic("t2", Serdes.String, Serdes.String).PipeInput("k", "B", 2);
        d.CreateInputTopic("s", Serdes.String, Serdes.String).PipeInput("k", "S", 3);
        d.CreateInputTopic("s", Serdes.String, Serdes.String).PipeInput("other", "S", 4);
        Assert.Equal(["k:S:AB@3"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
    }

    [Fact]
    public void Stream_table_join_after_key_change_repartitions_the_stream()
    {
        var b = new StreamsBuilder();
        var table = b.Table("t", StringConsumed, new Materialized<string, string>("ts"));
        b.Stream("s", StringConsumed).SelectKey((_, v) => v, keySerde: Serdes.String)
            .Join(table, (k, s, t) => t, new Joined<string, string, string>("J"))
            .To("out", StringProduced);
        using var d = Driver(b);
        d.CreateInputTopic("t", Serdes.String, Serdes.String).PipeInput("x", "found-x", 1);
        d.CreateInputTopic("s", Serdes.String, Serdes.String).PipeInput("k1", "x", 2);
        Assert.Equal(["x:found-x@2"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
        Assert.Single(d.Topics.ReadAll("app-J-left-repartition"));
    }

    [Fact]
    public void Foreign_key_left_join_emits_null_right_for_null_foreign_key_and_delete_for_left_delete()
    {
        var b = new StreamsBuilder();
        var left = b.Table("l", StringConsumed, new Materialized<string, string>("ls"));
        var right = b.Table("r", StringConsumed, new Materialized<string, string>("rs"));
        left.LeftJoin(right, v => v == "none" ? null! : v, (_, l, r) => $"{l}|{r ?? "null"}", new TableJoined("fk"))
            .ToStream().To("out", StringProduced);
        using var d = Driver(b);
        var l = d.CreateInputTopic("l", Serdes.String, Serdes.String);
        var r = d.CreateInputTopic("r", Serdes.String, Serdes.String);
        r.PipeInput("f", "F", 1);
        l.PipeInput("a", "f", 2);
        l.PipeInput("a", "none", 3);
        l.PipeInput("a", "f", 4);
        l.PipeInput("a", null!, 5);
        r.PipeInput("f", "F2", 6);   // no subscriber any more
        Assert.Equal(["a:f|F@2", "a:none|null@3", "a:f|F@4", "a:null@5"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
    }

    [Fact]
    public void Stream_stream_join_state_is_restored_from_changelogs()
    {
        var topics = new Testing.TestTopics();
        var options = Options();
        StreamsBuilder Build()
        {
            var b = new StreamsBuilder();
            b.Stream("l", StringConsumed).Join(b.Stream("r", StringConsumed), (_, x, y) => x + y,
                JoinWindows.OfTimeDifferenceAndGrace(TimeSpan.FromMilliseconds(100), TimeSpan.Zero),
                new StreamJoined<string, string, string>("J") { KeySerde = Serdes.String, ValueSerde = Serdes.String, OtherValueSerde = Serdes.String })
                .To("out", StringProduced);
            return b;
        }

        using (var d = Driver(Build(), options, topics))
        {
            d.CreateInputTopic("l", Serdes.String, Serdes.String).PipeInput("k", "L", 10);
        }

        using (var d = Driver(Build(), options, topics))
        {
            d.CreateInputTopic("r", Serdes.String, Serdes.String).PipeInput("k", "R", 20);
            Assert.Equal(["k:LR@20"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
        }
    }

    [Fact]
    public void Internal_topic_names_and_configs_follow_kafka_streams()
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed).GroupBy((_, v) => v, new Grouped<string, string>("G") { KeySerde = Serdes.String })
            .WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(5)))
            .Count("c", new Materialized<string, long?>("W"));
        b.Table("t", StringConsumed, new Materialized<string, string>("T"));
        var topology = b.Build();
        var options = Options("q");
        var (counts, subs) = topology.ResolvePartitions("q", _ => 3);
        var internals = topology.InternalTopics("q", counts, subs, options).ToDictionary(t => t.Name);
        Assert.Equal(3, internals["q-G-repartition"].Partitions);
        Assert.Equal("compact,delete", internals["q-W-changelog"].Configs["cleanup.policy"]);
        Assert.Equal((15 + 86_400_000L).ToString(), internals["q-W-changelog"].Configs["retention.ms"]);
        Assert.Equal("compact", internals["q-T-changelog"].Configs["cleanup.policy"]);
        Assert.Equal(3, internals["q-T-changelog"].Partitions);
        _ = Encoding.UTF8;
    }
}
