using Rhei.Formats.Types;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Schema;

/// <summary>Where a column's data lives in a record: the key, the value, or the headers.</summary>
public enum ColumnNamespace
{
    Key,
    Value,
    Headers,
}

/// <summary>
/// A column of a <see cref="LogicalSchema"/>: its name (case-sensitive, as stored), type, namespace and index within
/// the namespace. A header column either holds all headers (<see cref="HeaderKey"/> null, type
/// <c>ARRAY&lt;STRUCT&lt;KEY STRING, VALUE BYTES&gt;&gt;</c>) or the last header with one key (BYTES).
/// </summary>
public sealed record Column(string Name, SqlType Type, ColumnNamespace Namespace, int Index, string? HeaderKey = null)
{
    public bool IsKey => Namespace == ColumnNamespace.Key;

    public bool IsHeader => Namespace == ColumnNamespace.Headers;

    /// <summary>As ksqlDB prints a column: <c>`ID` BIGINT KEY</c>, <c>`H` BYTES HEADER('k')</c>.</summary>
    public override string ToString()
    {
        var text = $"{SqlIdentifiers.Backquote(Name)} {Type}";
        return Namespace switch
        {
            ColumnNamespace.Key => text + " KEY",
            ColumnNamespace.Headers => HeaderKey is null ? text + " HEADERS" : $"{text} HEADER({SqlIdentifiers.QuoteString(HeaderKey)})",
            _ => text,
        };
    }
}
