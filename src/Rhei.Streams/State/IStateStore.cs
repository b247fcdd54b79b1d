namespace Rhei.Streams.State;

/// <summary>A state store owned by one task. Reads may come from other threads (pull queries); writes only from the task.</summary>
public interface IStateStore
{
    string Name { get; }

    /// <summary>True when the store keeps its data on disk across restarts (RocksDB).</summary>
    bool Persistent { get; }

    /// <summary>Writes buffered data down (record cache to store, memtable to disk).</summary>
    void Flush();

    void Close();
}

/// <summary>A key-value store read side. Ranges are inclusive and ordered by the serialized key's bytes (unsigned, lexicographic).</summary>
public interface IReadOnlyKeyValueStore<K, V>
{
    bool TryGet(K key, out V value);

    /// <summary>Entries with from &lt;= key &lt;= to, in key-byte order (a snapshot).</summary>
    IReadOnlyList<KeyValuePair<K, V>> Range(K from, K to);

    /// <summary>Entries whose serialized key starts with the serialized <paramref name="prefix"/>.</summary>
    IReadOnlyList<KeyValuePair<K, V>> PrefixScan(K prefix);

    /// <summary>All entries, in key-byte order (a snapshot).</summary>
    IReadOnlyList<KeyValuePair<K, V>> All();

    long ApproximateNumEntries { get; }
}

public interface IKeyValueStore<K, V> : IStateStore, IReadOnlyKeyValueStore<K, V>
{
    /// <summary>Sets the value; a null value (or a <see cref="ValueAndTimestamp{V}"/> holding null) deletes.</summary>
    void Put(K key, V value);

    void Delete(K key);
}

/// <summary>
/// A window store read side: values per (key, window start). Time ranges are inclusive bounds on the
/// window start; windows that fell out of retention are never returned.
/// </summary>
public interface IReadOnlyWindowStore<K, V>
{
    /// <summary>The size of the windows the store holds (their end is start + size).</summary>
    long WindowSize { get; }

    bool TryFetch(K key, long windowStart, out V value);

    /// <summary>The windows of <paramref name="key"/> that start in [timeFrom, timeTo], by start time.</summary>
    IReadOnlyList<KeyValuePair<long, V>> Fetch(K key, long timeFrom, long timeTo);

    /// <summary>Keys in [keyFrom, keyTo] (key-byte order) with windows starting in [timeFrom, timeTo].</summary>
    IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchRange(K keyFrom, K keyTo, long timeFrom, long timeTo);

    /// <summary>All keys with windows starting in [timeFrom, timeTo].</summary>
    IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchAll(long timeFrom, long timeTo);

    IReadOnlyList<KeyValuePair<Windowed<K>, V>> All();
}

public interface IWindowStore<K, V> : IStateStore, IReadOnlyWindowStore<K, V>
{
    /// <summary>Sets the value of the window starting at <paramref name="windowStart"/>; a null value deletes (stores with duplicates append instead).</summary>
    void Put(K key, V value, long windowStart);

    /// <summary>Appends to <paramref name="results"/> the windows of key starting in [timeFrom, timeTo] (no allocation on the hot path).</summary>
    void Fetch(K key, long timeFrom, long timeTo, List<KeyValuePair<long, V>> results);
}

/// <summary>A session store read side: sessions per key with inclusive [start, end].</summary>
public interface IReadOnlySessionStore<K, V>
{
    /// <summary>Sessions of key whose end &gt;= earliestSessionEndTime and start &lt;= latestSessionStartTime, by end time.</summary>
    IReadOnlyList<KeyValuePair<Windowed<K>, V>> FindSessions(K key, long earliestSessionEndTime, long latestSessionStartTime);

    /// <summary>All sessions of a key.</summary>
    IReadOnlyList<KeyValuePair<Windowed<K>, V>> Fetch(K key);

    /// <summary>Sessions of keys in [keyFrom, keyTo] (key-byte order).</summary>
    IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchRange(K keyFrom, K keyTo);

    bool TryFetchSession(K key, long sessionStart, long sessionEnd, out V value);

    IReadOnlyList<KeyValuePair<Windowed<K>, V>> All();
}

public interface ISessionStore<K, V> : IStateStore, IReadOnlySessionStore<K, V>
{
    void Put(Windowed<K> session, V aggregate);

    void Remove(Windowed<K> session);
}

/// <summary>Writes one changelog record for a store (key and value in the store's changelog layout).</summary>
internal delegate void ChangelogWriter(byte[] key, byte[]? value, long timestamp);

/// <summary>What the state manager needs from every store it restores and logs.</summary>
internal interface IManagedStore : IStateStore
{
    /// <summary>Set once the store is restored; every write then goes to the changelog too.</summary>
    ChangelogWriter? ChangelogWriter { get; set; }

    /// <summary>Applies one changelog record (no changelog write). Stores may buffer until <see cref="FinishRestore"/>.</summary>
    void Restore(byte[] key, byte[]? value, long timestamp);

    /// <summary>Writes down whatever <see cref="Restore"/> buffered (called when a changelog is read to its end).</summary>
    void FinishRestore()
    {
    }

    /// <summary>The inner store when this is a wrapper (cache), else itself.</summary>
    IManagedStore Inner { get; }
}

/// <summary>A store with a record cache in front: flushing forwards the de-duplicated updates.</summary>
internal interface ICachedStore
{
    void FlushCache();
}
