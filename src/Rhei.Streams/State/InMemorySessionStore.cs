namespace Rhei.Streams.State;

/// <summary>
/// A session store in memory: per key, the sessions ordered by (end, start). Sessions that ended at or
/// before observed − retention (observed: the largest session end written) are dropped and never returned.
/// </summary>
internal sealed class InMemorySessionStore<K, V> : ISessionStore<K, V>, IManagedStore
    where K : notnull
{
    private readonly Dictionary<K, List<Entry>> _map;
    private readonly KeyCodec<K> _keys;
    private readonly ValueCodec<V> _values;
    private readonly Func<long> _currentTimestamp;
    private readonly string _topic;
    private readonly long _retention;
    private readonly Lock _sync = new();
    private long _observed = long.MinValue;
    private int _putsSinceSweep;

    private record struct Entry(long Start, long End, V Value);

    public InMemorySessionStore(string name, KeyCodec<K> keys, ValueCodec<V> values, IEqualityComparer<K>? comparer, long retentionMs, StoreContext context)
    {
        Name = name;
        _keys = keys;
        _values = values;
        _map = new Dictionary<K, List<Entry>>(comparer);
        _retention = retentionMs;
        _currentTimestamp = context.CurrentTimestamp;
        _topic = context.ChangelogTopic;
    }

    public string Name { get; }

    public bool Persistent => false;

    public ChangelogWriter? ChangelogWriter { get; set; }

    public IManagedStore Inner => this;

    private long MinLiveEnd => _observed == long.MinValue ? long.MinValue : _observed - _retention + 1;

    public void Put(Windowed<K> session, V aggregate)
    {
        if (_values.IsNull(aggregate))
        {
            Remove(session);
            return;
        }

        lock (_sync)
        {
            if (!PutLocked(session.Key, session.Window.Start, session.Window.End, aggregate)) { return; }
        }

        ChangelogWriter?.Invoke(
            KeyLayouts.SessionKey(_keys.Serialize(session.Key), session.Window.End, session.Window.Start),
            _values.Serialize(aggregate, _topic),
            _values.TimestampOf(aggregate, _currentTimestamp()));
    }

    private bool PutLocked(K key, long start, long end, V value)
    {
        if (end > _observed) { _observed = end; }
        if (end < MinLiveEnd) { return false; }

        if (!_map.TryGetValue(key, out var list)) { _map[key] = list = []; }
        var i = Find(list, start, end);
        if (i >= 0)
        {
            list[i] = new Entry(start, end, value);
        }
        else
        {
            list.Insert(~i, new Entry(start, end, value));
        }

        if (++_putsSinceSweep > Math.Max(1024, _map.Count)) { Sweep(); }
        return true;
    }

    public void Remove(Windowed<K> session)
    {
        lock (_sync)
        {
            RemoveLocked(session.Key, session.Window.Start, session.Window.End);
        }

        ChangelogWriter?.Invoke(KeyLayouts.SessionKey(_keys.Serialize(session.Key), session.Window.End, session.Window.Start), null, _currentTimestamp());
    }

    private void RemoveLocked(K key, long start, long end)
    {
        if (_map.TryGetValue(key, out var list))
        {
            var i = Find(list, start, end);
            if (i >= 0) { list.RemoveAt(i); }
            if (list.Count == 0) { _map.Remove(key); }
        }
    }

    public void Restore(byte[] key, byte[]? value, long timestamp)
    {
        var k = _keys.Deserialize(KeyLayouts.SessionKeyBytes(key));
        var end = KeyLayouts.SessionEnd(key);
        var start = KeyLayouts.SessionStart(key);
        lock (_sync)
        {
            if (value is null) { RemoveLocked(k, start, end); }
            else { PutLocked(k, start, end, _values.Deserialize(value, timestamp, _topic)); }
        }
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> FindSessions(K key, long earliestSessionEndTime, long latestSessionStartTime)
    {
        var results = new List<KeyValuePair<Windowed<K>, V>>();
        lock (_sync)
        {
            if (_map.TryGetValue(key, out var list))
            {
                var minEnd = Math.Max(earliestSessionEndTime, MinLiveEnd);
                foreach (var e in list)
                {
                    if (e.End >= minEnd && e.Start <= latestSessionStartTime)
                    {
                        results.Add(new(new Windowed<K>(key, new Window(e.Start, e.End)), e.Value));
                    }
                }
            }
        }

        return results;
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> Fetch(K key) => FindSessions(key, long.MinValue, long.MaxValue);

    public bool TryFetchSession(K key, long sessionStart, long sessionEnd, out V value)
    {
        lock (_sync)
        {
            if (sessionEnd >= MinLiveEnd && _map.TryGetValue(key, out var list))
            {
                var i = Find(list, sessionStart, sessionEnd);
                if (i >= 0)
                {
                    value = list[i].Value;
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
        return Collect(b => ByteArrayComparer.Instance.Compare(b, lo) >= 0 && ByteArrayComparer.Instance.Compare(b, hi) <= 0);
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> All() => Collect(null);

    private List<KeyValuePair<Windowed<K>, V>> Collect(Func<byte[], bool>? filter)
    {
        var keyed = new List<(byte[]? Bytes, KeyValuePair<Windowed<K>, V> Entry)>();
        lock (_sync)
        {
            var minEnd = MinLiveEnd;
            foreach (var (key, list) in _map)
            {
                var bytes = _keys.CanSerialize ? _keys.Serialize(key) : null;
                if (filter is not null && !filter(bytes!)) { continue; }
                foreach (var e in list)
                {
                    if (e.End >= minEnd) { keyed.Add((bytes, new(new Windowed<K>(key, new Window(e.Start, e.End)), e.Value))); }
                }
            }
        }

        if (_keys.CanSerialize)
        {
            keyed.Sort(static (a, b) =>
            {
                var c = ByteArrayComparer.Instance.Compare(a.Bytes, b.Bytes);
                if (c != 0) { return c; }
                c = a.Entry.Key.Window.End.CompareTo(b.Entry.Key.Window.End);
                return c != 0 ? c : a.Entry.Key.Window.Start.CompareTo(b.Entry.Key.Window.Start);
            });
        }

        return keyed.ConvertAll(e => e.Entry);
    }

    public void Flush()
    {
    }

    public void Close()
    {
        lock (_sync) { _map.Clear(); }
    }

    private void Sweep()
    {
        _putsSinceSweep = 0;
        var minEnd = MinLiveEnd;
        List<K>? empty = null;
        foreach (var (key, list) in _map)
        {
            list.RemoveAll(e => e.End < minEnd);
            if (list.Count == 0) { (empty ??= []).Add(key); }
        }

        if (empty is not null) { foreach (var k in empty) { _map.Remove(k); } }
    }

    private static int Find(List<Entry> list, long start, long end)
    {
        int lo = 0, hi = list.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var e = list[mid];
            var c = e.End != end ? e.End.CompareTo(end) : e.Start.CompareTo(start);
            if (c == 0) { return mid; }
            if (c < 0) { lo = mid + 1; } else { hi = mid - 1; }
        }

        return ~lo;
    }
}
