namespace Rhei.Engine.Commands;

/// <summary>A command read back from the log: its offset and the record, or why the record could not be read.</summary>
internal readonly record struct StoredCommand(long Offset, CommandRecord? Record, string? ReadError);

/// <summary>
/// The engine's durable log of metastore commands: the command topic (<see cref="TopicCommandStore"/>), or a counter in
/// memory for engines without a client factory (<see cref="InMemoryCommandStore"/>). The engine appends a command
/// before running it; the offset is the command's sequence number. Used under the engine's statement gate only.
/// </summary>
internal abstract class CommandStore : IAsyncDisposable
{
    /// <summary>Where the commands live (the topic name), for messages.</summary>
    public abstract string Name { get; }

    /// <summary>Creates the log if needed and positions the reader at its start.</summary>
    public abstract ValueTask StartAsync(CancellationToken cancellationToken);

    /// <summary>The offset the next command will get (the log's end now).</summary>
    public abstract ValueTask<long> EndOffsetAsync(CancellationToken cancellationToken);

    /// <summary>Appends <paramref name="record"/> and returns its offset once it is durable (acks=all).</summary>
    public abstract ValueTask<long> AppendAsync(CommandRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// The records from the reader's position up to (not including) <paramref name="endExclusive"/> that this store
    /// did not append itself (those are run as they are written); advances the position past them.
    /// </summary>
    public abstract ValueTask<IReadOnlyList<StoredCommand>> ReadAsync(long endExclusive, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
