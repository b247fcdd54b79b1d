using static Rhei.Streams.Tests.TestSupport;

namespace Rhei.Streams.Tests;

public class WindowTests
{
    private static (TopologyTestDriverHandle, Testing.TestInputTopic<string, string>, Testing.TestOutputTopic<Windowed<string>, long?>) Tumbling(TimeWindows windows, Materialized<string, long?>? materialized = null, bool suppress = false)
    {
        var b = new StreamsBuilder();
        var table = b.Stream("in", StringConsumed).GroupByKey().WindowedBy(windows).Count("cnt", materialized ?? new Materialized<string, long?>("win"));
        if (suppress) { table = table.Suppress(Suppressed.UntilWindowCloses<string>("sup")); }
        var windowedSerde = WindowedSerdes.TimeWindowed(Serdes.String, windows.SizeMs);
        table.ToStream().To("out", new Produced<Windowed<string>, long?>(windowedSerde, Serdes.NullableInt64));
        var d = Driver(b);
        return (new TopologyTestDriverHandle(d), d.CreateInputTopic("in", Serdes.String, Serdes.String), d.CreateOutputTopic("out", windowedSerde, Serdes.NullableInt64));
    }

    [Fact]
    public void Tumbling_window_record_at_window_end_belongs_to_next_window()
    {
        var (h, input, output) = Tumbling(TimeWindows.OfSizeAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)));
        using var _ = h;
        input.PipeInput("a", "x", 0);
        input.PipeInput("a", "x", 9);
        input.PipeInput("a", "x", 10);
        Assert.Equal(["a[0,10]:1@0", "a[0,10]:2@9", "a[10,20]:1@10"], ShowW(output.ReadRecordsToList()));
    }

    [Fact]
    public void Record_late_by_one_ms_past_grace_is_dropped()
    {
        var (h, input, output) = Tumbling(TimeWindows.OfSizeAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(5)));
        using var _ = h;
        input.PipeInput("a", "x", 0);
        input.PipeInput("a", "x", 14);   // stream time 14: window [0,10) closes at 15
        input.PipeInput("a", "x", 9);    // accepted: 10 > 14 - 5
        input.PipeInput("a", "x", 15);   // stream time 15: close time 10
        input.PipeInput("a", "x", 8);    // late by one: end 10 <= close time 10
        Assert.Equal(["a[0,10]:1@0", "a[10,20]:1@14", "a[0,10]:2@9", "a[10,20]:2@15"], ShowW(output.ReadRecordsToList()));
        Assert.Equal(1, h.Driver.DroppedRecords);
    }

    [Fact]
    public void Hopping_windows_count_a_record_in_every_overlapping_window()
    {
        var (h, input, output) = Tumbling(TimeWindows.OfSizeAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)).AdvanceBy(TimeSpan.FromMilliseconds(5)));
        using var _ = h;
        input.PipeInput("a", "x", 7);
        input.PipeInput("a", "x", 12);
        Assert.Equal(["a[0,10]:1@7", "a[5,15]:1@7", "a[5,15]:2@12", "a[10,20]:1@12"], ShowW(output.ReadRecordsToList()));
        var store = h.Driver.GetTimestampedWindowStore<string, long?>("win");
        Assert.Equal([0L, 5L, 10L], store.Fetch("a", 0, 100).Select(e => e.Key));
        Assert.Equal(2, store.FetchAll(5, 5).Single().Value.Value);
    }

    [Fact]
    public void Suppress_until_window_closes_emits_each_window_once_after_close()
    {
        var (h, input, output) = Tumbling(TimeWindows.OfSizeAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(5)), suppress: true);
        using var _ = h;
        input.PipeInput("a", "x", 1);
        input.PipeInput("b", "x", 2);
        input.PipeInput("a", "x", 3);
        input.PipeInput("a", "x", 12);
        Assert.Empty(output.ReadRecordsToList());
        input.PipeInput("c", "x", 14);
        Assert.Empty(output.ReadRecordsToList());
        input.PipeInput("c", "x", 15);  // stream time 15 = end 10 + grace 5: [0,10) closes
        Assert.Equal(["a[0,10]:2@3", "b[0,10]:1@2"], ShowW(output.ReadRecordsToList()));
        input.PipeInput("c", "x", 16);
        Assert.Empty(output.ReadRecordsToList());
        input.PipeInput("c", "x", 25);
        Assert.Equal(["a[10,20]:1@12", "c[10,20]:3@16"], ShowW(output.ReadRecordsToList()));
    }

    [Fact]
    public void Session_windows_merge_and_emit_tombstones_for_merged_sessions()
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed).GroupByKey()
            .WindowedBy(SessionWindows.OfInactivityGapAndGrace(TimeSpan.FromMilliseconds(30_000), TimeSpan.FromDays(1)))
            .Count("cnt", new Materialized<string, long?>("sessions"))
            .ToStream().To("out", new Produced<Windowed<string>, long?>(WindowedSerdes.SessionWindowed(Serdes.String), Serdes.NullableInt64));
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        var output = d.CreateOutputTopic("out", WindowedSerdes.SessionWindowed(Serdes.String), Serdes.NullableInt64);
        input.PipeInput("k", "v", 0);
        input.PipeInput("k", "v", 70_010);
        input.PipeInput("k", "v", 10_009);
        input.PipeInput("k", "v", 10_010);
        input.PipeInput("k", "v", 40_010);
        var got = output.ReadRecordsToList().Select(r => $"[{r.Key.Window.Start},{r.Key.Window.End}]:{r.Value?.ToString() ?? "null"}@{r.Timestamp}").ToList();
        Assert.Equal(
        [
            "[0,0]:1@0",
            "[70010,70010]:1@70010",
            "[0,0]:null@0",
            "[0,10009]:2@10009",
            "[0,10009]:null@10009",
            "[0,10010]:3@10010",
            "[0,10010]:null@10010",
            "[70010,70010]:null@70010",
            "[0,70010]:5@70010",
        ], got);
        var store = d.GetSessionStore<string, long?>("sessions");
        var session = Assert.Single(store.Fetch("k"));
        Assert.Equal(new Window(0, 70_010), session.Key.Window);
    }

    [Fact]
    public void Session_record_beyond_gap_plus_grace_is_dropped()
    {
        var b = new StreamsBuilder();
        b.Stream("in", StringConsumed).GroupByKey()
            .WindowedBy(SessionWindows.OfInactivityGapAndGrace(TimeSpan.FromMilliseconds(30_000), TimeSpan.FromMilliseconds(60_000)))
            .Count("cnt", new Materialized<string, long?>("sessions"))
            .ToStream().To("out", new Produced<Windowed<string>, long?>(WindowedSerdes.SessionWindowed(Serdes.String), Serdes.NullableInt64));
        using var d = Driver(b);
        var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
        input.PipeInput("k", "v", 0);
        input.PipeInput("k", "v", 100_010);
        input.PipeInput("k", "v", 10_009);  // 10009 < 100010 - 60000 - 30000: dropped
        input.PipeInput("k", "v", 10_010);
        var got = d.CreateOutputTopic("out", WindowedSerdes.SessionWindowed(Serdes.String), Serdes.NullableInt64).ReadRecordsToList()
            .Select(r => $"[{r.Key.Window.Start},{r.Key.Window.End}]@{r.Timestamp}").ToList();
        Assert.Equal(["[0,0]@0", "[100010,100010]@100010", "[10010,10010]@10010"], got);
    }
}

/// <summary>Disposes a driver created in a helper.</summary>
internal sealed class TopologyTestDriverHandle(Testing.TopologyTestDriver driver) : IDisposable
{
    public Testing.TopologyTestDriver Driver { get; } = driver;

    public void Dispose() => Driver.Dispose();
}

public class SuppressRestoreTests
{
    [Fact]
    public void Suppression_buffer_is_restored_from_its_changelog()
    {
        var topics = new Testing.TestTopics();
        var options = Options();
        StreamsBuilder Build()
        {
            var b = new StreamsBuilder();
            b.Stream("in", StringConsumed).GroupByKey()
                .WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.Zero))
                .Count("cnt", new Materialized<string, long?>("win"))
                .Suppress(Suppressed.UntilWindowCloses<string>("sup"))
                .ToStream().To("out", new Produced<Windowed<string>, long?>(WindowedSerdes.TimeWindowed(Serdes.String, 10), Serdes.NullableInt64));
            return b;
        }

        using (var d = Driver(Build(), options, topics))
        {
            var input = d.CreateInputTopic("in", Serdes.String, Serdes.String);
            input.PipeInput("a", "x", 1);
            input.PipeInput("a", "x", 2);
        }

        Assert.Equal(2, topics.ReadAll("app-sup-store-changelog").Count);
        using (var d = Driver(Build(), options, topics))
        {
            d.CreateInputTopic("in", Serdes.String, Serdes.String).PipeInput("b", "x", 10);
            Assert.Equal(["a[0,10]:2@2"], ShowW(d.CreateOutputTopic("out", WindowedSerdes.TimeWindowed(Serdes.String, 10), Serdes.NullableInt64).ReadRecordsToList()));
        }
    }
}
