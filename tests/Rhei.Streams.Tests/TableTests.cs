using static Rhei.Streams.Tests.TestSupport;

namespace Rhei.Streams.Tests;

public class TableTests
{
    [Fact]
    public void Materialized_source_table_upserts_deletes_and_drops_tombstones_for_unknown_keys()
    {
        var b = new StreamsBuilder();
        b.Table("in", StringConsumed, new Materialized<string, string>("store")).ToStream().To("out", StringProduced);
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        input.PipeInput("a", "1", 1);
        input.PipeInput("a", "2", 2);
        input.PipeInput("a", null!, 3);
        input.PipeInput("never", null!, 4);
        Assert.Equal(["a:1@1", "a:2@2", "a:null@3"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
        Assert.False(d.GetTimestampedKeyValueStore<string, string>("store").TryGet("a", out _));
    }

    [Fact]
    public void Unmaterialized_source_table_forwards_every_tombstone()
    {
        var b = new StreamsBuilder();
        b.Table("in", StringConsumed).ToStream().To("out", StringProduced);
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        input.PipeInput("a", "1", 1);
        input.PipeInput("a", null!, 2);
        input.PipeInput("b", null!, 3);
        Assert.Equal(["a:1@1", "a:null@2", "b:null@3"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
    }

    [Fact]
    public void Table_filter_turns_rows_that_stop_passing_into_tombstones()
    {
        var b = new StreamsBuilder();
        b.Table("in", StringConsumed, new Materialized<string, string>("src"))
            .Filter((_, v) => v.StartsWith('y'))
            .MapValues((_, v) => v.ToUpperInvariant())
            .ToStream().To("out", StringProduced);
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        input.PipeInput("a", "yes", 1);
        input.PipeInput("a", "no", 2);
        input.PipeInput("b", "no", 3);
        Assert.Equal(["a:YES@1", "a:null@2", "b:null@3"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
    }

    [Fact]
    public void Stream_toTable_materializes_latest_value()
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed).ToTable("tt", new Materialized<string, string>("latest")).ToStream().To("out", StringProduced);
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        input.PipeInput("a", "1", 1);
        input.PipeInput("a", "2", 2);
        Assert.Equal(["a:1@1", "a:2@2"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
        Assert.True(d.GetTimestampedKeyValueStore<string, string>("latest").TryGet("a", out var v));
        Assert.Equal("2", v.Value);
        var all = d.GetTimestampedKeyValueStore<string, string>("latest").All();
        Assert.Single(all);
    }
}
