namespace Rhei.Engine.Execution;

/// <summary>
/// The command a statement runs as: its sequence number (the command topic offset), the query id recorded for it,
/// whether it is being replayed at start (queries start once the whole log has run), and whether another node wrote
/// it (read by the follower). In both cases its Kafka side effects — topics created or deleted — already happened.
/// </summary>
internal sealed record CommandContext(long Sequence, string? QueryId, bool Replaying, bool Remote = false)
{
    /// <summary>True when the node that first ran the command already created or deleted its topics.</summary>
    public bool SideEffectsDone => Replaying || Remote;
}
