using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// Turns a stream of upserts into a table (<c>builder.Table</c>, <c>ToTable</c>): with a store, each record
/// replaces its key's value (a null value deletes) and forwards (new, old); without one, forwards (new, null).
/// </summary>
internal static class KTableSourceOperator
{
    public static KTable<K, V> Create<K, V>(StreamsBuilder builder, GraphNode<K, V> parent, string name, Materialized<K, V>? materialized, Serde<K>? keySerde, Serde<V>? valueSerde)
        where K : notnull
    {
        TableState<K, V>? state = null;
        ProcessorGraphNode<K, V, K, Change<V>>? node = null;

        void Materialize(Materialized<K, V> m)
        {
            var storeName = m.StoreName ?? builder.NewName("KTABLE-SOURCE-STATE-STORE-");
            builder.AddStore(Materialization.KeyValueSpec(storeName, m, keySerde, valueSerde));
            state!.StoreName = storeName;
            node!.StoreNames.Add(storeName);
        }

        state = new TableState<K, V>(
            force =>
            {
                if (state!.StoreName is not null) { return true; }
                if (!force) { return false; }
                Materialize(new Materialized<K, V>());
                return true;
            },
            () =>
            {
                if (state!.StoreName is null) { Materialize(new Materialized<K, V>()); }
                return Materialization.StoreGetter<K, V>(state.StoreName!);
            });

        node = builder.Add(new ProcessorGraphNode<K, V, K, Change<V>>(name, (b, ds) => new TableSourceProcessor<K, V>(
            state.StoreName is { } s ? b.Store<IKeyValueStore<K, ValueAndTimestamp<V>>>(s) : null, ds, () => state.SendOldValues))).From(parent);
        if (materialized is not null) { Materialize(materialized); }
        return new KTable<K, V>(builder, node, keySerde, valueSerde, state);
    }

    private sealed class TableSourceProcessor<K, V>(IKeyValueStore<K, ValueAndTimestamp<V>>? store, Downstream<K, Change<V>> downstream, Func<bool> sendOldValues)
        : Processor<K, V>
        where K : notnull
    {
        private readonly TableForwarder<K, V>? _forwarder = store is null ? null : new TableForwarder<K, V>(store, downstream, sendOldValues);
        private ProcessorContext? _context;

        public override void Init(ProcessorContext context) => _context = context;

        public override void Process(K key, V value, long timestamp)
        {
            if (key is null)
            {
                _context?.RecordDropped("null key in table source");
                return;
            }

            if (store is null)
            {
                downstream.Forward(key, new Change<V>(value, default!), timestamp);
                return;
            }

            var hadOld = store.TryGet(key, out var old);
            if (value is null) { store.Delete(key); } else { store.Put(key, new ValueAndTimestamp<V>(value, timestamp)); }
            _forwarder!.MaybeForward(key, value, hadOld ? old.Value : default!, hadOld, timestamp);
        }
    }
}

/// <summary>Store definitions and getters for materialized tables.</summary>
internal static class Materialization
{
    public static KeyValueStoreSpec<K, ValueAndTimestamp<V>> KeyValueSpec<K, V>(string storeName, Materialized<K, V> m, Serde<K>? keySerde, Serde<V>? valueSerde)
        where K : notnull =>
        new(storeName, m.StoreType, m.KeySerde ?? keySerde, new TimestampedValueCodec<V>(m.ValueSerde ?? valueSerde), m.KeyComparer)
        {
            LoggingEnabled = m.LoggingEnabled,
            CachingEnabled = m.CachingEnabled,
            ChangelogConfigs = m.ChangelogConfigs,
        };

    public static TableGetter<K, V> StoreGetter<K, V>(string storeName)
        where K : notnull =>
        new(b =>
        {
            var store = b.Store<IKeyValueStore<K, ValueAndTimestamp<V>>>(storeName);
            return (K key, out ValueAndTimestamp<V> value) => store.TryGet(key, out value) && value.Value is not null;
        }, [storeName]);
}
