using System.Data.Common;
using Rhei.Connect.Data;
using Rhei.Connect.Jdbc.Dialects;
using Rhei.Formats.Types;

namespace Rhei.Connect.Jdbc;

/// <summary>
/// Writes rows to one table: creates it (<c>auto.create</c>) or adds columns (<c>auto.evolve</c>) when the records need
/// them, then INSERTs, upserts, UPDATEs or DELETEs each row with parameters typed by the table's columns.
/// </summary>
internal sealed class SinkTableWriter
{
    private readonly JdbcDialect _dialect;
    private readonly string _table;
    private readonly string _quoted;
    private readonly string _insertMode;
    private readonly bool _autoCreate;
    private readonly bool _autoEvolve;
    private Dictionary<string, JdbcColumn>? _columns;

    public SinkTableWriter(JdbcDialect dialect, string table, string insertMode, bool autoCreate, bool autoEvolve)
    {
        _dialect = dialect;
        _table = table;
        _quoted = dialect.QuoteTable(table);
        _insertMode = insertMode;
        _autoCreate = autoCreate;
        _autoEvolve = autoEvolve;
    }

    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, SinkRow row, CancellationToken cancellationToken)
    {
        await EnsureColumnsAsync(connection, transaction, row, cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        var keyNames = row.Keys.Select(k => Column(k.Name).Name).ToList();
        if (row.IsDelete)
        {
            cmd.CommandText = $"DELETE FROM {_quoted} WHERE {Where(keyNames, 0)}";
            Bind(cmd, row.Keys, 0);
        }
        else if (_insertMode == "update")
        {
            var valueNames = row.Values.Select(v => Column(v.Name).Name).ToList();
            if (valueNames.Count == 0)
            {
                return;
            }

            cmd.CommandText = $"UPDATE {_quoted} SET {string.Join(",", valueNames.Select((n, i) => $"{_dialect.QuoteIdentifier(n)}=@p{i}"))} WHERE {Where(keyNames, valueNames.Count)}";
            Bind(cmd, row.Values, 0);
            Bind(cmd, row.Keys, valueNames.Count);
        }
        else
        {
            var all = row.Keys.Concat(row.Values).ToList();
            var names = all.Select(f => Column(f.Name).Name).ToList();
            cmd.CommandText = _insertMode == "upsert" && keyNames.Count > 0
                ? _dialect.UpsertSql(_quoted, names, keyNames)
                : _dialect.InsertSql(_quoted, names);
            Bind(cmd, all, 0);
        }

        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private string Where(IReadOnlyList<string> keyNames, int first) =>
        string.Join(" AND ", keyNames.Select((n, i) => $"{_dialect.QuoteIdentifier(n)}=@p{first + i}"));

    private void Bind(DbCommand cmd, IReadOnlyList<(string Name, SqlType? Type, object? Value)> fields, int first)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "p" + (first + i);
            try
            {
                p.Value = _dialect.BindValue(fields[i].Value, Column(fields[i].Name));
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw new ConnectDataException($"The value {ConnectText.Format(fields[i].Value)} of field {fields[i].Name} cannot be written to column {Column(fields[i].Name).Name} ({Column(fields[i].Name).DatabaseType}) of table {_table}: {e.Message}", e);
            }

            cmd.Parameters.Add(p);
        }
    }

    private JdbcColumn Column(string name) =>
        _columns!.TryGetValue(name, out var c) ? c : _columns.Values.First(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));

    private async Task EnsureColumnsAsync(DbConnection connection, DbTransaction transaction, SinkRow row, CancellationToken cancellationToken)
    {
        if (_columns is null)
        {
            var existing = await DescribeAsync(connection, transaction, cancellationToken);
            if (existing is null)
            {
                if (!_autoCreate)
                {
                    throw new ConnectDataException($"Table {_table} is missing in {_dialect.Url.Display} and auto.create is disabled: create it, or set 'auto.create'='true'.");
                }

                if (row.IsDelete)
                {
                    return;
                }

                await CreateTableAsync(connection, transaction, row, cancellationToken);
                existing = await DescribeAsync(connection, transaction, cancellationToken)
                    ?? throw new ConnectDataException($"Table {_table} was created but cannot be described.");
            }

            _columns = existing.ToDictionary(c => c.Name, StringComparer.Ordinal);
        }

        var fields = row.Keys.Concat(row.Values).ToList();
        var missing = fields.Where(f => !_columns.ContainsKey(f.Name) && !_columns.Keys.Any(k => string.Equals(k, f.Name, StringComparison.OrdinalIgnoreCase))).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        if (!_autoEvolve)
        {
            throw new ConnectDataException(
                $"Table {_table} has no column(s) {string.Join(", ", missing.Select(m => m.Name))} for the record's fields, and auto.evolve is disabled: add them, or set 'auto.evolve'='true'.");
        }

        foreach (var f in missing)
        {
            await using var alter = connection.CreateCommand();
            alter.Transaction = transaction;
            alter.CommandText = $"ALTER TABLE {_quoted} ADD COLUMN {_dialect.QuoteIdentifier(f.Name)} {_dialect.ColumnType(TypeOf(f), isKey: false)}";
            await alter.ExecuteNonQueryAsync(cancellationToken);
        }

        var described = await DescribeAsync(connection, transaction, cancellationToken);
        _columns = described!.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    private async Task CreateTableAsync(DbConnection connection, DbTransaction transaction, SinkRow row, CancellationToken cancellationToken)
    {
        var columns = row.Keys.Select(k => $"{_dialect.QuoteIdentifier(k.Name)} {_dialect.ColumnType(TypeOf(k), isKey: true)} NOT NULL")
            .Concat(row.Values.Select(v => $"{_dialect.QuoteIdentifier(v.Name)} {_dialect.ColumnType(TypeOf(v), isKey: false)}"))
            .ToList();
        if (row.Keys.Count > 0)
        {
            columns.Add($"PRIMARY KEY({string.Join(",", row.Keys.Select(k => _dialect.QuoteIdentifier(k.Name)))})");
        }

        await using var create = connection.CreateCommand();
        create.Transaction = transaction;
        create.CommandText = $"CREATE TABLE {_quoted} ({string.Join(", ", columns)})";
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<JdbcColumn>?> DescribeAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        return await _dialect.DescribeTableAsync(connection, transaction, _table, cancellationToken);
    }

    private static SqlType TypeOf((string Name, SqlType? Type, object? Value) field) => field.Type ?? ConnectSchemas.Infer(field.Value);
}
