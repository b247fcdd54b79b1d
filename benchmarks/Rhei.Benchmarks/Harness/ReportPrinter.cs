using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rhei.Benchmarks.Harness;

/// <summary>Prints a report for people (always figure, baseline, ratio and CPU-seconds) and writes it as JSON.</summary>
public static class ReportPrinter
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Print(BenchmarkReport report, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"== {report.Id}: {report.Description}");
        foreach (var (name, value) in report.Parameters)
        {
            output.WriteLine($"   {name} = {value}");
        }
        output.WriteLine($"   result    {FormatFigure(report.Result)}");
        if (report.Latency is { } latency)
        {
            output.WriteLine($"             latency {FormatLatency(latency)}");
        }
        if (report.Baseline is { } baseline)
        {
            output.WriteLine($"   baseline  {FormatFigure(baseline)}");
            if (report.BaselineLatency is { } baselineLatency)
            {
                output.WriteLine($"             latency {FormatLatency(baselineLatency)}");
            }
            output.WriteLine($"   ratio     {report.Ratio?.ToString("0.000", CultureInfo.InvariantCulture) ?? "n/a"} (result / baseline)");
        }
        else
        {
            output.WriteLine($"   baseline  none: {report.NoBaselineReason ?? "no reason given"}");
            output.WriteLine("   ratio     n/a");
        }
        output.WriteLine(
            $"   process   {report.ProcessCpuSeconds:0.00} CPU-s in {report.ProcessWallSeconds:0.00} s wall " +
            $"({report.ProcessorCount} logical cores, warm-up included)");
    }

    public static void WriteJson(BenchmarkReport report, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        File.WriteAllText(path, JsonSerializer.Serialize(report, s_json) + "\n");
    }

    private static string FormatFigure(Figure f) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{f.Name}: {f.Value:#,0.###} {f.Unit}   [{f.CpuSeconds:0.00} CPU-s in {f.WallSeconds:0.00} s wall]");

    private static string FormatLatency(LatencySummary l) =>
        string.Create(CultureInfo.InvariantCulture,
            $"p50 {l.P50Ms:0.###} ms, p99 {l.P99Ms:0.###} ms, p99.9 {l.P999Ms:0.###} ms, max {l.MaxMs:0.###} ms ({l.Count:#,0} samples)");
}
