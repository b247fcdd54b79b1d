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
        var node = parent.Builder.Add(new ProcessorGraphNode<K, Change<V>, K, Change<V>>(name, (b, ds) =>
            new SuppressProcessor<K, V>(duration, bufferTime, suppressed.UntilWindowClose, keySerde, ds))).From(parent.Node);
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

    private sealed class SuppressProcessor<K, V>(long duration, Func<K, long, long> bufferTime, bool finalResults, Serde<K>? keySerde, Downstream<K, Change<V>> downstream)
        : Processor<K, Change<V>>
        where K : notnull
    {
        private sealed class Entry
        {
            public required K Key;
            public required SortKey Sort;
            public Change<V> Latest;
            public V Prior = default!;
            public long Timestamp;
            public IReadOnlyList<Rhei.Client.RecordHeader> Headers = [];
        }

        private readonly record struct SortKey(long Time, byte[]? KeyBytes, long Seq);

        private sealed class EntryComparer : IComparer<Entry>
        {
            public static readonly EntryComparer Instance = new();

            public int Compare(Entry? a, Entry? b)
            {
                var x = a!.Sort;
                var y = b!.Sort;
                var c = x.Time.CompareTo(y.Time);
                if (c != 0) { return c; }
                c = ByteArrayComparer.Instance.Compare(x.KeyBytes, y.KeyBytes);
                return c != 0 ? c : x.Seq.CompareTo(y.Seq);
            }
        }

        private readonly SortedSet<Entry> _sorted = new(EntryComparer.Instance);
        private readonly Dictionary<K, Entry> _index = [];
        private ProcessorContext _context = null!;
        private long _seq;

        public override void Init(ProcessorContext context) => _context = context;

        public override void Process(K key, Change<V> value, long timestamp)
        {
            var time = bufferTime(key, timestamp);
            if (_index.TryGetValue(key, out var e))
            {
                _sorted.Remove(e);
            }
            else
            {
                e = new Entry { Key = key, Sort = default, Prior = value.OldValue };
                _index[key] = e;
            }

            e.Sort = new SortKey(time, keySerde?.Serialize(key, _context.ApplicationId), keySerde is null ? _seq++ : 0);
            e.Latest = value;
            e.Timestamp = timestamp;
            e.Headers = _context.Headers;
            _sorted.Add(e);

            var expiry = _context.StreamTime - duration;
            while (_sorted.Count > 0)
            {
                var first = _sorted.Min!;
                if (first.Sort.Time > expiry) { break; }
                _sorted.Remove(first);
                _index.Remove(first.Key);
                Emit(first);
            }
        }

        private void Emit(Entry e)
        {
            if (finalResults && e.Latest.NewValue is null) { return; }
            var headers = _context.Headers;
            _context.Headers = e.Headers;
            downstream.Forward(e.Key, new Change<V>(e.Latest.NewValue, e.Prior), e.Timestamp);
            _context.Headers = headers;
        }
    }
}
