using System.Buffers.Binary;
using Rhei.Client;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// The buffer of a suppression: per key the latest held update and the value before the first held one,
/// ordered by (buffer time, key bytes). Logged to a changelog when the table's serdes are known (key: the key
/// bytes; value: buffer time, record time, then the prior, new and old values each as length and bytes).
/// </summary>
internal sealed class SuppressBuffer<K, V> : IManagedStore
    where K : notnull
{
    internal sealed class Entry
    {
        public required K Key;
        public long Time;
        public byte[]? KeyBytes;
        public long Seq;
        public Change<V> Latest;
        public V Prior = default!;
        public long Timestamp;
        public IReadOnlyList<RecordHeader> Headers = [];
    }

    private sealed class EntryComparer : IComparer<Entry>
    {
        public static readonly EntryComparer Instance = new();

        public int Compare(Entry? a, Entry? b)
        {
            var c = a!.Time.CompareTo(b!.Time);
            if (c != 0) { return c; }
            c = ByteArrayComparer.Instance.Compare(a.KeyBytes, b.KeyBytes);
            return c != 0 ? c : a.Seq.CompareTo(b.Seq);
        }
    }

    private readonly SortedSet<Entry> _sorted = new(EntryComparer.Instance);
    private readonly Dictionary<K, Entry> _index = [];
    private readonly Serde<K>? _keySerde;
    private readonly Serde<V>? _valueSerde;
    private readonly string _topic;
    private readonly Lock _sync = new();
    private long _seq;

    public SuppressBuffer(string name, Serde<K>? keySerde, Serde<V>? valueSerde, string topic)
    {
        Name = name;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
        _topic = topic;
    }

    public string Name { get; }

    public bool Persistent => false;

    public ChangelogWriter? ChangelogWriter { get; set; }

    public IManagedStore Inner => this;

    public int Count { get { lock (_sync) { return _index.Count; } } }

    public void Put(K key, long time, Change<V> change, long timestamp, IReadOnlyList<RecordHeader> headers)
    {
        Entry e;
        lock (_sync)
        {
            if (_index.TryGetValue(key, out e!))
            {
                _sorted.Remove(e);
            }
            else
            {
                e = new Entry { Key = key, Prior = change.OldValue, KeyBytes = _keySerde?.Serialize(key, _topic), Seq = _seq++ };
                _index[key] = e;
            }

            e.Time = time;
            e.Latest = change;
            e.Timestamp = timestamp;
            e.Headers = headers;
            _sorted.Add(e);
        }

        Log(e, deleted: false);
    }

    /// <summary>Removes and returns the first entry if its buffer time is at or before <paramref name="expiry"/>.</summary>
    public bool TryTakeFirst(long expiry, out Entry entry)
    {
        lock (_sync)
        {
            if (_sorted.Min is { } first && first.Time <= expiry)
            {
                _sorted.Remove(first);
                _index.Remove(first.Key);
                entry = first;
            }
            else
            {
                entry = null!;
                return false;
            }
        }

        Log(entry, deleted: true);
        return true;
    }

    private void Log(Entry e, bool deleted)
    {
        if (ChangelogWriter is not { } log || e.KeyBytes is null) { return; }
        log(e.KeyBytes, deleted ? null : Encode(e), e.Timestamp);
    }

    private byte[] Encode(Entry e)
    {
        var prior = Bytes(e.Prior);
        var next = Bytes(e.Latest.NewValue);
        var old = Bytes(e.Latest.OldValue);
        var b = new byte[16 + 12 + (prior?.Length ?? 0) + (next?.Length ?? 0) + (old?.Length ?? 0)];
        BinaryPrimitives.WriteInt64BigEndian(b, e.Time);
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(8), e.Timestamp);
        var pos = 16;
        foreach (var part in new[] { prior, next, old })
        {
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(pos), part?.Length ?? -1);
            pos += 4;
            if (part is not null)
            {
                part.CopyTo(b, pos);
                pos += part.Length;
            }
        }

        return b;
    }

    private byte[]? Bytes(V value) => value is null ? null : _valueSerde!.Serialize(value, _topic);

    public void Restore(byte[] key, byte[]? value, long timestamp)
    {
        var k = _keySerde!.Deserialize(key, false, _topic);
        lock (_sync)
        {
            if (_index.Remove(k, out var existing)) { _sorted.Remove(existing); }
            if (value is null) { return; }
            var pos = 16;
            V Next(byte[] data)
            {
                var len = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(pos));
                pos += 4;
                if (len < 0) { return default!; }
                var v = _valueSerde!.Deserialize(data.AsSpan(pos, len), false, _topic);
                pos += len;
                return v;
            }

            var e = new Entry
            {
                Key = k,
                KeyBytes = key,
                Seq = _seq++,
                Time = BinaryPrimitives.ReadInt64BigEndian(value),
                Timestamp = BinaryPrimitives.ReadInt64BigEndian(value.AsSpan(8)),
            };
            e.Prior = Next(value);
            var next = Next(value);
            var old = Next(value);
            e.Latest = new Change<V>(next, old);
            _index[k] = e;
            _sorted.Add(e);
        }
    }

    public void Flush()
    {
    }

    public void Close()
    {
        lock (_sync)
        {
            _sorted.Clear();
            _index.Clear();
        }
    }
}

/// <summary>The store definition of a <see cref="SuppressBuffer{K,V}"/>.</summary>
internal sealed class SuppressBufferSpec<K, V>(string name, Serde<K>? keySerde, Serde<V>? valueSerde) : StoreSpec(name, StoreType.InMemory)
    where K : notnull
{
    internal override IStateStore Build(StoreContext context) => new SuppressBuffer<K, V>(Name, keySerde, valueSerde, context.ChangelogTopic);
}
