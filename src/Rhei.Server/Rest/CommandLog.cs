using Rhei.Server.Rest.Entities;

namespace Rhei.Server.Rest;

/// <summary>
/// The commands this server has run: the status of each by command id (for <c>/status</c>) and the highest sequence
/// number, which a <c>/ksql</c> request's <c>commandSequenceNumber</c> waits for.
/// </summary>
internal sealed class CommandLog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CommandStatus> _statuses = new(StringComparer.Ordinal);
    private readonly List<(long Sequence, TaskCompletionSource Reached)> _waiters = [];
    private long _highest = -1;

    public long HighestSequenceNumber
    {
        get
        {
            lock (_lock)
            {
                return _highest;
            }
        }
    }

    public void Record(CommandStatusEntity command)
    {
        List<TaskCompletionSource>? reached = null;
        lock (_lock)
        {
            _statuses[command.CommandId] = command.CommandStatus;
            if (command.CommandSequenceNumber > _highest)
            {
                _highest = command.CommandSequenceNumber;
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Sequence <= _highest)
                    {
                        (reached ??= []).Add(_waiters[i].Reached);
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }

        reached?.ForEach(r => r.TrySetResult());
    }

    public CommandStatus? Get(string commandId)
    {
        lock (_lock)
        {
            return _statuses.GetValueOrDefault(commandId);
        }
    }

    public Dictionary<string, string> All()
    {
        lock (_lock)
        {
            return _statuses.ToDictionary(s => s.Key, s => s.Value.Status, StringComparer.Ordinal);
        }
    }

    /// <summary>Waits until the command with <paramref name="sequence"/> has run; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForAsync(long sequence, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        TaskCompletionSource reached;
        lock (_lock)
        {
            if (sequence <= _highest)
            {
                return true;
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((sequence, reached));
        }

        try
        {
            await reached.Task.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                _waiters.RemoveAll(w => w.Reached == reached);
            }

            return false;
        }
    }
}
