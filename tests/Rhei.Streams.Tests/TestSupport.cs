using Rhei.Streams.Testing;

namespace Rhei.Streams.Tests;

/// <summary>Options and drivers for tests: a fresh temp state directory per test, changelogs on, no cache.</summary>
internal static class TestSupport
{
    public static StreamsOptions Options(string? appId = null, string? stateDir = null) => new()
    {
        ApplicationId = appId ?? "app",
        StateDir = stateDir ?? TempDir(),
    };

    private static readonly string Root = Path.Combine(Path.GetTempPath(), "rhei-streams-tests", Environment.ProcessId.ToString());

    static TestSupport()
    {
        // the test host may end without running exit handlers: remove what earlier, finished runs left
        var parent = Path.GetDirectoryName(Root)!;
        if (!Directory.Exists(parent)) { return; }
        foreach (var dir in Directory.GetDirectories(parent))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId || IsRunning(pid)) { continue; }
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A fresh directory under a per-process root (removed by a later test run once this process has ended).</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static TopologyTestDriver Driver(StreamsBuilder builder, StreamsOptions? options = null, TestTopics? topics = null, bool commitEveryRecord = true) =>
        new(builder.Build(), options ?? Options(), topics, commitEveryRecord);

    public static Consumed<string, string> StringConsumed => new(Serdes.String, Serdes.String);

    public static Produced<string, string> StringProduced => new(Serdes.String, Serdes.String);

    public static string Show<K, V>(TestRecord<K, V> r) => $"{r.Key}:{(r.Value is null ? "null" : r.Value.ToString())}@{r.Timestamp}";

    public static List<string> Show<K, V>(IEnumerable<TestRecord<K, V>> records) => [.. records.Select(Show)];

    public static string ShowW<K, V>(TestRecord<Windowed<K>, V> r) =>
        $"{r.Key.Key}[{r.Key.Window.Start},{r.Key.Window.End}]:{(r.Value is null ? "null" : r.Value.ToString())}@{r.Timestamp}";

    public static List<string> ShowW<K, V>(IEnumerable<TestRecord<Windowed<K>, V>> records) => [.. records.Select(ShowW)];
}
