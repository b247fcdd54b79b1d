using Microsoft.Extensions.Logging;

namespace Rhei.Connect.Runtime;

/// <summary>
/// Runs one task and keeps it running: a failure marks it FAILED with the error, and it is started again after a
/// backoff (<see cref="RetryPolicy"/>); the first success after a start marks it RUNNING again.
/// </summary>
internal abstract class TaskWorker
{
    private readonly object _lock = new();
    private ConnectorState _state = ConnectorState.Unassigned;
    private string? _error;
    private string? _trace;
    private int _restarts;
    private long _records;

    protected TaskWorker(ConnectorWorker owner, int id, IReadOnlyDictionary<string, string> config)
    {
        Owner = owner;
        Id = id;
        Config = config;
        Logger = owner.Services.LoggerFactory.CreateLogger(GetType());
    }

    public int Id { get; }

    protected ConnectorWorker Owner { get; }

    protected IReadOnlyDictionary<string, string> Config { get; }

    protected ILogger Logger { get; }

    public TaskStatus Status()
    {
        lock (_lock)
        {
            var state = _state == ConnectorState.Running && Owner.Gate.IsPaused ? ConnectorState.Paused : _state;
            return new TaskStatus(Id, state, Owner.Services.Options.WorkerId, _error, _trace) { Restarts = _restarts, Records = Interlocked.Read(ref _records) };
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = Owner.CreateRetryPolicy();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Owner.Gate.WaitAsync(cancellationToken);
                await RunOnceAsync(retry, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                var message = ErrorTrace.Message(e);
                lock (_lock)
                {
                    _state = ConnectorState.Failed;
                    _error = message;
                    _trace = ErrorTrace.Summarize(e);
                }

                var wait = retry.Failed();
                if (wait is null)
                {
                    ConnectLog.TaskGaveUp(Logger, Owner.Name, Id, message);
                    await Owner.WaitForRestartAsync(cancellationToken);
                    retry.Succeeded();
                }
                else
                {
                    ConnectLog.TaskFailed(Logger, Owner.Name, Id, message, (long)wait.Value.TotalMilliseconds, e);
                    try
                    {
                        await Task.Delay(wait.Value, Owner.Services.Time, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                lock (_lock)
                {
                    _restarts++;
                }
            }
        }
    }

    /// <summary>Starts the task and runs it until cancelled; throws on failure (the caller restarts it).</summary>
    protected abstract Task RunOnceAsync(RetryPolicy retry, CancellationToken cancellationToken);

    /// <summary>The task started (or worked again) after a failure: RUNNING, error cleared.</summary>
    protected void MarkRunning(RetryPolicy retry)
    {
        bool changed;
        lock (_lock)
        {
            changed = _state != ConnectorState.Running;
            _state = ConnectorState.Running;
            _error = null;
            _trace = null;
        }

        retry.Succeeded();
        if (changed)
        {
            ConnectLog.TaskRunning(Logger, Owner.Name, Id);
        }
    }

    protected void CountRecords(int count) => Interlocked.Add(ref _records, count);
}
