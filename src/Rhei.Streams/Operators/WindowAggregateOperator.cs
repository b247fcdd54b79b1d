using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// Aggregation of a grouped stream in time windows. Each record updates every window containing it whose
/// end is after the close time (observed stream time − grace); windows already closed drop the record
/// (counted as dropped). Results are keyed by <see cref="Windowed{K}"/>; the timestamp is the largest in the window.
/// </summary>
internal static class WindowAggregateOperator
{
    public static KTable<Windowed<K>, VA> Create<K, V, VA>(KGroupedStream<K, V> grouped, TimeWindows windows, EmitStrategy emit, string? name, Materialized<K, VA> materialized, Func<VA>? initializer, AggregateStep<K, V, VA> step)
        where K : notnull
    {
        var builder = grouped.Builder;
        var processorName = builder.Name(name, "KSTREAM-AGGREGATE-");
        var storeName = materialized.StoreName ?? builder.NewName("KSTREAM-AGGREGATE-STATE-STORE-");
        var input = grouped.Input(storeName);
        var keySerde = materialized.KeySerde ?? grouped.KeySerde;
        var retention = materialized.Retention is { } r ? (long)r.TotalMilliseconds : windows.SizeMs + windows.GraceMs;
        if (retention < windows.SizeMs + windows.GraceMs)
        {
            throw new ArgumentException($"The retention of store {storeName} ({retention} ms) must be at least the window size plus the grace period ({windows.SizeMs + windows.GraceMs} ms).");
        }

        // Emit-on-close reads closed windows back from the store; a window stays visible while its start is at or
        // after (largest window start) − (size + grace), one ms longer than the store's own retention.
        var storeRetention = emit == EmitStrategy.OnWindowClose ? retention + 1 : retention;
        builder.AddStore(new WindowStoreSpec<K, ValueAndTimestamp<VA>>(storeName, materialized.StoreType, keySerde, new TimestampedValueCodec<VA>(materialized.ValueSerde), storeRetention, windows.SizeMs, false, materialized.KeyComparer)
        {
            LoggingEnabled = materialized.LoggingEnabled,
            CachingEnabled = materialized.CachingEnabled,
            ChangelogConfigs = materialized.ChangelogConfigs,
        });

        TableState<Windowed<K>, VA>? state = null;
        state = new TableState<Windowed<K>, VA>(_ => true, () => new TableGetter<Windowed<K>, VA>(b =>
        {
            var store = b.Store<IWindowStore<K, ValueAndTimestamp<VA>>>(storeName);
            return (Windowed<K> key, out ValueAndTimestamp<VA> value) => store.TryFetch(key.Key, key.Window.Start, out value) && value.Value is not null;
        }, [storeName]))
        {
            StoreName = storeName,
            WindowSizeMs = windows.SizeMs,
            WindowGraceMs = windows.GraceMs,
        };

        var node = builder.Add(new ProcessorGraphNode<K, V, Windowed<K>, Change<VA>>(processorName, (b, ds) =>
            new Processor<K, V, VA>(b.Store<IWindowStore<K, ValueAndTimestamp<VA>>>(storeName), windows, emit == EmitStrategy.OnWindowClose, initializer, step, ds, () => state.SendOldValues))).From(input.Node);
        node.StoreNames.Add(storeName);
        var windowedSerde = keySerde is null ? null : WindowedSerdes.TimeWindowed(keySerde, windows.SizeMs);
        return new KTable<Windowed<K>, VA>(builder, node, windowedSerde, materialized.ValueSerde, state);
    }

    private sealed class Processor<K, V, VA> : Processor<K, V>, ITimeKeeping
        where K : notnull
    {
        private readonly IWindowStore<K, ValueAndTimestamp<VA>> _store;
        private readonly TimeWindows _windows;
        private readonly Func<VA>? _initializer;
        private readonly AggregateStep<K, V, VA> _step;
        private readonly Downstream<Windowed<K>, Change<VA>> _downstream;
        private readonly Func<bool> _sendOldValues;
        private readonly long[] _starts;
        private readonly bool _cached;
        private readonly bool _emitOnClose;
        private ProcessorContext? _context;
        private long _observed = long.MinValue;
        private long _lastEmitCloseTime = -1;

        public Processor(IWindowStore<K, ValueAndTimestamp<VA>> store, TimeWindows windows, bool emitOnClose, Func<VA>? initializer, AggregateStep<K, V, VA> step, Downstream<Windowed<K>, Change<VA>> downstream, Func<bool> sendOldValues)
        {
            _store = store;
            _windows = windows;
            _initializer = initializer;
            _step = step;
            _downstream = downstream;
            _sendOldValues = sendOldValues;
            _starts = new long[windows.MaxWindowsPerRecord + 1];
            _emitOnClose = emitOnClose;
            if (!emitOnClose && store is CachingWindowStore<K, ValueAndTimestamp<VA>> cache)
            {
                _cached = true;
                cache.FlushListener = (key, newValue, oldValue, hadOld, ts) =>
                    _downstream.Forward(key, new Change<VA>(newValue.Value, _sendOldValues() && hadOld ? oldValue.Value : default!), ts);
            }
        }

        public override void Init(ProcessorContext context) => _context = context;

        public long[] SaveTimes() => [_observed, _lastEmitCloseTime];

        public void RestoreTimes(IReadOnlyList<long> times)
        {
            if (times.Count != 2) { return; }
            _observed = times[0];
            _lastEmitCloseTime = times[1];
        }

        public override void Process(K key, V value, long timestamp)
        {
            if (key is null)
            {
                _context?.RecordDropped("null key in windowed aggregation");
                return;
            }

            if (timestamp > _observed) { _observed = timestamp; }
            var closeTime = _observed - _windows.GraceMs;
            var n = _windows.WindowsFor(timestamp, _starts);
            for (var i = 0; i < n; i++)
            {
                var start = _starts[i];
                var end = start + _windows.SizeMs;
                if (end <= closeTime)
                {
                    _context?.RecordDropped("record for an expired window");
                    continue;
                }

                var hadOld = _store.TryFetch(key, start, out var old);
                var oldAgg = hadOld ? old.Value : default!;
                var newTimestamp = hadOld ? Math.Max(timestamp, old.Timestamp) : timestamp;
                var newAgg = _step(key, value, hadOld ? oldAgg : _initializer is null ? default! : _initializer(), !hadOld);
                _store.Put(key, new ValueAndTimestamp<VA>(newAgg, newTimestamp), start);
                if (!_cached && !_emitOnClose)
                {
                    _downstream.Forward(new Windowed<K>(key, new Window(start, end)), new Change<VA>(newAgg, _sendOldValues() ? oldAgg : default!), newTimestamp);
                }
            }

            if (_emitOnClose) { EmitClosed(closeTime); }
        }

        /// <summary>Forwards the windows that closed since the last emission (end &lt;= close time), from the store.</summary>
        private void EmitClosed(long closeTime)
        {
            if (_lastEmitCloseTime != -1 && _lastEmitCloseTime >= closeTime) { return; }
            var upper = closeTime - _windows.SizeMs;
            if (upper < 0) { return; }
            var lower = _lastEmitCloseTime == -1 ? 0 : Math.Max(0, _lastEmitCloseTime - _windows.SizeMs + 1);
            if (_lastEmitCloseTime != -1 && upper < lower) { return; }
            foreach (var (key, value) in _store.FetchAll(lower, upper))
            {
                _downstream.Forward(key, new Change<VA>(value.Value, default!), value.Timestamp);
            }

            _lastEmitCloseTime = closeTime;
        }
    }
}
