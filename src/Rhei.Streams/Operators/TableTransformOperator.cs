using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// Filter and MapValues on a table. Each computes the new value from the update's new value and, when old
/// values are sent, the old value from the update's old value. A filter forwards a delete for a value that
/// no longer passes; with old values sent, an update where both results are null is dropped.
/// </summary>
internal static class TableTransformOperator
{
    public static KTable<K, VR> Create<K, V, VR>(KTable<K, V> parent, string name, Func<ProcessorContext, K, V, (bool Keep, VR Value)> compute, bool isFilter, Materialized<K, VR>? materialized, Serde<VR>? valueSerde)
        where K : notnull
    {
        var builder = parent.Builder;
        TableState<K, VR>? state = null;
        state = new TableState<K, VR>(
            force => state!.StoreName is not null || parent.State.EnableSendingOldValues(force),
            () =>
            {
                if (state!.StoreName is { } s) { return Materialization.StoreGetter<K, VR>(s); }
                var inner = parent.State.RequireGetter();
                return new TableGetter<K, VR>(b =>
                {
                    var get = inner.Create(b);
                    var context = b.Context;
                    return (K key, out ValueAndTimestamp<VR> value) =>
                    {
                        if (get(key, out var pv))
                        {
                            var (keep, v) = compute(context, key, pv.Value);
                            if (keep && v is not null)
                            {
                                value = new ValueAndTimestamp<VR>(v, pv.Timestamp);
                                return true;
                            }
                        }

                        value = default;
                        return false;
                    };
                }, inner.Stores);
            })
        {
            WindowSizeMs = parent.State.WindowSizeMs,
            WindowGraceMs = parent.State.WindowGraceMs,
            SessionWindowed = parent.State.SessionWindowed,
        };

        var node = builder.Add(new ProcessorGraphNode<K, Change<V>, K, Change<VR>>(name, (b, ds) => new Processor<K, V, VR>(
            compute,
            isFilter,
            () => state.SendOldValues,
            state.StoreName is { } s ? b.Store<IKeyValueStore<K, ValueAndTimestamp<VR>>>(s) : null,
            ds))).From(parent.Node);

        if (materialized is not null)
        {
            var storeName = materialized.StoreName ?? builder.NewName(isFilter ? "KTABLE-FILTER-STATE-STORE-" : "KTABLE-MAPVALUES-STATE-STORE-");
            builder.AddStore(Materialization.KeyValueSpec(storeName, materialized, parent.KeySerde, materialized.ValueSerde ?? valueSerde));
            state.StoreName = storeName;
            node.StoreNames.Add(storeName);
        }

        return new KTable<K, VR>(builder, node, parent.KeySerde, materialized?.ValueSerde ?? valueSerde, state);
    }

    private sealed class Processor<K, V, VR>(
        Func<ProcessorContext, K, V, (bool Keep, VR Value)> compute,
        bool isFilter,
        Func<bool> sendOldValues,
        IKeyValueStore<K, ValueAndTimestamp<VR>>? store,
        Downstream<K, Change<VR>> downstream) : Processor<K, Change<V>>
        where K : notnull
    {
        private readonly TableForwarder<K, VR>? _forwarder = store is null ? null : new TableForwarder<K, VR>(store, downstream, sendOldValues);
        private ProcessorContext _context = null!;

        public override void Init(ProcessorContext context) => _context = context;

        private VR Compute(K key, V value)
        {
            if (value is null) { return default!; }
            var (keep, v) = compute(_context, key, value);
            return keep ? v : default!;
        }

        public override void Process(K key, Change<V> change, long timestamp)
        {
            var send = sendOldValues();
            var newValue = Compute(key, change.NewValue);
            var oldValue = send ? Compute(key, change.OldValue) : default!;
            if (isFilter && send && newValue is null && oldValue is null) { return; }

            if (store is null)
            {
                downstream.Forward(key, new Change<VR>(newValue, oldValue), timestamp);
                return;
            }

            var hadOld = store.TryGet(key, out _);
            if (newValue is null) { store.Delete(key); } else { store.Put(key, new ValueAndTimestamp<VR>(newValue, timestamp)); }
            _forwarder!.MaybeForward(key, newValue, oldValue, hadOld, timestamp);
        }
    }
}
