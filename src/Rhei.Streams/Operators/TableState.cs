using Rhei.Streams.Graph;

namespace Rhei.Streams.Operators;

/// <summary>Reads a table's current value for a key (from its store, or computed through its non-materialized parents).</summary>
internal delegate bool ValueGetter<K, V>(K key, out ValueAndTimestamp<V> value);

/// <summary>How a task builds a table's value getter, and the stores it reads.</summary>
internal sealed record TableGetter<K, V>(Func<TaskBuilder, ValueGetter<K, V>> Create, IReadOnlyList<string> Stores);

/// <summary>
/// Build-time facts about a table: whether it forwards old values (Kafka Streams' sendOldValues, switched on by
/// downstream operators that need them), its store if materialized, how to read its values, and, for windowed
/// aggregation results, the window's size and grace (for suppression).
/// </summary>
internal sealed class TableState<K, V>
{
    private readonly Func<bool, bool> _enableSendingOldValues;
    private readonly Func<TableGetter<K, V>> _getter;

    public TableState(Func<bool, bool> enableSendingOldValues, Func<TableGetter<K, V>> getter)
    {
        _enableSendingOldValues = enableSendingOldValues;
        _getter = getter;
    }

    /// <summary>Read by processors when tasks are built (the DSL has set it by then).</summary>
    public bool SendOldValues { get; private set; }

    public string? StoreName { get; set; }

    public long? WindowSizeMs { get; init; }

    public long? WindowGraceMs { get; init; }

    public bool SessionWindowed { get; init; }

    /// <summary>Asks the table to forward old values; with <paramref name="forceMaterialization"/> a source table materializes itself to do so.</summary>
    public bool EnableSendingOldValues(bool forceMaterialization)
    {
        if (!SendOldValues && _enableSendingOldValues(forceMaterialization)) { SendOldValues = true; }
        return SendOldValues;
    }

    /// <summary>The table's value getter (materializing a source table when needed).</summary>
    public TableGetter<K, V> RequireGetter() => _getter();
}
