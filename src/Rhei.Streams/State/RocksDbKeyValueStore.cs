using RocksDbSharp;

namespace Rhei.Streams.State;

/// <summary>A key-value store in RocksDB: key = serialized key; value = record timestamp (8 bytes) + serialized value.</summary>
internal sealed class RocksDbKeyValueStore<K, V> : IKeyValueStore<K, V>, IManagedStore
{
    private readonly KeyCodec<K> _keys;
    private readonly ValueCodec<V> _values;
    private readonly Func<long> _currentTimestamp;
    private readonly string _topic;
    private readonly Lock _sync = new();
    private RocksDbDatabase? _db;
    private WriteBatch? _restoreBatch;
    private int _restoreCount;

    public RocksDbKeyValueStore(string name, KeyCodec<K> keys, ValueCodec<V> values, StoreContext context)
    {
        Name = name;
        _keys = keys;
        _values = values;
        _currentTimestamp = context.CurrentTimestamp;
        _topic = context.ChangelogTopic;
        _db = new RocksDbDatabase(System.IO.Path.Combine(context.TaskDirectory, "rocksdb", name));
    }

    public string Name { get; }

    public bool Persistent => true;

    public ChangelogWriter? ChangelogWriter { get; set; }

    public IManagedStore Inner => this;

    private RocksDbDatabase Db => _db ?? throw new ObjectDisposedException(Name, $"State store {Name} is closed.");

    public long ApproximateNumEntries
    {
        get
        {
            lock (_sync)
            {
                return long.TryParse(Db.Db.GetProperty("rocksdb.estimate-num-keys"), out var n) ? n : 0;
            }
        }
    }

    public bool TryGet(K key, out V value)
    {
        var k = _keys.Serialize(key);
        byte[]? stored;
        lock (_sync) { stored = Db.Db.Get(k); }
        if (stored is null)
        {
            value = default!;
            return false;
        }

        value = Decode(stored);
        return true;
    }

    public void Put(K key, V value)
    {
        if (_values.IsNull(value))
        {
            Delete(key);
            return;
        }

        var k = _keys.Serialize(key);
        var v = _values.Serialize(value, _topic) ?? [];
        var ts = _values.TimestampOf(value, _currentTimestamp());
        lock (_sync) { Db.Db.Put(k, KeyLayouts.StoredValue(ts, v), null, Db.WriteOptions); }
        ChangelogWriter?.Invoke(k, v, ts);
    }

    public void Delete(K key)
    {
        var k = _keys.Serialize(key);
        lock (_sync) { Db.Db.Remove(k, null, Db.WriteOptions); }
        ChangelogWriter?.Invoke(k, null, _currentTimestamp());
    }

    /// <summary>Restored records go through a write batch, written every 10,000 records and at the end.</summary>
    public void Restore(byte[] key, byte[]? value, long timestamp)
    {
        _restoreBatch ??= new WriteBatch();
        if (value is null) { _restoreBatch.Delete(key); }
        else { _restoreBatch.Put(key, KeyLayouts.StoredValue(timestamp, value)); }
        if (++_restoreCount >= 10_000) { FinishRestore(); }
    }

    public void FinishRestore()
    {
        if (_restoreBatch is null) { return; }
        lock (_sync) { Db.Db.Write(_restoreBatch, Db.WriteOptions); }
        _restoreBatch.Dispose();
        _restoreBatch = null;
        _restoreCount = 0;
    }

    public IReadOnlyList<KeyValuePair<K, V>> Range(K from, K to)
    {
        var lo = _keys.Serialize(from);
        var hi = _keys.Serialize(to);
        return Scan(lo, k => ByteArrayComparer.Instance.Compare(k, hi) <= 0);
    }

    public IReadOnlyList<KeyValuePair<K, V>> PrefixScan(K prefix)
    {
        var p = _keys.Serialize(prefix);
        return Scan(p, k => k.AsSpan().StartsWith(p));
    }

    public IReadOnlyList<KeyValuePair<K, V>> All() => Scan(null, null);

    private List<KeyValuePair<K, V>> Scan(byte[]? seek, Func<byte[], bool>? whileTrue)
    {
        var result = new List<KeyValuePair<K, V>>();
        lock (_sync)
        {
            using var it = Db.Db.NewIterator();
            if (seek is null) { it.SeekToFirst(); } else { it.Seek(seek); }
            for (; it.Valid(); it.Next())
            {
                var k = it.Key();
                if (whileTrue is not null && !whileTrue(k)) { break; }
                result.Add(new(_keys.Deserialize(k), Decode(it.Value())));
            }
        }

        return result;
    }

    private V Decode(byte[] stored) =>
        _values.Deserialize(stored.AsSpan(8), System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(stored), _topic);

    public void Flush()
    {
        lock (_sync) { _db?.Flush(); }
    }

    public void Close()
    {
        lock (_sync)
        {
            _db?.Dispose();
            _db = null;
        }
    }
}
