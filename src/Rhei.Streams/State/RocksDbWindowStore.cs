using System.Buffers.Binary;

namespace Rhei.Streams.State;

/// <summary>A window store in RocksDB, segmented by window start; keys are (key, start, seq) as in its changelog.</summary>
internal sealed class RocksDbWindowStore<K, V> : IWindowStore<K, V>, IManagedStore
{
    private readonly KeyCodec<K> _keys;
    private readonly ValueCodec<V> _values;
    private readonly Func<long> _currentTimestamp;
    private readonly string _topic;
    private readonly bool _retainDuplicates;
    private readonly Lock _sync = new();
    private RocksDbSegments? _segments;
    private int _seq;

    public RocksDbWindowStore(string name, KeyCodec<K> keys, ValueCodec<V> values, long retentionMs, long windowSizeMs, bool retainDuplicates, StoreContext context)
    {
        Name = name;
        _keys = keys;
        _values = values;
        WindowSize = windowSizeMs;
        _retainDuplicates = retainDuplicates;
        _currentTimestamp = context.CurrentTimestamp;
        _topic = context.ChangelogTopic;
        _segments = new RocksDbSegments(Path.Combine(context.TaskDirectory, "rocksdb", name), retentionMs);
    }

    public string Name { get; }

    public bool Persistent => true;

    public long WindowSize { get; }

    public ChangelogWriter? ChangelogWriter { get; set; }

    public IManagedStore Inner => this;

    private RocksDbSegments Segs => _segments ?? throw new ObjectDisposedException(Name, $"State store {Name} is closed.");

    public void Put(K key, V value, long windowStart)
    {
        var k = _keys.Serialize(key);
        var isNull = _values.IsNull(value);
        var v = isNull ? null : _values.Serialize(value, _topic) ?? [];
        var ts = _values.TimestampOf(value, _currentTimestamp());
        byte[] storeKey;
        lock (_sync)
        {
            storeKey = KeyLayouts.WindowKey(k, windowStart, _retainDuplicates ? ++_seq : 0);
            if (!Write(storeKey, v, ts, windowStart)) { return; }
        }

        ChangelogWriter?.Invoke(storeKey, v, ts);
    }

    private bool Write(byte[] storeKey, byte[]? value, long timestamp, long windowStart)
    {
        var segment = Segs.SegmentForWrite(windowStart);
        if (segment is null) { return false; }
        if (value is null)
        {
            if (!_retainDuplicates) { Segs.Database.Db.Remove(storeKey, segment, Segs.Database.WriteOptions); }
        }
        else
        {
            Segs.Database.Db.Put(storeKey, KeyLayouts.StoredValue(timestamp, value), segment, Segs.Database.WriteOptions);
        }

        return true;
    }

    public void Restore(byte[] key, byte[]? value, long timestamp)
    {
        lock (_sync)
        {
            Write(key, value, timestamp, KeyLayouts.WindowStart(key));
            if (_retainDuplicates) { _seq = Math.Max(_seq, KeyLayouts.WindowSeq(key)); }
        }
    }

    public bool TryFetch(K key, long windowStart, out V value)
    {
        var list = new List<KeyValuePair<long, V>>(1);
        Fetch(key, windowStart, windowStart, list);
        if (list.Count > 0)
        {
            value = list[0].Value;
            return true;
        }

        value = default!;
        return false;
    }

    public IReadOnlyList<KeyValuePair<long, V>> Fetch(K key, long timeFrom, long timeTo)
    {
        var list = new List<KeyValuePair<long, V>>();
        Fetch(key, timeFrom, timeTo, list);
        return list;
    }

    public void Fetch(K key, long timeFrom, long timeTo, List<KeyValuePair<long, V>> results)
    {
        var k = _keys.Serialize(key);
        lock (_sync)
        {
            var from = Math.Max(timeFrom, Segs.MinLive);
            if (from > timeTo) { return; }
            foreach (var segment in Segs.Segments(from, timeTo))
            {
                using var it = Segs.Database.Db.NewIterator(segment);
                for (it.Seek(KeyLayouts.WindowKey(k, Math.Max(0, from), 0)); it.Valid(); it.Next())
                {
                    var sk = it.Key();
                    if (!sk.AsSpan().StartsWith(k)) { break; }
                    if (sk.Length != k.Length + KeyLayouts.WindowSuffix) { continue; }
                    var start = KeyLayouts.WindowStart(sk);
                    if (start > timeTo) { break; }
                    results.Add(new(start, Decode(it.Value())));
                }
            }
        }
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchRange(K keyFrom, K keyTo, long timeFrom, long timeTo)
    {
        var lo = _keys.Serialize(keyFrom);
        var hi = _keys.Serialize(keyTo);
        return Scan(lo, timeFrom, timeTo, k => ByteArrayComparer.Instance.Compare(k.ToArray(), hi) <= 0);
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchAll(long timeFrom, long timeTo) => Scan(null, timeFrom, timeTo, null);

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> All() => Scan(null, long.MinValue, long.MaxValue, null);

    private delegate bool KeyFilter(ReadOnlySpan<byte> key);

    private List<KeyValuePair<Windowed<K>, V>> Scan(byte[]? seek, long timeFrom, long timeTo, KeyFilter? untilFalse)
    {
        var results = new List<KeyValuePair<Windowed<K>, V>>();
        lock (_sync)
        {
            var from = Math.Max(timeFrom, Segs.MinLive);
            foreach (var segment in Segs.Segments(from, timeTo))
            {
                using var it = Segs.Database.Db.NewIterator(segment);
                if (seek is null) { it.SeekToFirst(); } else { it.Seek(seek); }
                for (; it.Valid(); it.Next())
                {
                    var sk = it.Key();
                    var kb = KeyLayouts.WindowKeyBytes(sk);
                    if (untilFalse is not null && !untilFalse(kb)) { break; }
                    var start = KeyLayouts.WindowStart(sk);
                    if (start < from || start > timeTo) { continue; }
                    var end = start > long.MaxValue - WindowSize ? long.MaxValue : start + WindowSize;
                    results.Add(new(new Windowed<K>(_keys.Deserialize(kb), new Window(start, end)), Decode(it.Value())));
                }
            }
        }

        return results;
    }

    private V Decode(byte[] stored) => _values.Deserialize(stored.AsSpan(8), BinaryPrimitives.ReadInt64BigEndian(stored), _topic);

    public void Flush()
    {
        lock (_sync)
        {
            if (_segments is null) { return; }
            _segments.SaveObserved();
            _segments.Database.Flush();
        }
    }

    public void Close()
    {
        lock (_sync)
        {
            _segments?.Dispose();
            _segments = null;
        }
    }
}
