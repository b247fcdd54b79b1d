namespace Rhei.Connect.Runtime;

/// <summary>Lets loops wait while a connector is paused.</summary>
internal sealed class PauseGate
{
    private readonly object _lock = new();
    private TaskCompletionSource? _resumed;

    public bool IsPaused
    {
        get
        {
            lock (_lock)
            {
                return _resumed is not null;
            }
        }
    }

    public void Pause()
    {
        lock (_lock)
        {
            _resumed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Resume()
    {
        TaskCompletionSource? resumed;
        lock (_lock)
        {
            resumed = _resumed;
            _resumed = null;
        }

        resumed?.TrySetResult();
    }

    /// <summary>Completes at once when not paused, else when resumed.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Task? wait;
        lock (_lock)
        {
            wait = _resumed?.Task;
        }

        return wait is null ? Task.CompletedTask : wait.WaitAsync(cancellationToken);
    }
}
