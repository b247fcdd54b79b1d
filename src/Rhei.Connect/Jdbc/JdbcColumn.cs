using Rhei.Formats.Types;

namespace Rhei.Connect.Jdbc;

/// <summary>A column of a table or result: its name, its SQL type in Rhei, and the database's own type name.</summary>
public sealed record JdbcColumn(string Name, SqlType Type, string DatabaseType)
{
    /// <summary>True for a PostgreSQL <c>timestamp with time zone</c> (bound as UTC; other timestamps are taken as UTC wall time).</summary>
    public bool HasTimeZone => DatabaseType.Contains("with time zone", StringComparison.OrdinalIgnoreCase) || DatabaseType.Equals("timestamptz", StringComparison.OrdinalIgnoreCase);
}
