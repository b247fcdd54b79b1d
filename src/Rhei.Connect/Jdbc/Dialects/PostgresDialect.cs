using System.Data.Common;
using Npgsql;
using Rhei.Connect.Data;
using Rhei.Formats.Types;

namespace Rhei.Connect.Jdbc.Dialects;

/// <summary>
/// PostgreSQL through Npgsql. Types: smallint/integer → INT, bigint → BIGINT, numeric(p,s) → DECIMAL(p,s) (DOUBLE
/// when unconstrained or wider than 28 digits), real/double precision → DOUBLE, text/varchar/char/uuid/json/jsonb/enums
/// → STRING, boolean → BOOLEAN, bytea → BYTES, date → DATE, time → TIME, timestamp[tz] → TIMESTAMP, arrays → ARRAY.
/// <c>timestamp</c> without time zone is taken as UTC (Confluent's <c>db.timezone</c> default).
/// </summary>
public sealed class PostgresDialect : JdbcDialect
{
    public PostgresDialect(JdbcUrl url)
        : base(url)
    {
    }

    public override string Name => "PostgreSQL";

    public override async Task<IReadOnlyList<string>> ListTablesAsync(DbConnection connection, string? schemaPattern, bool includeViews, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText =
            "SELECT table_schema, table_name FROM information_schema.tables " +
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%' " +
            (includeViews ? "AND table_type IN ('BASE TABLE', 'VIEW') " : "AND table_type = 'BASE TABLE' ") +
            (schemaPattern is null ? "" : "AND table_schema LIKE @schema ") +
            "ORDER BY table_schema, table_name";
        if (schemaPattern is not null)
        {
            cmd.Parameters.Add(new NpgsqlParameter("schema", schemaPattern));
        }

        var tables = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var schema = reader.GetString(0);
            var table = reader.GetString(1);
            tables.Add(schema == "public" ? table : $"{schema}.{table}");
        }

        return tables;
    }

    public override async Task<IReadOnlyList<JdbcColumn>?> DescribeTableAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        var parts = table.Split('.');
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText =
            "SELECT column_name, data_type, udt_name, numeric_precision, numeric_scale FROM information_schema.columns " +
            "WHERE table_name = @table AND table_schema = " + (parts.Length > 1 ? "@schema" : "current_schema()") +
            " ORDER BY ordinal_position";
        cmd.Parameters.Add(new NpgsqlParameter("table", parts[^1]));
        if (parts.Length > 1)
        {
            cmd.Parameters.Add(new NpgsqlParameter("schema", parts[0]));
        }

        var columns = new List<JdbcColumn>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var dataType = reader.GetString(1);
            var udt = reader.GetString(2);
            int? precision = reader.IsDBNull(3) ? null : reader.GetInt32(3);
            int? scale = reader.IsDBNull(4) ? null : reader.GetInt32(4);
            var typeName = dataType == "ARRAY" ? udt.TrimStart('_') + "[]" : dataType == "USER-DEFINED" ? udt : dataType;
            columns.Add(new JdbcColumn(reader.GetString(0), Map(typeName, precision, scale), typeName));
        }

        return columns.Count == 0 ? null : columns;
    }

    public override IReadOnlyList<JdbcColumn> DescribeResult(DbDataReader reader)
    {
        var schema = reader.GetColumnSchema();
        return [.. schema.Select(c =>
        {
            var name = c.DataTypeName ?? "text";
            return new JdbcColumn(c.ColumnName, Map(name, c.NumericPrecision, c.NumericScale), name);
        })];
    }

    public override object? ReadValue(DbDataReader reader, int ordinal, JdbcColumn column)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        return column.Type.BaseType switch
        {
            SqlBaseType.Date => reader.GetFieldValue<DateOnly>(ordinal),
            SqlBaseType.Time => reader.GetFieldValue<TimeOnly>(ordinal),
            SqlBaseType.Timestamp => DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(ordinal), DateTimeKind.Utc),
            SqlBaseType.Double => Convert.ToDouble(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture),
            _ => ConnectSchemas.Coerce(reader.GetValue(ordinal), column.Type),
        };
    }

    public override object TimestampParameter(DateTime utc, JdbcColumn column) =>
        column.HasTimeZone ? DateTime.SpecifyKind(utc, DateTimeKind.Utc) : DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);

    public override async Task<DateTime> CurrentTimeAsync(DbConnection connection, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT CURRENT_TIMESTAMP";
        var value = await cmd.ExecuteScalarAsync(cancellationToken);
        return value is DateTime dt ? dt.ToUniversalTime() : time.GetUtcNow().UtcDateTime;
    }

    public override string ColumnType(SqlType type, bool isKey) => type switch
    {
        SqlDecimalType d => $"NUMERIC({d.Precision},{d.Scale})",
        _ => type.BaseType switch
        {
            SqlBaseType.Boolean => "BOOLEAN",
            SqlBaseType.Integer => "INT",
            SqlBaseType.BigInt => "BIGINT",
            SqlBaseType.Double => "DOUBLE PRECISION",
            SqlBaseType.Bytes => "BYTEA",
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
            DateTime dt => target.HasTimeZone ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : DateTime.SpecifyKind(dt, DateTimeKind.Unspecified),
            _ => coerced,
        };
    }

    protected override DbConnection CreateConnection() => new NpgsqlConnection(Url.ConnectionString);

    private static SqlType Map(string databaseType, int? precision, int? scale)
    {
        var name = databaseType.ToLowerInvariant();
        if (name.EndsWith("[]", StringComparison.Ordinal))
        {
            return SqlTypes.Array(Map(name[..^2], null, null));
        }

        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0)
        {
            var args = name[(paren + 1)..].TrimEnd(')').Split(',');
            name = name[..paren].Trim();
            if (name is "numeric" or "decimal" && args.Length > 0 && int.TryParse(args[0], out var p))
            {
                precision ??= p;
                scale ??= args.Length > 1 && int.TryParse(args[1], out var s) ? s : 0;
            }
        }

        return name switch
        {
            "smallint" or "int2" or "integer" or "int" or "int4" or "serial" or "smallserial" => SqlTypes.Integer,
            "bigint" or "int8" or "bigserial" or "oid" => SqlTypes.BigInt,
            "numeric" or "decimal" => DecimalOrDouble(precision is > 1000 ? null : precision, scale),
            "real" or "float4" or "double precision" or "float8" or "money" => SqlTypes.Double,
            "boolean" or "bool" => SqlTypes.Boolean,
            "bytea" => SqlTypes.Bytes,
            "date" => SqlTypes.Date,
            "time" or "time without time zone" or "time with time zone" or "timetz" => SqlTypes.Time,
            "timestamp" or "timestamp without time zone" or "timestamp with time zone" or "timestamptz" => SqlTypes.Timestamp,
            _ => SqlTypes.String,
        };
    }
}
