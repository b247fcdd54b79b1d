namespace Rhei.Engine.Queries;

/// <summary>
/// Rows a push query receives at once (those of one read of its source that passed its filter). A chunk handed to
/// several queries running the same statement is the same object for all of them and carries a
/// <see cref="SharedRow"/> slot, where a server keeps the chunk's encoding so that it encodes the rows once and
/// writes the same bytes to every client. The rows never change once the chunk is handed out.
/// </summary>
public sealed class RowChunk(QueryRow[] rows, SharedRow? shared)
{
    public QueryRow[] Rows { get; } = rows;

    /// <summary>Set when the chunk goes to more than one query: where its encoding may be kept for all of them.</summary>
    public SharedRow? Shared { get; } = shared;
}
