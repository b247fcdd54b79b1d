using Microsoft.Extensions.Logging;

namespace Rhei.Engine.Commands;

/// <summary>
/// The background loop that follows the command topic, as ksqlDB's command runner does: every
/// <c>interval</c> (or at once when woken) it takes the engine's statement gate — so that one writer changes the
/// metastore at a time — and runs the commands other nodes appended since. It stops when disposed; a command it is
/// running finishes first.
/// </summary>
internal sealed partial class CommandFollower(SemaphoreSlim gate, Func<CancellationToken, Task> followOnce, TimeSpan interval, ILogger logger) : IAsyncDisposable
{
    /// <summary>How long the loop waits after a failed round (the cluster unreachable, for example) before the next.</summary>
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Starts the next round now instead of after the interval.</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Woken already.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(failures == 0 ? interval : RetryBackoff, ct);
                await gate.WaitAsync(ct);
                try
                {
                    await followOnce(ct);
                }
                finally
                {
                    gate.Release();
                }

                if (failures > 0)
                {
                    LogRecovered(failures);
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (failures++ % 30 == 0)
                {
                    LogFollowFailed(e, e.Message, RetryBackoff.TotalSeconds);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is { } loop)
        {
            await loop;
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the command topic for commands of other nodes failed: {Error}. Retrying every {BackoffSeconds} s; statements sent to this node wait until it has caught up.")]
    private partial void LogFollowFailed(Exception e, string error, double backoffSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Following the command topic again after {Failures} failed rounds")]
    private partial void LogRecovered(int failures);
}
