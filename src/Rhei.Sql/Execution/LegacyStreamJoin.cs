using Rhei.Streams;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Sql.Execution;

/// <summary>
/// The stream-stream join ksqlDB runs when WITHIN has no GRACE PERIOD (Kafka Streams' join before KIP-633): each
/// record is stored in its side's window store and joined at once with the other side's records in the window; a
/// record of an outer side that finds no partner is emitted at once with NULLs for the other side.
/// </summary>
internal static class LegacyStreamJoin
{
    public static KStream<K, object?[]> Join<K>(
        StreamsBuilder builder,
        string name,
        KStream<K, object?[]> left,
        KStream<K, object?[]> right,
        Func<K, object?[]?, object?[]?, object?[]> joiner,
        long beforeMs,
        long afterMs,
        long graceMs,
        bool leftOuter,
        bool rightOuter,
        Serde<K> keySerde,
        Serde<object?[]> leftSerde,
        Serde<object?[]> rightSerde)
        where K : notnull
    {
        if (left.RepartitionRequired)
        {
            left = left.Repartition(new Repartitioned<K, object?[]>(name + "-left") { KeySerde = keySerde, ValueSerde = leftSerde });
        }

        if (right.RepartitionRequired)
        {
            right = right.Repartition(new Repartitioned<K, object?[]>(name + "-right") { KeySerde = keySerde, ValueSerde = rightSerde });
        }

        var thisStore = name + (rightOuter ? "-OUTERTHIS" : "-JOINTHIS") + "-store";
        var otherStore = name + (leftOuter ? "-OUTEROTHER" : "-JOINOTHER") + "-store";
        var retention = TimeSpan.FromMilliseconds(beforeMs + afterMs + graceMs);
        var size = TimeSpan.FromMilliseconds(Math.Max(1, beforeMs + afterMs));
        builder.AddStateStore(Stores.Window(thisStore, keySerde, leftSerde, retention, size, retainDuplicates: true));
        builder.AddStateStore(Stores.Window(otherStore, keySerde, rightSerde, retention, size, retainDuplicates: true));
        var leftJoined = left.ProcessValues<object?[]>(
            (context, downstream) => new Side<K>(context, downstream, thisStore, otherStore, beforeMs, afterMs, leftOuter, (k, mine, other) => joiner(k, mine, other)),
            name + "-this-join",
            [thisStore, otherStore]);
        var rightJoined = right.ProcessValues<object?[]>(
            (context, downstream) => new Side<K>(context, downstream, otherStore, thisStore, afterMs, beforeMs, rightOuter, (k, mine, other) => joiner(k, other, mine)),
            name + "-other-join",
            [thisStore, otherStore]);
        return leftJoined.Merge(rightJoined, name + "-merge");
    }

    private sealed class Side<K>(
        ProcessorContext context,
        Downstream<K, object?[]> downstream,
        string mineName,
        string otherName,
        long lookBackMs,
        long lookAheadMs,
        bool outer,
        Func<K, object?[]?, object?[]?, object?[]> join) : Processor<K, object?[]>
        where K : notnull
    {
        private readonly List<KeyValuePair<long, object?[]>> _matches = [];
        private IWindowStore<K, object?[]>? _mine;
        private IWindowStore<K, object?[]>? _other;

        public override void Init(ProcessorContext context)
        {
            _mine = context.GetStateStore<IWindowStore<K, object?[]>>(mineName);
            _other = context.GetStateStore<IWindowStore<K, object?[]>>(otherName);
        }

        public override void Process(K key, object?[] value, long timestamp)
        {
            if (value is null)
            {
                context.RecordDropped("null value in stream-stream join");
                return;
            }

            _mine!.Put(key, value, timestamp);
            _matches.Clear();
            _other!.Fetch(key, timestamp - lookBackMs, timestamp + lookAheadMs, _matches);
            if (_matches.Count == 0)
            {
                if (outer)
                {
                    downstream.Forward(key, join(key, value, null), timestamp);
                }

                return;
            }

            foreach (var (ts, other) in _matches.ToList())
            {
                downstream.Forward(key, join(key, value, other), Math.Max(timestamp, ts));
            }
        }
    }
}
