namespace Rhei.Streams.State;

/// <summary>
/// A window store in memory: a sorted list of window starts, each with a hash map of keys. The store
/// tracks the largest window start it was given (its observed stream time); windows that start at or before
/// observed − retention are dropped on write and never returned, as Kafka Streams' window stores do.
/// With <c>retainDuplicates</c> (join buffers) every put appends.
/// </summary>
internal sealed class InMemoryWindowStore<K, V> : IWindowStore<K, V>, IManagedStore
    where K : notnull
{
    private readonly List<long> _starts = [];
    private readonly Dictionary<long, Dictionary<K, V>>? _single;
    private readonly Dictionary<long, Dictionary<K, List<V>>>? _multi;
    private readonly KeyCodec<K> _keys;
    private readonly ValueCodec<V> _values;
    private readonly IEqualityComparer<K>? _comparer;
    private readonly Func<long> _currentTimestamp;
    private readonly string _topic;
    private readonly long _retention;
    private readonly Lock _sync = new();
    private long _observed = long.MinValue;
    private int _seq;

    public InMemoryWindowStore(string name, KeyCodec<K> keys, ValueCodec<V> values, IEqualityComparer<K>? comparer, long retentionMs, long windowSizeMs, bool retainDuplicates, StoreContext context)
    {
        Name = name;
        _keys = keys;
        _values = values;
        _comparer = comparer;
        _retention = retentionMs;
        WindowSize = windowSizeMs;
        _currentTimestamp = context.CurrentTimestamp;
        _topic = context.ChangelogTopic;
        if (retainDuplicates) { _multi = []; } else { _single = []; }
    }

    public string Name { get; }

    public bool Persistent => false;

    public long WindowSize { get; }

    public ChangelogWriter? ChangelogWriter { get; set; }

    public IManagedStore Inner => this;

    private long MinLive => _observed == long.MinValue ? long.MinValue : _observed - _retention + 1;

    public void Put(K key, V value, long windowStart)
    {
        int seq;
        lock (_sync)
        {
            if (!PutLocked(key, value, windowStart)) { return; }
            seq = _multi is null ? 0 : ++_seq;
        }

        ChangelogWriter?.Invoke(
            KeyLayouts.WindowKey(_keys.Serialize(key), windowStart, seq),
            _values.IsNull(value) ? null : _values.Serialize(value, _topic),
            _values.TimestampOf(value, _currentTimestamp()));
    }

    private bool PutLocked(K key, V value, long windowStart)
    {
        if (windowStart > _observed) { _observed = windowStart; }
        if (windowStart < MinLive)
        {
            return false;
        }

        Expire();
        if (_values.IsNull(value))
        {
            if (_single is not null && _single.TryGetValue(windowStart, out var m)) { m.Remove(key); }
            return true;
        }

        if (_single is not null)
        {
            if (!_single.TryGetValue(windowStart, out var m))
            {
                m = new Dictionary<K, V>(_comparer);
                _single.Add(windowStart, m);
                InsertStart(windowStart);
            }

            m[key] = value;
        }
        else
        {
            if (!_multi!.TryGetValue(windowStart, out var m))
            {
                m = new Dictionary<K, List<V>>(_comparer);
                _multi.Add(windowStart, m);
                InsertStart(windowStart);
            }

            if (!m.TryGetValue(key, out var list)) { m[key] = list = []; }
            list.Add(value);
        }

        return true;
    }

    public void Restore(byte[] key, byte[]? value, long timestamp)
    {
        var k = _keys.Deserialize(KeyLayouts.WindowKeyBytes(key));
        var start = KeyLayouts.WindowStart(key);
        lock (_sync)
        {
            if (value is null)
            {
                if (_single is not null && _single.TryGetValue(start, out var m)) { m.Remove(k); }
                return;
            }

            PutLocked(k, _values.Deserialize(value, timestamp, _topic), start);
            if (_multi is not null) { _seq = Math.Max(_seq, KeyLayouts.WindowSeq(key)); }
        }
    }

    public bool TryFetch(K key, long windowStart, out V value)
    {
        lock (_sync)
        {
            if (windowStart >= MinLive)
            {
                if (_single is not null && _single.TryGetValue(windowStart, out var m) && m.TryGetValue(key, out value!)) { return true; }
                if (_multi is not null && _multi.TryGetValue(windowStart, out var mm) && mm.TryGetValue(key, out var list) && list.Count > 0)
                {
                    value = list[0];
                    return true;
                }
            }

            value = default!;
            return false;
        }
    }

    public IReadOnlyList<KeyValuePair<long, V>> Fetch(K key, long timeFrom, long timeTo)
    {
        var results = new List<KeyValuePair<long, V>>();
        Fetch(key, timeFrom, timeTo, results);
        return results;
    }

    public void Fetch(K key, long timeFrom, long timeTo, List<KeyValuePair<long, V>> results)
    {
        lock (_sync)
        {
            var from = Math.Max(timeFrom, MinLive);
            for (var i = LowerBound(from); i < _starts.Count && _starts[i] <= timeTo; i++)
            {
                var start = _starts[i];
                if (_single is not null)
                {
                    if (_single[start].TryGetValue(key, out var v)) { results.Add(new(start, v)); }
                }
                else if (_multi![start].TryGetValue(key, out var list))
                {
                    foreach (var v in list) { results.Add(new(start, v)); }
                }
            }
        }
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchRange(K keyFrom, K keyTo, long timeFrom, long timeTo)
    {
        var lo = _keys.Serialize(keyFrom);
        var hi = _keys.Serialize(keyTo);
        return Collect(timeFrom, timeTo, k =>
        {
            var b = _keys.Serialize(k);
            return ByteArrayComparer.Instance.Compare(b, lo) >= 0 && ByteArrayComparer.Instance.Compare(b, hi) <= 0;
        });
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchAll(long timeFrom, long timeTo) => Collect(timeFrom, timeTo, null);

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> All() => Collect(long.MinValue, long.MaxValue, null);

    private List<KeyValuePair<Windowed<K>, V>> Collect(long timeFrom, long timeTo, Func<K, bool>? keyFilter)
    {
        var results = new List<KeyValuePair<Windowed<K>, V>>();
        lock (_sync)
        {
            var from = Math.Max(timeFrom, MinLive);
            for (var i = LowerBound(from); i < _starts.Count && _starts[i] <= timeTo; i++)
            {
                var start = _starts[i];
                var window = new Window(start, start > long.MaxValue - WindowSize ? long.MaxValue : start + WindowSize);
                var batch = new List<KeyValuePair<Windowed<K>, V>>();
                if (_single is not null)
                {
                    foreach (var kv in _single[start])
                    {
                        if (keyFilter is null || keyFilter(kv.Key)) { batch.Add(new(new Windowed<K>(kv.Key, window), kv.Value)); }
                    }
                }
                else
                {
                    foreach (var kv in _multi![start])
                    {
                        if (keyFilter is not null && !keyFilter(kv.Key)) { continue; }
                        foreach (var v in kv.Value) { batch.Add(new(new Windowed<K>(kv.Key, window), v)); }
                    }
                }

                if (_keys.CanSerialize && batch.Count > 1)
                {
                    var keyed = batch.ConvertAll(e => (Bytes: _keys.Serialize(e.Key.Key), Entry: e));
                    keyed.Sort(static (a, b) => ByteArrayComparer.Instance.Compare(a.Bytes, b.Bytes));
                    foreach (var e in keyed) { results.Add(e.Entry); }
                }
                else
                {
                    results.AddRange(batch);
                }
            }
        }

        return results;
    }

    public void Flush()
    {
    }

    public void Close()
    {
        lock (_sync)
        {
            _starts.Clear();
            _single?.Clear();
            _multi?.Clear();
        }
    }

    private void Expire()
    {
        var minLive = MinLive;
        var n = 0;
        while (n < _starts.Count && _starts[n] < minLive)
        {
            _single?.Remove(_starts[n]);
            _multi?.Remove(_starts[n]);
            n++;
        }

        if (n > 0) { _starts.RemoveRange(0, n); }
    }

    private void InsertStart(long start)
    {
        if (_starts.Count == 0 || _starts[^1] < start)
        {
            _starts.Add(start);
            return;
        }

        var i = _starts.BinarySearch(start);
        if (i < 0) { _starts.Insert(~i, start); }
    }

    private int LowerBound(long from)
    {
        if (from == long.MinValue || _starts.Count == 0 || _starts[0] >= from) { return 0; }
        var i = _starts.BinarySearch(from);
        return i >= 0 ? i : ~i;
    }
}
