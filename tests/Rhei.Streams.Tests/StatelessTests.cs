using Rhei.Client;
using static Rhei.Streams.Tests.TestSupport;

namespace Rhei.Streams.Tests;

public class StatelessTests
{
    [Fact]
    public void Filter_mapValues_and_sink_keep_order_timestamps_and_headers()
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed)
            .Filter((_, v) => v != "skip")
            .MapValues((k, v) => $"{k}={v.ToUpperInvariant()}")
            .To("out", StringProduced);
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        var output = d.CreateOutputTopic("out", Serdes.String, Serdes.String);
        input.PipeInput("a", "x", 10, [new RecordHeader("h", new byte[] { 1 })]);
        input.PipeInput("b", "skip", 11);
        input.PipeInput("c", "y", 5);
        var records = output.ReadRecordsToList();
        Assert.Equal(["a:a=X@10", "c:c=Y@5"], Show(records));
        Assert.Equal("h", Assert.Single(records[0].Headers).Key);
    }

    [Fact]
    public void FlatMap_selectKey_peek_and_merge()
    {
        var b = new StreamsBuilder();
        var seen = new List<string>();
        var s1 = b.Stream("in1", StringConsumed);
        var s2 = b.Stream("in2", StringConsumed);
        s1.Merge(s2)
            .FlatMapValues((_, v) => v.Split(','))
            .Peek((k, v) => seen.Add(k + v))
            .SelectKey((_, v) => v, keySerde: Serdes.String)
            .To("out", StringProduced);
        using var d = Driver(b);
        d.CreateInputTopic("in1", Serdes.String, Serdes.String).PipeInput("k1", "a,b", 1);
        d.CreateInputTopic("in2", Serdes.String, Serdes.String).PipeInput("k2", "c", 2);
        Assert.Equal(["a:a@1", "b:b@1", "c:c@2"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
        Assert.Equal(["k1a", "k1b", "k2c"], seen);
    }

    [Fact]
    public void Repartition_routes_through_internal_topic_and_partitions_by_key()
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed)
            .Map((k, v) => (v, k), keySerde: Serdes.String, valueSerde: Serdes.String)
            .Repartition(new Repartitioned<string, string>("by-value") { NumberOfPartitions = 4 })
            .To("out", StringProduced);
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        for (var i = 0; i < 20; i++) { input.PipeInput("k" + i, "v" + (i % 5), i); }
        var repartition = d.Topics.ReadAll("app-by-value-repartition");
        Assert.Equal(20, repartition.Count);
        Assert.Equal(4, d.Topics.PartitionCount("app-by-value-repartition"));
        foreach (var r in repartition)
        {
            Assert.Equal(Runtime.Murmur2.Partition(r.Key, 4), r.Partition);
        }

        Assert.Equal(20, d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList().Count);
        Assert.Contains(d.Tasks, t => t.SubTopology == 1 && t.Partition == 3);
    }

    [Fact]
    public void TransformValues_sees_record_metadata()
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed)
            .TransformValues((k, v, ctx) => $"{v}|{ctx.Topic}|{ctx.Partition}|{ctx.Offset}|{ctx.Timestamp}")
            .To("out", StringProduced);
        b.Table("t", StringConsumed)
            .TransformValues((k, v, ctx) => $"{v}@{ctx.Offset}")
            .ToStream().To("tout", StringProduced);
        var topics = new Testing.TestTopics();
        topics.CreateTopic("in", 2);
        using var d = Driver(b, topics: topics);
        d.CreateInputTopic("in", Serdes.String, Serdes.String).PipeInput("a", "x", 7, partition: 1);
        d.CreateInputTopic("in", Serdes.String, Serdes.String).PipeInput("a", "y", 8, partition: 1);
        d.CreateInputTopic("t", Serdes.String, Serdes.String).PipeInput("k", "v", 9);
        Assert.Equal(["a:x|in|1|0|7@7", "a:y|in|1|1|8@8"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
        Assert.Equal(["k:v@0@9"], Show(d.CreateOutputTopic("tout", Serdes.String, Serdes.String).ReadRecordsToList()));
    }

    [Fact]
    public void Describe_prints_subtopologies_sources_processors_and_sinks()
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed)
            .Filter((_, v) => v is not null, name: "F")
            .GroupBy((_, v) => v, new Grouped<string, string>("G") { KeySerde = Serdes.String })
            .Count("C", new Materialized<string, long?>("counts"))
            .ToStream("T")
            .To("out", new Produced<string, long?>(Serdes.String, Serdes.NullableInt64) { Name = "S" });
        var text = b.Build().Describe().ToString();
        Assert.Contains("Sub-topology: 0", text);
        Assert.Contains("Sub-topology: 1", text);
        Assert.Contains("Sink: G-repartition-sink (topic: G-repartition)", text);
        Assert.Contains("Source: G-repartition-source (topics: [G-repartition])", text);
        Assert.Contains("Processor: C (stores: [counts])", text);
        Assert.Contains("      --> T", text);
        Assert.Contains("Sink: S (topic: out)", text);
    }
}
