using System.Globalization;
using Rhei.Benchmarks.Harness;

namespace Rhei.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Rhei.Benchmarks -- &lt;id&gt; [--warmup SECONDS] [--duration SECONDS]
/// [--param NAME=VALUE]... [--json FILE]</c>. <c>list</c> prints the ids.
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: Rhei.Benchmarks <id> [--warmup SECONDS] [--duration SECONDS] [--param NAME=VALUE]... [--json FILE]\n" +
        "       Rhei.Benchmarks list";

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            PrintList();
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] == "client")
        {
            // The Kafka clients of B1/B2, started by the benchmark as a child process.
            return await Cases.Broker.LoadClient.RunAsync(args);
        }

        if (args[0] == "list")
        {
            PrintList();
            return 0;
        }
        var definition = BenchmarkRegistry.Find(args[0]);
        if (definition is null)
        {
            Console.Error.WriteLine($"Unknown benchmark '{args[0]}'.");
            PrintList(Console.Error);
            return 2;
        }

        var warmUp = TimeSpan.FromSeconds(5);
        var duration = TimeSpan.FromSeconds(10);
        string? json = null;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--warmup" when value is not null:
                    warmUp = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
                    i++;
                    break;
                case "--duration" when value is not null:
                    duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
                    i++;
                    break;
                case "--json" when value is not null:
                    json = value;
                    i++;
                    break;
                case "--param" when value is not null && value.Contains('=', StringComparison.Ordinal):
                    parameters[value[..value.IndexOf('=', StringComparison.Ordinal)]] = value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..];
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"Unexpected argument '{args[i]}'.\n{Usage}");
                    return 2;
            }
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var started = DateTimeOffset.UtcNow;
        var meter = CpuWallMeter.Start();
        var context = new BenchmarkContext
        {
            WarmUp = warmUp,
            Duration = duration,
            Parameters = parameters,
            Output = Console.Out,
            CancellationToken = cancellation.Token,
        };
        Console.WriteLine($"{definition.Id}: warm-up {warmUp.TotalSeconds:0.#} s, measure {duration.TotalSeconds:0.#} s");
        var report = await definition.RunAsync(context);
        var (wall, _) = meter.Elapsed();
        report = report with
        {
            StartedAt = started,
            ProcessWallSeconds = wall.TotalSeconds,
            ProcessCpuSeconds = CpuWallMeter.ProcessCpu().TotalSeconds,
        };
        ReportPrinter.Print(report, Console.Out);
        if (json is not null)
        {
            ReportPrinter.WriteJson(report, json);
            Console.WriteLine($"   json      {json}");
        }
        return 0;
    }

    private static void PrintList(TextWriter? output = null)
    {
        output ??= Console.Out;
        output.WriteLine("benchmarks:");
        foreach (var b in BenchmarkRegistry.All)
        {
            output.WriteLine($"  {b.Id,-10} {b.Description}");
        }
    }
}
