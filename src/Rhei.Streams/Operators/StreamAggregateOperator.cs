using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>Adds a record to its key's aggregate; <c>first</c> is true when the key had none (then agg is the initializer's value or default).</summary>
internal delegate VA AggregateStep<K, V, VA>(K key, V value, VA aggregate, bool first);

/// <summary>
/// Aggregation of a grouped stream into a table (Count, Reduce, Aggregate): records with a null key or value
/// are skipped; the result's timestamp is the largest timestamp that went into it.
/// </summary>
internal static class StreamAggregateOperator
{
    public static KTable<K, VA> Create<K, V, VA>(KGroupedStream<K, V> grouped, string? name, Materialized<K, VA> materialized, Func<VA>? initializer, AggregateStep<K, V, VA> step)
        where K : notnull
    {
        var builder = grouped.Builder;
        var processorName = builder.Name(name, "KSTREAM-AGGREGATE-");
        var storeName = materialized.StoreName ?? builder.NewName("KSTREAM-AGGREGATE-STATE-STORE-");
        var input = grouped.Input(storeName);
        var keySerde = materialized.KeySerde ?? grouped.KeySerde;
        builder.AddStore(Materialization.KeyValueSpec(storeName, materialized, keySerde, materialized.ValueSerde));

        TableState<K, VA>? state = null;
        state = new TableState<K, VA>(_ => true, () => Materialization.StoreGetter<K, VA>(storeName)) { StoreName = storeName };
        var node = builder.Add(new ProcessorGraphNode<K, V, K, Change<VA>>(processorName, (b, ds) =>
            new Processor<K, V, VA>(b.Store<IKeyValueStore<K, ValueAndTimestamp<VA>>>(storeName), initializer, step, ds, () => state.SendOldValues))).From(input.Node);
        node.StoreNames.Add(storeName);
        return new KTable<K, VA>(builder, node, keySerde, materialized.ValueSerde, state);
    }

    private sealed class Processor<K, V, VA>(IKeyValueStore<K, ValueAndTimestamp<VA>> store, Func<VA>? initializer, AggregateStep<K, V, VA> step, Downstream<K, Change<VA>> downstream, Func<bool> sendOldValues)
        : Processor<K, V>
        where K : notnull
    {
        private readonly TableForwarder<K, VA> _forwarder = new(store, downstream, sendOldValues);
        private ProcessorContext? _context;

        public override void Init(ProcessorContext context) => _context = context;

        public override void Process(K key, V value, long timestamp)
        {
            if (key is null || value is null)
            {
                _context?.RecordDropped("null key or value in aggregation");
                return;
            }

            var hadOld = store.TryGet(key, out var old);
            var oldAgg = hadOld ? old.Value : default!;
            var newTimestamp = hadOld ? Math.Max(timestamp, old.Timestamp) : timestamp;
            var newAgg = step(key, value, hadOld ? oldAgg : initializer is null ? default! : initializer(), !hadOld);
            store.Put(key, new ValueAndTimestamp<VA>(newAgg, newTimestamp));
            _forwarder.MaybeForward(key, newAgg, oldAgg, hadOld, newTimestamp);
        }
    }
}
