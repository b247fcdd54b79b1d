namespace Rhei.Streams.State;

/// <summary>
/// Interactive queries on a key-value store: one read-only view over the store's instances in every task the
/// application instance runs now (see <see cref="StreamsApp.KeyValueStore{K, V}"/>). A get asks each partition's
/// store until one has the key; ranges and scans read partition by partition, in key-byte order within each.
/// </summary>
internal sealed class CompositeKeyValueStore<K, V>(StreamsApp app, string storeName) : IReadOnlyKeyValueStore<K, V>
{
    private List<IReadOnlyKeyValueStore<K, V>> Stores()
    {
        var stores = new List<IReadOnlyKeyValueStore<K, V>>();
        foreach (var (_, store) in app.LocalStores(storeName).OrderBy(s => s.Task.Partition))
        {
            stores.Add(store as IReadOnlyKeyValueStore<K, V>
                ?? throw new InvalidOperationException($"State store {storeName} is not a key-value store of {typeof(K).Name} to {typeof(V).Name} (it is a {store.GetType().Name})."));
        }

        return stores;
    }

    public bool TryGet(K key, out V value)
    {
        foreach (var store in Stores())
        {
            if (store.TryGet(key, out value))
            {
                return true;
            }
        }

        value = default!;
        return false;
    }

    public IReadOnlyList<KeyValuePair<K, V>> Range(K from, K to) => [.. Stores().SelectMany(s => s.Range(from, to))];

    public IReadOnlyList<KeyValuePair<K, V>> PrefixScan(K prefix) => [.. Stores().SelectMany(s => s.PrefixScan(prefix))];

    public IReadOnlyList<KeyValuePair<K, V>> All() => [.. Stores().SelectMany(s => s.All())];

    public long ApproximateNumEntries => Stores().Sum(s => s.ApproximateNumEntries);
}

/// <summary>Interactive queries on a window store over every task the application instance runs (see <see cref="CompositeKeyValueStore{K, V}"/>).</summary>
internal sealed class CompositeWindowStore<K, V>(StreamsApp app, string storeName) : IReadOnlyWindowStore<K, V>
{
    private List<IReadOnlyWindowStore<K, V>> Stores()
    {
        var stores = new List<IReadOnlyWindowStore<K, V>>();
        foreach (var (_, store) in app.LocalStores(storeName).OrderBy(s => s.Task.Partition))
        {
            stores.Add(store as IReadOnlyWindowStore<K, V>
                ?? throw new InvalidOperationException($"State store {storeName} is not a window store of {typeof(K).Name} to {typeof(V).Name} (it is a {store.GetType().Name})."));
        }

        return stores;
    }

    public long WindowSize => Stores().Select(s => s.WindowSize).FirstOrDefault();

    public bool TryFetch(K key, long windowStart, out V value)
    {
        foreach (var store in Stores())
        {
            if (store.TryFetch(key, windowStart, out value))
            {
                return true;
            }
        }

        value = default!;
        return false;
    }

    public IReadOnlyList<KeyValuePair<long, V>> Fetch(K key, long timeFrom, long timeTo)
    {
        foreach (var store in Stores())
        {
            var found = store.Fetch(key, timeFrom, timeTo);
            if (found.Count > 0)
            {
                return found;
            }
        }

        return [];
    }

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchRange(K keyFrom, K keyTo, long timeFrom, long timeTo) =>
        [.. Stores().SelectMany(s => s.FetchRange(keyFrom, keyTo, timeFrom, timeTo))];

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> FetchAll(long timeFrom, long timeTo) => [.. Stores().SelectMany(s => s.FetchAll(timeFrom, timeTo))];

    public IReadOnlyList<KeyValuePair<Windowed<K>, V>> All() => [.. Stores().SelectMany(s => s.All())];
}
