using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// Windowed stream-stream join, as Kafka Streams 3.1+ runs it. Each side's records go into its window
/// store (retention before + after + grace, duplicates kept) after being forwarded to its join processor,
/// which joins them with the other side's records in [t − before, t + after] (output time: the larger).
/// Left/outer joins keep unmatched records in a shared buffer and emit them with a null partner once stream
/// time (shared by both sides) passes their window end plus grace; an unmatched record whose window already
/// closed when it arrived is emitted at once.
/// </summary>
internal static class StreamStreamJoinOperator
{
    internal sealed class Shared<K, V, VO, VR>(JoinWindows windows, Func<K, V, VO, VR> joiner)
        where K : notnull
    {
        public long StreamTime = -1;
        public long MinTime = long.MaxValue;
        public OuterJoinBuffer<K, V, VO>? Buffer;
        public readonly JoinWindows Windows = windows;

        public void EmitNonJoined(long processorAfterMs, Downstream<K, VR> downstream)
        {
            var buffer = Buffer;
            if (buffer is null || MinTime == long.MaxValue || MinTime + processorAfterMs + Windows.GraceMs >= StreamTime) { return; }
            var min = long.MaxValue;
            foreach (var (key, entry) in buffer.Snapshot())
            {
                var lookBack = key.IsLeft ? Windows.AfterMs : Windows.BeforeMs;
                if (key.Timestamp + lookBack + Windows.GraceMs >= StreamTime)
                {
                    min = Math.Min(min, key.Timestamp);
                    continue;
                }

                if (entry.Lefts is not null)
                {
                    foreach (var v in entry.Lefts) { downstream.Forward(entry.Key, joiner(entry.Key, v, default!), key.Timestamp); }
                }

                if (entry.Rights is not null)
                {
                    foreach (var vo in entry.Rights) { downstream.Forward(entry.Key, joiner(entry.Key, default!, vo), key.Timestamp); }
                }

                buffer.Remove(key);
            }

            MinTime = min;
        }
    }

    public static KStream<K, VR> Join<K, V, VO, VR>(KStream<K, V> left, KStream<K, VO> right, Func<K, V, VO, VR> joiner, JoinWindows windows, StreamJoined<K, V, VO> joined, bool leftOuter, bool rightOuter)
        where K : notnull
    {
        var builder = left.Builder;
        var n = joined.Name;
        var keySerde = joined.KeySerde ?? left.KeySerde ?? right.KeySerde;
        var leftSerde = joined.ValueSerde ?? left.ValueSerde;
        var rightSerde = joined.OtherValueSerde ?? right.ValueSerde;

        var l = left.RepartitionRequired ? left.RepartitionThrough((n ?? builder.NewName("KSTREAM-JOIN-")) + "-left", keySerde, leftSerde, null) : left;
        var r = right.RepartitionRequired ? right.RepartitionThrough((n ?? builder.NewName("KSTREAM-JOIN-")) + "-right", keySerde, rightSerde, null) : right;

        var thisWindowName = builder.Name(n is null ? null : n + "-this-windowed", "KSTREAM-WINDOWED-");
        var otherWindowName = builder.Name(n is null ? null : n + "-other-windowed", "KSTREAM-WINDOWED-");
        var joinThisName = builder.Name(n is null ? null : n + (rightOuter ? "-outer-this-join" : "-this-join"), rightOuter ? "KSTREAM-OUTERTHIS-" : "KSTREAM-JOINTHIS-");
        var joinOtherName = builder.Name(n is null ? null : n + (leftOuter ? "-outer-other-join" : "-other-join"), leftOuter ? "KSTREAM-OUTEROTHER-" : "KSTREAM-JOINOTHER-");
        var mergeName = builder.Name(n is null ? null : n + "-merge", "KSTREAM-MERGE-");

        var storeBase = joined.StoreName ?? n;
        var thisStore = storeBase is null ? joinThisName + "-store" : storeBase + "-this-join-store";
        var otherStore = storeBase is null ? joinOtherName + "-store" : storeBase + "-other-join-store";
        var retention = windows.BeforeMs + windows.AfterMs + windows.GraceMs;
        var size = windows.BeforeMs + windows.AfterMs;
        builder.AddStore(new WindowStoreSpec<K, V>(thisStore, joined.StoreType, keySerde, new PlainValueCodec<V>(leftSerde), retention, size, true, null) { LoggingEnabled = joined.LoggingEnabled, CachingEnabled = false });
        builder.AddStore(new WindowStoreSpec<K, VO>(otherStore, joined.StoreType, keySerde, new PlainValueCodec<VO>(rightSerde), retention, size, true, null) { LoggingEnabled = joined.LoggingEnabled, CachingEnabled = false });

        string? outerStore = null;
        if (leftOuter)
        {
            outerStore = storeBase is null ? builder.NewName("KSTREAM-OUTERSHARED-") + "-store" : storeBase + "-outer-shared-join-store";
            builder.AddStore(new OuterJoinBufferSpec<K, V, VO>(outerStore, keySerde ?? throw new InvalidOperationException($"The left/outer join {joinThisName} needs a key serde (StreamJoined.KeySerde) to order its buffer."), leftSerde, rightSerde)
            {
                LoggingEnabled = joined.LoggingEnabled,
            });
        }

        var sharedKey = new object();
        Shared<K, V, VO, VR> GetShared(TaskBuilder b) => b.Shared(sharedKey, () => new Shared<K, V, VO, VR>(windows, joiner)
        {
            Buffer = outerStore is null ? null : b.Store<OuterJoinBuffer<K, V, VO>>(outerStore),
        });

        var merge = builder.Add(new ProcessorGraphNode<K, VR, K, VR>(mergeName, (_, ds) => new PassThroughProcessor<K, VR>(ds)));
        var thisWindow = builder.Add(new ProcessorGraphNode<K, V, K, V>(thisWindowName, (b, ds) => new WindowPutProcessor<K, V>(b.Store<IWindowStore<K, V>>(thisStore), ds))).From(l.Node);
        var otherWindow = builder.Add(new ProcessorGraphNode<K, VO, K, VO>(otherWindowName, (b, ds) => new WindowPutProcessor<K, VO>(b.Store<IWindowStore<K, VO>>(otherStore), ds))).From(r.Node);
        thisWindow.StoreNames.Add(thisStore);
        otherWindow.StoreNames.Add(otherStore);

        var joinThis = builder.Add(new ProcessorGraphNode<K, V, K, VR>(joinThisName, (b, ds) =>
            new JoinProcessor<K, V, VO, VR, V, VO>(
                b.Store<IWindowStore<K, VO>>(otherStore), GetShared(b), isLeft: true, windows.BeforeMs, windows.AfterMs, leftOuter,
                (k, mine, other) => joiner(k, mine, other), ds))).From(thisWindow);
        var joinOther = builder.Add(new ProcessorGraphNode<K, VO, K, VR>(joinOtherName, (b, ds) =>
            new JoinProcessor<K, VO, V, VR, V, VO>(
                b.Store<IWindowStore<K, V>>(thisStore), GetShared(b), isLeft: false, windows.AfterMs, windows.BeforeMs, rightOuter,
                (k, mine, other) => joiner(k, other, mine), ds))).From(otherWindow);
        joinThis.StoreNames.Add(otherStore);
        joinOther.StoreNames.Add(thisStore);
        if (outerStore is not null)
        {
            joinThis.StoreNames.Add(outerStore);
            joinOther.StoreNames.Add(outerStore);
        }

        merge.From(joinThis);
        merge.From(joinOther);
        builder.RequireCopartition(StreamsBuilder.UpstreamSourceTopics(l.Node).Concat(StreamsBuilder.UpstreamSourceTopics(r.Node)));
        return new KStream<K, VR>(builder, merge, keySerde, null, false);
    }

    /// <summary>Forwards a record to its join processor, then keeps it in its side's window store.</summary>
    private sealed class WindowPutProcessor<K, V>(IWindowStore<K, V> store, Downstream<K, V> downstream) : Processor<K, V>
    {
        public override void Process(K key, V value, long timestamp)
        {
            if (key is null) { return; }
            downstream.Forward(key, value, timestamp);
            if (value is not null) { store.Put(key, value, timestamp); }
        }
    }

    /// <summary>
    /// One side of the join (VM: this side's value type, VT: the other side's). Before/after are this side's
    /// view of the window (the right side sees them swapped).
    /// </summary>
    private sealed class JoinProcessor<K, VM, VT, VR, VL, VRt>(
        IWindowStore<K, VT> otherStore,
        Shared<K, VL, VRt, VR> shared,
        bool isLeft,
        long beforeMs,
        long afterMs,
        bool outer,
        Func<K, VM, VT, VR> joiner,
        Downstream<K, VR> downstream) : Processor<K, VM>, ITimeKeeping
        where K : notnull
    {
        private readonly List<KeyValuePair<long, VT>> _matches = [];
        private ProcessorContext? _context;

        public override void Init(ProcessorContext context) => _context = context;

        public long[] SaveTimes() => [shared.StreamTime];

        public void RestoreTimes(IReadOnlyList<long> times)
        {
            if (times.Count == 1) { shared.StreamTime = Math.Max(shared.StreamTime, times[0]); }
        }

        public override void Process(K key, VM value, long timestamp)
        {
            if (key is null || value is null)
            {
                _context?.RecordDropped("null key or value in stream-stream join");
                return;
            }

            var timeFrom = Math.Max(0L, timestamp - beforeMs);
            var timeTo = Math.Max(0L, timestamp + afterMs);
            if (timestamp > shared.StreamTime) { shared.StreamTime = timestamp; }
            if (shared.Buffer is not null && timestamp == shared.StreamTime) { shared.EmitNonJoined(afterMs, downstream); }

            _matches.Clear();
            otherStore.Fetch(key, timeFrom, timeTo, _matches);
            var needOuter = outer;
            foreach (var (otherTs, otherValue) in _matches)
            {
                needOuter = false;
                shared.Buffer?.Remove(otherTs, !isLeft, key);
                downstream.Forward(key, joiner(key, value, otherValue), Math.Max(timestamp, otherTs));
            }

            _matches.Clear();
            if (!needOuter) { return; }
            if (shared.Buffer is null || timeTo < shared.StreamTime)
            {
                downstream.Forward(key, joiner(key, value, default!), timestamp);
                return;
            }

            if (timestamp < shared.MinTime) { shared.MinTime = timestamp; }
            if (isLeft) { shared.Buffer.PutLeft(timestamp, key, (VL)(object)value!); }
            else { shared.Buffer.PutRight(timestamp, key, (VRt)(object)value!); }
        }
    }
}
