namespace Rhei.Streams;

/// <summary>
/// Turns a value into bytes for <paramref name="topic"/>; returns null for a null value (a tombstone
/// when it is a record value). The topic lets schema-registry formats pick their subject.
/// </summary>
public delegate byte[]? Serializer<in T>(T value, string topic);

/// <summary>
/// Turns bytes read from <paramref name="topic"/> into a value. <paramref name="isNull"/> is true when the
/// record carried a null (then <paramref name="data"/> is empty) and the deserializer returns its null.
/// </summary>
public delegate T Deserializer<out T>(ReadOnlySpan<byte> data, bool isNull, string topic);

/// <summary>A serializer and deserializer pair for one type.</summary>
public sealed class Serde<T>(Serializer<T> serialize, Deserializer<T> deserialize)
{
    public Serializer<T> Serialize { get; } = serialize;

    public Deserializer<T> Deserialize { get; } = deserialize;

    /// <summary>Serializes and deserializes back (a deep copy through bytes; used by tests and stores).</summary>
    public T RoundTrip(T value, string topic)
    {
        var bytes = Serialize(value, topic);
        return Deserialize(bytes, bytes is null, topic);
    }
}
