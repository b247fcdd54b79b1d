using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;
using Rhei.Formats.Types;
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
    private readonly BoundedCache<string, Statement> _parsed = new(CacheLimit, StringComparer.Ordinal);
    private readonly BoundedCache<(DataSource Source, string Select, bool Pull), SimpleSelect> _selects = new(CacheLimit);
    private readonly BoundedCache<PullPlanKey, PullPlan> _pullPlans = new(CacheLimit);
    private readonly BoundedCache<PullPlanKey, PullTemplate> _pullTemplates = new(CacheLimit);
    private readonly ConcurrentDictionary<string, StoreTable> _storeTables = new(StringComparer.Ordinal);
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
        var config = properties is { Count: > 0 } ? _engine.Config.With(properties) : _engine.Config;
        var cacheable = variables is null or { Count: 0 };
        var planKey = new PullPlanKey(sql, config.GetBool(TableScanEnabled, true), config.GetBool(RangeScanEnabled, true));
        if (cacheable && _pullPlans.TryGetValue(planKey, out var plan))
        {
            // A prepared pull query: valid while its table is the same object (DROP and CREATE make another).
            if (ReferenceEquals(_engine.MetaStore.GetSource(plan.Source.Name), plan.Source))
            {
                return await RunPullAsync(plan, cancellationToken);
            }

            _pullPlans.Remove(planKey);
        }

        if (cacheable && !_pullTemplates.IsEmpty && TryTemplate(sql, planKey, cancellationToken) is { } templated)
        {
            return await templated;
        }

        var statement = Parse(sql, variables);
        if (statement is not Query query)
        {
            throw new NotAQueryException(statement, sql);
        }

        return query.Emit is null
            ? await StartPullAsync(query, sql, config, cacheable ? planKey : null, cancellationToken)
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

            _parsed.Set(sql, statement);
        }

        return statement;
    }

    private DataSource ResolveSource(Query query, string sql)
    {
        var from = query.From.Source;
        return _engine.MetaStore.GetSource(from.Name)
            ?? throw new KsqlStatementException($"{(from.Position.IsKnown ? $"Line: {from.Position.Line}, Col: {from.Position.Column}: " : "")}{from.Name} does not exist.", sql);
    }

    /// <summary>The number of prepared pull queries cached (by SQL text and the properties that change their plan).</summary>
    public int PreparedPullCount => _pullPlans.Count;

    private const string TableScanEnabled = "ksql.query.pull.table.scan.enabled";
    private const string RangeScanEnabled = "ksql.query.pull.range.scan.enabled";

    private async Task<TransientQuery> RunPullAsync(PullPlan plan, CancellationToken cancellationToken, PullKeys? keys = null, string? sql = null)
    {
        var table = await PullTableAsync(plan.Source, cancellationToken);
        return new PullTableQuery("query_" + Interlocked.Increment(ref _nextId), plan.Select, keys ?? plan.Keys, table, plan.Limit, sql ?? plan.Select.StatementText);
    }

    /// <summary>
    /// A lookup of one key that differs from a prepared one only in its literal (<c>WHERE ID = 42</c> after
    /// <c>WHERE ID = 7</c>): the statement is only tokenized, and the prepared plan runs with the new key. Null when
    /// no prepared statement has this shape.
    /// </summary>
    private Task<TransientQuery>? TryTemplate(string sql, PullPlanKey planKey, CancellationToken cancellationToken)
    {
        if (LiteralShape(sql) is not var (shape, literal))
        {
            return null;
        }

        if (!_pullTemplates.TryGetValue(planKey with { Sql = shape }, out var template))
        {
            return null;
        }

        if (!ReferenceEquals(_engine.MetaStore.GetSource(template.Plan.Source.Name), template.Plan.Source))
        {
            _pullTemplates.Remove(planKey with { Sql = shape });
            return null;
        }

        object? value;
        try
        {
            value = PullKeys.ToKeyType(LiteralValue(literal), template.KeyColumn);
        }
        catch (KsqlException)
        {
            return null;
        }

        return RunPullAsync(template.Plan, cancellationToken, PullKeys.Single(new Sql.Execution.GenericKey([value])), sql);
    }

    /// <summary>The statement's text with its only literal cut out (with the literal's kind in its place), and the literal; null when it has none or several.</summary>
    private static (string Shape, SqlToken Literal)? LiteralShape(string sql)
    {
        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlTokenizer.Tokenize(sql);
        }
        catch (SqlParseException)
        {
            return null;
        }

        SqlToken? literal = null;
        foreach (var token in tokens)
        {
            if (token.Kind is SqlTokenKind.Integer or SqlTokenKind.String or SqlTokenKind.Decimal or SqlTokenKind.Double or SqlTokenKind.Variable)
            {
                if (literal is not null || token.Kind is not (SqlTokenKind.Integer or SqlTokenKind.String))
                {
                    return null;
                }

                literal = token;
            }
        }

        return literal is null ? null : (string.Concat(sql.AsSpan(0, literal.Offset), literal.Kind == SqlTokenKind.Integer ? "\0#" : "\0'", sql.AsSpan(literal.End)), literal);
    }

    /// <summary>True for <c>key = literal</c> (either way round, through implicit casts only).</summary>
    private static bool IsKeyEqualsLiteral(BoundExpression? where, SourceRowShape shape)
    {
        static BoundExpression Uncast(BoundExpression e)
        {
            while (e is BoundCast { IsImplicit: true } cast)
            {
                e = cast.Operand;
            }

            return e;
        }

        static bool IsKey(BoundExpression e, SourceRowShape shape) => Uncast(e) is BoundColumn c && c.Column.Index == shape.KeyStart;

        return where is BoundComparison { Operator: ComparisonOperator.Equal } comparison
            && ((IsKey(comparison.Left, shape) && Uncast(comparison.Right) is BoundLiteral)
                || (IsKey(comparison.Right, shape) && Uncast(comparison.Left) is BoundLiteral));
    }

    private static object LiteralValue(SqlToken literal) =>
        literal.Kind == SqlTokenKind.String ? literal.Value
        : int.TryParse(literal.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i
        : long.TryParse(literal.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var l) ? l
        : decimal.Parse(literal.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// After a lookup of one key given by the statement's only literal was prepared: remembers its shape, so that
    /// lookups of other keys skip parsing and binding. Checked by running the conversion on this statement's literal.
    /// </summary>
    private void RememberTemplate(string sql, PullPlanKey planKey, PullPlan plan, SourceRowShape shape)
    {
        if (plan.Limit is not null || !plan.Keys.IsExact || plan.Keys.Keys is not [var key] || shape.KeyCount != 1 || key.Count != 1
            || !IsKeyEqualsLiteral(plan.Select.Where, shape) || LiteralShape(sql) is not var (text, literal))
        {
            return;
        }

        var column = shape.Columns[shape.KeyStart];
        try
        {
            if (!SqlValueComparer.Instance.Equals(PullKeys.ToKeyType(LiteralValue(literal), column), key[0]))
            {
                return;
            }
        }
        catch (Exception e) when (e is KsqlException or FormatException or OverflowException)
        {
            return;
        }

        _pullTemplates.Set(planKey with { Sql = text }, new PullTemplate(plan, column));
    }

    private async Task<TransientQuery> StartPullAsync(Query query, string sql, KsqlConfig config, PullPlanKey? planKey, CancellationToken cancellationToken)
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

        var shape = source.IsTable ? (await PullTableAsync(source, cancellationToken)).Shape : Shape(source, query, config);
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

        var keys = PullKeys.Analyze(where, shape, config.GetBool(TableScanEnabled, true), config.GetBool(RangeScanEnabled, true), sql);
        var plan = new PullPlan(source, select, keys, query.Limit);
        if (planKey is { } cacheKey)
        {

            _pullPlans.Set(cacheKey, plan);
            RememberTemplate(sql, cacheKey, plan, shape);
        }

        return new PullTableQuery(id, select, keys, await PullTableAsync(source, cancellationToken), query.Limit, sql);
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

        _selects.Set(key, select);
        return select;
    }

    /// <summary>The number of tables whose pull queries read a materialization of their topic (a consumer each).</summary>
    public int MaterializedTableCount => _tables.Count;

    /// <summary>
    /// Where pull queries on a table read it: a CTAS table from its query's own store (what the query wrote, held by the
    /// running query); a source table (or a CTAS table whose query has no store here) from a materialization of its topic.
    /// </summary>
    private async ValueTask<PullTable> PullTableAsync(DataSource source, CancellationToken cancellationToken)
    {
        if (_storeTables.TryGetValue(source.Name, out var cached) && ReferenceEquals(cached.Source, source)
            && ReferenceEquals(cached.Query.Handle?.OutputStore, cached.Table.Store) && cached.Table.Store.HoldsEveryKey)
        {
            if (!cached.Table.Store.Restored.IsCompleted)
            {
                await WaitRestoredAsync(source, cached.Table.Store, cancellationToken);
            }

            return cached.Table;
        }

        if (source.IsCreateAsSelect && OutputStoreOf(source) is var (query, store) && await HoldsEveryKeyAsync(source, store, cancellationToken))
        {
            var table = new SinkStoreTable(new SourceRowShape(source, source.Name, _engine.Formats, _engine.Config.GetBool(KsqlConfig.RowPartitionOffsetEnabled, true)), store, _engine.Formats);
            _storeTables[source.Name] = new StoreTable(source, query, table);
            await WaitRestoredAsync(source, store, cancellationToken);
            return table;
        }

        var materialized = await MaterializeAsync(source, cancellationToken);
        await materialized.WaitLoadedAsync(_options.PullCatchUpTimeout, cancellationToken);
        return materialized;
    }

    /// <summary>
    /// Whether a CTAS query's store can answer: only while this node runs every task writing the table (with other
    /// nodes sharing the query, the topic is read instead). A node that has just started its query waits a moment for
    /// its tasks, unless it reads the topic for this table already.
    /// </summary>
    private async ValueTask<bool> HoldsEveryKeyAsync(DataSource source, Streams.State.TopicTableStore store, CancellationToken cancellationToken)
    {
        if (store.HoldsEveryKey)
        {
            return true;
        }

        if (_tables.TryGetValue(source.Name, out var materialized) && ReferenceEquals(materialized.Source, source))
        {
            return false;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < TasksAssignedWait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            if (store.HoldsEveryKey)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly TimeSpan TasksAssignedWait = TimeSpan.FromSeconds(2);

    /// <summary>The running query writing a CTAS table, with its output store, when it has one.</summary>
    private (Metastore.PersistentQuery Query, Streams.State.TopicTableStore Store)? OutputStoreOf(DataSource source)
    {
        foreach (var id in _engine.MetaStore.QueriesWriting(source.Name))
        {
            if (_engine.MetaStore.GetQuery(id) is { Handle.OutputStore: { } store } query && store.Topic == source.KafkaTopicName)
            {
                return (query, store);
            }
        }

        return null;
    }

    /// <summary>A CTAS table's store loads what its sink topic held when the query started; the first pull queries wait for it.</summary>
    private async Task WaitRestoredAsync(DataSource source, Streams.State.TopicTableStore store, CancellationToken cancellationToken)
    {
        try
        {
            await store.Restored.WaitAsync(_options.PullCatchUpTimeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new KsqlException($"Table {source.Name} is still restoring its state from topic {source.KafkaTopicName} after {_options.PullCatchUpTimeout.TotalSeconds:0} s; try the pull query again shortly.", e);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new KsqlException($"Table {source.Name} could not restore its state from topic {source.KafkaTopicName}: {e.Message}", e);
        }
    }

    /// <summary>The materialization of a table for pull queries: built on first use; rebuilt when the table was dropped and created again.</summary>
    private async ValueTask<TableMaterialization> MaterializeAsync(DataSource source, CancellationToken cancellationToken)
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

    private sealed record StoreTable(DataSource Source, Metastore.PersistentQuery Query, SinkStoreTable Table);

    private readonly record struct PullPlanKey(string Sql, bool TableScan, bool RangeScan);

    /// <summary>A prepared pull query on a table: everything but the read, bound once per SQL text.</summary>
    private sealed record PullPlan(DataSource Source, SimpleSelect Select, PullKeys Keys, int? Limit);

    /// <summary>A prepared lookup of one key whose value is the statement's only literal.</summary>
    private sealed record PullTemplate(PullPlan Plan, ScopeColumn KeyColumn);
}

/// <summary>Settings of a <see cref="QueryService"/>.</summary>
public sealed record QueryServiceOptions
{
    /// <summary>How long the first pull queries on a source table wait for its materialization to read what its topic held.</summary>
    public TimeSpan PullCatchUpTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>A statement sent to be run as a query that is not a SELECT.</summary>
public sealed class NotAQueryException(Statement statement, string statementText)
    : KsqlStatementException($"Statement type `{statement.GetType().Name}' not supported for this resource", statementText)
{
    public Statement Statement { get; } = statement;
}
