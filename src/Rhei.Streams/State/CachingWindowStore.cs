namespace Rhei.Streams.State;

/// <summary>
/// The record cache in front of a window store: repeated updates of one (key, window) between commits are
/// folded into one, written down and forwarded on flush or eviction (see <see cref="CachingKeyValueStore{K,V}"/>).
/// </summary>
internal sealed class CachingWindowStore<K, V> : IWindowStore<K, V>, IManagedStore, ICachedStore
    where K : notnull
{
    private readonly record struct CacheKey(K Key, long Start);

    private sealed class Entry
    {
        public required CacheKey Key;
        public V Value = default!;
        public V Old = default!;
        public bool HadOld;
        public bool Dirty;
        public long Timestamp;
        public long Size;
    }

    private readonly IWindowStore<K, V> _inner;
    private readonly IManagedStore _managed;
    private readonly Dictionary<CacheKey, LinkedListNode<Entry>> _map;
    private readonly LinkedList<Entry> _lru = new();
    private readonly CacheBudget _budget;
    private readonly KeyCodec<K> _keys;
    private readonly ValueCodec<V> _values;
    private readonly Func<long> _currentTimestamp;
    private readonly string _topic;
    private readonly Lock _sync = new();
    private readonly CacheSizer<K, V> _sizes;

    public CachingWindowStore(IWindowStore<K, V> inner, KeyCodec<K> keys, ValueCodec<V> values, CacheBudget budget, StoreContext context)
    {
        _inner = inner;
        _managed = (IManagedStore)inner;
        _map = [];
        _budget = budget;
        _keys = keys;
        _values = values;
        _currentTimestamp = context.CurrentTimestamp;
        _topic = context.ChangelogTopic;
        _sizes = new CacheSizer<K, V>(keys, values, _topic);
    }

    public CacheFlushListener<Windowed<K>, V>? FlushListener { get; set; }

    public string Name => _inner.Name;

    public bool Persistent => _inner.Persistent;

    public long WindowSize => _inner.WindowSize;

    public ChangelogWriter? ChangelogWriter { get => _managed.ChangelogWriter; set => _managed.ChangelogWriter = value; }

    public IManagedStore Inner => _managed;

    public void Restore(byte[] key, byte[]? value, long timestamp) => _managed.Restore(key, value, timestamp);

    public void FinishRestore() => _managed.FinishRestore();

    public bool TryFetch(K key, long windowStart, out V value)
    {
        lock (_sync)
        {
            if (_map.TryGetValue(new CacheKey(key, windowStart), out var node))
            {
                value = node.Value.Value;
                return !_values.IsNull(value);
            }
        }

        return _inner.TryFetch(key, windowStart, out value);
    }

    public void Put(K key, V value, long windowStart)
    {
        var ck = new CacheKey(key, windowStart);
        List<Entry>? evicted = null;
        lock (_sync)
        {
            Entry e;
            if (_map.TryGetValue(ck, out var node))
            {
                e = node.Value;
                if (!e.Dirty)
                {
                    e.Old = e.Value;
                    e.HadOld = !_values.IsNull(e.Value);
                }

                _lru.Remove(node);
                _lru.AddLast(node);
            }
            else
            {
                e = new Entry { Key = ck };
                e.HadOld = _inner.TryFetch(key, windowStart, out e.Old);
                _map[ck] = _lru.AddLast(e);
            }

            e.Value = value;
            e.Dirty = true;
            e.Timestamp = _values.TimestampOf(value, _currentTimestamp());
            long size = 72 + _sizes.KeySize(key) + (_values.IsNull(value) ? 0 : _sizes.ValueSize(value));
            _budget.UsedBytes += size - e.Size;
            e.Size = size;
            while (_budget.OverBudget && _lru.First is { } first)
            {
                _lru.RemoveFirst();
                _map.Remove(first.Value.Key);
                _budget.UsedBytes -= first.Value.Size;
                if (first.Value.Dirty) { (evicted ??= []).Add(first.Value); }
            }
        }

        if (evicted is not null)
        {
            foreach (var e in evicted) { WriteDown(e); }
        }
    }

    private void WriteDown(Entry e)
    {
        _inner.Put(e.Key.Key, e.Value, e.Key.Start);
        if (_values.IsNull(e.Value) && !e.HadOld) { return; }
        var end = e.Key.Start > long.MaxValue - WindowSize ? long.MaxValue : e.Key.Start + WindowSize;
        FlushListener?.Invoke(new Windowed<K>(e.Key.Key, new Window(e.Key.Start, end)), e.Value, e.Old, e.HadOld, e.Timestamp);
    }

    public void FlushCache()
    {
        List<Entry>? dirty = null;
        lock (_sync)
        {
            foreach (var e in _lru)
            {
                if (e.Dirty)
                {
                    (dirty ??= []).Add(e);
                    e.Dirty = false;
                }
            }
        }

        if (dirty is not null)
        {
            foreach (var e in dirty) { WriteDown(e); }
        }
    }

    public IReadOnlyList<KeyValuePair<long, V>> Fetch(K key, long timeFrom, long timeTo)
    {
        var list = new List<KeyValuePair<long, V>>();
        Fetch(key, timeFrom, timeTo, list);
        return list;
    }

    public void Fetch(K key, long timeFrom, long timeTo, List<KeyValuePair<long, V>> results)
    {
        var stored = new SortedDictionary<long, V>();
        var inner = new List<KeyValuePair<long, V>>();
        _inner.Fetch(key, timeFrom, timeTo, inner);
        foreach (var kv in inner) { stored[kv.Key] = kv.Value; }
        lock (_sync)
        {
            foreach (var e in _lru)
            {
                if (e.Dirty && e.Key.Start >= timeFrom && e.Key.Start <= timeTo && EqualityComparer<K>.Default.Equals(e.Key.Key, key))
                {
                    if (_values.IsNull(e.Value)) { stored.Remove(e.Key.Start); } else { stored[e.Key.Start] = e.Value; }
                }
            }
        }

        foreach (var kv in stored) { results.Add(kv); }
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchRange(K keyFrom, K keyTo, long timeFrom, long timeTo)
    {
        var lo = _keys.Serialize(keyFrom);
        var hi = _keys.Serialize(keyTo);
        return Merge(_inner.FetchRange(keyFrom, keyTo, timeFrom, timeTo), timeFrom, timeTo, k =>
        {
            var b = _keys.Serialize(k);
            return ByteArrayComparer.Instance.Compare(b, lo) >= 0 && ByteArrayComparer.Instance.Compare(b, hi) <= 0;
        });
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchAll(long timeFrom, long timeTo) => Merge(_inner.FetchAll(timeFrom, timeTo), timeFrom, timeTo, null);

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> All() => Merge(_inner.All(), long.MinValue, long.MaxValue, null);

    /// <summary>The stored entries overlaid with the cache's dirty ones, ordered by window start then key bytes.</summary>
    private List<KeyValuePair<Windowed<K>, V>> Merge(IReadOnlyList<KeyValuePair<Windowed<K>, V>> stored, long timeFrom, long timeTo, Func<K, bool>? keyFilter)
    {
        var merged = new Dictionary<CacheKey, KeyValuePair<Windowed<K>, V>>();
        foreach (var kv in stored) { merged[new CacheKey(kv.Key.Key, kv.Key.Window.Start)] = kv; }
        lock (_sync)
        {
            foreach (var e in _lru)
            {
                if (!e.Dirty || e.Key.Start < timeFrom || e.Key.Start > timeTo) { continue; }
                if (keyFilter is not null && !keyFilter(e.Key.Key)) { continue; }
                if (_values.IsNull(e.Value)) { merged.Remove(e.Key); continue; }
                var end = e.Key.Start > long.MaxValue - WindowSize ? long.MaxValue : e.Key.Start + WindowSize;
                merged[e.Key] = new(new Windowed<K>(e.Key.Key, new Window(e.Key.Start, end)), e.Value);
            }
        }

        var list = new List<(long Start, byte[]? Bytes, KeyValuePair<Windowed<K>, V> Entry)>(merged.Count);
        foreach (var kv in merged.Values) { list.Add((kv.Key.Window.Start, _keys.CanSerialize ? _keys.Serialize(kv.Key.Key) : null, kv)); }
        list.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : ByteArrayComparer.Instance.Compare(a.Bytes, b.Bytes));
        return list.ConvertAll(e => e.Entry);
    }

    public void Flush()
    {
        FlushCache();
        _inner.Flush();
    }

    public void Close()
    {
        lock (_sync)
        {
            foreach (var e in _lru) { _budget.UsedBytes -= e.Size; }
            _lru.Clear();
            _map.Clear();
        }

        _inner.Close();
    }
}
