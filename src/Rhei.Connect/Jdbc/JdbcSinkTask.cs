using System.Data.Common;
using Rhei.Connect.Data;
using Rhei.Connect.Jdbc.Dialects;
using Rhei.Connect.Plugins;

namespace Rhei.Connect.Jdbc;

/// <summary>
/// Writes each batch of records (up to <c>batch.size</c> per transaction) in order: upserts and deletes by key are
/// idempotent, so a batch written again after a failure (at-least-once) leaves the same rows.
/// </summary>
public sealed class JdbcSinkTask : SinkTask
{
    private readonly Dictionary<string, SinkTableWriter> _writers = new(StringComparer.Ordinal);
    private JdbcDialect? _dialect;
    private DbConnection? _connection;
    private string _tableFormat = "${topic}";
    private string _insertMode = "insert";
    private string _pkMode = "none";
    private IReadOnlyList<string> _pkFields = [];
    private IReadOnlyList<string> _include = [];
    private bool _autoCreate;
    private bool _autoEvolve;
    private bool _deleteEnabled;
    private int _batchSize;

    public override async ValueTask StartAsync(IReadOnlyDictionary<string, string> config, SinkTaskContext context, CancellationToken cancellationToken)
    {
        var parsed = JdbcSinkConfig.Definition.Parse(config).ThrowIfInvalid(context.ConnectorName);
        var url = JdbcUrl.Parse(parsed.GetString(JdbcSinkConfig.ConnectionUrl)!, parsed.GetString(JdbcSinkConfig.ConnectionUser), parsed.GetString(JdbcSinkConfig.ConnectionPassword));
        _dialect = url.Database == JdbcDatabase.Sqlite ? new SqliteDialect(url) { CreateIfMissing = true } : JdbcDialect.For(url);
        _tableFormat = parsed.GetString(JdbcSinkConfig.TableNameFormat) ?? "${topic}";
        _insertMode = parsed.GetString(JdbcSinkConfig.InsertMode)!.ToLowerInvariant();
        _pkMode = parsed.GetString(JdbcSinkConfig.PkMode)!.ToLowerInvariant();
        _pkFields = parsed.GetList(JdbcSinkConfig.PkFields);
        _include = parsed.GetList(JdbcSinkConfig.FieldsIncludeList);
        _autoCreate = parsed.GetBoolean(JdbcSinkConfig.AutoCreate);
        _autoEvolve = parsed.GetBoolean(JdbcSinkConfig.AutoEvolve);
        _deleteEnabled = parsed.GetBoolean(JdbcSinkConfig.DeleteEnabled);
        _batchSize = parsed.GetInt(JdbcSinkConfig.BatchSize);
        _connection = await _dialect.OpenAsync(cancellationToken);
    }

    public override async ValueTask PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        var connection = _connection ?? throw new InvalidOperationException("The task is not started.");
        for (var start = 0; start < records.Count; start += _batchSize)
        {
            var chunk = records.Skip(start).Take(_batchSize).ToList();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var table = "";
            try
            {
                foreach (var record in chunk)
                {
                    if (SinkRow.From(record, _pkMode, _pkFields, _include, _deleteEnabled) is not { } row)
                    {
                        continue;
                    }

                    table = _tableFormat.Replace("${topic}", record.Topic, StringComparison.Ordinal);
                    if (!_writers.TryGetValue(table, out var writer))
                    {
                        writer = new SinkTableWriter(_dialect!, table, _insertMode, _autoCreate, _autoEvolve);
                        _writers[table] = writer;
                    }

                    await writer.WriteAsync(connection, transaction, row, cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbException e)
            {
                _writers.Clear();
                await TryRollbackAsync(transaction);
                throw new JdbcException($"Could not write {chunk.Count} records to table {table} in {_dialect!.Url.Display}: {_dialect.DescribeError(e)}", e);
            }
            catch
            {
                _writers.Clear();
                await TryRollbackAsync(transaction);
                throw;
            }
        }
    }

    public override async ValueTask StopAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    private static async Task TryRollbackAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
        {
            // The connection is gone; the database drops the transaction itself.
        }
    }
}
