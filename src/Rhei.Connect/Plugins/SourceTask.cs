using Rhei.Connect.Data;

namespace Rhei.Connect.Plugins;

/// <summary>
/// Reads an external system into records. The runtime calls <see cref="StartAsync"/>, then <see cref="PollAsync"/> in
/// a loop (the task waits between polls itself, e.g. <c>poll.interval.ms</c>), writes the records and then their
/// offsets, and calls <see cref="StopAsync"/> at the end or after a failure (then a new task is started).
/// </summary>
public abstract class SourceTask
{
    /// <exception cref="Exception">Any failure (a connection refused, ...) makes the task FAILED and retried.</exception>
    public abstract ValueTask StartAsync(IReadOnlyDictionary<string, string> config, SourceTaskContext context, CancellationToken cancellationToken);

    /// <summary>The next records; empty when there is nothing now. Records of one source partition come in order.</summary>
    public abstract ValueTask<IReadOnlyList<SourceRecord>> PollAsync(CancellationToken cancellationToken);

    /// <summary>Called after the records of the last poll and their offsets were written.</summary>
    public virtual ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public virtual ValueTask StopAsync() => ValueTask.CompletedTask;
}
