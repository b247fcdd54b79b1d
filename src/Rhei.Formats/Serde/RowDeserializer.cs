namespace Rhei.Formats.Serde;

/// <summary>
/// Reads bytes of one format into rows of one <see cref="SerdeSchema"/>. Instances keep reusable state: use one per
/// thread/task. Null record bytes are a null row (the caller's case: a span cannot be null).
/// </summary>
public abstract class RowDeserializer
{
    protected RowDeserializer(SerdeSchema schema, SerdeOptions options)
    {
        Schema = schema;
        Options = options;
    }

    public SerdeSchema Schema { get; }

    public SerdeOptions Options { get; }

    /// <summary>
    /// Reads <paramref name="data"/> (non-null record bytes) into <paramref name="destination"/> (exactly one slot per
    /// column). Returns false when the bytes encode a null row (e.g. the JSON text <c>null</c>); the slots are then
    /// cleared.
    /// </summary>
    /// <exception cref="SerdeException">The bytes are malformed or do not match the schema.</exception>
    public abstract bool Deserialize(ReadOnlySpan<byte> data, Span<object?> destination);

    /// <summary>
    /// Reads a record's key or value as the clients hand it over (null = a null key or a tombstone) into
    /// <paramref name="destination"/>. Returns false, with the slots cleared, for a null row.
    /// </summary>
    public bool DeserializeRecord(ReadOnlyMemory<byte>? data, Span<object?> destination)
    {
        if (data is not { } bytes)
        {
            destination.Clear();
            return false;
        }

        return Deserialize(bytes.Span, destination);
    }

    /// <summary>Reads into a new row; null bytes (or bytes encoding null) give null.</summary>
    public object?[]? Deserialize(byte[]? data)
    {
        if (data is null)
        {
            return null;
        }

        var row = new object?[Schema.Count];
        return Deserialize(data, row) ? row : null;
    }

    protected void CheckWidth(Span<object?> destination)
    {
        if (destination.Length != Schema.Count)
        {
            throw new ArgumentException($"The destination has {destination.Length} slots; the schema has {Schema.Count} columns.", nameof(destination));
        }
    }
}
