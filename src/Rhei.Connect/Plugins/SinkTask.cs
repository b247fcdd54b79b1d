using Rhei.Connect.Data;

namespace Rhei.Connect.Plugins;

/// <summary>
/// Writes records to an external system. <see cref="PutAsync"/> gets each polled batch and must have written it
/// when it returns: the runtime then commits the consumer offsets (at-least-once delivery).
/// </summary>
public abstract class SinkTask
{
    public abstract ValueTask StartAsync(IReadOnlyDictionary<string, string> config, SinkTaskContext context, CancellationToken cancellationToken);

    public abstract ValueTask PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken);

    public virtual ValueTask StopAsync() => ValueTask.CompletedTask;
}
