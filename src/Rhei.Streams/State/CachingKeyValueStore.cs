using System.Runtime.InteropServices;

namespace Rhei.Streams.State;

/// <summary>Called when a cached update is written down: the node forwards (new, old) from here.</summary>
internal delegate void CacheFlushListener<K, V>(K key, V newValue, V oldValue, bool hadOld, long timestamp);

/// <summary>
/// The record cache in front of a key-value store (cache.max.bytes.buffering): repeated updates of a key
/// between two commits are folded into one, written down and forwarded on flush or on eviction (least
/// recently used first, when the thread's budget is exceeded), with the value the store held before the
/// first of them as the old value.
/// </summary>
internal sealed class CachingKeyValueStore<K, V> : IKeyValueStore<K, V>, IManagedStore, ICachedStore
    where K : notnull
{
    private sealed class Entry
    {
        public required K Key;
        public V Value = default!;
        public V Old = default!;
        public bool HadOld;
        public bool Deleted;
        public bool Dirty;
        public long Timestamp;
        public long Size;
        public int KeySize;
    }

    private readonly IKeyValueStore<K, V> _inner;
    private readonly IManagedStore _managed;
    private readonly Dictionary<K, LinkedListNode<Entry>> _map;
    private readonly LinkedList<Entry> _lru = new();
    private readonly CacheBudget _budget;
    private readonly KeyCodec<K> _keys;
    private readonly ValueCodec<V> _values;
    private readonly Func<long> _currentTimestamp;
    private readonly string _topic;
    private readonly Lock _sync = new();
    private readonly CacheSizer<K, V> _sizes;

    public CachingKeyValueStore(IKeyValueStore<K, V> inner, KeyCodec<K> keys, ValueCodec<V> values, IEqualityComparer<K>? comparer, CacheBudget budget, StoreContext context)
    {
        _inner = inner;
        _managed = (IManagedStore)inner;
        _map = new Dictionary<K, LinkedListNode<Entry>>(comparer);
        _budget = budget;
        _keys = keys;
        _values = values;
        _currentTimestamp = context.CurrentTimestamp;
        _topic = context.ChangelogTopic;
        _sizes = new CacheSizer<K, V>(keys, values, _topic);
    }

    public CacheFlushListener<K, V>? FlushListener { get; set; }

    public string Name => _inner.Name;

    public bool Persistent => _inner.Persistent;

    public ChangelogWriter? ChangelogWriter { get => _managed.ChangelogWriter; set => _managed.ChangelogWriter = value; }

    public IManagedStore Inner => _managed;

    public long ApproximateNumEntries => _inner.ApproximateNumEntries;

    public void Restore(byte[] key, byte[]? value, long timestamp) => _managed.Restore(key, value, timestamp);

    public void FinishRestore() => _managed.FinishRestore();

    public bool TryGet(K key, out V value)
    {
        lock (_sync)
        {
            if (_map.TryGetValue(key, out var node))
            {
                value = node.Value.Value;
                return !node.Value.Deleted;
            }
        }

        return _inner.TryGet(key, out value);
    }

    public void Put(K key, V value) => Write(key, value, _values.IsNull(value));

    public void Delete(K key) => Write(key, default!, true);

    private void Write(K key, V value, bool deleted)
    {
        List<Entry>? evicted = null;
        lock (_sync)
        {
            ref var node = ref CollectionsMarshal.GetValueRefOrAddDefault(_map, key, out var exists);
            Entry e;
            var measure = true;
            if (exists)
            {
                e = node!.Value;
                if (e.Dirty && e.Deleted == deleted)
                {
                    // Sizes are measured (by serializing) when an entry becomes dirty, not on every update.
                    measure = false;
                }
                else
                {
                    e.Old = e.Value;
                    e.HadOld = !e.Deleted;
                }

                _lru.Remove(node);
                _lru.AddLast(node);
            }
            else
            {
                e = new Entry { Key = key, KeySize = _sizes.KeySize(key) };
                e.HadOld = _inner.TryGet(key, out e.Old);
                node = _lru.AddLast(e);
            }

            e.Value = value;
            e.Deleted = deleted;
            e.Dirty = true;
            e.Timestamp = deleted ? _currentTimestamp() : _values.TimestampOf(value, _currentTimestamp());
            if (measure)
            {
                var size = 64 + e.KeySize + (deleted ? 0 : _sizes.ValueSize(value));
                _budget.UsedBytes += size - e.Size;
                e.Size = size;
            }

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
        if (e.Deleted) { _inner.Delete(e.Key); } else { _inner.Put(e.Key, e.Value); }
        if (e.Deleted && !e.HadOld) { return; }
        FlushListener?.Invoke(e.Key, e.Deleted ? default! : e.Value, e.Old, e.HadOld, e.Timestamp);
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

    public IReadOnlyList<KeyValuePair<K, V>> Range(K from, K to)
    {
        var lo = _keys.Serialize(from);
        var hi = _keys.Serialize(to);
        return Merge(_inner.Range(from, to), b => ByteArrayComparer.Instance.Compare(b, lo) >= 0 && ByteArrayComparer.Instance.Compare(b, hi) <= 0);
    }

    public IReadOnlyList<KeyValuePair<K, V>> PrefixScan(K prefix)
    {
        var p = _keys.Serialize(prefix);
        return Merge(_inner.PrefixScan(prefix), b => b.AsSpan().StartsWith(p));
    }

    public IReadOnlyList<KeyValuePair<K, V>> All() => Merge(_inner.All(), null);

    private List<KeyValuePair<K, V>> Merge(IReadOnlyList<KeyValuePair<K, V>> stored, Func<byte[], bool>? inRange)
    {
        var merged = new Dictionary<K, V>(_map.Comparer);
        foreach (var kv in stored) { merged[kv.Key] = kv.Value; }
        lock (_sync)
        {
            foreach (var e in _lru)
            {
                if (!e.Dirty) { continue; }
                if (inRange is not null && !inRange(_keys.Serialize(e.Key))) { continue; }
                if (e.Deleted) { merged.Remove(e.Key); } else { merged[e.Key] = e.Value; }
            }
        }

        var list = new List<(byte[] Bytes, KeyValuePair<K, V> Entry)>(merged.Count);
        foreach (var kv in merged) { list.Add((_keys.Serialize(kv.Key), kv)); }
        list.Sort(static (a, b) => ByteArrayComparer.Instance.Compare(a.Bytes, b.Bytes));
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
