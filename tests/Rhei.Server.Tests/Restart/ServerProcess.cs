using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rhei.Server.Tests.Restart;

/// <summary>
/// <c>rhei server</c> as a child process (the built rhei.dll run by <c>dotnet</c>) on free loopback ports over a data
/// directory that outlives it, so a test can kill it (SIGKILL or SIGTERM) and start it again on the same data.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, int kafkaPort, int httpPort)
    {
        _process = process;
        KafkaPort = kafkaPort;
        HttpPort = httpPort;
    }

    public int KafkaPort { get; }

    public int HttpPort { get; }

    /// <summary>Where Kafka clients connect: this server's listener, or the external cluster it runs on.</summary>
    public string BootstrapServers => External ?? $"127.0.0.1:{KafkaPort}";

    /// <summary>The external cluster (bootstrap.servers) the server runs on, when it does.</summary>
    public string? External { get; private init; }

    public Uri RestAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>Everything the process wrote so far (for failure messages).</summary>
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

    /// <summary>Starts the server on <paramref name="dataDir"/> and waits until its REST API is ready.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDir, string? bootstrapServers = null)
    {
        var kafka = FreePort();
        var http = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "rhei.dll"), "server",
            "--set", $"log.dirs={Path.Combine(dataDir, "log")}",
            "--set", bootstrapServers is null ? $"listeners=PLAINTEXT://127.0.0.1:{kafka},HTTP://127.0.0.1:{http}" : $"listeners=HTTP://127.0.0.1:{http}",
            "--set", "ksql.service.id=restart_",
            "--set", "ksql.streams.commit.interval.ms=200",
            "--set", "ksql.streams.auto.offset.reset=earliest",
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (bootstrapServers is not null)
        {
            start.ArgumentList.Add("--set");
            start.ArgumentList.Add($"bootstrap.servers={bootstrapServers}");
        }

        foreach (var key in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(k => k.StartsWith("RHEI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process, kafka, http) { External = bootstrapServers };
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exited = process.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(server._ready.Task, exited, Task.Delay(Timeout.Infinite, timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        if (first != server._ready.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"rhei server did not become ready:\n{server.Output}");
        }

        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("REST API ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>kill -9: the process gets no chance to flush or stop anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM and waits for the process to exit by itself; returns its exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
