using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// Aggregation of a grouped stream in session windows. A record merges every session of its key within the
/// inactivity gap; merged sessions are removed and a delete (tombstone, at the old session's end time) is
/// forwarded for each before the new session's result. A record whose merged session ended before
/// observed stream time − grace − gap is dropped.
/// </summary>
internal static class SessionAggregateOperator
{
    public static KTable<Windowed<K>, VA> Create<K, V, VA>(KGroupedStream<K, V> grouped, SessionWindows windows, EmitStrategy emit, string? name, Materialized<K, VA> materialized, Func<VA>? initializer, AggregateStep<K, V, VA> step, Func<K, VA, VA, VA> merger)
        where K : notnull
    {
        var builder = grouped.Builder;
        var processorName = builder.Name(name, "KSTREAM-AGGREGATE-");
        var storeName = materialized.StoreName ?? builder.NewName("KSTREAM-AGGREGATE-STATE-STORE-");
        var input = grouped.Input(storeName);
        var keySerde = materialized.KeySerde ?? grouped.KeySerde;
        var retention = materialized.Retention is { } r ? (long)r.TotalMilliseconds : windows.GapMs + windows.GraceMs;
        if (retention < windows.GapMs + windows.GraceMs)
        {
            throw new ArgumentException($"The retention of store {storeName} ({retention} ms) must be at least the inactivity gap plus the grace period ({windows.GapMs + windows.GraceMs} ms).");
        }

        builder.AddStore(new SessionStoreSpec<K, VA>(storeName, materialized.StoreType, keySerde, new PlainValueCodec<VA>(materialized.ValueSerde), retention, materialized.KeyComparer)
        {
            LoggingEnabled = materialized.LoggingEnabled,
            CachingEnabled = materialized.CachingEnabled,
            ChangelogConfigs = materialized.ChangelogConfigs,
        });

        TableState<Windowed<K>, VA>? state = null;
        state = new TableState<Windowed<K>, VA>(_ => true, () => new TableGetter<Windowed<K>, VA>(b =>
        {
            var store = b.Store<ISessionStore<K, VA>>(storeName);
            return (Windowed<K> key, out ValueAndTimestamp<VA> value) =>
            {
                if (store.TryFetchSession(key.Key, key.Window.Start, key.Window.End, out var v) && v is not null)
                {
                    value = new ValueAndTimestamp<VA>(v, key.Window.End);
                    return true;
                }

                value = default;
                return false;
            };
        }, [storeName]))
        {
            StoreName = storeName,
            WindowGraceMs = windows.GraceMs + windows.GapMs,
            SessionWindowed = true,
        };

        var node = builder.Add(new ProcessorGraphNode<K, V, Windowed<K>, Change<VA>>(processorName, (b, ds) =>
            new Processor<K, V, VA>(b.Store<ISessionStore<K, VA>>(storeName), windows, emit == EmitStrategy.OnWindowClose, initializer, step, merger, ds, () => state.SendOldValues))).From(input.Node);
        node.StoreNames.Add(storeName);
        var windowedSerde = keySerde is null ? null : WindowedSerdes.SessionWindowed(keySerde);
        return new KTable<Windowed<K>, VA>(builder, node, windowedSerde, materialized.ValueSerde, state);
    }

    private sealed class Processor<K, V, VA>(ISessionStore<K, VA> store, SessionWindows windows, bool emitOnClose, Func<VA>? initializer, AggregateStep<K, V, VA> step, Func<K, VA, VA, VA> merger, Downstream<Windowed<K>, Change<VA>> downstream, Func<bool> sendOldValues)
        : Processor<K, V>, ITimeKeeping
        where K : notnull
    {
        private ProcessorContext? _context;
        private long _observed = long.MinValue;
        private long _lastEmitCloseTime = -1;

        public override void Init(ProcessorContext context) => _context = context;

        public long[] SaveTimes() => [_observed, _lastEmitCloseTime];

        public void RestoreTimes(IReadOnlyList<long> times)
        {
            if (times.Count != 2) { return; }
            _observed = times[0];
            _lastEmitCloseTime = times[1];
        }

        /// <summary>Emit-on-close: forwards the sessions that ended before the close time since the last emission.</summary>
        private void EmitClosed(long closeTime)
        {
            if (_lastEmitCloseTime != -1 && _lastEmitCloseTime >= closeTime) { return; }
            var lower = _lastEmitCloseTime == -1 ? long.MinValue : _lastEmitCloseTime;
            var closed = new List<KeyValuePair<Windowed<K>, VA>>();
            foreach (var session in store.All())
            {
                var end = session.Key.Window.End;
                if (end >= lower && end < closeTime) { closed.Add(session); }
            }

            closed.Sort(static (a, b) => a.Key.Window.End.CompareTo(b.Key.Window.End));
            foreach (var (key, value) in closed) { downstream.Forward(key, new Change<VA>(value, default!), key.Window.End); }
            _lastEmitCloseTime = closeTime;
        }

        public override void Process(K key, V value, long timestamp)
        {
            if (key is null)
            {
                _context?.RecordDropped("null key in session aggregation");
                return;
            }

            if (timestamp > _observed) { _observed = timestamp; }
            var closeTime = _observed - windows.GraceMs - windows.GapMs;
            if (emitOnClose) { EmitClosed(closeTime); }
            var merged = store.FindSessions(key, timestamp - windows.GapMs, timestamp + windows.GapMs);
            var agg = initializer is null ? default! : initializer();
            var first = true;
            long start = timestamp, end = timestamp;
            foreach (var session in merged)
            {
                agg = first && initializer is null ? session.Value : merger(key, agg, session.Value);
                first = false;
                start = Math.Min(start, session.Key.Window.Start);
                end = Math.Max(end, session.Key.Window.End);
            }

            if (end < closeTime)
            {
                _context?.RecordDropped("record for an expired session");
                return;
            }

            if (start != timestamp || end != timestamp)
            {
                foreach (var session in merged)
                {
                    store.Remove(session.Key);
                    if (!emitOnClose) { downstream.Forward(session.Key, new Change<VA>(default!, sendOldValues() ? session.Value : default!), session.Key.Window.End); }
                }
            }

            agg = step(key, value, agg, first);
            var sessionKey = new Windowed<K>(key, new Window(start, end));
            store.Put(sessionKey, agg);
            if (!emitOnClose) { downstream.Forward(sessionKey, new Change<VA>(agg, default!), end); }
        }
    }
}
