using static Rhei.Streams.Tests.TestSupport;

namespace Rhei.Streams.Tests;

/// <summary>Emit-on-window-close (ksqlDB's EMIT FINAL), with the outputs ksqlDB's suppress cases show.</summary>
public class EmitFinalTests
{
    private static List<string> RunTimeWindows(TimeWindows windows, params (string Key, long Ts)[] records)
    {
        var b = new StreamsBuilder();
        var serde = WindowedSerdes.TimeWindowed(Serdes.String, windows.SizeMs);
        b.Stream("in", StringConsumed).GroupByKey().WindowedBy(windows).WithEmitStrategy(EmitStrategy.OnWindowClose)
            .Count("c", new Materialized<string, long?>("w"))
            .ToStream().To("out", new Produced<Windowed<string>, long?>(serde, Serdes.NullableInt64));
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        foreach (var (k, ts) in records) { input.PipeInput(k, "v", ts); }
        return ShowW(d.CreateOutputTopic("out", serde, Serdes.NullableInt64).ReadRecordsToList());
    }

    [Fact]
    public void Tumbling_windows_emit_once_when_closed_and_not_before()
    {
        var w = TimeWindows.OfSizeAndGrace(TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(1));
        Assert.Empty(RunTimeWindows(w, ("k1", 0), ("k1", 1)));
        Assert.Equal(["k1[2,4]:1@2"], RunTimeWindows(w, ("k1", 0), ("k1", 1), ("k1", 2), ("k1", 1), ("k1", 0), ("k1", 5), ("k1", 0)));
        Assert.Equal(["k1[2,4]:1@2"], RunTimeWindows(w, ("k1", 0), ("k2", 1), ("k1", 2), ("k1", 1), ("k2", 0), ("k1", 5), ("k1", 0), ("k2", 2)));
    }

    [Fact]
    public void Windows_that_left_the_store_before_closing_are_not_emitted()
    {
        var w = TimeWindows.OfSizeAndGrace(TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(2));
        Assert.Empty(RunTimeWindows(w, ("k1", 0), ("k1", 1), ("k1", 2), ("k1", 0), ("k1", 3), ("k1", 0), ("k1", 10), ("k1", 0), ("k1", 30)));
    }

    [Fact]
    public void Hopping_windows_emit_final_results()
    {
        var w = TimeWindows.OfSizeAndGrace(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(1)).AdvanceBy(TimeSpan.FromMilliseconds(2));
        Assert.Equal(["k1[0,5]:4@2", "k1[4,9]:2@6"], RunTimeWindows(w, ("k1", 0), ("k1", 1), ("k1", 2), ("k1", 1), ("k1", 6), ("k1", 5), ("k1", 10)));
    }

    [Fact]
    public void Session_windows_emit_final_results()
    {
        var b = new StreamsBuilder();
        var serde = WindowedSerdes.SessionWindowed(Serdes.String);
        b.Stream("in", StringConsumed).GroupByKey()
            .WindowedBy(SessionWindows.OfInactivityGapAndGrace(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(6)))
            .WithEmitStrategy(EmitStrategy.OnWindowClose)
            .Count("c", new Materialized<string, long?>("s"))
            .ToStream().To("out", new Produced<Windowed<string>, long?>(serde, Serdes.NullableInt64));
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        foreach (var ts in new long[] { 0, 4, 8, 12, 14, 30, 29, 17, 42 }) { input.PipeInput("k1", "v", ts); }
        Assert.Equal(["k1[0,14]:5@14", "k1[29,30]:2@30"], ShowW(d.CreateOutputTopic("out", serde, Serdes.NullableInt64).ReadRecordsToList()));
    }
}
