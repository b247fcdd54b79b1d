using System.Buffers.Binary;

namespace Rhei.Streams.State;

/// <summary>A session store in RocksDB, segmented by session end; keys are (key, end, start) as in its changelog.</summary>
internal sealed class RocksDbSessionStore<K, V> : ISessionStore<K, V>, IManagedStore
{
    private readonly KeyCodec<K> _keys;
    private readonly ValueCodec<V> _values;
    private readonly Func<long> _currentTimestamp;
    private readonly string _topic;
    private readonly Lock _sync = new();
    private RocksDbSegments? _segments;

    public RocksDbSessionStore(string name, KeyCodec<K> keys, ValueCodec<V> values, long retentionMs, StoreContext context)
    {
        Name = name;
        _keys = keys;
        _values = values;
        _currentTimestamp = context.CurrentTimestamp;
        _topic = context.ChangelogTopic;
        _segments = new RocksDbSegments(Path.Combine(context.TaskDirectory, "rocksdb", name), retentionMs);
    }

    public string Name { get; }

    public bool Persistent => true;

    public ChangelogWriter? ChangelogWriter { get; set; }

    public IManagedStore Inner => this;

    private RocksDbSegments Segs => _segments ?? throw new ObjectDisposedException(Name, $"State store {Name} is closed.");

    public void Put(Windowed<K> session, V aggregate)
    {
        if (_values.IsNull(aggregate))
        {
            Remove(session);
            return;
        }

        var storeKey = KeyLayouts.SessionKey(_keys.Serialize(session.Key), session.Window.End, session.Window.Start);
        var v = _values.Serialize(aggregate, _topic) ?? [];
        var ts = _values.TimestampOf(aggregate, _currentTimestamp());
        lock (_sync)
        {
            if (!Write(storeKey, v, ts)) { return; }
        }

        ChangelogWriter?.Invoke(storeKey, v, ts);
    }

    public void Remove(Windowed<K> session)
    {
        var storeKey = KeyLayouts.SessionKey(_keys.Serialize(session.Key), session.Window.End, session.Window.Start);
        lock (_sync) { Write(storeKey, null, 0); }
        ChangelogWriter?.Invoke(storeKey, null, _currentTimestamp());
    }

    private bool Write(byte[] storeKey, byte[]? value, long timestamp)
    {
        var end = KeyLayouts.SessionEnd(storeKey);
        if (value is null)
        {
            foreach (var segment in Segs.Segments(end, end)) { Segs.Database.Db.Remove(storeKey, segment, Segs.Database.WriteOptions); }
            return true;
        }

        var seg = Segs.SegmentForWrite(end);
        if (seg is null) { return false; }
        Segs.Database.Db.Put(storeKey, KeyLayouts.StoredValue(timestamp, value), seg, Segs.Database.WriteOptions);
        return true;
    }

    public void Restore(byte[] key, byte[]? value, long timestamp)
    {
        lock (_sync) { Write(key, value, timestamp); }
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> FindSessions(K key, long earliestSessionEndTime, long latestSessionStartTime)
    {
        var k = _keys.Serialize(key);
        var results = new List<KeyValuePair<Windowed<K>, V>>();
        lock (_sync)
        {
            var from = Math.Max(earliestSessionEndTime, Segs.MinLive);
            foreach (var segment in Segs.Segments(from, long.MaxValue))
            {
                using var it = Segs.Database.Db.NewIterator(segment);
                for (it.Seek(KeyLayouts.SessionKey(k, Math.Max(0, from), 0)); it.Valid(); it.Next())
                {
                    var sk = it.Key();
                    if (!sk.AsSpan().StartsWith(k)) { break; }
                    if (sk.Length != k.Length + KeyLayouts.SessionSuffix) { continue; }
                    var end = KeyLayouts.SessionEnd(sk);
                    var start = KeyLayouts.SessionStart(sk);
                    if (end < from || start > latestSessionStartTime) { continue; }
                    results.Add(new(new Windowed<K>(key, new Window(start, end)), Decode(it.Value())));
                }
            }
        }

        return results;
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> Fetch(K key) => FindSessions(key, long.MinValue, long.MaxValue);

    public bool TryFetchSession(K key, long sessionStart, long sessionEnd, out V value)
    {
        var storeKey = KeyLayouts.SessionKey(_keys.Serialize(key), sessionEnd, sessionStart);
        lock (_sync)
        {
            foreach (var segment in Segs.Segments(sessionEnd, sessionEnd))
            {
                var stored = Segs.Database.Db.Get(storeKey, segment);
                if (stored is not null)
                {
                    value = Decode(stored);
                    return true;
                }
            }
        }

        value = default!;
        return false;
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchRange(K keyFrom, K keyTo)
    {
        var lo = _keys.Serialize(keyFrom);
        var hi = _keys.Serialize(keyTo);
        return Scan(kb => ByteArrayComparer.Instance.Compare(kb, lo) >= 0 && ByteArrayComparer.Instance.Compare(kb, hi) <= 0);
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> All() => Scan(null);

    private List<KeyValuePair<Windowed<K>, V>> Scan(Func<byte[], bool>? filter)
    {
        var results = new List<(byte[] Key, KeyValuePair<Windowed<K>, V> Entry)>();
        lock (_sync)
        {
            foreach (var segment in Segs.Segments(long.MinValue, long.MaxValue))
            {
                using var it = Segs.Database.Db.NewIterator(segment);
                for (it.SeekToFirst(); it.Valid(); it.Next())
                {
                    var sk = it.Key();
                    var kb = KeyLayouts.SessionKeyBytes(sk).ToArray();
                    if (filter is not null && !filter(kb)) { continue; }
                    var end = KeyLayouts.SessionEnd(sk);
                    if (end < Segs.MinLive) { continue; }
                    results.Add((sk, new(new Windowed<K>(_keys.Deserialize(kb), new Window(KeyLayouts.SessionStart(sk), end)), Decode(it.Value()))));
                }
            }
        }

        results.Sort(static (a, b) => ByteArrayComparer.Instance.Compare(a.Key, b.Key));
        return results.ConvertAll(e => e.Entry);
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
