using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// Re-keys table updates (KTable.GroupBy): an update whose old and new rows map to the same group travels as
/// one (new, old) pair; otherwise the old row goes to its group as (null, old) first and the new row to its
/// group as (new, null). Rows mapping to a null key or value are skipped.
/// </summary>
internal sealed class TableRepartitionMapProcessor<K, V, KR, VR>(Func<K, V, (KR Key, VR Value)> selector, Downstream<KR, Change<VR>> downstream)
    : Processor<K, Change<V>>
{
    public override void Process(K key, Change<V> change, long timestamp)
    {
        (KR Key, VR Value)? newPair = change.NewValue is null ? null : selector(key, change.NewValue);
        (KR Key, VR Value)? oldPair = change.OldValue is null ? null : selector(key, change.OldValue);
        var newOk = newPair is { Key: not null, Value: not null };
        var oldOk = oldPair is { Key: not null, Value: not null };
        if (newOk && oldOk && EqualityComparer<KR>.Default.Equals(newPair!.Value.Key, oldPair!.Value.Key))
        {
            downstream.Forward(newPair.Value.Key, new Change<VR>(newPair.Value.Value, oldPair.Value.Value), timestamp);
            return;
        }

        if (oldOk) { downstream.Forward(oldPair!.Value.Key, new Change<VR>(default!, oldPair.Value.Value), timestamp); }
        if (newOk) { downstream.Forward(newPair!.Value.Key, new Change<VR>(newPair.Value.Value, default!), timestamp); }
    }
}

/// <summary>
/// Aggregation of a grouped table: subtract the old row (when the group has an aggregate), then add the new
/// row (starting from the initializer when the group has none); a null result deletes the group.
/// </summary>
internal static class TableAggregateOperator
{
    public static KTable<K, VA> Create<K, V, VA>(StreamsBuilder builder, GraphNode<K, Change<V>> mapNode, Grouped<K, V> grouped, string? name, Materialized<K, VA> materialized, Func<VA>? initializer, AggregateStep<K, V, VA> adder, Func<K, V, VA, VA> subtractor)
        where K : notnull
    {
        var processorName = builder.Name(name, "KTABLE-AGGREGATE-");
        var storeName = materialized.StoreName ?? builder.NewName("KTABLE-AGGREGATE-STATE-STORE-");
        var keySerde = grouped.KeySerde ?? materialized.KeySerde ?? throw new InvalidOperationException($"Table aggregation {processorName} needs a key serde for its repartition topic (Grouped.KeySerde).");
        var valueSerde = grouped.ValueSerde ?? throw new InvalidOperationException($"Table aggregation {processorName} needs a value serde for its repartition topic (Grouped.ValueSerde).");

        var topic = (grouped.Name ?? storeName) + "-repartition";
        builder.AddRepartitionTopic(topic, null);
        var changeSerde = ChangeSerde.Create(valueSerde);
        var sink = builder.Add(new SinkNode<K, Change<V>>(builder.Name(topic + "-sink", ""), new TopicName(topic, true), keySerde, changeSerde, null));
        mapNode.AddChild(sink, sink.Get);
        var source = builder.Add(new SourceNode<K, Change<V>>(builder.Name(topic + "-source", ""), [new TopicName(topic, true)], keySerde, changeSerde, null));

        builder.AddStore(Materialization.KeyValueSpec(storeName, materialized, keySerde, materialized.ValueSerde));
        TableState<K, VA>? state = null;
        state = new TableState<K, VA>(_ => true, () => Materialization.StoreGetter<K, VA>(storeName)) { StoreName = storeName };
        var node = builder.Add(new ProcessorGraphNode<K, Change<V>, K, Change<VA>>(processorName, (b, ds) =>
            new Processor<K, V, VA>(b.Store<IKeyValueStore<K, ValueAndTimestamp<VA>>>(storeName), initializer, adder, subtractor, ds, () => state.SendOldValues))).From(source);
        node.StoreNames.Add(storeName);
        return new KTable<K, VA>(builder, node, keySerde, materialized.ValueSerde, state);
    }

    private sealed class Processor<K, V, VA>(IKeyValueStore<K, ValueAndTimestamp<VA>> store, Func<VA>? initializer, AggregateStep<K, V, VA> adder, Func<K, V, VA, VA> subtractor, Downstream<K, Change<VA>> downstream, Func<bool> sendOldValues)
        : Processor<K, Change<V>>
        where K : notnull
    {
        private readonly TableForwarder<K, VA> _forwarder = new(store, downstream, sendOldValues);
        private ProcessorContext? _context;

        public override void Init(ProcessorContext context) => _context = context;

        public override void Process(K key, Change<V> change, long timestamp)
        {
            if (key is null)
            {
                _context?.RecordDropped("null key in table aggregation");
                return;
            }

            var hadOld = store.TryGet(key, out var old);
            var oldAgg = hadOld ? old.Value : default!;
            var newTimestamp = timestamp;
            VA intermediate;
            var hasIntermediate = hadOld;
            if (change.OldValue is not null && hadOld)
            {
                intermediate = subtractor(key, change.OldValue, oldAgg);
                hasIntermediate = intermediate is not null;
                newTimestamp = Math.Max(timestamp, old.Timestamp);
            }
            else
            {
                intermediate = oldAgg;
            }

            VA newAgg;
            if (change.NewValue is not null)
            {
                var start = hasIntermediate ? intermediate : initializer is null ? default! : initializer();
                newAgg = adder(key, change.NewValue, start, !hasIntermediate);
                if (hadOld) { newTimestamp = Math.Max(timestamp, old.Timestamp); }
            }
            else
            {
                newAgg = intermediate;
            }

            if (newAgg is null) { store.Delete(key); } else { store.Put(key, new ValueAndTimestamp<VA>(newAgg, newTimestamp)); }
            _forwarder.MaybeForward(key, newAgg, oldAgg, hadOld, newTimestamp);
        }
    }
}
