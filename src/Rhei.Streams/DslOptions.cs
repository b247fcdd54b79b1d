using Rhei.Streams.State;

namespace Rhei.Streams;

/// <summary>Takes a record's event time from the record (its key, value or timestamp); a negative result drops the record.</summary>
public delegate long TimestampExtractor<in K, in V>(K key, V value, long recordTimestamp, long partitionTime);

/// <summary>Chooses the partition of an output record.</summary>
public delegate int StreamPartitioner<in K, in V>(string topic, K key, V value, int partitionCount);

/// <summary>How a source topic is read: serdes, timestamp extraction, and the source node's name.</summary>
public sealed record Consumed<K, V>(Serde<K> KeySerde, Serde<V> ValueSerde)
{
    /// <summary>null: the record's own timestamp.</summary>
    public TimestampExtractor<K, V>? TimestampExtractor { get; init; }

    public string? Name { get; init; }
}

/// <summary>How records are written to a topic.</summary>
public sealed record Produced<K, V>(Serde<K> KeySerde, Serde<V> ValueSerde)
{
    public string? Name { get; init; }

    /// <summary>null: the producer's default partitioner (murmur2 of the key bytes).</summary>
    public StreamPartitioner<K, V>? Partitioner { get; init; }
}

/// <summary>Names and serdes of a grouping (its repartition topic is <c>&lt;application.id&gt;-&lt;Name&gt;-repartition</c>).</summary>
public sealed record Grouped<K, V>(string? Name = null)
{
    public Serde<K>? KeySerde { get; init; }

    public Serde<V>? ValueSerde { get; init; }
}

/// <summary>Names, serdes and partition count of an explicit repartition.</summary>
public sealed record Repartitioned<K, V>(string? Name = null)
{
    public Serde<K>? KeySerde { get; init; }

    public Serde<V>? ValueSerde { get; init; }

    /// <summary>null: as many partitions as the inputs.</summary>
    public int? NumberOfPartitions { get; init; }
}

/// <summary>How a table or aggregation result is stored: name (also naming the changelog), serdes, store type.</summary>
public sealed record Materialized<K, V>(string? StoreName = null)
{
    public Serde<K>? KeySerde { get; init; }

    public Serde<V>? ValueSerde { get; init; }

    public StoreType StoreType { get; init; } = StoreType.InMemory;

    public bool LoggingEnabled { get; init; } = true;

    public bool CachingEnabled { get; init; } = true;

    /// <summary>Window and session stores: retention (at least window size + grace; default size + grace).</summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>Key equality for in-memory stores (default: the type's).</summary>
    public IEqualityComparer<K>? KeyComparer { get; init; }

    public IReadOnlyDictionary<string, string> ChangelogConfigs { get; init; } = new Dictionary<string, string>();
}

/// <summary>Names and serdes of a stream-table join.</summary>
public sealed record Joined<K, V, VO>(string? Name = null)
{
    public Serde<K>? KeySerde { get; init; }

    public Serde<V>? ValueSerde { get; init; }

    public Serde<VO>? OtherValueSerde { get; init; }
}

/// <summary>Names, serdes and stores of a stream-stream join.</summary>
public sealed record StreamJoined<K, V, VO>(string? Name = null)
{
    /// <summary>Stores are named <c>&lt;StoreName&gt;-this-join-store</c>, <c>-other-join-store</c>, <c>-outer-shared-join-store</c>.</summary>
    public string? StoreName { get; init; }

    public Serde<K>? KeySerde { get; init; }

    public Serde<V>? ValueSerde { get; init; }

    public Serde<VO>? OtherValueSerde { get; init; }

    public StoreType StoreType { get; init; } = StoreType.InMemory;

    public bool LoggingEnabled { get; init; } = true;
}

/// <summary>Names of a foreign-key table join (its internal topics and stores are named after it).</summary>
public sealed record TableJoined(string? Name = null);
