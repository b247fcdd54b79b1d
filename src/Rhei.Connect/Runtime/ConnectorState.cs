namespace Rhei.Connect.Runtime;

/// <summary>The state of a connector or task, as Kafka Connect reports it (shown upper case: RUNNING, FAILED, ...).</summary>
public enum ConnectorState
{
    /// <summary>Created, not started yet (or between a failure and the next start of a task that never ran).</summary>
    Unassigned,
    Running,
    Paused,
    Failed,
}

public static class ConnectorStateNames
{
    /// <summary>The state as Kafka Connect and ksqlDB print it: <c>RUNNING</c>.</summary>
    public static string ToDisplay(this ConnectorState state) => state switch
    {
        ConnectorState.Unassigned => "UNASSIGNED",
        ConnectorState.Running => "RUNNING",
        ConnectorState.Paused => "PAUSED",
        _ => "FAILED",
    };
}
