using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// Holds back table updates in a buffer ordered by (buffer time, key bytes), keeping per key the latest update
/// and the value before the first held one. Whenever a record arrives, entries whose buffer time is at or
/// before stream time − suppression duration are emitted. Until-window-closes: buffer time = window end,
/// duration = grace (+ gap for sessions), deletes are dropped on emit. Time limit: buffer time = record time.
/// </summary>
internal static class SuppressOperator
{
    public static KTable<K, V> Create<K, V>(KTable<K, V> parent, Suppressed<K> suppressed, string name)
        where K : notnull
    {
        long duration;
        Func<K, long, long> bufferTime;
        if (suppressed.UntilWindowClose)
        {
            if (parent.State.WindowGraceMs is not { } grace)
            {
                throw new InvalidOperationException($"Suppress {name}: until-window-closes needs a windowed aggregation upstream (a table keyed by Windowed).");
            }

            duration = grace;
            bufferTime = WindowEnd<K>();
        }
        else
        {
            duration = suppressed.TimeLimitMs;
            bufferTime = static (_, ts) => ts;
        }

        parent.State.EnableSendingOldValues(true);
        var state = new TableState<K, V>(_ => true, () => throw new InvalidOperationException($"A suppressed table ({name}) cannot be joined or looked up; join before suppressing."))
        {
            WindowSizeMs = parent.State.WindowSizeMs,
            WindowGraceMs = parent.State.WindowGraceMs,
            SessionWindowed = parent.State.SessionWindowed,
        };
        var keySerde = parent.KeySerde;
        var storeName = name + "-store";
        parent.Builder.AddStore(new SuppressBufferSpec<K, V>(storeName, keySerde, parent.ValueSerde)
        {
            LoggingEnabled = keySerde is not null && parent.ValueSerde is not null,
        });
        var node = parent.Builder.Add(new ProcessorGraphNode<K, Change<V>, K, Change<V>>(name, (b, ds) =>
            new SuppressProcessor<K, V>(b.Store<SuppressBuffer<K, V>>(storeName), duration, bufferTime, suppressed.UntilWindowClose, ds))).From(parent.Node);
        node.StoreNames.Add(storeName);
        return new KTable<K, V>(parent.Builder, node, parent.KeySerde, parent.ValueSerde, state);
    }

    private static Func<K, long, long> WindowEnd<K>()
    {
        var keyType = typeof(K);
        if (!keyType.IsGenericType || keyType.GetGenericTypeDefinition() != typeof(Windowed<>))
        {
            throw new InvalidOperationException("Until-window-closes suppression needs a table keyed by Windowed<K>.");
        }

        var method = typeof(SuppressOperator).GetMethod(nameof(EndOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(keyType.GetGenericArguments()[0]);
        return (Func<K, long, long>)method.Invoke(null, null)!;
    }

    private static Func<Windowed<KK>, long, long> EndOf<KK>() => static (k, _) => k.Window.End;

    private sealed class SuppressProcessor<K, V>(SuppressBuffer<K, V> buffer, long duration, Func<K, long, long> bufferTime, bool finalResults, Downstream<K, Change<V>> downstream)
        : Processor<K, Change<V>>
        where K : notnull
    {
        private ProcessorContext _context = null!;

        public override void Init(ProcessorContext context) => _context = context;

        public override void Process(K key, Change<V> value, long timestamp)
        {
            buffer.Put(key, bufferTime(key, timestamp), value, timestamp, _context.Headers);
            var expiry = _context.StreamTime - duration;
            while (buffer.TryTakeFirst(expiry, out var e))
            {
                if (finalResults && e.Latest.NewValue is null) { continue; }
                var headers = _context.Headers;
                _context.Headers = e.Headers;
                downstream.Forward(e.Key, new Change<V>(e.Latest.NewValue, e.Prior), e.Timestamp);
                _context.Headers = headers;
            }
        }
    }
}
