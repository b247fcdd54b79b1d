namespace Rhei.Engine.Commands;

/// <summary>Commands kept in memory (an engine without a client factory): sequence numbers without durability.</summary>
internal sealed class InMemoryCommandStore : CommandStore
{
    private readonly List<CommandRecord> _records = [];

    public override string Name => "(in memory)";

    public IReadOnlyList<CommandRecord> Records => _records;

    public override ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public override ValueTask<long> EndOffsetAsync(CancellationToken cancellationToken) => ValueTask.FromResult((long)_records.Count);

    public override ValueTask<long> AppendAsync(CommandRecord record, CancellationToken cancellationToken)
    {
        _records.Add(record);
        return ValueTask.FromResult((long)_records.Count - 1);
    }

    public override ValueTask<IReadOnlyList<StoredCommand>> ReadAsync(long endExclusive, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<StoredCommand>>([]);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
