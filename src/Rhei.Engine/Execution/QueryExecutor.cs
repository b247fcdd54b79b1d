using Rhei.Engine.Entities;
using Rhei.Engine.Metastore;
using Rhei.Engine.Runtime;
using Rhei.Sql.Ast;
using Rhei.Sql.Execution;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;
using Rhei.Streams;

namespace Rhei.Engine.Execution;

/// <summary>CREATE ... AS SELECT, INSERT INTO ... SELECT, INSERT ... VALUES and EXPLAIN.</summary>
internal sealed class QueryExecutor(RheiEngine engine)
{
    private int _queryCounter;

    public async Task<StatementResult> CreateAsSelectAsync(StatementExecutor executor, CreateAsSelect statement, string text, KsqlConfig config, CancellationToken ct)
    {
        var kind = statement.SourceType == SourceType.Table ? "table" : "stream";
        if (statement.Query.Limit is not null)
        {
            throw new KsqlException($"CREATE {kind.ToUpperInvariant()} AS SELECT statements don't support LIMIT clause.");
        }

        var existing = engine.MetaStore.GetSource(statement.Name);
        if (existing is not null)
        {
            if (statement.IfNotExists)
            {
                return executor.Status(text, kind, statement.Name, $"Cannot add {kind} {statement.Name}: A {existing.TypeName} with the same name already exists.");
            }

            if (!statement.OrReplace)
            {
                throw new KsqlException($"Cannot add {kind} '{statement.Name}': A {existing.TypeName} with the same name already exists");
            }

            if (existing.IsSource)
            {
                throw new KsqlException($"Cannot add {kind} '{statement.Name}': CREATE OR REPLACE is not supported on source {kind}s.");
            }
        }

        var props = WithProperties.From(statement.Properties, createAs: true);
        var target = new QueryTarget(statement.Name, statement.SourceType, props, null);
        var planned = await PlanAsync(statement.Query, target, text, config, ct);
        var sink = planned.Sink;

        // The sink topic: created with the given partitions, else those of the (left-most) source's topic.
        var partitions = planned.Partitions ?? config.GetInt(KsqlConfig.SinkPartitions);
        short? replicas = planned.Replicas ?? (short?)config.GetInt(KsqlConfig.SinkReplicas);
        var first = planned.Sources[0];
        var sourceTopic = await engine.Topics.DescribeAsync(first.KafkaTopicName, ct);
        partitions ??= sourceTopic?.Partitions ?? 1;
        replicas ??= sourceTopic?.ReplicationFactor ?? -1;
        await CheckSinkTopicAsync(sink, partitions.Value, ct);

        var id = TakeQueryId(executor, NextQueryId(statement)!);
        var query = new PersistentQuery(id, text, sink.Name, [.. planned.Sources.Select(s => s.Name)], planned, ApplicationId(config, id));

        // CREATE OR REPLACE: the old query stops and the new one takes its place.
        if (existing is not null)
        {
            foreach (var old in engine.MetaStore.QueriesWriting(existing.Name).Select(engine.MetaStore.GetQuery).OfType<PersistentQuery>().ToList())
            {
                if (old.Handle is { } h)
                {
                    await h.StopAsync(cleanUp: false, ct);
                }

                engine.MetaStore.RemoveQuery(old.Id);
            }
        }

        var topology = BuildTopology(planned, config);
        await SchemaRegistration.RegisterAsync(sink, engine.Formats, onlyIfAbsent: false, ct);
        var sinkPartitions = partitions.Value;
        var sinkReplicas = replicas.Value;
        async Task EnsureSinkTopicAsync(CancellationToken token)
        {
            if (!await engine.Topics.ExistsAsync(sink.KafkaTopicName, token))
            {
                await engine.Topics.CreateAsync(sink.KafkaTopicName, sinkPartitions, sinkReplicas, sink.IsTable ? new Dictionary<string, string> { ["cleanup.policy"] = "compact" } : new Dictionary<string, string>(), token);
            }
        }

        if (!executor.SideEffectsDone)
        {
            await EnsureSinkTopicAsync(ct);
        }

        engine.MetaStore.PutSource(sink);
        engine.MetaStore.AddQuery(query);
        await StartAsync(executor, query, topology, config, EnsureSinkTopicAsync, ct);
        return executor.Status(text, kind, statement.Name, $"Created query with ID {id}", queryId: id);
    }

    public async Task<StatementResult> InsertIntoAsync(StatementExecutor executor, InsertInto statement, string text, KsqlConfig config, CancellationToken ct)
    {
        var sink = engine.MetaStore.GetSource(statement.Target)
            ?? throw new KsqlException($"{(statement.TargetPosition.IsKnown ? $"Line: {statement.TargetPosition.Line}, Col: {statement.TargetPosition.Column}: " : "")}Source `{statement.Target}` does not exist.");
        var props = WithProperties.From(statement.Properties, createAs: true);
        var target = new QueryTarget(sink.Name, sink.Type, props, sink);
        var planned = await PlanAsync(statement.Query, target, text, config, ct);
        var id = TakeQueryId(executor, NextQueryId(statement)!);
        var query = new PersistentQuery(id, text, sink.Name, [.. planned.Sources.Select(s => s.Name)], planned, ApplicationId(config, id));
        var topology = BuildTopology(planned, config);
        engine.MetaStore.AddQuery(query);
        await StartAsync(executor, query, topology, config, null, ct);
        return executor.Status(text, "stream", sink.Name, $"Created query with ID {id}", "insert", id);
    }

    public Task<StatementResult> InsertValuesAsync(StatementExecutor executor, InsertValues statement, string text, KsqlConfig config, CancellationToken ct) =>
        new InsertValuesExecutor(engine).ExecuteAsync(executor, statement, text, config, ct);

    public async Task<PushQuery> StartPushQueryAsync(string sql, KsqlConfig config, CancellationToken ct)
    {
        var statement = SqlParser.ParseStatement(sql);
        if (statement is not Query query)
        {
            throw new KsqlStatementException("Only SELECT statements can run as push queries.", sql);
        }

        if (query.Emit is null)
        {
            throw new KsqlStatementException("Pull queries (SELECT without EMIT CHANGES) are not supported yet; add EMIT CHANGES to run a push query.", sql);
        }

        var id = "transient_" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var target = new QueryTarget(id, SourceType.Stream, WithProperties.Empty, null) { Transient = true };
        PlannedQuery planned;
        try
        {
            planned = await PlanAsync(query, target, sql, config, ct);
        }
        catch (KsqlException e) when (e is not KsqlStatementException)
        {
            throw new KsqlStatementException(e.Message, sql, e);
        }

        var push = new PushQuery(id, planned.Sink.Schema, query.Limit);
        var topology = new TopologyBuilder(engine.Formats, config).Build(planned.Root, (key, window, row) =>
            push.Write(new QueryRow([.. key.Values], row, window?.Start, window?.End)));
        var runtime = engine.Runtime ?? throw new KsqlException("This engine has no query runtime: give RheiEngineOptions a ClientFactory or a Runtime to run queries.");
        var applicationId = $"_confluent-ksql-{config.ServiceIdValue}{id}";
        var options = new StreamsOptions
        {
            ApplicationId = applicationId,
            StateDir = engine.Options.StateDirectory ?? Path.Combine(Path.GetTempPath(), "rhei-state"),
            LoggerFactory = engine.Options.LoggerFactory,
            TimeProvider = engine.Options.TimeProvider,
            ProcessingLogName = "processing." + id,
        };
        push.Attach(await runtime.StartAsync(new QueryStart(id, applicationId, topology, options, topology.SourceTopics, ""), ct));
        return push;
    }

    public StatementResult Explain(Explain statement, string text, KsqlConfig config)
    {
        if (statement.QueryId is { } id)
        {
            var q = engine.MetaStore.GetQuery(id) ?? throw new KsqlException($"Query with id:{id} does not exist, use SHOW QUERIES to view the full set of running queries.");
            return new QueryDescriptionEntity(text, Describe(q.Id, q.StatementText, q.Plan, BuildTopology(q.Plan, config), q.State.ToString().ToUpperInvariant()));
        }

        PlannedQuery planned;
        string statementText;
        switch (statement.Statement)
        {
            case CreateAsSelect cas:
                statementText = cas.ToSql();
                planned = Plan(cas.Query, new QueryTarget(cas.Name, cas.SourceType, WithProperties.From(cas.Properties, true), null), statementText, config);
                break;
            case InsertInto insert:
                {
                    statementText = insert.ToSql();
                    var sink = engine.MetaStore.GetSource(insert.Target) ?? throw new KsqlException($"Source `{insert.Target}` does not exist.");
                    planned = Plan(insert.Query, new QueryTarget(sink.Name, sink.Type, WithProperties.From(insert.Properties, true), sink), statementText, config);
                    break;
                }

            default:
                throw new KsqlException("EXPLAIN is only supported for persistent queries (CREATE ... AS SELECT, INSERT INTO ... SELECT) and query ids.");
        }

        return new QueryDescriptionEntity(text, Describe("", statementText, planned, BuildTopology(planned, config), "UNKNOWN"));
    }

    private static QueryDescription Describe(string id, string statementText, PlannedQuery planned, Topology topology, string state) =>
        new(
            id,
            statementText,
            [.. planned.Sink.Schema.Columns.Select(c => new FieldInfo(c.Name, c.Type.ToString(), c.IsKey))],
            [.. planned.Sources.Select(s => s.Name)],
            [planned.Sink.Name],
            planned.LogicalPlan,
            planned.ExecutionPlan,
            topology.Describe().ToString(),
            state);

    private PlannedQuery Plan(Query query, QueryTarget target, string text, KsqlConfig config, IReadOnlyDictionary<string, int>? partitions = null) =>
        new QueryPlanner(engine.MetaStore, engine.Functions, engine.Formats, config, t => partitions is not null && partitions.TryGetValue(t, out var p) ? p : null)
            .Plan(query, target, text);

    private async Task<PlannedQuery> PlanAsync(Query query, QueryTarget target, string text, KsqlConfig config, CancellationToken ct)
    {
        var partitions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in engine.MetaStore.Sources)
        {
            if (!partitions.ContainsKey(s.KafkaTopicName) && await engine.Topics.DescribeAsync(s.KafkaTopicName, ct) is { } d)
            {
                partitions[s.KafkaTopicName] = d.Partitions;
            }
        }

        return Plan(query, target, text, config, partitions);
    }

    private Topology BuildTopology(PlannedQuery planned, KsqlConfig config) =>
        new TopologyBuilder(engine.Formats, config).Build(planned.Root);

    private async Task CheckSinkTopicAsync(DataSource sink, int partitions, CancellationToken ct)
    {
        var existing = await engine.Topics.DescribeAsync(sink.KafkaTopicName, ct);
        if (existing is not null && existing.Partitions != partitions)
        {
            throw new KsqlException($"A Kafka topic with the name '{sink.KafkaTopicName}' already exists, with different partition/replica configuration than required. KSQL expects {partitions} partitions (topic has {existing.Partitions}), and {existing.ReplicationFactor} replication factor (topic has {existing.ReplicationFactor}).");
        }
    }

    private static string SanitizeId(string name) => new([.. name.Select(c => char.IsLetterOrDigit(c) || c == '_' ? char.ToUpperInvariant(c) : '_')]);

    internal static string ApplicationId(KsqlConfig config, string queryId) => $"_confluent-ksql-{config.ServiceIdValue}query_{queryId}";

    /// <summary>
    /// The id the next query of <paramref name="statement"/> gets (<c>CSAS_OUTPUT_3</c>, <c>CTAS_T_4</c>,
    /// <c>INSERTQUERY_5</c>), or null when the statement starts no query. Recorded in the command before it runs.
    /// </summary>
    public string? NextQueryId(Statement statement) => statement switch
    {
        CreateAsSelect cas => (cas.SourceType == SourceType.Table ? "CTAS_" : "CSAS_") + SanitizeId(cas.Name) + "_" + _queryCounter,
        InsertInto => "INSERTQUERY_" + _queryCounter,
        _ => null,
    };

    /// <summary>The command's recorded query id when there is one (a replay), else <paramref name="generated"/>; later ids count on from it.</summary>
    private string TakeQueryId(StatementExecutor executor, string generated)
    {
        var id = executor.Command?.QueryId ?? generated;
        var underscore = id.LastIndexOf('_');
        _queryCounter = underscore >= 0 && int.TryParse(id.AsSpan(underscore + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? Math.Max(_queryCounter, n + 1)
            : _queryCounter + 1;
        return id;
    }

    /// <summary>Deletes the state directory of a query that has no running instance (TERMINATE of a never-started query).</summary>
    internal static void DeleteStateDirectory(RheiEngine engine, PersistentQuery query)
    {
        var directory = Path.Combine(StateDirectory(engine), query.ApplicationId);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string StateDirectory(RheiEngine engine) => engine.Options.StateDirectory ?? Path.Combine(Path.GetTempPath(), "rhei-state");

    /// <summary>Starts a query whose start was deferred while the command topic was replayed.</summary>
    internal static async Task StartDeferredAsync(PersistentQuery query, CancellationToken ct)
    {
        if (query.DeferredStart is { } start)
        {
            await start(ct);
            query.DeferredStart = null;
        }
    }

    /// <summary>
    /// Starts the query now, or — while the command topic is replayed — records how to start it: the engine starts the
    /// queries still running once every command has been replayed (a query terminated later in the log never starts).
    /// </summary>
    private async Task StartAsync(StatementExecutor executor, PersistentQuery query, Topology topology, KsqlConfig config, Func<CancellationToken, Task>? beforeStart, CancellationToken ct)
    {
        async Task StartNowAsync(CancellationToken token)
        {
            if (beforeStart is not null)
            {
                await beforeStart(token);
            }

            await StartAsync(query, topology, config, token);
        }

        if (executor.Replaying)
        {
            query.DeferredStart = StartNowAsync;
            query.State = QueryState.Running;
            return;
        }

        await StartNowAsync(ct);
    }

    private async Task StartAsync(PersistentQuery query, Topology topology, KsqlConfig config, CancellationToken ct)
    {
        var runtime = engine.Runtime ?? throw new KsqlException("This engine has no query runtime: give RheiEngineOptions a ClientFactory or a Runtime to run persistent queries.");
        var options = new StreamsOptions
        {
            ApplicationId = query.ApplicationId,
            StateDir = StateDirectory(engine),
            LoggerFactory = engine.Options.LoggerFactory,
            TimeProvider = engine.Options.TimeProvider,
            ProcessingLogName = "processing." + query.Id,
            ProcessingErrorHandler = _ => ErrorHandlerResponse.Fail,
            CacheMaxBytesBuffering = config.GetLong(KsqlConfig.StreamsPrefix + "cache.max.bytes.buffering") ?? config.GetLong("cache.max.bytes.buffering") ?? 0,
            CommitIntervalMs = config.GetLong(KsqlConfig.StreamsPrefix + "commit.interval.ms") ?? config.GetLong("commit.interval.ms") ?? 2000,
        };
        var start = new QueryStart(query.Id, query.ApplicationId, topology, options, topology.SourceTopics, query.Plan.Sink.KafkaTopicName) { Sink = query.Plan.Sink };
        query.Handle = await runtime.StartAsync(start, ct);
        query.State = QueryState.Running;
    }
}
