using Rhei.Streams.Graph;
using Rhei.Streams.Operators;
using Rhei.Streams.Processors;

namespace Rhei.Streams;

/// <summary>
/// A record stream of the topology under construction. Operators return new streams; a key-changing
/// operator (<see cref="Map{KR,VR}"/>, <see cref="SelectKey{KR}"/>, <see cref="FlatMap{KR,VR}"/>) marks the
/// stream so that the next grouping or join repartitions it through <c>&lt;application.id&gt;-&lt;name&gt;-repartition</c>.
/// </summary>
public sealed class KStream<K, V>
    where K : notnull
{
    internal KStream(StreamsBuilder builder, GraphNode<K, V> node, Serde<K>? keySerde, Serde<V>? valueSerde, bool repartitionRequired)
    {
        Builder = builder;
        Node = node;
        KeySerde = keySerde;
        ValueSerde = valueSerde;
        RepartitionRequired = repartitionRequired;
    }

    internal StreamsBuilder Builder { get; }

    internal GraphNode<K, V> Node { get; }

    /// <summary>The key serde known at this point (from the source or the last operator that set it).</summary>
    public Serde<K>? KeySerde { get; }

    public Serde<V>? ValueSerde { get; }

    /// <summary>True after a key change: grouping or joining this stream repartitions it first.</summary>
    public bool RepartitionRequired { get; }

    /// <summary>The name of the node this stream comes from.</summary>
    public string NodeName => Node.Name;

    private KStream<KR, VR> Then<KR, VR>(string name, Func<Downstream<KR, VR>, Processor<K, V>> factory, Serde<KR>? ks, Serde<VR>? vs, bool repartition)
        where KR : notnull
    {
        var node = Builder.Add(new ProcessorGraphNode<K, V, KR, VR>(name, (_, ds) => factory(ds))).From(Node);
        return new KStream<KR, VR>(Builder, node, ks, vs, repartition);
    }

    public KStream<K, V> Filter(Func<K, V, bool> predicate, string? name = null) =>
        Then<K, V>(Builder.Name(name, "KSTREAM-FILTER-"), ds => new FilterProcessor<K, V>(predicate, false, ds), KeySerde, ValueSerde, RepartitionRequired);

    public KStream<K, V> FilterNot(Func<K, V, bool> predicate, string? name = null) =>
        Then<K, V>(Builder.Name(name, "KSTREAM-FILTER-"), ds => new FilterProcessor<K, V>(predicate, true, ds), KeySerde, ValueSerde, RepartitionRequired);

    public KStream<K, VR> MapValues<VR>(Func<K, V, VR> mapper, string? name = null, Serde<VR>? valueSerde = null) =>
        Then<K, VR>(Builder.Name(name, "KSTREAM-MAPVALUES-"), ds => new MapValuesProcessor<K, V, VR>(mapper, ds), KeySerde, valueSerde, RepartitionRequired);

    /// <summary>
    /// MapValues with the processor context (record timestamp, topic, partition, offset, headers, stream time), as
    /// ksqlDB's projections of ROWTIME, ROWPARTITION and ROWOFFSET need.
    /// </summary>
    public KStream<K, VR> TransformValues<VR>(Func<K, V, ProcessorContext, VR> mapper, string? name = null, Serde<VR>? valueSerde = null) =>
        Then<K, VR>(Builder.Name(name, "KSTREAM-TRANSFORMVALUES-"), ds => new TransformValuesProcessor<K, V, VR>(mapper, ds), KeySerde, valueSerde, RepartitionRequired);

    public KStream<KR, VR> Map<KR, VR>(Func<K, V, (KR Key, VR Value)> mapper, string? name = null, Serde<KR>? keySerde = null, Serde<VR>? valueSerde = null)
        where KR : notnull =>
        Then<KR, VR>(Builder.Name(name, "KSTREAM-MAP-"), ds => new MapProcessor<K, V, KR, VR>(mapper, ds), keySerde, valueSerde, true);

    public KStream<KR, V> SelectKey<KR>(Func<K, V, KR> selector, string? name = null, Serde<KR>? keySerde = null)
        where KR : notnull =>
        Then<KR, V>(Builder.Name(name, "KSTREAM-KEY-SELECT-"), ds => new MapProcessor<K, V, KR, V>((k, v) => (selector(k, v), v), ds), keySerde, ValueSerde, true);

    public KStream<KR, VR> FlatMap<KR, VR>(Func<K, V, IEnumerable<(KR Key, VR Value)>> mapper, string? name = null, Serde<KR>? keySerde = null, Serde<VR>? valueSerde = null)
        where KR : notnull =>
        Then<KR, VR>(Builder.Name(name, "KSTREAM-FLATMAP-"), ds => new FlatMapProcessor<K, V, KR, VR>(mapper, ds), keySerde, valueSerde, true);

    public KStream<K, VR> FlatMapValues<VR>(Func<K, V, IEnumerable<VR>> mapper, string? name = null, Serde<VR>? valueSerde = null) =>
        Then<K, VR>(Builder.Name(name, "KSTREAM-FLATMAPVALUES-"), ds => new FlatMapValuesProcessor<K, V, VR>(mapper, ds), KeySerde, valueSerde, RepartitionRequired);

    public KStream<K, V> Peek(Action<K, V> action, string? name = null) =>
        Then<K, V>(Builder.Name(name, "KSTREAM-PEEK-"), ds => new PeekProcessor<K, V>(action, ds), KeySerde, ValueSerde, RepartitionRequired);

    /// <summary>Calls <paramref name="action"/> for every record (a terminal node).</summary>
    public void ForEach(Action<K, V> action, string? name = null) =>
        Then<K, V>(Builder.Name(name, "KSTREAM-FOREACH-"), ds => new PeekProcessor<K, V>(action, ds), KeySerde, ValueSerde, RepartitionRequired);

    /// <summary>Both streams' records in one stream.</summary>
    public KStream<K, V> Merge(KStream<K, V> other, string? name = null)
    {
        var node = Builder.Add(new ProcessorGraphNode<K, V, K, V>(Builder.Name(name, "KSTREAM-MERGE-"), (_, ds) => new PassThroughProcessor<K, V>(ds)));
        node.From(Node);
        node.From(other.Node);
        return new KStream<K, V>(Builder, node, KeySerde ?? other.KeySerde, ValueSerde ?? other.ValueSerde, RepartitionRequired || other.RepartitionRequired);
    }

    /// <summary>Adds a processor made by <paramref name="factory"/> in each task, with access to the named stores.</summary>
    public KStream<KR, VR> Process<KR, VR>(ProcessorFactory<K, V, KR, VR> factory, string? name = null, IReadOnlyList<string>? stores = null, Serde<KR>? keySerde = null, Serde<VR>? valueSerde = null)
        where KR : notnull
    {
        var node = Builder.Add(new ProcessorGraphNode<K, V, KR, VR>(Builder.Name(name, "KSTREAM-PROCESSOR-"), (b, ds) => factory(b.Context, ds))).From(Node);
        if (stores is not null) { node.StoreNames.AddRange(stores); }
        return new KStream<KR, VR>(Builder, node, keySerde, valueSerde, true);
    }

    /// <summary>
    /// Like <see cref="Process{KR,VR}"/>, for a processor that forwards each record under the key it received (it may
    /// read the record's metadata from the context): the stream keeps its partitioning, so no repartition follows.
    /// </summary>
    public KStream<K, VR> ProcessValues<VR>(ProcessorFactory<K, V, K, VR> factory, string? name = null, IReadOnlyList<string>? stores = null, Serde<VR>? valueSerde = null)
    {
        var node = Builder.Add(new ProcessorGraphNode<K, V, K, VR>(Builder.Name(name, "KSTREAM-PROCESSVALUES-"), (b, ds) => factory(b.Context, ds))).From(Node);
        if (stores is not null) { node.StoreNames.AddRange(stores); }
        return new KStream<K, VR>(Builder, node, KeySerde, valueSerde, RepartitionRequired);
    }

    /// <summary>Writes the stream through a repartition topic (<c>&lt;application.id&gt;-&lt;name&gt;-repartition</c>).</summary>
    public KStream<K, V> Repartition(Repartitioned<K, V>? repartitioned = null)
    {
        var r = repartitioned ?? new Repartitioned<K, V>();
        var baseName = r.Name ?? Builder.NewName("KSTREAM-REPARTITION-");
        return RepartitionThrough(baseName, r.KeySerde, r.ValueSerde, r.NumberOfPartitions);
    }

    /// <summary>Writes every record to <paramref name="topic"/> (a sink).</summary>
    public void To(string topic, Produced<K, V> produced)
    {
        var sink = Builder.Add(new SinkNode<K, V>(Builder.Name(produced.Name, "KSTREAM-SINK-"), new TopicName(topic, false), produced.KeySerde, produced.ValueSerde, produced.Partitioner));
        Node.AddChild(sink, sink.Get);
    }

    /// <summary>A table of the stream's latest value per key (null values delete).</summary>
    public KTable<K, V> ToTable(string? name = null, Materialized<K, V>? materialized = null)
    {
        var m = materialized is null ? null : materialized with { KeySerde = materialized.KeySerde ?? KeySerde, ValueSerde = materialized.ValueSerde ?? ValueSerde };
        var input = RepartitionRequired ? RepartitionThrough((name ?? Builder.NewName("KSTREAM-TOTABLE-")) , null, null, null) : this;
        return KTableSourceOperator.Create(input.Builder, input.Node, Builder.Name(name, "KSTREAM-TOTABLE-"), m, input.KeySerde, input.ValueSerde);
    }

    public KGroupedStream<K, V> GroupByKey(Grouped<K, V>? grouped = null) =>
        new(this, grouped ?? new Grouped<K, V>(), RepartitionRequired);

    public KGroupedStream<KR, V> GroupBy<KR>(Func<K, V, KR> selector, Grouped<KR, V>? grouped = null)
        where KR : notnull
    {
        var g = grouped ?? new Grouped<KR, V>();
        var keyed = SelectKey(selector, null, g.KeySerde);
        return new KGroupedStream<KR, V>(keyed, g, true);
    }

    /// <summary>Inner join with another stream within <paramref name="windows"/>.</summary>
    public KStream<K, VR> Join<VO, VR>(KStream<K, VO> other, Func<K, V, VO, VR> joiner, JoinWindows windows, StreamJoined<K, V, VO>? joined = null) =>
        StreamStreamJoinOperator.Join(this, other, joiner, windows, joined ?? new StreamJoined<K, V, VO>(), leftOuter: false, rightOuter: false);

    /// <summary>Left join with another stream; unmatched left records are emitted (with a null right) when their window closes.</summary>
    public KStream<K, VR> LeftJoin<VO, VR>(KStream<K, VO> other, Func<K, V, VO, VR> joiner, JoinWindows windows, StreamJoined<K, V, VO>? joined = null) =>
        StreamStreamJoinOperator.Join(this, other, joiner, windows, joined ?? new StreamJoined<K, V, VO>(), leftOuter: true, rightOuter: false);

    /// <summary>Outer join with another stream; unmatched records of either side are emitted when their window closes.</summary>
    public KStream<K, VR> OuterJoin<VO, VR>(KStream<K, VO> other, Func<K, V, VO, VR> joiner, JoinWindows windows, StreamJoined<K, V, VO>? joined = null) =>
        StreamStreamJoinOperator.Join(this, other, joiner, windows, joined ?? new StreamJoined<K, V, VO>(), leftOuter: true, rightOuter: true);

    /// <summary>Inner join with a table: each stream record looks up the table's current value for its key.</summary>
    public KStream<K, VR> Join<VT, VR>(KTable<K, VT> table, Func<K, V, VT, VR> joiner, Joined<K, V, VT>? joined = null) =>
        StreamTableJoinOperator.Join(this, table, joiner, joined ?? new Joined<K, V, VT>(), left: false);

    /// <summary>Left join with a table: stream records without a table value join with null.</summary>
    public KStream<K, VR> LeftJoin<VT, VR>(KTable<K, VT> table, Func<K, V, VT, VR> joiner, Joined<K, V, VT>? joined = null) =>
        StreamTableJoinOperator.Join(this, table, joiner, joined ?? new Joined<K, V, VT>(), left: true);

    /// <summary>Inserts filter → sink → topic → source; the returned stream reads the repartition topic.</summary>
    internal KStream<K, V> RepartitionThrough(string baseName, Serde<K>? keySerde, Serde<V>? valueSerde, int? partitions)
    {
        var ks = keySerde ?? KeySerde ?? throw new InvalidOperationException($"Repartition {baseName} needs a key serde: give one in Grouped/Repartitioned/Joined, or to the key-changing operator.");
        var vs = valueSerde ?? ValueSerde ?? throw new InvalidOperationException($"Repartition {baseName} needs a value serde: give one in Grouped/Repartitioned/Joined, or to the value-changing operator.");
        var topic = baseName + "-repartition";
        Builder.AddRepartitionTopic(topic, partitions);
        var filter = Builder.Add(new ProcessorGraphNode<K, V, K, V>(Builder.Name(topic + "-filter", ""), (_, ds) => new NullKeyFilterProcessor<K, V>(ds))).From(Node);
        var sink = Builder.Add(new SinkNode<K, V>(Builder.Name(topic + "-sink", ""), new TopicName(topic, true), ks, vs, null));
        filter.AddChild(sink, sink.Get);
        var source = Builder.Add(new SourceNode<K, V>(Builder.Name(topic + "-source", ""), [new TopicName(topic, true)], ks, vs, null));
        return new KStream<K, V>(Builder, source, ks, vs, false);
    }
}
