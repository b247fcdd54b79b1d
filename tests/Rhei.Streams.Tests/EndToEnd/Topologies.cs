using System.Text;
using Rhei.Streams.State;
using Rhei.Streams.Testing;

namespace Rhei.Streams.Tests.EndToEnd;

/// <summary>An input record of an end-to-end test: topic, key, value, timestamp.</summary>
public sealed record Input(string Topic, string? Key, string? Value, long Timestamp);

/// <summary>
/// The topologies the end-to-end tests run, the same code on every client, and their expected output computed by
/// the <see cref="TopologyTestDriver"/> over the same input (partitioned by the same default partitioner).
/// Outputs are string-keyed; counts are written as decimal strings so that every output reads the same way.
/// </summary>
public static class Topologies
{
    private static readonly Consumed<string, string> Strings = new(Serdes.String, Serdes.String);
    private static readonly Produced<string, string> StringsOut = new(Serdes.String, Serdes.String);

    /// <summary>Filter, map values, flat-map: "in" → "out".</summary>
    public static Topology Stateless()
    {
        var b = new StreamsBuilder();
        b.Stream("in", Strings)
            .Filter((_, v) => !v.StartsWith('x'))
            .MapValues((_, v) => v.ToUpperInvariant())
            .FlatMapValues((_, v) => v.Split('+'))
            .To("out", StringsOut);
        return b.Build();
    }

    /// <summary>Count per value (a re-key through a repartition topic), in-memory store "counts".</summary>
    public static Topology CountByKey()
    {
        var b = new StreamsBuilder();
        b.Stream("in", Strings)
            .GroupBy((_, v) => v, new Grouped<string, string>("by-value") { KeySerde = Serdes.String, ValueSerde = Serdes.String })
            .Count("count", new Materialized<string, long?>("counts"))
            .ToStream()
            .MapValues((_, c) => c!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .To("out", StringsOut);
        return b.Build();
    }

    /// <summary>
    /// Count per key in tumbling 10-second windows with 5 seconds of grace, in a RocksDB window store "window-counts";
    /// outputs are keyed "key@windowStart".
    /// </summary>
    public static Topology WindowedCount(StoreType storeType = StoreType.RocksDb)
    {
        var b = new StreamsBuilder();
        b.Stream("in", Strings)
            .GroupByKey(new Grouped<string, string> { KeySerde = Serdes.String, ValueSerde = Serdes.String })
            .WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)))
            .Count("window-count", new Materialized<string, long?>("window-counts") { StoreType = storeType, KeySerde = Serdes.String, ValueSerde = Serdes.NullableInt64 })
            .ToStream()
            .Map((w, c) => (WindowKey(w), c!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), keySerde: Serdes.String, valueSerde: Serdes.String)
            .To("out", StringsOut);
        return b.Build();
    }

    public static string WindowKey(Windowed<string> w) => $"{w.Key}@{w.Window.Start}";

    /// <summary>Clicks ("clicks", keyed by user) joined with the users table ("users": user → region), left join.</summary>
    public static Topology StreamTableJoin()
    {
        var b = new StreamsBuilder();
        var users = b.Table("users", Strings, new Materialized<string, string>("users-store") { KeySerde = Serdes.String, ValueSerde = Serdes.String });
        b.Stream("clicks", Strings)
            .LeftJoin(users, (_, click, region) => $"{click}/{region ?? "none"}", new Joined<string, string, string> { KeySerde = Serdes.String, ValueSerde = Serdes.String, OtherValueSerde = Serdes.String })
            .To("out", StringsOut);
        return b.Build();
    }

    /// <summary>Runs the topology in the test driver over the inputs (partitioned as a producer would) and returns every record of "out".</summary>
    public static List<TestTopicRecord> Expected(Topology topology, IReadOnlyDictionary<string, int> partitions, IEnumerable<Input> inputs)
    {
        var topics = new TestTopics();
        foreach (var (topic, count) in partitions) { topics.CreateTopic(topic, count); }
        var options = TestSupport.Options("expected");
        using (var driver = new TopologyTestDriver(topology, options, topics))
        {
            var pipes = partitions.Keys.ToDictionary(t => t, t => driver.CreateInputTopic(t, Serdes.String, Serdes.String));
            foreach (var i in inputs) { pipes[i.Topic].PipeInput(i.Key!, i.Value!, i.Timestamp); }
        }

        return topics.Exists("out") ? [.. topics.ReadAll("out")] : [];
    }

    public static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    public static byte[]? Bytes(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);

    /// <summary>Records as "key=value@timestamp", sorted (for comparing multisets).</summary>
    public static List<string> Sorted(IEnumerable<(byte[]? Key, byte[]? Value, long Timestamp)> records) =>
        [.. records.Select(r => $"{Text(r.Key)}={Text(r.Value) ?? "null"}@{r.Timestamp}").Order(StringComparer.Ordinal)];

    /// <summary>The values written per key, in the order written (one key's updates all go to one partition).</summary>
    public static Dictionary<string, List<string?>> UpdatesPerKey(IEnumerable<(byte[]? Key, byte[]? Value)> records)
    {
        var result = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        foreach (var (k, v) in records)
        {
            var key = Text(k) ?? "";
            if (!result.TryGetValue(key, out var list)) { result[key] = list = []; }
            list.Add(Text(v));
        }

        return result;
    }

    /// <summary>The last value written per key.</summary>
    public static Dictionary<string, string?> LastPerKey(IEnumerable<(byte[]? Key, byte[]? Value)> records) =>
        UpdatesPerKey(records).ToDictionary(e => e.Key, e => e.Value[^1], StringComparer.Ordinal);
}
