using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Rhei.Connect.Data;
using Rhei.Formats.Conversion;
using Rhei.Formats.Types;

namespace Rhei.Connect.Jdbc.Dialects;

/// <summary>
/// SQLite through Microsoft.Data.Sqlite. Types follow the declared type as SQLite's affinity rules read it:
/// BIGINT/INT8 → BIGINT, other *INT* → INT, *CHAR*/*CLOB*/*TEXT* → STRING, BLOB → BYTES, REAL/FLOA/DOUB → DOUBLE,
/// NUMERIC/DECIMAL(p,s) → DECIMAL(p,s) (DOUBLE without precision), BOOL* → BOOLEAN, DATETIME/TIMESTAMP → TIMESTAMP,
/// DATE → DATE, TIME → TIME, none → STRING. Timestamps may be stored as text (<c>yyyy-MM-dd HH:mm:ss[.fff]</c>, UTC)
/// or as integers (epoch milliseconds); timestamp mode compares a normalized text form of either. A missing database
/// file is an error (the file is never created by a source), and a locked database fails after <c>Default Timeout</c>
/// (5 s unless the URL sets it).
/// </summary>
public sealed partial class SqliteDialect : JdbcDialect
{
    public const string TimestampTextFormat = "yyyy-MM-dd HH:mm:ss.fff";

    public SqliteDialect(JdbcUrl url)
        : base(url)
    {
    }

    public override string Name => "SQLite";

    /// <summary>When true (sinks), a missing database file is created.</summary>
    public bool CreateIfMissing { get; init; }

    public string DataSource => new SqliteConnectionStringBuilder(Url.ConnectionString).DataSource;

    public override async Task<IReadOnlyList<string>> ListTablesAsync(DbConnection connection, string? schemaPattern, bool includeViews, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type IN (" + (includeViews ? "'table','view'" : "'table'") +
            ") AND name NOT LIKE 'sqlite_%' ORDER BY name";
        var tables = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    public override async Task<IReadOnlyList<JdbcColumn>?> DescribeTableAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = $"PRAGMA table_info({QuoteTable(table)})";
        var columns = new List<JdbcColumn>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var declared = reader.IsDBNull(2) ? "" : reader.GetString(2);
            columns.Add(new JdbcColumn(reader.GetString(1), Map(declared), declared));
        }

        return columns.Count == 0 ? null : columns;
    }

    public override IReadOnlyList<JdbcColumn> DescribeResult(DbDataReader reader)
    {
        var columns = new List<JdbcColumn>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            string declared;
            try
            {
                declared = reader.GetDataTypeName(i);
            }
            catch (InvalidOperationException)
            {
                declared = "";
            }

            columns.Add(new JdbcColumn(reader.GetName(i), Map(declared), declared));
        }

        return columns;
    }

    public override object? ReadValue(DbDataReader reader, int ordinal, JdbcColumn column)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var raw = reader.GetValue(ordinal);
        try
        {
            return column.Type.BaseType switch
            {
                SqlBaseType.Timestamp => ParseTimestamp(raw),
                SqlBaseType.Date => raw is string ds ? DateOnly.FromDateTime(ParseTimestamp(ds)) : DateOnly.FromDateTime(ParseTimestamp(raw)),
                SqlBaseType.Time => raw is string ts ? TimeOnly.Parse(ts, CultureInfo.InvariantCulture) : TemporalValues.TimeFromMillis(Convert.ToInt64(raw, CultureInfo.InvariantCulture)),
                SqlBaseType.Boolean => raw switch
                {
                    long l => l != 0,
                    string s => s is "1" or "true" or "TRUE" or "True",
                    _ => Convert.ToBoolean(raw, CultureInfo.InvariantCulture),
                },
                SqlBaseType.Bytes => raw as byte[] ?? System.Text.Encoding.UTF8.GetBytes(ConnectText.Format(raw)),
                SqlBaseType.String => raw as string ?? ConnectText.Format(raw),
                _ => ConnectSchemas.Coerce(raw, column.Type),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
        {
            throw new ConnectDataException(
                $"The value {ConnectText.Format(raw)} of column {column.Name} ({(column.DatabaseType.Length == 0 ? "no declared type" : column.DatabaseType)}) " +
                $"cannot be read as {column.Type}: {e.Message}" +
                (column.Type.BaseType == SqlBaseType.Integer ? " (declare the column BIGINT for 64-bit values)" : ""), e);
        }
    }

    /// <summary>A text form that compares in time order whether the column holds text or epoch milliseconds.</summary>
    public override string TimestampExpression(string quotedColumn, JdbcColumn column) =>
        $"(CASE typeof({quotedColumn}) WHEN 'integer' THEN strftime('%Y-%m-%d %H:%M:%f', {quotedColumn} / 1000.0, 'unixepoch') " +
        $"WHEN 'real' THEN strftime('%Y-%m-%d %H:%M:%f', {quotedColumn} / 1000.0, 'unixepoch') " +
        $"ELSE strftime('%Y-%m-%d %H:%M:%f', {quotedColumn}) END)";

    public override object TimestampParameter(DateTime utc, JdbcColumn column) => utc.ToString(TimestampTextFormat, CultureInfo.InvariantCulture);

    public override Task<DateTime> CurrentTimeAsync(DbConnection connection, TimeProvider time, CancellationToken cancellationToken) =>
        Task.FromResult(time.GetUtcNow().UtcDateTime);

    public override string ColumnType(SqlType type, bool isKey) => type switch
    {
        SqlDecimalType d => $"NUMERIC({d.Precision},{d.Scale})",
        _ => type.BaseType switch
        {
            SqlBaseType.Boolean => "BOOLEAN",
            SqlBaseType.Integer => "INTEGER",
            SqlBaseType.BigInt => "BIGINT",
            SqlBaseType.Double => "REAL",
            SqlBaseType.Bytes => "BLOB",
            SqlBaseType.Date => "DATE",
            SqlBaseType.Time => "TIME",
            SqlBaseType.Timestamp => "TIMESTAMP",
            _ => "TEXT",
        },
    };

    public override object BindValue(object? value, JdbcColumn target)
    {
        if (value is null)
        {
            return DBNull.Value;
        }

        var coerced = target.Type.IsPrimitive ? ConnectSchemas.Coerce(value, target.Type) : ConnectText.Format(value);
        return coerced switch
        {
            null => DBNull.Value,
            DateTime dt => dt.ToString(TimestampTextFormat, CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            TimeOnly t => t.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
            bool b => b ? 1L : 0L,
            decimal m => DecimalValues.ToPlainString(m),
            _ => coerced,
        };
    }

    protected override DbConnection CreateConnection()
    {
        var builder = new SqliteConnectionStringBuilder(Url.ConnectionString);
        if (!Url.ConnectionString.Contains("Mode", StringComparison.OrdinalIgnoreCase))
        {
            builder.Mode = CreateIfMissing ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite;
        }

        if (!Url.ConnectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = 5;
        }

        builder.Pooling = false;
        return new SqliteConnection(builder.ConnectionString);
    }

    public override Task CheckBeforeQueryAsync() => CheckBeforeOpenAsync();

    protected override Task CheckBeforeOpenAsync()
    {
        var path = DataSource;
        if (!CreateIfMissing && path != ":memory:" && path.Length > 0 && !path.StartsWith("file:", StringComparison.Ordinal) && !File.Exists(path))
        {
            throw new JdbcException($"Could not connect to the database at {Url.Display}: the SQLite database file {Path.GetFullPath(path)} does not exist", null);
        }

        return Task.CompletedTask;
    }

    private static DateTime ParseTimestamp(object raw) => raw switch
    {
        long ms => TemporalValues.TimestampFromMillis(ms),
        double d => TemporalValues.TimestampFromMillis((long)d),
        string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        _ => throw new FormatException($"not a timestamp: {raw}"),
    };

    private static SqlType Map(string declared)
    {
        var upper = declared.ToUpperInvariant().Trim();
        if (upper.Length == 0)
        {
            return SqlTypes.String;
        }

        var m = PrecisionPattern().Match(upper);
        int? precision = m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        int? scale = m.Success && m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        if (upper.Contains("BOOL", StringComparison.Ordinal))
        {
            return SqlTypes.Boolean;
        }

        if (upper.Contains("DATETIME", StringComparison.Ordinal) || upper.Contains("TIMESTAMP", StringComparison.Ordinal))
        {
            return SqlTypes.Timestamp;
        }

        if (upper.StartsWith("DATE", StringComparison.Ordinal))
        {
            return SqlTypes.Date;
        }

        if (upper.StartsWith("TIME", StringComparison.Ordinal))
        {
            return SqlTypes.Time;
        }

        if (upper.Contains("INT", StringComparison.Ordinal))
        {
            return upper.Contains("BIGINT", StringComparison.Ordinal) || upper.Contains("INT8", StringComparison.Ordinal) || upper.Contains("BIG INT", StringComparison.Ordinal)
                ? SqlTypes.BigInt
                : SqlTypes.Integer;
        }

        if (upper.Contains("CHAR", StringComparison.Ordinal) || upper.Contains("CLOB", StringComparison.Ordinal) || upper.Contains("TEXT", StringComparison.Ordinal))
        {
            return SqlTypes.String;
        }

        if (upper.Contains("BLOB", StringComparison.Ordinal))
        {
            return SqlTypes.Bytes;
        }

        if (upper.Contains("REAL", StringComparison.Ordinal) || upper.Contains("FLOA", StringComparison.Ordinal) || upper.Contains("DOUB", StringComparison.Ordinal))
        {
            return SqlTypes.Double;
        }

        if (upper.StartsWith("NUMERIC", StringComparison.Ordinal) || upper.StartsWith("DECIMAL", StringComparison.Ordinal))
        {
            return DecimalOrDouble(precision, scale);
        }

        return SqlTypes.String;
    }

    [GeneratedRegex(@"\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)")]
    private static partial Regex PrecisionPattern();
}
