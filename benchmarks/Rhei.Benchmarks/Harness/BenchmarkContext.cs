using System.Globalization;

namespace Rhei.Benchmarks.Harness;

/// <summary>What a benchmark gets: phase lengths, free-form parameters (<c>--param name=value</c>), output, cancellation.</summary>
public sealed class BenchmarkContext
{
    public required TimeSpan WarmUp { get; init; }

    public required TimeSpan Duration { get; init; }

    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    public required TextWriter Output { get; init; }

    public CancellationToken CancellationToken { get; init; }

    public int GetInt(string name, int defaultValue) =>
        Parameters.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : defaultValue;

    public string GetString(string name, string defaultValue) => Parameters.GetValueOrDefault(name, defaultValue);

    /// <summary>Progress line, prefixed so it is easy to tell apart from the report.</summary>
    public void Log(string message) => Output.WriteLine($"   .. {message}");
}
