namespace Rhei.Server.Rest.Entities;

/// <summary>
/// The result of a statement that changes the metastore (CREATE, DROP, TERMINATE, INSERT ... SELECT, ...):
/// <c>{"@type":"currentStatus","commandId":"stream/`S`/create","commandStatus":{...},"commandSequenceNumber":2}</c>.
/// </summary>
public sealed record CommandStatusEntity : KsqlEntity
{
    public string CommandId { get; init; } = "";

    public CommandStatus CommandStatus { get; init; } = new("SUCCESS", "");

    /// <summary>The command's position in the command log, or -1 when it was not written there.</summary>
    public long CommandSequenceNumber { get; init; } = -1;
}

/// <summary>QUEUED, PARSING, EXECUTING, TERMINATED, SUCCESS or ERROR, a message, and the query a CSAS/CTAS started.</summary>
public sealed record CommandStatus(string Status, string Message, string? QueryId = null);
