using static Rhei.Streams.Tests.TestSupport;

namespace Rhei.Streams.Tests;

public class AggregationTests
{
    [Fact]
    public void Count_by_key_emits_every_update_with_max_timestamp()
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed).GroupByKey().Count("cnt", new Materialized<string, long?>("counts")).ToStream().To("out", new Produced<string, long?>(Serdes.String, Serdes.NullableInt64));
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        input.PipeInput("a", "1", 10);
        input.PipeInput("b", "1", 5);
        input.PipeInput("a", "1", 7);
        input.PipeInput("a", null!, 20);
        Assert.Equal(["a:1@10", "b:1@5", "a:2@10"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.NullableInt64).ReadRecordsToList()));
        Assert.True(d.GetTimestampedKeyValueStore<string, long?>("counts").TryGet("a", out var a));
        Assert.Equal(new ValueAndTimestamp<long?>(2, 10), a);
        Assert.Equal(1, d.DroppedRecords);
    }

    [Fact]
    public void GroupBy_repartitions_then_aggregates_and_reduce_combines()
    {
        var b = new StreamsBuilder();
        b.Stream("in", new Consumed<string, long>(Serdes.String, Serdes.Int64))
            .GroupBy((k, _) => k[..1], new Grouped<string, long>("byFirst") { KeySerde = Serdes.String })
            .Reduce((x, y) => x + y, "sum", new Materialized<string, long>("sums") { ValueSerde = Serdes.Int64 })
            .ToStream().To("out", new Produced<string, long>(Serdes.String, Serdes.Int64));
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.Int64);
        input.PipeInput("a1", 1, 1);
        input.PipeInput("a2", 2, 2);
        input.PipeInput("b1", 5, 3);
        Assert.Equal(["a:1@1", "a:3@2", "b:5@3"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.Int64).ReadRecordsToList()));
        Assert.Equal(3, d.Topics.ReadAll("app-byFirst-repartition").Count);
        Assert.Equal(3, d.Topics.ReadAll("app-sums-changelog").Count);
    }

    [Fact]
    public void Aggregate_over_table_subtracts_old_row_and_adds_new_row()
    {
        var b = new StreamsBuilder();
        b.Table("users", new Consumed<string, string>(Serdes.String, Serdes.String), new Materialized<string, string>("users-store"))
            .GroupBy((user, region) => (region, user), new Grouped<string, string>("byRegion") { KeySerde = Serdes.String, ValueSerde = Serdes.String })
            .Count("cnt", new Materialized<string, long?>("region-counts"))
            .ToStream().To("out", new Produced<string, long?>(Serdes.String, Serdes.NullableInt64));
        using var d = Driver(b);
        var input = d.CreateInputTopic("users", Serdes.String, Serdes.String);
        var output = d.CreateOutputTopic("out", Serdes.String, Serdes.NullableInt64);
        input.PipeInput("alice", "eu", 1);
        input.PipeInput("bob", "eu", 2);
        input.PipeInput("alice", "us", 3);
        input.PipeInput("bob", "eu", 4);
        input.PipeInput("bob", null!, 5);
        Assert.Equal(["eu:1@1", "eu:2@2", "eu:1@3", "us:1@3", "eu:1@4", "eu:0@5"], Show(output.ReadRecordsToList()));
    }

    [Fact]
    public void Table_aggregate_with_reference_result_deletes_group_when_it_becomes_null()
    {
        var b = new StreamsBuilder();
        b.Table("t", new Consumed<string, string>(Serdes.String, Serdes.String))
            .GroupBy((k, v) => (v, k), new Grouped<string, string>("g") { KeySerde = Serdes.String, ValueSerde = Serdes.String })
            .Aggregate<string>(
                () => null!,
                (_, v, agg) => agg is null ? v : agg + "," + v,
                (_, v, agg) =>
                {
                    var rest = agg.Split(',').Where(x => x != v).ToArray();
                    return rest.Length == 0 ? null! : string.Join(",", rest);
                },
                "agg",
                new Materialized<string, string>("members") { ValueSerde = Serdes.String })
            .ToStream().To("out", StringProduced);
        using var d = Driver(b);
        var input = d.CreateInputTopic("t", Serdes.String, Serdes.String);
        input.PipeInput("x", "g1", 1);
        input.PipeInput("y", "g1", 2);
        input.PipeInput("x", null!, 3);
        input.PipeInput("y", null!, 4);
        Assert.Equal(["g1:x@1", "g1:x,y@2", "g1:y@3", "g1:null@4"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
    }
}
