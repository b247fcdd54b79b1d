namespace Rhei.Engine.Execution;

/// <summary>
/// The command a statement runs as: its sequence number (the command topic offset), the query id recorded for it, and
/// whether it is being replayed (its Kafka side effects — topics created or deleted — already happened).
/// </summary>
internal sealed record CommandContext(long Sequence, string? QueryId, bool Replaying);
