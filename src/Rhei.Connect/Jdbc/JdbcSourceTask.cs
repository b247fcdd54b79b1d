using System.Data.Common;
using Rhei.Connect.Config;
using Rhei.Connect.Data;
using Rhei.Connect.Jdbc.Dialects;
using Rhei.Connect.Plugins;

namespace Rhei.Connect.Jdbc;

/// <summary>
/// Polls its tables (or the query), each every <c>poll.interval.ms</c> (at once again when an incremental query
/// returned a full <c>batch.max.rows</c>), over one connection opened at start. Any database error fails the task; the
/// runtime starts it again, which reconnects and resumes from the stored offsets.
/// </summary>
public sealed class JdbcSourceTask : SourceTask
{
    private readonly List<TableQuerier> _queriers = [];
    private JdbcDialect? _dialect;
    private DbConnection? _connection;
    private TimeProvider _time = TimeProvider.System;
    private TimeSpan _pollInterval;

    public override async ValueTask StartAsync(IReadOnlyDictionary<string, string> config, SourceTaskContext context, CancellationToken cancellationToken)
    {
        var parsed = JdbcSourceConfig.Definition.Parse(config).ThrowIfInvalid(context.ConnectorName);
        _time = context.TimeProvider;
        _pollInterval = TimeSpan.FromMilliseconds(parsed.GetInt(JdbcSourceConfig.PollInterval));
        var url = JdbcUrl.Parse(parsed.GetString(JdbcSourceConfig.ConnectionUrl)!, parsed.GetString(JdbcSourceConfig.ConnectionUser), parsed.GetString(JdbcSourceConfig.ConnectionPassword));
        _dialect = JdbcDialect.For(url);
        _connection = await _dialect.OpenAsync(cancellationToken);

        var mode = parsed.GetString(JdbcSourceConfig.Mode)!;
        var prefix = parsed.GetString(JdbcSourceConfig.TopicPrefix) ?? "";
        var incrementing = parsed.GetString(JdbcSourceConfig.IncrementingColumn);
        var timestamps = parsed.GetList(JdbcSourceConfig.TimestampColumn);
        var delay = TimeSpan.FromMilliseconds(parsed.GetLong(JdbcSourceConfig.TimestampDelay));
        var batch = parsed.GetInt(JdbcSourceConfig.BatchMaxRows);
        var validate = parsed.GetBoolean(JdbcSourceConfig.ValidateNonNull);
        var query = parsed.GetString(JdbcSourceConfig.Query);
        var now = _time.GetUtcNow().UtcDateTime;
        long? timestampInitial = parsed.Get(JdbcSourceConfig.TimestampInitial) is long ti ? ti : null;
        var incrementingInitial = parsed.GetLong(JdbcSourceConfig.IncrementingInitial);

        _queriers.Clear();
        if (!string.IsNullOrWhiteSpace(query))
        {
            _queriers.Add(new TableQuerier(_dialect, null, query, prefix, mode, incrementing, timestamps, delay, batch, validate));
        }
        else
        {
            var tables = config.TryGetValue(JdbcSourceConfig.TaskTables, out var t) ? ConfigDef.SplitList(t) : [];
            foreach (var table in tables)
            {
                _queriers.Add(new TableQuerier(_dialect, table, null, prefix + table.Split('.')[^1], mode, incrementing, timestamps, delay, batch, validate));
            }
        }

        foreach (var querier in _queriers)
        {
            querier.Restore(context.Offset(querier.Partition), incrementingInitial, timestampInitial, now);
            await querier.DescribeAsync(_connection, cancellationToken);
            querier.NextPoll = now;
        }
    }

    public override async ValueTask<IReadOnlyList<SourceRecord>> PollAsync(CancellationToken cancellationToken)
    {
        if (_queriers.Count == 0 || _connection is null)
        {
            await Task.Delay(_pollInterval, _time, cancellationToken);
            return [];
        }

        var next = _queriers.MinBy(q => q.NextPoll)!;
        var wait = next.NextPoll - _time.GetUtcNow().UtcDateTime;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }

        await _dialect!.CheckBeforeQueryAsync();
        var records = await next.QueryAsync(_connection, _time, cancellationToken);
        var now = _time.GetUtcNow().UtcDateTime;
        next.NextPoll = next.LastQueryWasFull ? now : now + _pollInterval;
        return records;
    }

    public override async ValueTask StopAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
