using Rhei.Benchmarks.Cases;
using Rhei.Benchmarks.Cases.Broker;

namespace Rhei.Benchmarks.Harness;

/// <summary>A runnable benchmark: its id (as in BENCHMARKS.md), what it measures, and its body.</summary>
public sealed record BenchmarkDefinition(string Id, string Description, Func<BenchmarkContext, Task<BenchmarkReport>> RunAsync);

/// <summary>Every benchmark id the runner knows. Add new ones here (B1..B9 of BENCHMARKS.md as they are written).</summary>
public static class BenchmarkRegistry
{
    public static IReadOnlyList<BenchmarkDefinition> All { get; } =
    [
        SelfTest.Definition,
        BrokerBenchmarks.B1,
        BrokerBenchmarks.B1Kib,
        BrokerBenchmarks.B2,
        Cases.Streams.StreamsCount.Definition,
        Cases.Streams.StreamsWindow.Definition,
        Cases.Streams.StreamsRestore.Definition,
        Cases.Server.PullQueryBenchmark.Definition,
        Cases.Server.PushFanOutBenchmark.Definition,
        // B1 broker throughput, B2 broker latency, B3 Nexmark stateless, B4 windowed aggregation, B5 joins,
        // B6 pull queries, B7 push fan-out, B8 state restore, B9 Rhei vs Streamiz: register each here when written.
    ];

    public static BenchmarkDefinition? Find(string id) =>
        All.FirstOrDefault(b => string.Equals(b.Id, id, StringComparison.OrdinalIgnoreCase));
}
