using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;

namespace Rhei.Engine.Queries;

/// <summary>
/// Runs the queries clients send (SELECT, as opposed to the persistent queries of CREATE ... AS SELECT): pull queries
/// answered from the current state of a table or a bounded read of a stream, and push queries (EMIT CHANGES) that
/// stream changes until closed or their LIMIT. One per engine; thread-safe. Push queries stay listed
/// (<see cref="Running"/>, for <c>/close-query</c>) until disposed.
/// </summary>
public sealed class QueryService : IAsyncDisposable
{
    private const int CacheLimit = 4096;

    private readonly RheiEngine _engine;
    private readonly QueryServiceOptions _options;
    private readonly ILogger _logger;
    private readonly ExpressionBinder _binder;
    private readonly ConcurrentDictionary<string, TransientQuery> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Materialized> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Statement> _parsed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(DataSource Source, string Select, bool Pull), SimpleSelect> _selects = new();
    private readonly SemaphoreSlim _tableGate = new(1, 1);
    private readonly Lazy<SourceFanOuts> _fanOuts;
    private long _nextId;
    private int _disposed;

    public QueryService(RheiEngine engine, QueryServiceOptions? options = null)
    {
        _engine = engine;
        _options = options ?? new QueryServiceOptions();
        _logger = engine.Options.LoggerFactory.CreateLogger("Rhei.Engine.Queries");
        _binder = new ExpressionBinder(engine.Functions, name => engine.MetaStore.GetType(name));
        _nextId = engine.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        _fanOuts = new Lazy<SourceFanOuts>(() => new SourceFanOuts(Clients, _logger));
    }

    /// <summary>The number of sources read by shared readers for push queries now (each read once, however many queries).</summary>
    public int SharedReaderCount => _fanOuts.IsValueCreated ? _fanOuts.Value.Count : 0;

    /// <summary>The push queries running now.</summary>
    public IReadOnlyCollection<TransientQuery> Running => [.. _running.Values];

    private IClientFactory Clients => _engine.Options.ClientFactory
        ?? throw new KsqlException("This engine has no client factory, so it cannot read topics for queries; give RheiEngineOptions a ClientFactory.");

    /// <summary>True when <paramref name="sql"/> parses as one SELECT (the other statements go to the engine).</summary>
    public static bool IsQuery(Statement statement) => statement is Query;

    /// <summary>
    /// Parses, checks and starts a query. Errors are <see cref="KsqlStatementException"/>s with ksqlDB's messages
    /// (<see cref="NotAQueryException"/> when the statement is not a SELECT).
    /// </summary>
    public async Task<TransientQuery> StartAsync(
        string sql, IReadOnlyDictionary<string, string>? properties = null, IReadOnlyDictionary<string, string>? variables = null,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var statement = Parse(sql, variables);
        if (statement is not Query query)
        {
            throw new NotAQueryException(statement, sql);
        }

        var config = properties is { Count: > 0 } ? _engine.Config.With(properties) : _engine.Config;
        return query.Emit is null
            ? await StartPullAsync(query, sql, config, cancellationToken)
            : await StartPushAsync(query, sql, config, cancellationToken);
    }

    /// <summary>The running push query with this id, if any.</summary>
    public bool TryGet(string queryId, out TransientQuery query) => _running.TryGetValue(queryId, out query!);

    /// <summary>Closes a push query; false when there is none with that id.</summary>
    public async Task<bool> CloseAsync(string queryId)
    {
        if (!_running.TryRemove(queryId, out var query))
        {
            return false;
        }

        await query.DisposeAsync();
        return true;
    }

    private Statement Parse(string sql, IReadOnlyDictionary<string, string>? variables)
    {
        var cacheable = variables is null or { Count: 0 };
        if (cacheable && _parsed.TryGetValue(sql, out var cached))
        {
            return cached;
        }

        Statement statement;
        try
        {
            statement = SqlParser.ParseStatement(sql, new SqlParserOptions { Variables = variables });
        }
        catch (SqlParseException e)
        {
            // ksqlDB ends a syntax error's message with the statement it could not parse.
            throw new KsqlStatementException(e.IsSyntaxError ? $"{e.Message}\nStatement: {sql}" : "Failed to prepare statement: " + e.Message, sql, e);
        }

        if (cacheable)
        {
            if (_parsed.Count >= CacheLimit)
            {
                _parsed.Clear();
            }

            _parsed[sql] = statement;
        }

        return statement;
    }

    private DataSource ResolveSource(Query query, string sql)
    {
        var from = query.From.Source;
        return _engine.MetaStore.GetSource(from.Name)
            ?? throw new KsqlStatementException($"{(from.Position.IsKnown ? $"Line: {from.Position.Line}, Col: {from.Position.Column}: " : "")}{from.Name} does not exist.", sql);
    }

    private async Task<TransientQuery> StartPullAsync(Query query, string sql, KsqlConfig config, CancellationToken cancellationToken)
    {
        var source = query.From.Joins.IsEmpty ? ResolveSource(query, sql) : _engine.MetaStore.GetSource(query.From.Source.Name);
        var streamSuffix = source is { IsTable: false } ? " See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query." : "";
        if (!query.From.Joins.IsEmpty)
        {
            throw new KsqlStatementException("Pull queries don't support JOIN clauses." + (streamSuffix.Length > 0 ? streamSuffix : ""), sql);
        }

        if (query.Window is not null)
        {
            throw new KsqlStatementException("Pull queries don't support WINDOW clauses." + streamSuffix, sql);
        }

        if (query.GroupBy is not null)
        {
            throw new KsqlStatementException("Pull queries don't support GROUP BY clauses" + (streamSuffix.Length > 0 ? "." + streamSuffix : ""), sql);
        }

        if (query.PartitionBy is not null)
        {
            throw new KsqlStatementException("Pull queries don't support PARTITION BY clauses" + (streamSuffix.Length > 0 ? "." + streamSuffix : ""), sql);
        }

        if (query.Having is not null)
        {
            throw new KsqlStatementException("Pull queries don't support HAVING clauses" + (streamSuffix.Length > 0 ? "." + streamSuffix : ""), sql);
        }

        if (query.Limit is < 0)
        {
            throw new KsqlStatementException("Pull queries don't support negative integers in the LIMIT clause. See https://cnfl.io/queries for more info.", sql);
        }

        if (!SimpleSelect.Applies(query, _engine.Functions))
        {
            throw new KsqlStatementException("Pull queries don't support aggregate or table functions in the SELECT clause." + streamSuffix, sql);
        }

        source ??= ResolveSource(query, sql);
        if (source.IsTable && !source.IsCreateAsSelect && !source.IsSource)
        {
            // ksqlDB checks the SELECT list first (duplicate or unknown columns), then that the table is queryable.
            Select(query, Shape(source, query, config), sql, pull: true);
            throw new KsqlStatementException(
                $"The `{source.Name}` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_{source.Name} AS SELECT * FROM {source.Name}'. See https://cnfl.io/queries for more info.",
                sql);
        }

        if (!source.IsTable && !config.GetBool("ksql.query.pull.stream.enabled", true))
        {
            throw new KsqlStatementException("Pull queries on streams are disabled. To create a push query on the stream, add EMIT CHANGES to the end. To enable pull queries on streams, set the ksql.query.pull.stream.enabled config to 'true'.", sql);
        }

        var shape = source.IsTable ? (await MaterializeAsync(source, cancellationToken)).Shape : Shape(source, query, config);
        var select = Select(query, shape, sql, pull: true);
        if (source.IsTable)
        {
            PullKeys.CheckLike(query.Where, shape, config.GetBool("ksql.query.pull.table.scan.enabled", true), sql);
        }

        var where = SimpleSelect.BindWhere(query, shape, _binder, sql);
        CheckPullColumns(select, where, shape, sql);
        select = select.WithWhere(where, sql);
        var id = "query_" + Interlocked.Increment(ref _nextId);
        if (!source.IsTable)
        {
            return new PullStreamQuery(id, select, shape, Clients, query.Limit);
        }

        var keys = PullKeys.Analyze(where, shape, config.GetBool("ksql.query.pull.table.scan.enabled", true), config.GetBool("ksql.query.pull.range.scan.enabled", true), sql);
        var table = await MaterializeAsync(source, cancellationToken);
        await table.CatchUpAsync(_options.PullCatchUpTimeout, cancellationToken);
        return new PullTableQuery(id, select, keys, table, query.Limit);
    }

    private static void CheckPullColumns(SimpleSelect select, BoundExpression? where, SourceRowShape shape, string sql)
    {
        static string[] Disallowed(IEnumerable<BoundExpression> expressions, SourceRowShape shape) =>
            [.. expressions.SelectMany(e => SimpleSelect.ColumnsOf(e))
                .Where(c => shape.RowPartitionIndex >= 0 && (c.Index == shape.RowPartitionIndex || c.Index == shape.RowPartitionIndex + 1))
                .Select(c => c.Name).Distinct()];

        var inSelect = Disallowed(select.Expressions, shape);
        if (inSelect.Length > 0)
        {
            throw new KsqlStatementException($"Pull queries don't support the following columns in SELECT clauses: {string.Join(", ", inSelect.Select(n => $"`{n}`"))}", sql);
        }

        var inWhere = where is null ? [] : Disallowed([where], shape);
        if (inWhere.Length > 0)
        {
            throw new KsqlStatementException($"Pull queries don't support the following columns in WHERE clauses: {string.Join(", ", inWhere.Select(n => $"`{n}`"))}", sql);
        }
    }

    private async Task<TransientQuery> StartPushAsync(Query query, string sql, KsqlConfig config, CancellationToken cancellationToken)
    {
        var fromBeginning = string.Equals(
            config.GetString("auto.offset.reset") ?? config.GetString(KsqlConfig.StreamsPrefix + "auto.offset.reset") ?? "latest",
            "earliest", StringComparison.OrdinalIgnoreCase);
        TransientQuery started;
        if (SimpleSelect.Applies(query, _engine.Functions))
        {
            var source = ResolveSource(query, sql);
            var shape = Shape(source, query, config);
            var select = Select(query, shape, sql, pull: false).WithWhere(SimpleSelect.BindWhere(query, shape, _binder, sql), sql);
            var id = TransientId(source.Name);
            if (fromBeginning)
            {
                var push = new PushSourceQuery(id, select, shape, Clients, fromBeginning, query.Limit);
                await push.StartAsync(cancellationToken);
                started = push;
            }
            else
            {
                started = await _fanOuts.Value.SubscribeAsync(id, select, shape, query.Limit, cancellationToken);
            }
        }
        else
        {
            started = await PushStreamsQuery.StartAsync(_engine, Clients, query, sql, config, TransientId(query.From.Source.Name), fromBeginning, cancellationToken);
        }

        if (query.Limit == 0)
        {
            await started.DisposeAsync();
            return new LimitZeroQuery(started);
        }

        _running[started.QueryId] = started;
        started.Disposed += q => _running.TryRemove(q.QueryId, out _);
        return started;
    }

    private string TransientId(string source) =>
        $"transient_{source}_{Interlocked.Increment(ref _nextId)}";

    private SourceRowShape Shape(DataSource source, Query query, KsqlConfig config) =>
        new(source, query.From.Source.EffectiveName, _engine.Formats, config.GetBool(KsqlConfig.RowPartitionOffsetEnabled, true));

    private SimpleSelect Select(Query query, SourceRowShape shape, string sql, bool pull)
    {
        var key = (shape.Source, string.Join(", ", query.Select.Select(s => s.ToSql())) + "|" + shape.Alias, pull);
        if (_selects.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var select = SimpleSelect.Bind(query with { Where = null }, shape, _binder, sql, markKeys: pull);
        if (_selects.Count >= CacheLimit)
        {
            _selects.Clear();
        }

        _selects[key] = select;
        return select;
    }

    /// <summary>The materialization of a table for pull queries: built on first use; rebuilt when the table was dropped and created again.</summary>
    private async Task<TableMaterialization> MaterializeAsync(DataSource source, CancellationToken cancellationToken)
    {
        if (_tables.TryGetValue(source.Name, out var existing) && ReferenceEquals(existing.Source, source))
        {
            return existing.Table;
        }

        await _tableGate.WaitAsync(cancellationToken);
        try
        {
            if (_tables.TryGetValue(source.Name, out existing))
            {
                if (ReferenceEquals(existing.Source, source))
                {
                    return existing.Table;
                }

                _tables.TryRemove(source.Name, out _);
                await existing.Table.DisposeAsync();
            }

            var shape = new SourceRowShape(source, source.Name, _engine.Formats, _engine.Config.GetBool(KsqlConfig.RowPartitionOffsetEnabled, true));
            var table = new TableMaterialization(shape, Clients, _logger);
            await table.StartAsync(cancellationToken);
            _tables[source.Name] = new Materialized(source, table);
            await DropStaleAsync();
            return table;
        }
        finally
        {
            _tableGate.Release();
        }
    }

    /// <summary>Stops reading tables that no longer exist.</summary>
    private async Task DropStaleAsync()
    {
        foreach (var (name, materialized) in _tables)
        {
            if (!ReferenceEquals(_engine.MetaStore.GetSource(name), materialized.Source) && _tables.TryRemove(name, out _))
            {
                await materialized.Table.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var query in _running.Values)
        {
            await query.DisposeAsync();
        }

        foreach (var (_, materialized) in _tables)
        {
            await materialized.Table.DisposeAsync();
        }

        _tables.Clear();
        _tableGate.Dispose();
        if (_fanOuts.IsValueCreated)
        {
            await _fanOuts.Value.DisposeAsync();
        }
    }

    private sealed record Materialized(DataSource Source, TableMaterialization Table);
}

/// <summary>Settings of a <see cref="QueryService"/>.</summary>
public sealed record QueryServiceOptions
{
    /// <summary>How long a pull query waits for a table's materialization to read what its topic holds.</summary>
    public TimeSpan PullCatchUpTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>A statement sent to be run as a query that is not a SELECT.</summary>
public sealed class NotAQueryException(Statement statement, string statementText)
    : KsqlStatementException($"Statement type `{statement.GetType().Name}' not supported for this resource", statementText)
{
    public Statement Statement { get; } = statement;
}
