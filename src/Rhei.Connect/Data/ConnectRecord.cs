using Rhei.Formats.Types;

namespace Rhei.Connect.Data;

/// <summary>
/// A record inside the connector runtime, before conversion to bytes (source) or after conversion from bytes (sink):
/// Kafka Connect's ConnectRecord. A key or value is a schema (a <see cref="SqlType"/>; a row is a
/// <see cref="SqlStructType"/> with a <see cref="SqlStruct"/> value) and its value, or schemaless: a null schema and a
/// value of <see cref="IDictionary{TKey,TValue}"/> (string → object?), a list, or a primitive.
/// Transforms make changed copies with <c>with</c>.
/// </summary>
public abstract record ConnectRecord(string Topic, int? KafkaPartition, SqlType? KeySchema, object? Key, SqlType? ValueSchema, object? Value, long? Timestamp)
{
    public IReadOnlyList<(string Key, byte[]? Value)> Headers { get; init; } = [];
}

/// <summary>
/// A record a source task produced: where it came from (<see cref="SourcePartition"/>, e.g. <c>{"table": "users"}</c>)
/// and how far the source has been read once it is written (<see cref="SourceOffset"/>, e.g. <c>{"incrementing": 42}</c>).
/// Partition and offset values are strings, longs, doubles or booleans (they are stored as JSON).
/// </summary>
public sealed record SourceRecord(
    IReadOnlyDictionary<string, object?> SourcePartition,
    IReadOnlyDictionary<string, object?> SourceOffset,
    string Topic,
    int? KafkaPartition,
    SqlType? KeySchema,
    object? Key,
    SqlType? ValueSchema,
    object? Value,
    long? Timestamp)
    : ConnectRecord(Topic, KafkaPartition, KeySchema, Key, ValueSchema, Value, Timestamp);

/// <summary>A record a sink task receives: converted from a consumed record, with its position in the topic.</summary>
public sealed record SinkRecord(
    string Topic,
    int Partition,
    long Offset,
    SqlType? KeySchema,
    object? Key,
    SqlType? ValueSchema,
    object? Value,
    long? Timestamp)
    : ConnectRecord(Topic, Partition, KeySchema, Key, ValueSchema, Value, Timestamp);
