namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// Where a <see cref="SchemaStore"/> persists its changes: <see cref="SchemasTopicLog"/> (the compacted
/// <c>_schemas</c> topic) in the server; tests may supply their own.
/// </summary>
public abstract class SchemaStoreLog
{
    /// <summary>Reads every change from the start and hands each to <paramref name="apply"/>, in order.</summary>
    public abstract ValueTask ReplayAsync(Action<SchemaLogRecord> apply, CancellationToken cancellationToken);

    /// <summary>Durably writes changes (in order); completes once they are acknowledged.</summary>
    public abstract ValueTask AppendAsync(IReadOnlyList<SchemaLogRecord> records, CancellationToken cancellationToken);
}
