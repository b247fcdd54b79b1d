using System.Diagnostics;
using System.Globalization;
using Rhei.Benchmarks.Harness;

namespace Rhei.Benchmarks.Cases.Broker;

/// <summary>The <see cref="LoadClient"/> child process seen from the benchmark: its progress counters and its CPU time.</summary>
internal sealed class ClientProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<LatencySummary> _latency = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _errors = [];
    private Stats _latest;

    private ClientProcess(Process process)
    {
        _process = process;
    }

    /// <summary>One progress line: seconds since the client started, records consumed and produced so far.</summary>
    public readonly record struct Stats(double Seconds, long Consumed, long Produced);

    public Stats Latest
    {
        get
        {
            lock (_errors)
            {
                return _latest;
            }
        }
    }

    /// <summary>CPU time the client process has used (user + kernel, all its threads).</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static ClientProcess Start(IReadOnlyDictionary<string, string> arguments)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find the benchmark executable.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ClientProcess).Assembly.Location);
        }

        start.ArgumentList.Add("client");
        foreach (var (name, value) in arguments)
        {
            start.ArgumentList.Add("--" + name);
            start.ArgumentList.Add(value);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the client process.");
        var client = new ClientProcess(process);
        process.OutputDataReceived += (_, e) => client.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (client._errors)
                {
                    client._errors.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _latency.TrySetException(new InvalidOperationException($"The client process ended without a latency line. {string.Join('\n', _errors.TakeLast(20))}"));
            return;
        }

        var parts = line.Split(' ');
        if (parts[0] == "stats" && parts.Length == 4)
        {
            lock (_errors)
            {
                _latest = new Stats(double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
            }
        }
        else if (parts[0] == "latency" && parts.Length == 8)
        {
            double D(int i) => double.Parse(parts[i], CultureInfo.InvariantCulture);
            _latency.TrySetResult(new LatencySummary(long.Parse(parts[1], CultureInfo.InvariantCulture), D(2), D(3), D(4), D(5), D(6), D(7)));
        }
    }

    /// <summary>Waits until the client has run for <paramref name="seconds"/> (by its own clock).</summary>
    public async Task WaitUntilAsync(double seconds, CancellationToken cancellationToken)
    {
        while (Latest.Seconds < seconds)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The client process exited early: {string.Join('\n', _errors.TakeLast(20))}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Tells the client to stop and returns its latency summary.</summary>
    public async Task<LatencySummary> StopAsync()
    {
        await _process.StandardInput.WriteLineAsync("stop");
        await _process.StandardInput.FlushAsync();
        _process.StandardInput.Close();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(guard.Token);
        return await _latency.Task;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
