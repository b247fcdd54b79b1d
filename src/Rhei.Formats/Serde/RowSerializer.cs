using System.Buffers;

namespace Rhei.Formats.Serde;

/// <summary>
/// Writes rows of one <see cref="SerdeSchema"/> as bytes of one format. Instances keep reusable state (writers,
/// buffers): use one per thread/task. A null row is a null record key/value (a tombstone) and never reaches
/// <see cref="Serialize(ReadOnlySpan{object}, IBufferWriter{byte})"/>.
/// </summary>
public abstract class RowSerializer
{
    private ArrayBufferWriter<byte>? _scratch;

    protected RowSerializer(SerdeSchema schema, SerdeOptions options)
    {
        Schema = schema;
        Options = options;
    }

    public SerdeSchema Schema { get; }

    public SerdeOptions Options { get; }

    /// <summary>
    /// Writes the row (one value per column, in schema order) to <paramref name="output"/>. Returns false, having
    /// written nothing, when the row is encoded as null bytes (an unwrapped single NULL, a format without columns).
    /// </summary>
    /// <exception cref="SerdeException">A value cannot be written in this format.</exception>
    public abstract bool Serialize(ReadOnlySpan<object?> row, IBufferWriter<byte> output);

    /// <summary>Serializes into a new array; a null row gives null.</summary>
    public byte[]? Serialize(object?[]? row) => row is null ? null : Serialize(row.AsSpan());

    /// <summary>Serializes into a new array (null when the row encodes as null bytes).</summary>
    public byte[]? Serialize(ReadOnlySpan<object?> row)
    {
        var scratch = _scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        return Serialize(row, scratch) ? scratch.WrittenSpan.ToArray() : null;
    }

    protected void CheckWidth(ReadOnlySpan<object?> row)
    {
        if (row.Length != Schema.Count)
        {
            throw SerdeException.Serialize(Options, $"Column count mismatch on serialization. expected: {Schema.Count}, got: {row.Length}");
        }
    }
}
