using Rhei.Engine.Entities;
using Rhei.Engine.Metastore;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;

namespace Rhei.Engine.Execution;

/// <summary>Executes one parsed statement against the engine's metastore, topics and runtime.</summary>
internal sealed class StatementExecutor(RheiEngine engine)
{
    private readonly QueryExecutor _queries = new(engine);

    /// <summary>The command being run (its sequence number, query id, and whether it is replayed), null for other statements.</summary>
    public CommandContext? Command { get; set; }

    /// <summary>The sequence number of the last command run (-1 before any): what statements that are not commands report.</summary>
    public long LastSequence { get; set; } = -1;

    /// <summary>True while the command topic is replayed: Kafka side effects already happened and are not repeated.</summary>
    public bool Replaying => Command?.Replaying == true;

    /// <summary>True for a replayed command or one another node ran: topics are not created or deleted again.</summary>
    public bool SideEffectsDone => Command?.SideEffectsDone == true;

    /// <summary>
    /// Whether <paramref name="statement"/> changes the metastore, so it goes to the command topic before it runs
    /// (DDL, persistent queries, query lifecycle, connectors). Queries, listings, SET/DEFINE and INSERT VALUES do not.
    /// </summary>
    public static bool IsCommand(Statement statement) => statement is CreateSource or CreateAsSelect or InsertInto or DropSource
        or Rhei.Sql.Ast.CreateType or Rhei.Sql.Ast.DropType or Rhei.Sql.Ast.AlterSource or TerminateQuery or PauseQuery or ResumeQuery or CreateConnector or DropConnector;

    /// <summary>The id the persistent query <paramref name="statement"/> would start gets (null when it starts none).</summary>
    public string? NextQueryId(Statement statement) => _queries.NextQueryId(statement);

    /// <summary>Starts a query whose start was deferred while replaying.</summary>
    public Task StartDeferredAsync(PersistentQuery query, CancellationToken ct) => QueryExecutor.StartDeferredAsync(query, ct);

    private Connect.ConnectorStatements? _connectors;

    private MetaStore Store => engine.MetaStore;

    public async Task<StatementResult> ExecuteAsync(ParsedStatement parsed, RheiSession session, CancellationToken ct)
    {
        var text = parsed.Text;
        var config = engine.Config.With(session.Properties);
        switch (parsed.Statement)
        {
            case CreateSource create:
                return await CreateSourceAsync(create, text, config, ct);
            case CreateAsSelect cas:
                return await _queries.CreateAsSelectAsync(this, cas, text, config, ct);
            case InsertInto insert:
                return await _queries.InsertIntoAsync(this, insert, text, config, ct);
            case InsertValues values:
                return await _queries.InsertValuesAsync(this, values, text, config, ct);
            case DropSource drop:
                return await DropSourceAsync(drop, text, ct);
            case CreateType createType:
                return CreateType(createType, text);
            case DropType dropType:
                return DropType(dropType, text);
            case AlterSource alter:
                return AlterSource(alter, text);
            case SetProperty set:
                session.Properties[set.Name] = set.Value;
                return Status(text, "property", set.Name, $"Successfully set property {set.Name} to {set.Value}");
            case UnsetProperty unset:
                session.Properties.Remove(unset.Name);
                return Status(text, "property", unset.Name, $"Successfully unset property {unset.Name}");
            case AlterSystemProperty:
                throw new KsqlException("ALTER SYSTEM is not supported by this server.");
            case DefineVariable define:
                return Status(text, "variable", define.Name, $"Variable {define.Name} defined");
            case UndefineVariable undefine:
                return Status(text, "variable", undefine.Name, $"Variable {undefine.Name} undefined");
            case TerminateQuery terminate:
                return await TerminateAsync(terminate, text, ct);
            case PauseQuery pause:
                return await PauseResumeAsync(pause.QueryId, pause: true, text, ct);
            case ResumeQuery resume:
                return await PauseResumeAsync(resume.QueryId, pause: false, text, ct);
            case ListStreams:
                return new StreamsListEntity(text, [.. Store.Sources.Where(s => !s.IsTable).Select(Info)]);
            case ListTables:
                return new TablesListEntity(text, [.. Store.Sources.Where(s => s.IsTable).Select(Info)]);
            case ListQueries:
                return new QueriesEntity(text, [.. Store.Queries.Select(QueryInfo)]);
            case ListFunctions:
                return new FunctionNameListEntity(text, [.. engine.Functions.Functions.Select(f => new SimpleFunctionInfo(f.Name, f.TypeText, f.Category))]);
            case ListTypes:
                return new TypeListEntity(text, Store.Types.ToDictionary(t => t.Key, t => t.Value.ToString()));
            case ListProperties:
                return new PropertiesListEntity(text, config.Values, [.. session.Properties.Keys]);
            case ListVariables:
                return new VariablesListEntity(text, new Dictionary<string, string>(session.Variables));
            case ListTopics listTopics:
                {
                    var topics = new List<KafkaTopicInfo>();
                    foreach (var name in await engine.Topics.ListAsync(ct))
                    {
                        // The command topic is internal: SHOW ALL TOPICS lists it, SHOW TOPICS does not (as ksqlDB's).
                        if (!listTopics.All && name == engine.CommandTopicName)
                        {
                            continue;
                        }

                        var d = await engine.Topics.DescribeAsync(name, ct);
                        topics.Add(new KafkaTopicInfo(name, d?.Partitions ?? 0, d?.ReplicationFactor ?? 0));
                    }

                    return new KafkaTopicsListEntity(text, topics);
                }

            case DescribeSource describe:
                return await DescribeAsync(describe, text, ct);
            case DescribeStreams describeAll:
                {
                    var list = new List<SourceDescription>();
                    foreach (var s in Store.Sources)
                    {
                        list.Add(await DescribeSourceAsync(s, describeAll.Extended, ct));
                    }

                    return new SourceDescriptionList(text, list);
                }

            case DescribeFunction function:
                return DescribeFunction(function, text);
            case Explain explain:
                return _queries.Explain(explain, text, config);
            case CreateConnector or DropConnector or ListConnectors or DescribeConnector or ListConnectorPlugins:
                return (await (_connectors ??= new(engine, DescribeSourceAsync)).TryExecuteAsync(parsed.Statement, text, ct))!;
            default:
                throw new KsqlException($"Statement type {parsed.Statement.GetType().Name} is not supported: {text}");
        }
    }

    public Task<PushQuery> StartPushQueryAsync(string sql, KsqlConfig config, CancellationToken ct) => _queries.StartPushQueryAsync(sql, config, ct);

    internal CommandStatusEntity Status(string text, string entity, string name, string message, string action = "create", string? queryId = null) =>
        new(text, $"{entity}/{name}/{action}", CommandStatus.Success, message, Command?.Sequence ?? LastSequence) { QueryId = queryId };

    private async Task<StatementResult> CreateSourceAsync(CreateSource create, string text, KsqlConfig config, CancellationToken ct)
    {
        var kind = create.SourceType == SourceType.Table ? "table" : "stream";
        var existing = Store.GetSource(create.Name);
        if (create.OrReplace && create.IsSource)
        {
            throw new KsqlException($"Cannot add {kind} '{create.Name}': CREATE OR REPLACE is not supported on source {kind}s.");
        }

        if (existing is not null)
        {
            if (create.IfNotExists)
            {
                return Status(text, kind, create.Name, $"Cannot add {kind} {create.Name}: A {existing.TypeName} with the same name already exists.");
            }

            if (!create.OrReplace)
            {
                throw new KsqlException($"Cannot add {kind} '{create.Name}': A {existing.TypeName} with the same name already exists");
            }

            if (existing.IsSource)
            {
                throw new KsqlException($"Cannot add {kind} '{create.Name}': CREATE OR REPLACE is not supported on source {kind}s.");
            }

            if (existing.Type != create.SourceType)
            {
                throw new KsqlException($"Cannot add {kind} '{create.Name}': A {existing.TypeName} with the same name already exists");
            }
        }

        var props = WithProperties.From(create.Properties, createAs: false);
        var (inferredKey, inferredValue) = await SchemaRegistration.InferAsync(create, props, config, engine.Formats, ct);
        var source = SourceFactory.Create(create, text, config, engine.Formats, Store, inferredKey, inferredValue);
        if (!SideEffectsDone)
        {
            // On replay the topic was checked (or created) when the command first ran; if it is gone now, it was
            // deleted since, and creating it again would bring back a topic a later DROP ... DELETE TOPIC removed.
            await EnsureTopicAsync(source.KafkaTopicName, props.GetInt(WithProperties.Partitions), (short?)props.GetInt(WithProperties.Replicas), create.SourceType, create.Name, ct);
        }

        if (inferredKey is null && inferredValue is null)
        {
            await SchemaRegistration.RegisterAsync(source, engine.Formats, onlyIfAbsent: true, ct);
        }

        Store.PutSource(source);
        return Status(text, kind, create.Name, create.SourceType == SourceType.Table ? "Table created" : "Stream created");
    }

    /// <summary>The topic must exist, unless PARTITIONS is given, in which case it is created.</summary>
    internal async Task EnsureTopicAsync(string topic, int? partitions, short? replicas, SourceType type, string sourceName, CancellationToken ct)
    {
        var existing = await engine.Topics.DescribeAsync(topic, ct);
        if (existing is not null)
        {
            if (partitions is { } p && p != existing.Partitions)
            {
                throw new KsqlException($"A Kafka topic with the name '{topic}' already exists, with different partition/replica configuration than required. KSQL expects {p} partitions (topic has {existing.Partitions}), and {replicas ?? existing.ReplicationFactor} replication factor (topic has {existing.ReplicationFactor}).");
            }

            return;
        }

        if (partitions is null)
        {
            var kind = type == SourceType.Table ? "TABLE" : "STREAM";
            throw new KsqlException($"Topic '{topic}' does not exist. If you want to create a new topic for the {kind.ToLowerInvariant()} please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and, optionally, 'REPLICAS'). For example: CREATE {kind} {sourceName} (...) WITH (KAFKA_TOPIC='{topic}', PARTITIONS=2, ...);");
        }

        await engine.Topics.CreateAsync(topic, partitions.Value, replicas ?? -1, new Dictionary<string, string>(), ct);
    }

    private async Task<StatementResult> DropSourceAsync(DropSource drop, string text, CancellationToken ct)
    {
        var kind = drop.SourceType == SourceType.Table ? "TABLE" : "STREAM";
        var source = Store.GetSource(drop.Name);
        if (source is null)
        {
            if (drop.IfExists)
            {
                return Status(text, kind.ToLowerInvariant(), drop.Name, $"Source `{drop.Name}` does not exist.", "drop");
            }

            throw new KsqlException($"Source {drop.Name} does not exist.");
        }

        if (source.Type != drop.SourceType)
        {
            throw new KsqlException($"Incompatible data source type is {(source.IsTable ? "TABLE" : "STREAM")}, but statement was DROP {kind}");
        }

        if (drop.DeleteTopic && source.IsSource)
        {
            throw new KsqlException($"Cannot delete topic for read-only source: {source.Name}");
        }

        var readers = Store.QueriesReading(source.Name);
        var writers = Store.QueriesWriting(source.Name);
        if (readers.Count > 0 || writers.Count > 0)
        {
            throw new KsqlException($"Cannot drop {source.Name}.\nThe following queries read from this source: [{string.Join(", ", readers)}].\nThe following queries write into this source: [{string.Join(", ", writers)}].\nYou need to terminate them before dropping {source.Name}.");
        }

        Store.RemoveSource(source.Name);
        if (drop.DeleteTopic && !SideEffectsDone)
        {
            await engine.Topics.DeleteAsync(source.KafkaTopicName, ct);
        }

        return Status(text, kind.ToLowerInvariant(), source.Name, $"Source `{source.Name}` (topic: {source.KafkaTopicName}) was dropped.", "drop");
    }

    private StatementResult CreateType(CreateType create, string text)
    {
        var type = SourceFactory.ResolveType(create.Type, Store);
        if (Store.GetType(create.Name) is { } existing)
        {
            if (create.IfNotExists)
            {
                return Status(text, "type", create.Name, $"Type '{create.Name}' already exists.");
            }

            throw new KsqlException($"Cannot register custom type '{create.Name}' since it is already registered with type: {existing}");
        }

        Store.PutType(create.Name, type);
        return Status(text, "type", create.Name, $"Registered custom type with name '{create.Name}' and SQL type {type}");
    }

    private StatementResult DropType(DropType drop, string text)
    {
        if (!Store.RemoveType(drop.Name))
        {
            if (drop.IfExists)
            {
                return Status(text, "type", drop.Name, $"Type '{drop.Name}' does not exist.", "drop");
            }

            throw new KsqlException($"Type {drop.Name} does not exist.");
        }

        return Status(text, "type", drop.Name, $"Dropped type '{drop.Name}'", "drop");
    }

    private StatementResult AlterSource(AlterSource alter, string text)
    {
        var kind = alter.SourceType == SourceType.Table ? "table" : "stream";
        var source = Store.GetSource(alter.Name) ?? throw new KsqlException($"Source {alter.Name} does not exist.");
        if (source.Type != alter.SourceType)
        {
            throw new KsqlException($"Incompatible data source type is {source.TypeName.ToUpperInvariant()}, but statement was ALTER {kind.ToUpperInvariant()}");
        }

        if (source.IsSource)
        {
            throw new KsqlException($"Cannot alter {kind} '{alter.Name}': ALTER operations are not supported on source {kind}s.");
        }

        if (source.IsCreateAsSelect)
        {
            throw new KsqlException("ALTER command is not supported for CREATE ... AS statements.");
        }

        var b = LogicalSchema.CreateBuilder();
        foreach (var k in source.Schema.Key)
        {
            b.KeyColumn(k.Name, k.Type);
        }

        foreach (var v in source.Schema.Value)
        {
            b.Add(v.Name, v.Type, v.Namespace, v.HeaderKey);
        }

        foreach (var c in alter.Columns)
        {
            if (b.Contains(c.Name))
            {
                throw new KsqlException($"Cannot add column `{c.Name}` to schema. A column with the same name already exists.");
            }

            b.ValueColumn(c.Name, SourceFactory.ResolveType(c.Type, Store));
        }

        Store.PutSource(source with { Schema = b.Build() });
        return Status(text, kind, alter.Name, $"{(source.IsTable ? "Table" : "Stream")} {alter.Name} altered.", "alter");
    }

    private async Task<StatementResult> TerminateAsync(TerminateQuery terminate, string text, CancellationToken ct)
    {
        var ids = terminate.QueryId is null
            ? Store.Queries.Select(q => q.Id).ToList()
            : [terminate.QueryId];
        foreach (var id in ids)
        {
            var query = Store.GetQuery(id) ?? Store.Queries.FirstOrDefault(q => string.Equals(q.Id, id, StringComparison.OrdinalIgnoreCase))
                ?? throw new KsqlException($"Unknown queryId: {id}");
            if (query.Handle is { } h)
            {
                await h.StopAsync(cleanUp: true, ct);
            }
            else
            {
                // Never started (terminated later in a replayed command topic): only its state directory may be left.
                QueryExecutor.DeleteStateDirectory(engine, query);
            }

            query.DeferredStart = null;
            query.State = QueryState.Terminated;
            Store.RemoveQuery(query.Id);
            foreach (var topic in await engine.Topics.ListAsync(ct))
            {
                if (topic.StartsWith(query.ApplicationId + "-", StringComparison.Ordinal))
                {
                    await engine.Topics.DeleteAsync(topic, ct);
                }
            }
        }

        return Status(text, "query", terminate.QueryId ?? "ALL", "Query terminated.", "terminate");
    }

    private async Task<StatementResult> PauseResumeAsync(string? queryId, bool pause, string text, CancellationToken ct)
    {
        var queries = queryId is null
            ? Store.Queries.ToList()
            : [Store.GetQuery(queryId) ?? throw new KsqlException($"Unknown queryId: {queryId}")];
        foreach (var q in queries)
        {
            if (q.Handle is { } h)
            {
                if (pause)
                {
                    await h.PauseAsync(ct);
                }
                else
                {
                    await h.ResumeAsync(ct);
                }
            }
            else if (!pause && q.DeferredStart is not null && !Replaying)
            {
                // Paused when the command topic was replayed, so never started: RESUME starts it.
                await QueryExecutor.StartDeferredAsync(q, ct);
            }

            q.State = pause ? QueryState.Paused : QueryState.Running;
        }

        return Status(text, "query", queryId ?? "ALL", pause ? "Query paused." : "Query resumed.", pause ? "pause" : "resume");
    }

    private static SourceInfo Info(DataSource s) =>
        new(s.Name, s.KafkaTopicName, s.Topic.KeyFormat.Name, s.Topic.ValueFormat.Name, s.IsWindowed, s.IsTable ? "TABLE" : "STREAM");

    private static RunningQueryInfo QueryInfo(PersistentQuery q) =>
        new(q.Id, q.StatementText, [q.Sink], [q.Plan.Sink.KafkaTopicName], q.State.ToString().ToUpperInvariant(), "PERSISTENT");

    private async Task<StatementResult> DescribeAsync(DescribeSource describe, string text, CancellationToken ct)
    {
        var source = Store.GetSource(describe.Name)
            ?? throw new KsqlException($"Could not find STREAM/TABLE '{describe.Name}' in the Metastore");
        return new SourceDescriptionEntity(text, await DescribeSourceAsync(source, describe.Extended, ct));
    }

    internal async Task<SourceDescription> DescribeSourceAsync(DataSource s, bool extended, CancellationToken ct)
    {
        var topic = extended ? await engine.Topics.DescribeAsync(s.KafkaTopicName, ct) : null;
        return new SourceDescription(
            s.Name,
            s.IsTable ? "TABLE" : "STREAM",
            [.. s.Schema.Columns.Select(c => new FieldInfo(c.Name, c.Type.ToString(), c.IsKey, c.HeaderKey))],
            Store.QueriesReading(s.Name),
            Store.QueriesWriting(s.Name),
            s.Timestamp?.Column ?? "",
            s.Topic.KeyFormat.Name,
            s.Topic.ValueFormat.Name,
            s.KafkaTopicName,
            s.IsWindowed,
            s.Topic.KeyFormat.Window?.Type.ToString().ToUpperInvariant(),
            extended,
            topic?.Partitions ?? 0,
            topic?.ReplicationFactor ?? 0,
            s.SqlText);
    }

    private StatementResult DescribeFunction(DescribeFunction describe, string text)
    {
        if (!engine.Functions.TryGetFunction(describe.Name, out var f))
        {
            throw new KsqlException($"Can't find any functions with the name '{describe.Name}'");
        }

        return new FunctionDescriptionEntity(
            text,
            f.Name,
            f.Description,
            f.TypeText,
            [.. f.Overloads.Select(o => new FunctionVariant([.. o.Parameters.Select(p => p.ToString())], o.Returns.Text, o.Description))]);
    }
}
