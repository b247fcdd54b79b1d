using Rhei.Formats.Types;

namespace Rhei.Engine.Queries;

/// <summary>A column of a query's result: its name, SQL type, and whether it is a key column of the source (pull queries mark these).</summary>
public sealed record QueryColumn(string Name, SqlType Type, bool IsKey = false);

/// <summary>
/// One result row: the values in the order of the query's columns (CLR values as <see cref="SqlType"/> documents).
/// A tombstone (a table row deleted) carries the key columns and nulls elsewhere. Rows handed to several push
/// queries at once come in a shared <see cref="RowChunk"/>.
/// </summary>
public readonly record struct QueryRow(object?[] Values, bool IsTombstone = false);

/// <summary>
/// The slot that push queries given the same rows (a <see cref="RowChunk"/>) share: whoever encodes them first stores
/// the bytes here (with the format they are in), and the others copy them instead of encoding again.
/// </summary>
public sealed class SharedRow
{
    private Encoded? _encoded;

    /// <summary>The encoding in <paramref name="format"/> stored by an earlier reader, if any.</summary>
    public byte[]? Get(int format) => Volatile.Read(ref _encoded) is { } e && e.Format == format ? e.Bytes : null;

    /// <summary>Stores an encoding (the first one stored wins; the others are equal anyway).</summary>
    public void Set(int format, byte[] bytes) => Interlocked.CompareExchange(ref _encoded, new Encoded(format, bytes), null);

    private sealed record Encoded(int Format, byte[] Bytes);
}

/// <summary>Pull queries answer with what is there now and end; push queries (EMIT CHANGES) stream changes.</summary>
public enum QueryKind
{
    Pull,
    Push,
}
