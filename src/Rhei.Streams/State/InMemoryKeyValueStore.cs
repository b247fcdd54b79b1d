using System.Runtime.InteropServices;

namespace Rhei.Streams.State;

/// <summary>
/// A key-value store in a hash map. Point reads and writes are O(1); ordered reads (ranges, prefix scans,
/// all) use a sorted index of serialized keys that is rebuilt only after the key set changed. Readers on
/// other threads take the same lock as the writer.
/// </summary>
internal sealed class InMemoryKeyValueStore<K, V> : IKeyValueStore<K, V>, IManagedStore
    where K : notnull
{
    private readonly Dictionary<K, V> _map;
    private readonly KeyCodec<K> _keys;
    private readonly ValueCodec<V> _values;
    private readonly Func<long> _currentTimestamp;
    private readonly string _topic;
    private readonly Lock _sync = new();
    private (byte[] Bytes, K Key)[]? _index;

    public InMemoryKeyValueStore(string name, KeyCodec<K> keys, ValueCodec<V> values, IEqualityComparer<K>? comparer, StoreContext context)
    {
        Name = name;
        _keys = keys;
        _values = values;
        _map = new Dictionary<K, V>(comparer);
        _currentTimestamp = context.CurrentTimestamp;
        _topic = context.ChangelogTopic;
    }

    public string Name { get; }

    public bool Persistent => false;

    public ChangelogWriter? ChangelogWriter { get; set; }

    public IManagedStore Inner => this;

    public long ApproximateNumEntries { get { lock (_sync) { return _map.Count; } } }

    public bool TryGet(K key, out V value)
    {
        lock (_sync)
        {
            return _map.TryGetValue(key, out value!);
        }
    }

    public void Put(K key, V value)
    {
        if (_values.IsNull(value))
        {
            Delete(key);
            return;
        }

        lock (_sync)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_map, key, out var exists);
            slot = value;
            if (!exists) { _index = null; }
        }

        ChangelogWriter?.Invoke(_keys.Serialize(key), _values.Serialize(value, _topic), _values.TimestampOf(value, _currentTimestamp()));
    }

    public void Delete(K key)
    {
        lock (_sync)
        {
            if (_map.Remove(key)) { _index = null; }
        }

        ChangelogWriter?.Invoke(_keys.Serialize(key), null, _currentTimestamp());
    }

    public void Restore(byte[] key, byte[]? value, long timestamp)
    {
        var k = _keys.Deserialize(key);
        lock (_sync)
        {
            if (value is null)
            {
                if (_map.Remove(k)) { _index = null; }
            }
            else
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_map, k, out var exists);
                slot = _values.Deserialize(value, timestamp, _topic);
                if (!exists) { _index = null; }
            }
        }
    }

    public IReadOnlyList<KeyValuePair<K, V>> Range(K from, K to)
    {
        lock (_sync)
        {
            if (!_keys.CanSerialize) { return RangeByComparer(from, to); }
            var index = Index();
            var lo = LowerBound(index, _keys.Serialize(from));
            var toBytes = _keys.Serialize(to);
            var result = new List<KeyValuePair<K, V>>();
            for (var i = lo; i < index.Length && ByteArrayComparer.Instance.Compare(index[i].Bytes, toBytes) <= 0; i++)
            {
                result.Add(new(index[i].Key, _map[index[i].Key]));
            }

            return result;
        }
    }

    public IReadOnlyList<KeyValuePair<K, V>> PrefixScan(K prefix)
    {
        lock (_sync)
        {
            var index = Index();
            var p = _keys.Serialize(prefix);
            var result = new List<KeyValuePair<K, V>>();
            for (var i = LowerBound(index, p); i < index.Length && index[i].Bytes.AsSpan().StartsWith(p); i++)
            {
                result.Add(new(index[i].Key, _map[index[i].Key]));
            }

            return result;
        }
    }

    public IReadOnlyList<KeyValuePair<K, V>> All()
    {
        lock (_sync)
        {
            if (!_keys.CanSerialize)
            {
                var list = new List<KeyValuePair<K, V>>(_map);
                list.Sort((a, b) => Comparer<K>.Default.Compare(a.Key, b.Key));
                return list;
            }

            var index = Index();
            var result = new List<KeyValuePair<K, V>>(index.Length);
            foreach (var (_, key) in index) { result.Add(new(key, _map[key])); }
            return result;
        }
    }

    public void Flush()
    {
    }

    public void Close()
    {
        lock (_sync)
        {
            _map.Clear();
            _index = null;
        }
    }

    private List<KeyValuePair<K, V>> RangeByComparer(K from, K to)
    {
        var c = Comparer<K>.Default;
        var list = new List<KeyValuePair<K, V>>();
        foreach (var kv in _map)
        {
            if (c.Compare(kv.Key, from) >= 0 && c.Compare(kv.Key, to) <= 0) { list.Add(kv); }
        }

        list.Sort((a, b) => c.Compare(a.Key, b.Key));
        return list;
    }

    private (byte[] Bytes, K Key)[] Index()
    {
        if (_index is null)
        {
            var index = new (byte[] Bytes, K Key)[_map.Count];
            var i = 0;
            foreach (var key in _map.Keys) { index[i++] = (_keys.Serialize(key), key); }
            Array.Sort(index, static (a, b) => ByteArrayComparer.Instance.Compare(a.Bytes, b.Bytes));
            _index = index;
        }

        return _index;
    }

    private static int LowerBound((byte[] Bytes, K Key)[] index, byte[] bytes)
    {
        int lo = 0, hi = index.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ByteArrayComparer.Instance.Compare(index[mid].Bytes, bytes) < 0) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }
}
