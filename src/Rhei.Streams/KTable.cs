using Rhei.Streams.Graph;
using Rhei.Streams.Operators;
using Rhei.Streams.Processors;

namespace Rhei.Streams;

/// <summary>
/// A changelog table of the topology under construction: updates flow as <see cref="Change{V}"/> (new, old);
/// a null new value is a delete, written to a sink as a tombstone.
/// </summary>
public sealed class KTable<K, V>
    where K : notnull
{
    internal KTable(StreamsBuilder builder, GraphNode<K, Change<V>> node, Serde<K>? keySerde, Serde<V>? valueSerde, TableState<K, V> state)
    {
        Builder = builder;
        Node = node;
        KeySerde = keySerde;
        ValueSerde = valueSerde;
        State = state;
    }

    internal StreamsBuilder Builder { get; }

    internal GraphNode<K, Change<V>> Node { get; }

    internal TableState<K, V> State { get; }

    public Serde<K>? KeySerde { get; }

    public Serde<V>? ValueSerde { get; }

    /// <summary>The store holding this table's values (<see cref="ValueAndTimestamp{V}"/>), when it is materialized.</summary>
    public string? QueryableStoreName => State.StoreName;

    public string NodeName => Node.Name;

    public KTable<K, V> Filter(Func<K, V, bool> predicate, string? name = null, Materialized<K, V>? materialized = null) =>
        TableTransformOperator.Create(this, Builder.Name(name, "KTABLE-FILTER-"), (_, k, v) => (predicate(k, v), v), true, materialized, ValueSerde);

    public KTable<K, V> FilterNot(Func<K, V, bool> predicate, string? name = null, Materialized<K, V>? materialized = null) =>
        TableTransformOperator.Create(this, Builder.Name(name, "KTABLE-FILTER-"), (_, k, v) => (!predicate(k, v), v), true, materialized, ValueSerde);

    public KTable<K, VR> MapValues<VR>(Func<K, V, VR> mapper, string? name = null, Materialized<K, VR>? materialized = null, Serde<VR>? valueSerde = null) =>
        TableTransformOperator.Create(this, Builder.Name(name, "KTABLE-MAPVALUES-"), (_, k, v) => (true, mapper(k, v)), false, materialized, valueSerde);

    /// <summary>
    /// MapValues with the processor context (record timestamp, topic, partition, offset, headers, stream time), as
    /// ksqlDB's projections of ROWTIME, ROWPARTITION and ROWOFFSET need. Old values are mapped with the current context.
    /// </summary>
    public KTable<K, VR> TransformValues<VR>(Func<K, V, ProcessorContext, VR> mapper, string? name = null, Materialized<K, VR>? materialized = null, Serde<VR>? valueSerde = null) =>
        TableTransformOperator.Create(this, Builder.Name(name, "KTABLE-TRANSFORMVALUES-"), (ctx, k, v) => (true, mapper(k, v, ctx)), false, materialized, valueSerde);

    /// <summary>The table's updates as a stream of new values (deletes become null values, i.e. tombstones).</summary>
    public KStream<K, V> ToStream(string? name = null)
    {
        var node = Builder.Add(new ProcessorGraphNode<K, Change<V>, K, V>(Builder.Name(name, "KTABLE-TOSTREAM-"), (_, ds) => new ToStreamProcessor(ds))).From(Node);
        return new KStream<K, V>(Builder, node, KeySerde, ValueSerde, false);
    }

    private sealed class ToStreamProcessor(Downstream<K, V> downstream) : Processor<K, Change<V>>
    {
        public override void Process(K key, Change<V> value, long timestamp) => downstream.Forward(key, value.NewValue, timestamp);
    }

    /// <summary>Re-keys the table for an aggregation: each update subtracts the old row from its old group and adds the new row to its new group.</summary>
    public KGroupedTable<KR, VR> GroupBy<KR, VR>(Func<K, V, (KR Key, VR Value)> selector, Grouped<KR, VR>? grouped = null)
        where KR : notnull
    {
        State.EnableSendingOldValues(true);
        var g = grouped ?? new Grouped<KR, VR>();
        var node = Builder.Add(new ProcessorGraphNode<K, Change<V>, KR, Change<VR>>(Builder.Name(null, "KTABLE-SELECT-"), (_, ds) => new TableRepartitionMapProcessor<K, V, KR, VR>(selector, ds))).From(Node);
        return new KGroupedTable<KR, VR>(Builder, node, g);
    }

    public KTable<K, VR> Join<VO, VR>(KTable<K, VO> other, Func<K, V, VO, VR> joiner, string? name = null, Materialized<K, VR>? materialized = null) =>
        TableTableJoinOperator.Join(this, other, joiner, name, materialized, leftOuter: false, rightOuter: false);

    public KTable<K, VR> LeftJoin<VO, VR>(KTable<K, VO> other, Func<K, V, VO, VR> joiner, string? name = null, Materialized<K, VR>? materialized = null) =>
        TableTableJoinOperator.Join(this, other, joiner, name, materialized, leftOuter: true, rightOuter: false);

    public KTable<K, VR> OuterJoin<VO, VR>(KTable<K, VO> other, Func<K, V, VO, VR> joiner, string? name = null, Materialized<K, VR>? materialized = null) =>
        TableTableJoinOperator.Join(this, other, joiner, name, materialized, leftOuter: true, rightOuter: true);

    /// <summary>
    /// Foreign-key join: each row joins the <paramref name="other"/> row whose key <paramref name="foreignKey"/>
    /// extracts from it; updates on either side re-emit the affected results.
    /// </summary>
    public KTable<K, VR> Join<KO, VO, VR>(KTable<KO, VO> other, Func<V, KO> foreignKey, Func<K, V, VO, VR> joiner, TableJoined? tableJoined = null, Materialized<K, VR>? materialized = null)
        where KO : notnull =>
        ForeignKeyJoinOperator.Join(this, other, foreignKey, joiner, tableJoined ?? new TableJoined(), materialized, leftJoin: false);

    /// <summary>Foreign-key left join: rows without a matching other row (or with a null foreign key) join with null.</summary>
    public KTable<K, VR> LeftJoin<KO, VO, VR>(KTable<KO, VO> other, Func<V, KO> foreignKey, Func<K, V, VO, VR> joiner, TableJoined? tableJoined = null, Materialized<K, VR>? materialized = null)
        where KO : notnull =>
        ForeignKeyJoinOperator.Join(this, other, foreignKey, joiner, tableJoined ?? new TableJoined(), materialized, leftJoin: true);

    /// <summary>Holds back updates: until the window closes (final results of a windowed aggregation), or for a time limit.</summary>
    public KTable<K, V> Suppress(Suppressed<K> suppressed, string? name = null) =>
        SuppressOperator.Create(this, suppressed, Builder.Name(name ?? suppressed.Name, "KTABLE-SUPPRESS-"));
}
