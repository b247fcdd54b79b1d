using System.Diagnostics;
using System.Text;

namespace Rhei.Broker.Tests.Support;

/// <summary>The output of a finished child process.</summary>
internal sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Runs the third-party clients the tests drive (kcat, kafka-python). A missing tool fails the test with the
/// command that installs it; it is never skipped silently.
/// </summary>
internal static class ExternalTool
{
    public const string Kcat = "/usr/bin/kcat";

    /// <summary>Debian's python, which has python3-kafka; the pyenv python3 on PATH does not.</summary>
    public const string Python = "/usr/bin/python3";

    public static void RequireKcat()
    {
        if (!File.Exists(Kcat))
        {
            Assert.Fail($"{Kcat} is missing. Install it with `sudo apt-get install -y kcat` (scripts/test.sh does this).");
        }
    }

    public static async Task RequireKafkaPythonAsync()
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing. Install it with `sudo apt-get install -y python3 python3-kafka` (scripts/test.sh does this).");
        }

        var probe = await RunAsync(Python, ["-c", "import kafka; print(kafka.__version__)"], timeout: TimeSpan.FromSeconds(30));
        if (probe.ExitCode != 0)
        {
            Assert.Fail($"kafka-python is not installed for {Python}. Install it with `sudo apt-get install -y python3-kafka` (scripts/test.sh does this).\n{probe}");
        }
    }

    /// <summary>Runs a program to completion (killing it after <paramref name="timeout"/>), feeding <paramref name="input"/> to its stdin.</summary>
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, string? input = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var readOut = PumpAsync(process.StandardOutput, stdout);
        var readErr = PumpAsync(process.StandardError, stderr);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await Task.WhenAll(readOut, readErr);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within {timeout ?? TimeSpan.FromSeconds(60)}.\n{new ProcessResult(-1, stdout.ToString(), stderr.ToString())}");
        }

        await Task.WhenAll(readOut, readErr);
        return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }

    /// <summary>Runs a kafka-python script (text) with Debian's python.</summary>
    public static async Task<ProcessResult> RunPythonAsync(string script, TimeSpan? timeout = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rhei-kafka-python-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(path, script);
        try
        {
            return await RunAsync(Python, [path], timeout: timeout ?? TimeSpan.FromSeconds(90));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
