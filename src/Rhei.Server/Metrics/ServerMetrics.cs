using System.Diagnostics.Metrics;
using Rhei.Server.Console;

namespace Rhei.Server.Metrics;

/// <summary>
/// The server's own gauges on the Meter "Rhei.Server", observed at collection time: consumer-group lag per partition
/// (from the last lag computation, refreshed every 5 s and before each scrape), and the engine's persistent queries by
/// state and its streams and tables.
/// </summary>
internal sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "Rhei.Server";

    private readonly Meter _meter;

    public ServerMetrics(WebConsole console)
    {
        _meter = new Meter(new MeterOptions(MeterName) { Scope = console });
        _meter.CreateObservableGauge("rhei.consumer_group.lag", () => Lag(console), "{record}",
            "Records between a consumer group's committed offset and the end of the partition.");
        _meter.CreateObservableGauge("rhei.engine.queries", () => QueriesByState(console), "{query}",
            "Persistent queries, per state.");
        _meter.CreateObservableGauge("rhei.engine.sources", () => SourcesByType(console), "{source}",
            "Streams and tables in the metastore.");
    }

    private static IEnumerable<Measurement<long>> Lag(WebConsole console)
    {
        foreach (var group in console.LastLag)
        {
            foreach (var p in group.Partitions)
            {
                if (p.Lag >= 0)
                {
                    yield return new Measurement<long>(p.Lag,
                        new KeyValuePair<string, object?>("consumer_group", group.GroupId),
                        new KeyValuePair<string, object?>("topic", p.Topic),
                        new KeyValuePair<string, object?>("partition", p.Partition));
                }
            }
        }
    }

    private static IEnumerable<Measurement<long>> QueriesByState(WebConsole console)
    {
        var queries = console.Queries();
        foreach (var state in Enum.GetValues<Engine.Metastore.QueryState>())
        {
            yield return new Measurement<long>(queries.Count(q => q.State == state), new KeyValuePair<string, object?>("state", state.ToString().ToUpperInvariant()));
        }
    }

    private static IEnumerable<Measurement<long>> SourcesByType(WebConsole console)
    {
        var sources = console.Sources();
        yield return new Measurement<long>(sources.Count(s => !s.IsTable), new KeyValuePair<string, object?>("type", "STREAM"));
        yield return new Measurement<long>(sources.Count(s => s.IsTable), new KeyValuePair<string, object?>("type", "TABLE"));
    }

    public void Dispose() => _meter.Dispose();
}
