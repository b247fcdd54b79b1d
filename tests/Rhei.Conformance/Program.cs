using System.Diagnostics;
using System.Text.Json;

namespace Rhei.Conformance;

/// <summary>
/// Runs ksqlDB's query-validation cases against Rhei:
/// <c>dotnet run --project tests/Rhei.Conformance -c Release -- [--dir DIR] [--filter TEXT] [--report FILE]
/// [--baseline FILE] [--update-baseline] [--failures] [--parallel N] [--rest]</c>. Ends with <c>conformance: N passed, N failed</c>;
/// exits 1 when a baseline is given and the pass count fell below it (overall or for a file). <c>--rest</c> (implied
/// for a folder named <c>rqtt</c>) runs REST query-validation cases against a real server over HTTP
/// (<see cref="Rest.RestCaseRunner"/>).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        string? dir = null, filter = null, report = null, baseline = null;
        var updateBaseline = false;
        var rest = false;
        var showFailures = true;
        var parallel = Environment.ProcessorCount;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--dir": dir = args[++i]; break;
                case "--filter": filter = args[++i]; break;
                case "--report": report = args[++i]; break;
                case "--baseline": baseline = args[++i]; break;
                case "--update-baseline": updateBaseline = true; break;
                case "--quiet": showFailures = false; break;
                case "--rest": rest = true; break;
                case "--parallel": parallel = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"Unknown argument {args[i]}. Usage: [--dir DIR] [--filter TEXT] [--report FILE] [--baseline FILE] [--update-baseline] [--quiet] [--parallel N] [--rest]");
                    return 2;
            }
        }

        dir ??= Path.Combine(SharedDir(), "conformance", "ksql", rest ? "rqtt" : "qtt");
        rest |= Path.GetFileName(Path.TrimEndingDirectorySeparator(dir)) == "rqtt";
        if (!Directory.Exists(dir))
        {
            Console.Error.WriteLine($"No such directory: {dir} (set RHEI_SHARED_DIR or pass --dir)");
            return 2;
        }

        var cases = Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal)
            .SelectMany(QttCase.Load)
            .Where(c => filter is null || c.DisplayName.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var watch = Stopwatch.StartNew();
        var results = new CaseResult[cases.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel) }, async (i, _) =>
        {
            results[i] = rest ? await new Rest.RestCaseRunner(cases[i]).RunAsync() : await new CaseRunner(cases[i]).RunAsync();
        });

        if (showFailures)
        {
            foreach (var r in results.Where(r => r.Status == CaseStatus.Failed))
            {
                Console.WriteLine($"FAIL {r.Case.DisplayName}: {OneLine(r.Reason)}");
            }
        }

        var perFile = results.GroupBy(r => r.Case.File).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        Console.WriteLine();
        foreach (var g in perFile)
        {
            Console.WriteLine($"{g.Key,-40} {g.Count(r => r.Status == CaseStatus.Passed),4} passed {g.Count(r => r.Status == CaseStatus.Failed),4} failed{(g.Any(r => r.Status == CaseStatus.Disabled) ? $" {g.Count(r => r.Status == CaseStatus.Disabled),3} disabled" : "")}");
        }

        var passed = results.Count(r => r.Status == CaseStatus.Passed);
        var failed = results.Count(r => r.Status == CaseStatus.Failed);
        var disabled = results.Count(r => r.Status == CaseStatus.Disabled);
        var plain = results.Where(r => r.Status != CaseStatus.Disabled && !r.NeedsSchemaRegistry).ToList();
        var sr = results.Where(r => r.Status != CaseStatus.Disabled && r.NeedsSchemaRegistry).ToList();
        Console.WriteLine();
        Console.WriteLine($"without schema registry: {plain.Count(r => r.Status == CaseStatus.Passed)} of {plain.Count} passed ({Percent(plain)}); " +
            $"with schema-registry formats: {sr.Count(r => r.Status == CaseStatus.Passed)} of {sr.Count} passed ({Percent(sr)}); {disabled} disabled; {watch.Elapsed.TotalSeconds:F1} s");
        var byCase = results.Where(r => r.Status != CaseStatus.Disabled).GroupBy(r => (r.Case.File, r.Case.Index)).ToList();
        Console.WriteLine($"by case (all of a case's format/config expansions pass): {byCase.Count(g => g.All(r => r.Status == CaseStatus.Passed))} of {byCase.Count} cases passed");
        Console.WriteLine($"conformance: {passed} passed, {failed} failed");

        if (report is not null)
        {
            await WriteReportAsync(report, results);
        }

        var exit = 0;
        if (baseline is not null)
        {
            exit = Baseline.Check(baseline, passed, perFile.ToDictionary(g => g.Key, g => g.Count(r => r.Status == CaseStatus.Passed)), updateBaseline, filter is not null);
        }

        return exit;
    }

    private static string Percent(List<CaseResult> list) =>
        list.Count == 0 ? "n/a" : $"{100.0 * list.Count(r => r.Status == CaseStatus.Passed) / list.Count:F1} %";

    private static string OneLine(string s)
    {
        var line = s.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    private static async Task WriteReportAsync(string path, IEnumerable<CaseResult> results)
    {
        var entries = results.Select(r => new
        {
            file = r.Case.File,
            name = r.Case.Name,
            expansion = r.Case.Expansion,
            status = r.Status.ToString().ToLowerInvariant(),
            needsSchemaRegistry = r.NeedsSchemaRegistry,
            reason = r.Reason,
        });
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, entries, new JsonSerializerOptions { WriteIndented = true });
    }

    internal static string SharedDir()
    {
        var env = Environment.GetEnvironmentVariable("RHEI_SHARED_DIR");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            var d = new DirectoryInfo(start);
            while (d is not null && !File.Exists(Path.Combine(d.FullName, "Rhei.slnx")))
            {
                d = d.Parent;
            }

            if (d is not null)
            {
                return Path.Combine(d.FullName, "..", "shared");
            }
        }

        return Path.Combine("..", "shared");
    }
}
