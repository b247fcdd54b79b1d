using Rhei.Server.Rest.Entities;

namespace Rhei.Server.Rest;

/// <summary>
/// The commands this server has run — for its own requests, replayed at start, or written by other nodes and run by
/// the engine's follower: the status of each by command id (for <c>/status</c>) and the highest sequence number.
/// A <c>/ksql</c> request's <c>commandSequenceNumber</c> waits on the engine (<c>RheiEngine.WaitForCommandAsync</c>).
/// </summary>
internal sealed class CommandLog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CommandStatus> _statuses = new(StringComparer.Ordinal);
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
        lock (_lock)
        {
            _statuses[command.CommandId] = command.CommandStatus;
            _highest = Math.Max(_highest, command.CommandSequenceNumber);
        }
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
}
