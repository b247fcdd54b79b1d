namespace Rhei.Streams;

/// <summary>
/// An update flowing through a table: the new value and, when the downstream operator asked for it
/// (Kafka Streams' sendOldValues), the previous one. A null <see cref="NewValue"/> is a delete.
/// </summary>
public readonly record struct Change<V>(V NewValue, V OldValue);

/// <summary>A value with the timestamp of the record that last set it (what table stores keep).</summary>
public readonly record struct ValueAndTimestamp<V>(V Value, long Timestamp);
