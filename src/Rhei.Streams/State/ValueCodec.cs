namespace Rhei.Streams.State;

/// <summary>
/// How a store's value type maps to a changelog record: the value bytes, and the record timestamp.
/// Timestamped stores (<see cref="ValueAndTimestamp{V}"/>) put the timestamp in the record's timestamp and
/// the plain value in the bytes, as Kafka Streams' timestamped stores log them.
/// </summary>
internal abstract class ValueCodec<V>
{
    public abstract bool IsNull(V value);

    public abstract byte[]? Serialize(V value, string topic);

    public abstract V Deserialize(ReadOnlySpan<byte> data, long timestamp, string topic);

    /// <summary>The timestamp to log the value with (its own, or the current record's).</summary>
    public abstract long TimestampOf(V value, long current);

    public abstract bool CanSerialize { get; }
}

internal sealed class PlainValueCodec<V>(Serde<V>? serde) : ValueCodec<V>
{
    public override bool CanSerialize => serde is not null;

    public override bool IsNull(V value) => value is null;

    public override byte[]? Serialize(V value, string topic) => Serde(topic).Serialize(value, topic);

    public override V Deserialize(ReadOnlySpan<byte> data, long timestamp, string topic) => Serde(topic).Deserialize(data, false, topic);

    public override long TimestampOf(V value, long current) => current;

    private Serde<V> Serde(string topic) => serde ?? throw new InvalidOperationException(
        $"The store for changelog '{topic}' has no value serde; give one in Materialized/StreamJoined, or turn the changelog off.");
}

internal sealed class TimestampedValueCodec<V>(Serde<V>? serde) : ValueCodec<ValueAndTimestamp<V>>
{
    public override bool CanSerialize => serde is not null;

    public override bool IsNull(ValueAndTimestamp<V> value) => value.Value is null;

    public override byte[]? Serialize(ValueAndTimestamp<V> value, string topic) => Serde(topic).Serialize(value.Value, topic);

    public override ValueAndTimestamp<V> Deserialize(ReadOnlySpan<byte> data, long timestamp, string topic) =>
        new(Serde(topic).Deserialize(data, false, topic), timestamp);

    public override long TimestampOf(ValueAndTimestamp<V> value, long current) => value.Timestamp;

    private Serde<V> Serde(string topic) => serde ?? throw new InvalidOperationException(
        $"The store for changelog '{topic}' has no value serde; give one in Materialized/StreamJoined, or turn the changelog off.");
}
