using System.Diagnostics;
using System.Text;

namespace Rhei.Broker.Tests.Support;

/// <summary>
/// <c>rhei server</c> as a child process: the build output of src/Rhei.Cli (copied next to the test assembly,
/// run with <c>dotnet rhei.dll</c>) on a given data directory and port.
/// </summary>
internal sealed class RheiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RheiProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    /// <summary>Starts the server and waits until its Kafka listener is ready.</summary>
    public static async Task<RheiProcess> StartAsync(string dataDir, int port, params string[] settings)
    {
        var rhei = Path.Combine(AppContext.BaseDirectory, "rhei.dll");
        Assert.True(File.Exists(rhei), $"{rhei} is missing: the test project references src/Rhei.Cli, whose build output should be copied there.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(rhei);
        start.ArgumentList.Add("server");
        foreach (var setting in (string[])[$"log.dirs={dataDir}", $"listeners=PLAINTEXT://127.0.0.1:{port}", .. settings])
        {
            start.ArgumentList.Add("--set");
            start.ArgumentList.Add(setting);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("RHEI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start rhei server.");
        var server = new RheiProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await server._ready.Task.WaitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            await server.KillAsync();
            Assert.Fail($"rhei server did not report a ready Kafka listener within 60 s.\n{server.Output}");
        }

        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _ready.TrySetException(new InvalidOperationException($"rhei server exited before it was ready.\n{Output}"));
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("Kafka listener", StringComparison.Ordinal) && line.Contains("ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>Ends the process at once (SIGKILL), with nothing flushed or closed: a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the process to stop (SIGTERM, as a service manager would) and waits for it to exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        var kill = await ExternalTool.RunAsync("/bin/kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(kill.ExitCode == 0, kill.ToString());
        using var guard = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(guard.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
