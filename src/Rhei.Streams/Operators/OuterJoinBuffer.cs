using System.Buffers.Binary;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// The shared store of a left/outer stream-stream join: records that found no partner yet, ordered by
/// (timestamp, side — right before left —, key bytes), each entry a list of values. Emitted with a null
/// partner when their window closes. Logged to a changelog (key: timestamp, side, key bytes; value: the list).
/// </summary>
internal sealed class OuterJoinBuffer<K, V, VO> : IManagedStore
    where K : notnull
{
    internal readonly record struct EntryKey(long Timestamp, bool IsLeft, byte[] KeyBytes);

    internal sealed class Entry(K key)
    {
        public K Key { get; } = key;
        public List<V>? Lefts;
        public List<VO>? Rights;
    }

    private sealed class KeyComparer : IComparer<EntryKey>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(EntryKey x, EntryKey y)
        {
            var c = x.Timestamp.CompareTo(y.Timestamp);
            if (c != 0) { return c; }
            c = x.IsLeft.CompareTo(y.IsLeft);
            return c != 0 ? c : ByteArrayComparer.Instance.Compare(x.KeyBytes, y.KeyBytes);
        }
    }

    private readonly SortedDictionary<EntryKey, Entry> _entries = new(KeyComparer.Instance);
    private readonly Serde<K> _keySerde;
    private readonly Serde<V>? _leftSerde;
    private readonly Serde<VO>? _rightSerde;
    private readonly string _topic;
    private readonly Lock _sync = new();

    public OuterJoinBuffer(string name, Serde<K> keySerde, Serde<V>? leftSerde, Serde<VO>? rightSerde, string topic)
    {
        Name = name;
        _keySerde = keySerde;
        _leftSerde = leftSerde;
        _rightSerde = rightSerde;
        _topic = topic;
    }

    public string Name { get; }

    public bool Persistent => false;

    public ChangelogWriter? ChangelogWriter { get; set; }

    public IManagedStore Inner => this;

    public int Count { get { lock (_sync) { return _entries.Count; } } }

    public long MinTimestamp
    {
        get
        {
            lock (_sync)
            {
                foreach (var k in _entries.Keys) { return k.Timestamp; }
                return long.MaxValue;
            }
        }
    }

    private byte[] KeyBytes(K key) => _keySerde.Serialize(key, _topic) ?? throw new InvalidOperationException("A join key serialized to null.");

    public void PutLeft(long timestamp, K key, V value)
    {
        var ek = new EntryKey(timestamp, true, KeyBytes(key));
        Entry e;
        lock (_sync)
        {
            if (!_entries.TryGetValue(ek, out e!)) { _entries[ek] = e = new Entry(key); }
            (e.Lefts ??= []).Add(value);
        }

        Log(ek, e);
    }

    public void PutRight(long timestamp, K key, VO value)
    {
        var ek = new EntryKey(timestamp, false, KeyBytes(key));
        Entry e;
        lock (_sync)
        {
            if (!_entries.TryGetValue(ek, out e!)) { _entries[ek] = e = new Entry(key); }
            (e.Rights ??= []).Add(value);
        }

        Log(ek, e);
    }

    public void Remove(long timestamp, bool isLeft, K key)
    {
        var ek = new EntryKey(timestamp, isLeft, KeyBytes(key));
        bool removed;
        lock (_sync) { removed = _entries.Remove(ek); }
        if (removed) { Log(ek, null); }
    }

    /// <summary>A snapshot of the entries in order (emission walks it, then removes what it emitted).</summary>
    public List<KeyValuePair<EntryKey, Entry>> Snapshot()
    {
        lock (_sync) { return [.. _entries]; }
    }

    public void Remove(EntryKey key)
    {
        bool removed;
        lock (_sync) { removed = _entries.Remove(key); }
        if (removed) { Log(key, null); }
    }

    private void Log(EntryKey key, Entry? entry)
    {
        if (ChangelogWriter is not { } log) { return; }
        var k = new byte[9 + key.KeyBytes.Length];
        BinaryPrimitives.WriteInt64BigEndian(k, key.Timestamp);
        k[8] = key.IsLeft ? (byte)1 : (byte)0;
        key.KeyBytes.CopyTo(k, 9);
        log(k, entry is null ? null : EncodeList(key.IsLeft, entry), key.Timestamp);
    }

    private byte[] EncodeList(bool isLeft, Entry e)
    {
        var parts = new List<byte[]?>();
        if (isLeft) { foreach (var v in e.Lefts!) { parts.Add(Left.Serialize(v, _topic)); } }
        else { foreach (var v in e.Rights!) { parts.Add(Right.Serialize(v, _topic)); } }
        var size = 4 + parts.Sum(p => 4 + (p?.Length ?? 0));
        var b = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(b, parts.Count);
        var pos = 4;
        foreach (var p in parts)
        {
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(pos), p?.Length ?? -1);
            pos += 4;
            if (p is not null)
            {
                p.CopyTo(b, pos);
                pos += p.Length;
            }
        }

        return b;
    }

    private Serde<V> Left => _leftSerde ?? throw new InvalidOperationException($"Store {Name} needs the left value serde for its changelog (StreamJoined.ValueSerde).");

    private Serde<VO> Right => _rightSerde ?? throw new InvalidOperationException($"Store {Name} needs the right value serde for its changelog (StreamJoined.OtherValueSerde).");

    public void Restore(byte[] key, byte[]? value, long timestamp)
    {
        var ts = BinaryPrimitives.ReadInt64BigEndian(key);
        var isLeft = key[8] == 1;
        var keyBytes = key[9..];
        var ek = new EntryKey(ts, isLeft, keyBytes);
        lock (_sync)
        {
            if (value is null)
            {
                _entries.Remove(ek);
                return;
            }

            var e = new Entry(_keySerde.Deserialize(keyBytes, false, _topic));
            var n = BinaryPrimitives.ReadInt32BigEndian(value);
            var pos = 4;
            for (var i = 0; i < n; i++)
            {
                var len = BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(pos));
                pos += 4;
                var span = len < 0 ? default : value.AsSpan(pos, len);
                if (isLeft) { (e.Lefts ??= []).Add(Left.Deserialize(span, len < 0, _topic)); }
                else { (e.Rights ??= []).Add(Right.Deserialize(span, len < 0, _topic)); }
                pos += Math.Max(0, len);
            }

            _entries[ek] = e;
        }
    }

    public void Flush()
    {
    }

    public void Close()
    {
        lock (_sync) { _entries.Clear(); }
    }
}

/// <summary>The store definition of an <see cref="OuterJoinBuffer{K,V,VO}"/>.</summary>
internal sealed class OuterJoinBufferSpec<K, V, VO>(string name, Serde<K> keySerde, Serde<V>? leftSerde, Serde<VO>? rightSerde) : StoreSpec(name, StoreType.InMemory)
    where K : notnull
{
    internal override IStateStore Build(StoreContext context) => new OuterJoinBuffer<K, V, VO>(Name, keySerde, leftSerde, rightSerde, context.ChangelogTopic);
}
