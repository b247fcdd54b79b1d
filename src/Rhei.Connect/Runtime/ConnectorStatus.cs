using Rhei.Connect.Plugins;

namespace Rhei.Connect.Runtime;

/// <summary>The state of one task: RUNNING, FAILED (with the error and its trace summary), PAUSED or UNASSIGNED.</summary>
public sealed record TaskStatus(int Id, ConnectorState State, string WorkerId, string? Error, string? Trace)
{
    /// <summary>How many times the task was started again after a failure.</summary>
    public int Restarts { get; init; }

    /// <summary>Records the task has written (source) or delivered (sink).</summary>
    public long Records { get; init; }
}

/// <summary>
/// A connector as DESCRIBE CONNECTOR shows it. <see cref="State"/> sums it up: FAILED when the connector or any task
/// failed, PAUSED when paused, RUNNING when it and its tasks run, UNASSIGNED before it started.
/// <see cref="ConnectorState"/> is the connector's own state, apart from its tasks (Kafka Connect's <c>connector.state</c>).
/// </summary>
public sealed record ConnectorStatus(
    string Name,
    string ClassName,
    ConnectorKind Kind,
    ConnectorState State,
    ConnectorState ConnectorState,
    string WorkerId,
    string? Error,
    string? Trace,
    IReadOnlyList<TaskStatus> Tasks,
    IReadOnlyList<string> Topics,
    IReadOnlyDictionary<string, string> Config)
{
    /// <summary>ksqlDB's status column of SHOW CONNECTORS: <c>RUNNING (1/1 tasks RUNNING)</c>.</summary>
    public string Summary
    {
        get
        {
            var running = Tasks.Count(t => t.State == ConnectorState.Running);
            return $"{State.ToDisplay()} ({running}/{Tasks.Count} tasks RUNNING)";
        }
    }
}

/// <summary>A connector in SHOW CONNECTORS: name, kind, class and state summary.</summary>
public sealed record ConnectorInfo(string Name, ConnectorKind Kind, string ClassName, ConnectorState State, string Summary);

/// <summary>A plugin in SHOW CONNECTOR PLUGINS: class, kind (source/sink), version, and the other names it answers to.</summary>
public sealed record ConnectorPluginInfo(string ClassName, ConnectorKind Kind, string Version, IReadOnlyList<string> Aliases, string Description);
