namespace Rhei.Streams.State;

/// <summary>Where a store keeps its data.</summary>
public enum StoreType
{
    InMemory,
    RocksDb,
}

/// <summary>
/// The definition of a state store; each task builds its own instance from it. Changelog topic:
/// <c>&lt;application.id&gt;-&lt;name&gt;-changelog</c>.
/// </summary>
public abstract class StoreSpec
{
    private protected StoreSpec(string name, StoreType type)
    {
        if (string.IsNullOrWhiteSpace(name)) { throw new ArgumentException("A state store needs a name.", nameof(name)); }
        Name = name;
        Type = type;
    }

    public string Name { get; }

    public StoreType Type { get; }

    /// <summary>Whether the store writes a changelog topic (also needs <see cref="StreamsOptions.ChangelogEnabled"/>).</summary>
    public bool LoggingEnabled { get; init; } = true;

    /// <summary>Whether a record cache sits in front of the store (also needs cache.max.bytes.buffering &gt; 0).</summary>
    public bool CachingEnabled { get; init; } = true;

    /// <summary>Extra configs of the changelog topic.</summary>
    public IReadOnlyDictionary<string, string> ChangelogConfigs { get; init; } = new Dictionary<string, string>();

    /// <summary>Window and session stores: retention in ms (the changelog's retention.ms adds a day, as Kafka Streams does).</summary>
    public virtual long? RetentionMs => null;

    internal abstract IStateStore Build(StoreContext context);

    internal static string ChangelogTopic(string applicationId, string storeName) => $"{applicationId}-{storeName}-changelog";
}

/// <summary>A key-value store definition. For a table's store the value type is <see cref="ValueAndTimestamp{V}"/>.</summary>
public sealed class KeyValueStoreSpec<K, V> : StoreSpec
    where K : notnull
{
    internal KeyValueStoreSpec(string name, StoreType type, Serde<K>? keySerde, ValueCodec<V> values, IEqualityComparer<K>? comparer)
        : base(name, type)
    {
        KeySerde = keySerde;
        Values = values;
        Comparer = comparer;
    }

    public Serde<K>? KeySerde { get; }

    internal ValueCodec<V> Values { get; }

    internal IEqualityComparer<K>? Comparer { get; }

    internal override IStateStore Build(StoreContext context)
    {
        var keys = new KeyCodec<K>(KeySerde, context.ChangelogTopic);
        IKeyValueStore<K, V> store = Type == StoreType.RocksDb
            ? new RocksDbKeyValueStore<K, V>(Name, keys, Values, context)
            : new InMemoryKeyValueStore<K, V>(Name, keys, Values, Comparer, context);
        if (CachingEnabled && context.Cache is not null)
        {
            store = new CachingKeyValueStore<K, V>(store, keys, Values, Comparer, context.Cache, context);
        }

        return store;
    }
}

/// <summary>A window store definition.</summary>
public sealed class WindowStoreSpec<K, V> : StoreSpec
    where K : notnull
{
    internal WindowStoreSpec(string name, StoreType type, Serde<K>? keySerde, ValueCodec<V> values, long retentionMs, long windowSizeMs, bool retainDuplicates, IEqualityComparer<K>? comparer)
        : base(name, type)
    {
        if (retentionMs < windowSizeMs)
        {
            throw new ArgumentException($"The retention of window store {name} ({retentionMs} ms) must be at least its window size ({windowSizeMs} ms) plus the grace period.");
        }

        KeySerde = keySerde;
        Values = values;
        Retention = retentionMs;
        WindowSizeMs = windowSizeMs;
        RetainDuplicates = retainDuplicates;
        Comparer = comparer;
    }

    public Serde<K>? KeySerde { get; }

    internal ValueCodec<V> Values { get; }

    private long Retention { get; }

    public override long? RetentionMs => Retention;

    public long WindowSizeMs { get; }

    public bool RetainDuplicates { get; }

    internal IEqualityComparer<K>? Comparer { get; }

    internal override IStateStore Build(StoreContext context)
    {
        var keys = new KeyCodec<K>(KeySerde, context.ChangelogTopic);
        IWindowStore<K, V> store = Type == StoreType.RocksDb
            ? new RocksDbWindowStore<K, V>(Name, keys, Values, Retention, WindowSizeMs, RetainDuplicates, context)
            : new InMemoryWindowStore<K, V>(Name, keys, Values, Comparer, Retention, WindowSizeMs, RetainDuplicates, context);
        if (CachingEnabled && !RetainDuplicates && context.Cache is not null)
        {
            store = new CachingWindowStore<K, V>(store, keys, Values, context.Cache, context);
        }

        return store;
    }
}

/// <summary>A session store definition.</summary>
public sealed class SessionStoreSpec<K, V> : StoreSpec
    where K : notnull
{
    internal SessionStoreSpec(string name, StoreType type, Serde<K>? keySerde, ValueCodec<V> values, long retentionMs, IEqualityComparer<K>? comparer)
        : base(name, type)
    {
        KeySerde = keySerde;
        Values = values;
        Retention = retentionMs;
        Comparer = comparer;
    }

    public Serde<K>? KeySerde { get; }

    internal ValueCodec<V> Values { get; }

    private long Retention { get; }

    public override long? RetentionMs => Retention;

    internal IEqualityComparer<K>? Comparer { get; }

    internal override IStateStore Build(StoreContext context)
    {
        var keys = new KeyCodec<K>(KeySerde, context.ChangelogTopic);
        return Type == StoreType.RocksDb
            ? new RocksDbSessionStore<K, V>(Name, keys, Values, Retention, context)
            : new InMemorySessionStore<K, V>(Name, keys, Values, Comparer, Retention, context);
    }
}

/// <summary>Makes store definitions (for processors added with <c>KStream.Process</c> and for the SQL planner).</summary>
public static class Stores
{
    public static KeyValueStoreSpec<K, V> KeyValue<K, V>(string name, Serde<K>? keySerde, Serde<V>? valueSerde, StoreType type = StoreType.InMemory, IEqualityComparer<K>? comparer = null)
        where K : notnull => new(name, type, keySerde, new PlainValueCodec<V>(valueSerde), comparer);

    public static KeyValueStoreSpec<K, ValueAndTimestamp<V>> TimestampedKeyValue<K, V>(string name, Serde<K>? keySerde, Serde<V>? valueSerde, StoreType type = StoreType.InMemory, IEqualityComparer<K>? comparer = null)
        where K : notnull => new(name, type, keySerde, new TimestampedValueCodec<V>(valueSerde), comparer);

    public static WindowStoreSpec<K, V> Window<K, V>(string name, Serde<K>? keySerde, Serde<V>? valueSerde, TimeSpan retention, TimeSpan windowSize, bool retainDuplicates = false, StoreType type = StoreType.InMemory)
        where K : notnull => new(name, type, keySerde, new PlainValueCodec<V>(valueSerde), (long)retention.TotalMilliseconds, (long)windowSize.TotalMilliseconds, retainDuplicates, null);

    public static WindowStoreSpec<K, ValueAndTimestamp<V>> TimestampedWindow<K, V>(string name, Serde<K>? keySerde, Serde<V>? valueSerde, TimeSpan retention, TimeSpan windowSize, StoreType type = StoreType.InMemory)
        where K : notnull => new(name, type, keySerde, new TimestampedValueCodec<V>(valueSerde), (long)retention.TotalMilliseconds, (long)windowSize.TotalMilliseconds, false, null);

    public static SessionStoreSpec<K, V> Session<K, V>(string name, Serde<K>? keySerde, Serde<V>? valueSerde, TimeSpan retention, StoreType type = StoreType.InMemory)
        where K : notnull => new(name, type, keySerde, new PlainValueCodec<V>(valueSerde), (long)retention.TotalMilliseconds, null);
}
