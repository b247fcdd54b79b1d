using System.Data.Common;
using Rhei.Formats.Types;

namespace Rhei.Connect.Jdbc.Dialects;

/// <summary>What differs between databases: connecting, listing and describing tables, type mapping, SQL shapes.</summary>
public abstract class JdbcDialect
{
    protected JdbcDialect(JdbcUrl url)
    {
        Url = url;
    }

    public JdbcUrl Url { get; }

    public abstract string Name { get; }

    public static JdbcDialect For(JdbcUrl url) => url.Database switch
    {
        JdbcDatabase.PostgreSql => new PostgresDialect(url),
        _ => new SqliteDialect(url),
    };

    /// <summary>Opens a connection; failures become a <see cref="JdbcException"/> naming the database.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection;
        try
        {
            connection = CreateConnection();
        }
        catch (ArgumentException e)
        {
            throw new JdbcException($"Invalid connection settings for {Url.Display}: {e.Message}", e);
        }

        try
        {
            await CheckBeforeOpenAsync();
            await connection.OpenAsync(cancellationToken);
            await AfterOpenAsync(connection, cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is DbException or System.Net.Sockets.SocketException or IOException or TimeoutException or InvalidOperationException or JdbcException)
        {
            await connection.DisposeAsync();
            if (e is JdbcException)
            {
                throw;
            }

            throw new JdbcException($"Could not connect to the database at {Url.Display}: {DescribeError(e)}", e);
        }
    }

    public virtual string DescribeError(Exception e)
    {
        var message = e.Message;
        if (e.InnerException is { } inner && !message.Contains(inner.Message, StringComparison.Ordinal))
        {
            message += $" ({inner.Message})";
        }

        return message;
    }

    public string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A table name, quoted part by part (<c>public.users</c> → <c>"public"."users"</c>).</summary>
    public string QuoteTable(string table) => string.Join(".", table.Split('.').Select(QuoteIdentifier));

    /// <summary>The tables to read (views too when <paramref name="includeViews"/>), as names usable in <see cref="QuoteTable"/>.</summary>
    public abstract Task<IReadOnlyList<string>> ListTablesAsync(DbConnection connection, string? schemaPattern, bool includeViews, CancellationToken cancellationToken);

    /// <summary>The columns of a table, or null when it does not exist.</summary>
    public abstract Task<IReadOnlyList<JdbcColumn>?> DescribeTableAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken);

    /// <summary>The columns of a result (call after the first <c>Read</c> for databases that type values per row).</summary>
    public abstract IReadOnlyList<JdbcColumn> DescribeResult(DbDataReader reader);

    /// <summary>The value of a column of the current row as the CLR type of its <see cref="JdbcColumn.Type"/>.</summary>
    public abstract object? ReadValue(DbDataReader reader, int ordinal, JdbcColumn column);

    /// <summary>The SQL expression compared in timestamp mode (SQLite normalizes text and epoch values).</summary>
    public virtual string TimestampExpression(string quotedColumn, JdbcColumn column) => quotedColumn;

    /// <summary>A timestamp (UTC) as a parameter compared with <see cref="TimestampExpression"/>.</summary>
    public abstract object TimestampParameter(DateTime utc, JdbcColumn column);

    /// <summary>The database's current time (UTC).</summary>
    public abstract Task<DateTime> CurrentTimeAsync(DbConnection connection, TimeProvider time, CancellationToken cancellationToken);

    /// <summary>The column type <c>auto.create</c> and <c>auto.evolve</c> use for a SQL type.</summary>
    public abstract string ColumnType(SqlType type, bool isKey);

    /// <summary>INSERT ... ON CONFLICT (keys) DO UPDATE (or DO NOTHING when every column is a key).</summary>
    public virtual string UpsertSql(string quotedTable, IReadOnlyList<string> columns, IReadOnlyList<string> keys)
    {
        var insert = InsertSql(quotedTable, columns);
        var updates = columns.Where(c => !keys.Contains(c)).Select(c => $"{QuoteIdentifier(c)}=EXCLUDED.{QuoteIdentifier(c)}").ToList();
        var conflict = string.Join(",", keys.Select(QuoteIdentifier));
        return updates.Count == 0
            ? $"{insert} ON CONFLICT ({conflict}) DO NOTHING"
            : $"{insert} ON CONFLICT ({conflict}) DO UPDATE SET {string.Join(",", updates)}";
    }

    public string InsertSql(string quotedTable, IReadOnlyList<string> columns) =>
        $"INSERT INTO {quotedTable} ({string.Join(",", columns.Select(QuoteIdentifier))}) VALUES ({string.Join(",", columns.Select((_, i) => "@p" + i))})";

    /// <summary>A value as the parameter of a column of type <paramref name="target"/>.</summary>
    public abstract object BindValue(object? value, JdbcColumn target);

    protected abstract DbConnection CreateConnection();

    protected virtual Task CheckBeforeOpenAsync() => Task.CompletedTask;

    /// <summary>
    /// Before each query on an open connection: fails when the database is gone although the connection still works
    /// (a SQLite file deleted or moved away keeps serving its old contents to a connection that has it open).
    /// </summary>
    public virtual Task CheckBeforeQueryAsync() => Task.CompletedTask;

    protected virtual Task AfterOpenAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>DECIMAL(p, s) when it fits .NET's decimal, else DOUBLE.</summary>
    protected static SqlType DecimalOrDouble(int? precision, int? scale)
    {
        if (precision is > 0 and <= 28)
        {
            var s = Math.Clamp(scale ?? 0, 0, precision.Value);
            return SqlTypes.Decimal(precision.Value, s);
        }

        return SqlTypes.Double;
    }
}
