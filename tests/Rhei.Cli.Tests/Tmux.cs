using System.Diagnostics;

namespace Rhei.Cli.Tests;

/// <summary>
/// A tmux session on a socket of its own running one command in a 200x50 terminal: keys in, screen text out.
/// Disposing kills this socket's tmux server (and only it).
/// </summary>
internal sealed class Tmux : IAsyncDisposable
{
    private readonly string _socket = "rhei-cli-tests-" + Guid.NewGuid().ToString("N")[..10];

    private Tmux()
    {
    }

    public static async Task<Tmux> StartAsync(string command)
    {
        var tmux = new Tmux();
        await tmux.RunAsync("new-session", "-d", "-s", "cli", "-x", "200", "-y", "50", command);
        return tmux;
    }

    /// <summary>Types <paramref name="text"/> literally, then Enter.</summary>
    public async Task TypeLineAsync(string text)
    {
        await RunAsync("send-keys", "-t", "cli", "-l", Escape(text));
        await RunAsync("send-keys", "-t", "cli", "Enter");
    }

    /// <summary>tmux reads an argument ending in ';' as a command separator; a backslash makes it literal.</summary>
    private static string Escape(string text) => text.EndsWith(';') ? text[..^1] + "\\;" : text;

    /// <summary>Sends tmux key names (C-c, Up, Enter, ...).</summary>
    public Task KeysAsync(params string[] keys) => RunAsync(["send-keys", "-t", "cli", .. keys]);

    /// <summary>The screen and the scrollback, as text.</summary>
    public Task<string> ScreenAsync() => RunAsync("capture-pane", "-p", "-t", "cli", "-S", "-2000");

    public async Task<bool> IsRunningAsync()
    {
        var (exit, _) = await ExecAsync("has-session", "-t", "cli");
        return exit == 0;
    }

    /// <summary>Waits until <paramref name="done"/> holds for the screen; fails with the screen when it does not in time.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> done, string what, int seconds = 60)
    {
        var screen = "";
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            screen = await ScreenAsync();
            if (done(screen))
            {
                return screen;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The screen did not show {what} within {seconds} s. Screen:\n{screen}");
        return screen;
    }

    /// <summary>Waits until <paramref name="text"/> appears <paramref name="count"/> times on the screen.</summary>
    public Task<string> WaitForTextAsync(string text, int count = 1, int seconds = 60) =>
        WaitForAsync(s => Occurrences(s, text) >= count, $"'{text}' ({count}x)", seconds);

    public static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync() => await ExecAsync("kill-server");

    private async Task<string> RunAsync(params string[] args)
    {
        var (exit, output) = await ExecAsync(args);
        Assert.True(exit == 0, $"tmux {string.Join(' ', args)} exited {exit}: {output}");
        return output;
    }

    private async Task<(int Exit, string Output)> ExecAsync(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
