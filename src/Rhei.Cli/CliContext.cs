using Rhei.Configuration;

namespace Rhei.Cli;

/// <summary>
/// What a command reads from and writes to: standard output and error, the environment variables, and whether
/// Ctrl+C/SIGTERM are turned into cancellation (only for a real process; tests run commands in-process).
/// </summary>
public sealed record CliContext(
    TextWriter Output,
    TextWriter Error,
    IReadOnlyDictionary<string, string> Environment,
    bool HandleTermination)
{
    /// <summary>The real console and environment of this process.</summary>
    public static CliContext FromProcess() =>
        new(Console.Out, Console.Error, EnvironmentVariables.Current(), HandleTermination: true);
}
