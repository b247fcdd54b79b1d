using Rhei.Formats.Types;

namespace Rhei.Engine.Queries;

/// <summary>A column of a query's result: its name, SQL type, and whether it is a key column of the source (pull queries mark these).</summary>
public sealed record QueryColumn(string Name, SqlType Type, bool IsKey = false);

/// <summary>
/// One result row: the values in the order of the query's columns (CLR values as <see cref="SqlType"/> documents).
/// A tombstone (a table row deleted) carries the key columns and nulls elsewhere.
/// </summary>
public readonly record struct QueryRow(object?[] Values, bool IsTombstone = false);

/// <summary>Pull queries answer with what is there now and end; push queries (EMIT CHANGES) stream changes.</summary>
public enum QueryKind
{
    Pull,
    Push,
}
