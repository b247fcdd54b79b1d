using Rhei.Formats.Types;

namespace Rhei.Sql.Schema;

/// <summary>
/// ksqlDB's pseudo-columns and window-bound columns: names that every source has without declaring them, and that
/// a query may not use as the name of a result column.
/// </summary>
public static class SystemColumns
{
    public const string RowTime = "ROWTIME";
    public const string RowPartition = "ROWPARTITION";
    public const string RowOffset = "ROWOFFSET";
    public const string WindowStart = "WINDOWSTART";
    public const string WindowEnd = "WINDOWEND";

    /// <summary>The type of all headers of a record (<c>HEADERS</c> columns).</summary>
    public static readonly SqlType HeadersType = SqlTypes.Array(SqlTypes.Struct(new SqlField("KEY", SqlTypes.String), new SqlField("VALUE", SqlTypes.Bytes)));

    /// <summary>The pseudo-columns every source has, in the order ksqlDB adds them to a row.</summary>
    public static readonly IReadOnlyList<(string Name, SqlType Type)> PseudoColumns =
    [
        (RowTime, SqlTypes.BigInt),
        (RowPartition, SqlTypes.Integer),
        (RowOffset, SqlTypes.BigInt),
    ];

    public static bool IsPseudoColumn(string name) => name is RowTime or RowPartition or RowOffset;

    public static bool IsWindowBound(string name) => name is WindowStart or WindowEnd;

    /// <summary>Names a user may not give to a column of a query's result.</summary>
    public static bool IsReserved(string name) => IsPseudoColumn(name) || IsWindowBound(name);

    public static SqlType TypeOf(string name) => name == RowPartition ? SqlTypes.Integer : SqlTypes.BigInt;
}
