using Rhei.Streams.Graph;
using Rhei.Streams.Operators;
using Rhei.Streams.State;

namespace Rhei.Streams;

/// <summary>
/// A table re-keyed for aggregation: updates travel through <c>&lt;application.id&gt;-&lt;name&gt;-repartition</c>
/// as (new, old) pairs, and the aggregation subtracts the old row and adds the new one.
/// </summary>
public sealed class KGroupedTable<K, V>
    where K : notnull
{
    private readonly StreamsBuilder _builder;
    private readonly GraphNode<K, Change<V>> _node;
    private readonly Grouped<K, V> _grouped;

    internal KGroupedTable(StreamsBuilder builder, GraphNode<K, Change<V>> node, Grouped<K, V> grouped)
    {
        _builder = builder;
        _node = node;
        _grouped = grouped;
    }

    public KTable<K, long?> Count(string? name = null, Materialized<K, long?>? materialized = null) =>
        Aggregate<long?>(static () => 0L, static (_, _, agg) => agg + 1, static (_, _, agg) => agg - 1, name, (materialized ?? new Materialized<K, long?>()) with { ValueSerde = materialized?.ValueSerde ?? Serdes.NullableInt64 });

    /// <summary>Reduce with an adder (new row) and a subtractor (old row); a group whose result is null is deleted.</summary>
    public KTable<K, V> Reduce(Func<V, V, V> adder, Func<V, V, V> subtractor, string? name = null, Materialized<K, V>? materialized = null) =>
        TableAggregateOperator.Create(_builder, _node, _grouped, name, materialized ?? new Materialized<K, V>() { ValueSerde = _grouped.ValueSerde }, null,
            (_, v, agg, first) => first ? v : adder(agg, v), (_, v, agg) => subtractor(agg, v));

    public KTable<K, VA> Aggregate<VA>(Func<VA> initializer, Func<K, V, VA, VA> adder, Func<K, V, VA, VA> subtractor, string? name = null, Materialized<K, VA>? materialized = null) =>
        TableAggregateOperator.Create(_builder, _node, _grouped, name, materialized ?? new Materialized<K, VA>(), initializer,
            (k, v, agg, _) => adder(k, v, agg), subtractor);
}
