using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// Table-table join on the primary key: an update on either side looks up the other side's current value and
/// forwards (new result, old result) with the larger of the two timestamps. Inner: only when both sides have a
/// value (a delete of one side forwards a delete). Left: every left row (right may be null). Outer: any row.
/// </summary>
internal static class TableTableJoinOperator
{
    public static KTable<K, VR> Join<K, V, VO, VR>(KTable<K, V> left, KTable<K, VO> right, Func<K, V, VO, VR> joiner, string? name, Materialized<K, VR>? materialized, bool leftOuter, bool rightOuter)
        where K : notnull
    {
        var builder = left.Builder;
        var baseName = name;
        var prefix = rightOuter ? "KTABLE-OUTERTHIS-" : leftOuter ? "KTABLE-LEFTTHIS-" : "KTABLE-JOINTHIS-";
        var thisName = builder.Name(baseName is null ? null : baseName + "-join-this", prefix);
        var otherName = builder.Name(baseName is null ? null : baseName + "-join-other", rightOuter ? "KTABLE-OUTEROTHER-" : leftOuter ? "KTABLE-LEFTOTHER-" : "KTABLE-JOINOTHER-");
        var mergeName = builder.Name(baseName is null ? null : baseName + "-merge", "KTABLE-MERGE-");

        var leftGetter = left.State.RequireGetter();
        var rightGetter = right.State.RequireGetter();

        // Both sides send old values, so that a delete on one side reaches the result even when the other side is missing.
        left.State.EnableSendingOldValues(true);
        right.State.EnableSendingOldValues(true);
        TableState<K, VR>? state = null;
        state = new TableState<K, VR>(
            _ =>
            {
                left.State.EnableSendingOldValues(true);
                right.State.EnableSendingOldValues(true);
                return true;
            },
            () =>
            {
                if (state!.StoreName is { } s) { return Materialization.StoreGetter<K, VR>(s); }
                return new TableGetter<K, VR>(b =>
                {
                    var lg = leftGetter.Create(b);
                    var rg = rightGetter.Create(b);
                    return (K key, out ValueAndTimestamp<VR> value) =>
                    {
                        var hasLeft = lg(key, out var lv);
                        var hasRight = rg(key, out var rv);
                        if ((hasLeft && hasRight) || (hasLeft && leftOuter) || (hasRight && rightOuter))
                        {
                            value = new ValueAndTimestamp<VR>(joiner(key, hasLeft ? lv.Value : default!, hasRight ? rv.Value : default!), Math.Max(hasLeft ? lv.Timestamp : -1, hasRight ? rv.Timestamp : -1));
                            return value.Value is not null;
                        }

                        value = default;
                        return false;
                    };
                }, [.. leftGetter.Stores, .. rightGetter.Stores]);
            });

        Func<bool> send = () => state.SendOldValues;
        var merge = builder.Add(new ProcessorGraphNode<K, Change<VR>, K, Change<VR>>(mergeName, (b, ds) => new MergeProcessor<K, VR>(
            state.StoreName is { } s ? b.Store<IKeyValueStore<K, ValueAndTimestamp<VR>>>(s) : null, ds, send)));
        var thisNode = builder.Add(new ProcessorGraphNode<K, Change<V>, K, Change<VR>>(thisName, (b, ds) =>
            new SideProcessor<K, V, VO, VR>(rightGetter.Create(b), (k, mine, other) => joiner(k, mine, other), leftOuter, rightOuter, send, ds))).From(left.Node);
        var otherNode = builder.Add(new ProcessorGraphNode<K, Change<VO>, K, Change<VR>>(otherName, (b, ds) =>
            new SideProcessor<K, VO, V, VR>(leftGetter.Create(b), (k, mine, other) => joiner(k, other, mine), rightOuter, leftOuter, send, ds))).From(right.Node);
        thisNode.StoreNames.AddRange(rightGetter.Stores);
        otherNode.StoreNames.AddRange(leftGetter.Stores);
        merge.From(thisNode);
        merge.From(otherNode);
        builder.RequireCopartition(StreamsBuilder.UpstreamSourceTopics(left.Node).Concat(StreamsBuilder.UpstreamSourceTopics(right.Node)));

        if (materialized is not null)
        {
            var storeName = materialized.StoreName ?? builder.NewName("KTABLE-MERGE-STATE-STORE-");
            builder.AddStore(Materialization.KeyValueSpec(storeName, materialized, left.KeySerde, materialized.ValueSerde));
            state.StoreName = storeName;
            merge.StoreNames.Add(storeName);
        }

        return new KTable<K, VR>(builder, merge, left.KeySerde, materialized?.ValueSerde, state);
    }

    /// <summary>
    /// The processor of one side. <c>mineOuter</c>: this side's rows appear without a match (left rows in a left
    /// join); <c>otherOuter</c>: the other side's rows do.
    /// </summary>
    private sealed class SideProcessor<K, VM, VT, VR>(ValueGetter<K, VT> other, Func<K, VM, VT, VR> joiner, bool mineOuter, bool otherOuter, Func<bool> sendOldValues, Downstream<K, Change<VR>> downstream)
        : Processor<K, Change<VM>>
    {
        private ProcessorContext? _context;

        public override void Init(ProcessorContext context) => _context = context;

        public override void Process(K key, Change<VM> change, long timestamp)
        {
            if (key is null)
            {
                _context?.RecordDropped("null key in table-table join");
                return;
            }

            var found = other(key, out var ov);
            var otherValue = found ? ov.Value : default!;
            if (!found)
            {
                if (!mineOuter) { return; }
                if (change.NewValue is null && change.OldValue is null) { return; }
            }

            var ts = found ? Math.Max(timestamp, ov.Timestamp) : timestamp;
            var newValue = Applies(change.NewValue, found) ? joiner(key, change.NewValue, otherValue) : default!;
            var oldValue = sendOldValues() && Applies(change.OldValue, found) ? joiner(key, change.OldValue, otherValue) : default!;
            downstream.Forward(key, new Change<VR>(newValue, oldValue), ts);
        }

        /// <summary>Whether a side value yields a result: it exists, or the other side's row stands on its own.</summary>
        private bool Applies(VM mine, bool found) => mine is not null || (found && otherOuter);
    }

    /// <summary>Forwards join results; stores them first when the join is materialized.</summary>
    private sealed class MergeProcessor<K, VR>(IKeyValueStore<K, ValueAndTimestamp<VR>>? store, Downstream<K, Change<VR>> downstream, Func<bool> sendOldValues)
        : Processor<K, Change<VR>>
        where K : notnull
    {
        private readonly TableForwarder<K, VR>? _forwarder = store is null ? null : new TableForwarder<K, VR>(store, downstream, sendOldValues);

        public override void Process(K key, Change<VR> value, long timestamp)
        {
            if (store is null)
            {
                downstream.Forward(key, value, timestamp);
                return;
            }

            var hadOld = store.TryGet(key, out var old);
            if (value.NewValue is null) { store.Delete(key); } else { store.Put(key, new ValueAndTimestamp<VR>(value.NewValue, timestamp)); }
            _forwarder!.MaybeForward(key, value.NewValue, hadOld ? old.Value : default!, hadOld, timestamp);
        }
    }
}
