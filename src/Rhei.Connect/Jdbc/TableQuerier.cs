using System.Data.Common;
using Rhei.Connect.Data;
using Rhei.Connect.Jdbc.Dialects;
using Rhei.Formats.Conversion;
using Rhei.Formats.Types;

namespace Rhei.Connect.Jdbc;

/// <summary>
/// Reads one table (or the query) in one mode, with the Confluent connector's query shapes:
/// bulk <c>SELECT * FROM t</c>; incrementing <c>WHERE inc &gt; ? ORDER BY inc</c>; timestamp
/// <c>WHERE ts &gt; ? AND ts &lt; now - delay ORDER BY ts</c>; timestamp+incrementing
/// <c>WHERE ts &lt; now - delay AND ((ts = ? AND inc &gt; ?) OR ts &gt; ?) ORDER BY ts, inc</c>. It keeps the offset of the
/// last row it returned; the runtime stores it with each record.
/// </summary>
internal sealed class TableQuerier
{
    private readonly JdbcDialect _dialect;
    private readonly string _from;
    private readonly string _mode;
    private readonly string? _incrementingColumn;
    private readonly IReadOnlyList<string> _timestampColumns;
    private readonly TimeSpan _delay;
    private readonly int _batchMaxRows;
    private readonly bool _validateNonNull;
    private IReadOnlyList<JdbcColumn>? _columns;
    private SqlStructType? _valueType;
    private JdbcColumn? _timestampColumn;
    private DateTime? _lastTimestamp;
    private long _lastIncrementing;

    public TableQuerier(JdbcDialect dialect, string? table, string? query, string topic, string mode, string? incrementingColumn, IReadOnlyList<string> timestampColumns, TimeSpan delay, int batchMaxRows, bool validateNonNull)
    {
        _dialect = dialect;
        Table = table;
        _from = table is not null ? dialect.QuoteTable(table) : $"({query}) AS rhei_query";
        Topic = topic;
        _mode = mode;
        _incrementingColumn = string.IsNullOrWhiteSpace(incrementingColumn) ? null : incrementingColumn;
        _timestampColumns = timestampColumns;
        _delay = delay;
        _batchMaxRows = batchMaxRows;
        _validateNonNull = validateNonNull;
        Partition = table is not null
            ? new Dictionary<string, object?> { ["table"] = table }
            : new Dictionary<string, object?> { ["query"] = "query" };
    }

    public string? Table { get; }

    public string Topic { get; }

    public IReadOnlyDictionary<string, object?> Partition { get; }

    public DateTime NextPoll { get; set; }

    private bool UsesTimestamp => _mode is JdbcSourceConfig.ModeTimestamp or JdbcSourceConfig.ModeTimestampIncrementing;

    private bool UsesIncrementing => _mode is JdbcSourceConfig.ModeIncrementing or JdbcSourceConfig.ModeTimestampIncrementing;

    private string What => Table is not null ? $"table {Table}" : "the query";

    /// <summary>Sets where to start: the stored offset, else the configured initial values.</summary>
    public void Restore(IReadOnlyDictionary<string, object?>? offset, long incrementingInitial, long? timestampInitial, DateTime nowUtc)
    {
        _lastIncrementing = offset is not null && offset.TryGetValue("incrementing", out var inc) && inc is not null
            ? Convert.ToInt64(inc, System.Globalization.CultureInfo.InvariantCulture)
            : incrementingInitial;
        if (offset is not null && offset.TryGetValue("timestamp", out var ts) && ts is not null)
        {
            var ms = Convert.ToInt64(ts, System.Globalization.CultureInfo.InvariantCulture);
            var nanos = offset.TryGetValue("timestamp_nanos", out var n) && n is not null ? Convert.ToInt64(n, System.Globalization.CultureInfo.InvariantCulture) : (ms % 1000) * 1_000_000;
            var seconds = Math.DivRem(ms, 1000, out var msRem) - (msRem < 0 ? 1 : 0);
            _lastTimestamp = new DateTime(DateTime.UnixEpoch.Ticks + (seconds * TimeSpan.TicksPerSecond) + (nanos / 100), DateTimeKind.Utc);
        }
        else
        {
            _lastTimestamp = timestampInitial switch
            {
                null => new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                -1 => nowUtc,
                { } ms => TemporalValues.TimestampFromMillis(ms),
            };
        }
    }

    /// <summary>Reads the columns (and checks the mode's columns exist) with an empty query.</summary>
    public async Task DescribeAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT * FROM {_from} WHERE 1 = 0";
            IReadOnlyList<JdbcColumn> columns;
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                columns = _dialect.DescribeResult(reader);
            }

            // SQLite's driver drops "(p,s)" from declared types in results: take the table's own declarations.
            if (Table is not null && _dialect is SqliteDialect && await _dialect.DescribeTableAsync(connection, null, Table, cancellationToken) is { } declared)
            {
                columns = [.. columns.Select(c => declared.FirstOrDefault(d => d.Name == c.Name) ?? c)];
            }

            SetColumns(columns);
        }
        catch (DbException e)
        {
            throw new JdbcException($"Could not read {What} from {_dialect.Url.Display}: {e.Message}", e);
        }

        if (_incrementingColumn is not null && UsesIncrementing && Find(_incrementingColumn) is null)
        {
            throw new JdbcException($"The incrementing column '{_incrementingColumn}' is not in {What} (columns: {string.Join(", ", _columns!.Select(c => c.Name))}).", null);
        }

        if (UsesTimestamp)
        {
            foreach (var name in _timestampColumns)
            {
                var column = Find(name) ?? throw new JdbcException($"The timestamp column '{name}' is not in {What} (columns: {string.Join(", ", _columns!.Select(c => c.Name))}).", null);
                _timestampColumn ??= column;
            }
        }

        if (_validateNonNull && Table is not null && _dialect is PostgresDialect && _mode != JdbcSourceConfig.ModeBulk)
        {
            await CheckNonNullAsync(connection, cancellationToken);
        }
    }

    /// <summary>Runs the mode's query and returns its rows as records.</summary>
    public async Task<List<SourceRecord>> QueryAsync(DbConnection connection, TimeProvider time, CancellationToken cancellationToken)
    {
        var records = new List<SourceRecord>();
        try
        {
            await using var cmd = connection.CreateCommand();
            var sql = $"SELECT * FROM {_from}";
            var limited = false;
            if (_mode != JdbcSourceConfig.ModeBulk)
            {
                var inc = _incrementingColumn is null ? null : _dialect.QuoteIdentifier(Find(_incrementingColumn)!.Name);
                var ts = UsesTimestamp ? TimestampExpression() : null;
                var end = UsesTimestamp ? (await _dialect.CurrentTimeAsync(connection, time, cancellationToken)) - _delay : default;
                switch (_mode)
                {
                    case JdbcSourceConfig.ModeIncrementing:
                        sql += $" WHERE {inc} > @inc ORDER BY {inc} ASC";
                        AddParameter(cmd, "inc", _lastIncrementing);
                        limited = true;
                        break;
                    case JdbcSourceConfig.ModeTimestamp:
                        sql += $" WHERE {ts} > @ts AND {ts} < @end ORDER BY {ts} ASC";
                        AddParameter(cmd, "ts", _dialect.TimestampParameter(_lastTimestamp!.Value, _timestampColumn!));
                        AddParameter(cmd, "end", _dialect.TimestampParameter(end, _timestampColumn!));
                        break;
                    default:
                        sql += $" WHERE {ts} < @end AND (({ts} = @ts AND {inc} > @inc) OR {ts} > @ts2) ORDER BY {ts}, {inc} ASC";
                        AddParameter(cmd, "end", _dialect.TimestampParameter(end, _timestampColumn!));
                        AddParameter(cmd, "ts", _dialect.TimestampParameter(_lastTimestamp!.Value, _timestampColumn!));
                        AddParameter(cmd, "inc", _lastIncrementing);
                        AddParameter(cmd, "ts2", _dialect.TimestampParameter(_lastTimestamp!.Value, _timestampColumn!));
                        limited = true;
                        break;
                }

                if (limited)
                {
                    sql += $" LIMIT {_batchMaxRows}";
                }
            }

            cmd.CommandText = sql;
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var first = true;
            while (await reader.ReadAsync(cancellationToken))
            {
                if (first)
                {
                    SetColumns(_dialect.DescribeResult(reader));
                    first = false;
                }

                records.Add(ReadRow(reader, now));
            }

            LastQueryWasFull = limited && records.Count >= _batchMaxRows;
        }
        catch (DbException e)
        {
            throw new JdbcException($"Could not read {What} from {_dialect.Url.Display}: {_dialect.DescribeError(e)}", e);
        }

        return records;
    }

    /// <summary>True when the last limited query returned <c>batch.max.rows</c> rows (more may be waiting).</summary>
    public bool LastQueryWasFull { get; private set; }

    private SourceRecord ReadRow(DbDataReader reader, long nowMs)
    {
        var columns = _columns!;
        var values = new object?[columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _dialect.ReadValue(reader, i, columns[i]);
        }

        var row = new SqlStruct(_valueType!, values);
        long? timestamp = nowMs;
        var offset = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (UsesIncrementing)
        {
            var idx = IndexOf(_incrementingColumn!);
            _lastIncrementing = values[idx] is { } v
                ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)
                : throw new ConnectDataException($"The incrementing column {_incrementingColumn} of {What} is NULL in a row: incrementing mode needs NOT NULL values.");
            offset["incrementing"] = _lastIncrementing;
        }

        if (UsesTimestamp)
        {
            DateTime? ts = null;
            foreach (var name in _timestampColumns)
            {
                if (values[IndexOf(name)] is DateTime t)
                {
                    ts = t;
                    break;
                }
            }

            if (ts is { } rowTs)
            {
                _lastTimestamp = rowTs;
                var ticks = rowTs.Ticks - DateTime.UnixEpoch.Ticks;
                var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rem);
                if (rem < 0)
                {
                    seconds--;
                    rem += TimeSpan.TicksPerSecond;
                }

                offset["timestamp"] = TemporalValues.ToEpochMillis(rowTs);
                offset["timestamp_nanos"] = rem * 100;
                timestamp = TemporalValues.ToEpochMillis(rowTs);
                _ = seconds;
            }
        }

        return new SourceRecord(Partition, offset, Topic, null, null, null, _valueType, row, timestamp);
    }

    private string TimestampExpression()
    {
        var parts = _timestampColumns.Select(n =>
        {
            var column = Find(n)!;
            return _dialect.TimestampExpression(_dialect.QuoteIdentifier(column.Name), column);
        }).ToList();
        return parts.Count == 1 ? parts[0] : $"COALESCE({string.Join(", ", parts)})";
    }

    private void SetColumns(IReadOnlyList<JdbcColumn> columns)
    {
        if (_columns is not null && _columns.Count == columns.Count && _columns.SequenceEqual(columns))
        {
            return;
        }

        // SQLite reports a declared type for table columns, and only a storage class (per row) for expressions: once a
        // column has a declared type it keeps it; an expression column takes the first row's storage class.
        if (_columns is not null && _columns.Count == columns.Count && _dialect is SqliteDialect)
        {
            columns = [.. columns.Select((c, i) => _columns[i].Name == c.Name && _columns[i].DatabaseType.Length > 0 ? _columns[i] : c)];
            if (_columns.SequenceEqual(columns))
            {
                return;
            }
        }

        _columns = columns;
        _valueType = new SqlStructType([.. columns.Select(c => new SqlField(c.Name, c.Type))]);
    }

    private JdbcColumn? Find(string name) =>
        _columns!.FirstOrDefault(c => c.Name == name) ?? _columns!.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    private int IndexOf(string name)
    {
        var column = Find(name);
        for (var i = 0; i < _columns!.Count; i++)
        {
            if (ReferenceEquals(_columns[i], column))
            {
                return i;
            }
        }

        throw new ConnectDataException($"The column '{name}' is not in {What}.");
    }

    private static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private async Task CheckNonNullAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        if (UsesIncrementing && _incrementingColumn is not null)
        {
            names.Add(Find(_incrementingColumn)!.Name);
        }

        if (UsesTimestamp)
        {
            names.AddRange(_timestampColumns.Select(n => Find(n)!.Name));
        }

        var parts = Table!.Split('.');
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT column_name FROM information_schema.columns WHERE table_name = @t AND is_nullable = 'YES' AND table_schema = " +
            (parts.Length > 1 ? "@s" : "current_schema()");
        AddParameter(cmd, "t", parts[^1]);
        if (parts.Length > 1)
        {
            AddParameter(cmd, "s", parts[0]);
        }

        var nullable = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var column = reader.GetString(0);
            if (names.Contains(column))
            {
                nullable.Add(column);
            }
        }

        // Several timestamp columns are COALESCEd: they may be nullable one by one. Confluent checks the same.
        var incrementingNullable = UsesIncrementing && nullable.Contains(Find(_incrementingColumn!)!.Name);
        var timestampNullable = UsesTimestamp && _timestampColumns.Count == 1 && nullable.Contains(Find(_timestampColumns[0])!.Name);
        if (incrementingNullable || timestampNullable)
        {
            throw new JdbcException(
                $"Cannot make incremental queries using {(incrementingNullable ? "incrementing column " + _incrementingColumn : "")}" +
                $"{(incrementingNullable && timestampNullable ? " and " : "")}{(timestampNullable ? "timestamp column " + _timestampColumns[0] : "")} " +
                $"on {Table} because the column is nullable. Make it NOT NULL, or set validate.non.null=false.", null);
        }
    }
}
