using Rhei.Configuration;

namespace Rhei.Cli;

/// <summary>Starts the server for a validated configuration and runs it until cancelled.</summary>
public static class ServerHost
{
    /// <summary>
    /// Runs the server until <paramref name="cancellationToken"/> is cancelled (Ctrl+C, SIGTERM) and returns the
    /// process exit code. The host maps the settings table onto each layer's options here.
    /// </summary>
    public static Task<int> RunAsync(RheiConfig config, TextWriter output, CancellationToken cancellationToken)
    {
        // Not wired yet: the lead starts the storage, broker, engine and REST API here (mapping `config` onto each
        // layer's options), waits for `cancellationToken`, then stops them in reverse order.
        _ = config;
        cancellationToken.ThrowIfCancellationRequested();
        output.WriteLine(
            "rhei server: the configuration is valid, but the broker, engine and REST API are not wired into " +
            "ServerHost.RunAsync yet, so nothing was started.");
        return Task.FromResult(0);
    }
}
