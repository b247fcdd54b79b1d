using Rhei.Connect.Plugins;
using Rhei.Connect.Runtime;
using Rhei.Engine;
using Rhei.Formats.Types;
using Rhei.Server.Rest.Entities;
using Rhei.Sql.Parsing;
using E = Rhei.Engine.Entities;

namespace Rhei.Server.Rest;

/// <summary>
/// The engine's statement results as ksqlDB's REST entities: the same data, in the shapes and names ksqlDB's clients
/// read (<c>@type</c>, nested <c>commandStatus</c>, field schemas as objects, queries as objects rather than ids).
/// </summary>
internal sealed class EntityMapper(RheiEngine engine)
{
    public KsqlEntity Map(E.StatementResult result)
    {
        KsqlEntity entity = result switch
        {
            E.CommandStatusEntity c => new CommandStatusEntity
            {
                CommandId = c.CommandId,
                CommandStatus = new CommandStatus(StatusName(c.Status), c.Message, c.QueryId),
                CommandSequenceNumber = c.CommandSequenceNumber,
            },
            E.StreamsListEntity s => new StreamsList { Streams = [.. s.Streams.Select(Source)] },
            E.TablesListEntity t => new TablesList { Tables = [.. t.Tables.Select(Source)] },
            E.QueriesEntity q => new QueriesList { Queries = [.. q.Queries.Select(Query)] },
            E.SourceDescriptionEntity d => new SourceDescriptionEntity { SourceDescription = Describe(d.SourceDescription) },
            E.SourceDescriptionList l => new SourceDescriptionList { SourceDescriptions = [.. l.SourceDescriptions.Select(Describe)] },
            E.FunctionNameListEntity f => new FunctionNameList
            {
                Functions = [.. f.Functions.Select(x => new SimpleFunctionInfo(x.Name, x.Type, x.Category))],
            },
            E.FunctionDescriptionEntity f => new FunctionDescriptionList
            {
                Name = f.Name,
                Description = f.Description,
                Type = f.Type,
                Functions = [.. f.Functions.Select(v => new FunctionInfo(
                    [.. v.Arguments.Select(Argument)], v.ReturnType, v.Description))],
            },
            E.PropertiesListEntity p => new PropertiesList
            {
                Properties = [.. p.Properties.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => new PropertyInfo(x.Key, Scope(x.Key), x.Value))],
                OverwrittenProperties = p.OverwrittenProperties,
            },
            E.TypeListEntity t => new TypeList { Types = t.Types.ToDictionary(x => x.Key, x => Schema(x.Value)) },
            E.KafkaTopicsListEntity k => new KafkaTopicsList
            {
                Topics = [.. k.Topics.Select(x => new KafkaTopicInfo(x.Name, [.. Enumerable.Repeat(x.Replicas, x.Partitions)]))],
            },
            E.VariablesListEntity v => new VariablesList { Variables = [.. v.Variables.Select(x => new VariableInfo(x.Key, x.Value))] },
            E.QueryDescriptionEntity q => new QueryDescriptionEntity { QueryDescription = Explain(q.QueryDescription) },
            E.ConnectorInfoEntity c => new CreateConnectorEntity
            {
                Info = new ConnectorInfoBody(c.Name, c.Config, [.. Enumerable.Range(0, c.Tasks).Select(i => new ConnectorTaskId(c.Name, i))], KindName(c.Kind)),
            },
            E.DropConnectorEntity d => new DropConnectorEntity { ConnectorName = d.ConnectorName },
            E.ConnectorListEntity l => new ConnectorList
            {
                Connectors = [.. l.Connectors.Select(c => new SimpleConnectorInfo(c.Name, KindName(c.Kind), c.ClassName, c.Summary))],
            },
            E.ConnectorDescriptionEntity d => new ConnectorDescription
            {
                ConnectorClass = d.Status.ClassName,
                Status = new ConnectorStatusBody(
                    d.Status.Name,
                    new ConnectorStateBody(d.Status.State.ToDisplay(), d.Status.WorkerId, Trace(d.Status.Error, d.Status.Trace)),
                    [.. d.Status.Tasks.Select(t => new ConnectorStateBody(t.State.ToDisplay(), t.WorkerId, Trace(t.Error, t.Trace)) { Id = t.Id })],
                    KindName(d.Status.Kind)),
                Sources = [.. d.Sources.Select(Describe)],
                Topics = d.Topics,
            },
            E.ConnectorPluginsListEntity p => new ConnectorPluginsList
            {
                ConnectorPlugins = [.. p.Plugins.Select(x => new SimpleConnectorPluginInfo(x.ClassName, KindName(x.Kind), x.Version))],
            },
            E.WarningResult w => new WarningEntity { Message = w.Message },
            _ => new WarningEntity { Message = $"Rhei has no REST form for a {result.TypeName} result yet." },
        };
        return entity with
        {
            StatementText = result.StatementText,
            Warnings = [.. result.Warnings.Select(w => new KsqlWarning(w))],
        };
    }

    private static string KindName(ConnectorKind kind) => kind == ConnectorKind.Sink ? "sink" : "source";

    /// <summary>Kafka Connect's <c>trace</c>: the error message, then the trace summary.</summary>
    private static string? Trace(string? error, string? trace) =>
        error is null ? trace : trace is null || trace.StartsWith(error, StringComparison.Ordinal) ? error : error + "\n" + trace;

    private static string StatusName(E.CommandStatus status) => status.ToString().ToUpperInvariant();

    private static SourceInfo Source(E.SourceInfo s) => new(s.Type, s.Name, s.Topic, s.KeyFormat, s.ValueFormat, s.IsWindowed);

    private static RunningQuery Query(E.RunningQueryInfo q) => new()
    {
        QueryString = q.QueryString,
        Sinks = q.Sinks,
        SinkKafkaTopics = q.SinkTopics,
        Id = q.Id,
        StatusCount = new Dictionary<string, int> { [q.State] = 1 },
        QueryType = q.QueryType,
        State = q.State,
    };

    private RunningQuery QueryById(string id)
    {
        var query = engine.MetaStore.GetQuery(id);
        if (query is null)
        {
            return new RunningQuery { Id = id };
        }

        var state = query.State.ToString().ToUpperInvariant();
        var sink = engine.MetaStore.GetSource(query.Sink);
        return new RunningQuery
        {
            Id = id,
            QueryString = query.StatementText,
            Sinks = [query.Sink],
            SinkKafkaTopics = sink is null ? [] : [sink.Topic.Name],
            StatusCount = new Dictionary<string, int> { [state] = 1 },
            State = state,
        };
    }

    private SourceDescription Describe(E.SourceDescription d) => new()
    {
        Name = d.Name,
        WindowType = d.WindowType,
        ReadQueries = [.. d.ReadQueries.Select(QueryById)],
        WriteQueries = [.. d.WriteQueries.Select(QueryById)],
        Fields = [.. d.Fields.Select(Field)],
        Type = d.Type,
        Timestamp = d.Timestamp,
        Extended = d.Extended,
        KeyFormat = d.KeyFormat,
        ValueFormat = d.ValueFormat,
        Topic = d.Topic,
        Partitions = d.Partitions,
        Replication = d.Replication,
        Statement = d.Statement,
    };

    private static QueryDescription Explain(E.QueryDescription q) => new()
    {
        Id = q.Id,
        StatementText = q.StatementText,
        Fields = [.. q.Fields.Select(Field)],
        Sources = q.Sources,
        Sinks = q.Sinks,
        Topology = q.Topology,
        ExecutionPlan = q.ExecutionPlan,
        State = q.State,
    };

    private static FieldInfo Field(E.FieldInfo f) => new(f.Name, Schema(f.Type))
    {
        Type = f.HeaderKey is not null ? "HEADER" : f.IsKey ? "KEY" : null,
        HeaderKey = f.HeaderKey,
    };

    private static ArgumentInfo Argument(string argument)
    {
        // "NAME TYPE" or just "TYPE"; a trailing "..." marks a variadic parameter.
        var variadic = argument.EndsWith("...", StringComparison.Ordinal);
        var text = variadic ? argument[..^3] : argument;
        return new ArgumentInfo("", text, "", variadic);
    }

    /// <summary>The REST schema object of a type written in SQL (<c>ARRAY&lt;STRUCT&lt;`A` INTEGER&gt;&gt;</c>).</summary>
    public static SchemaInfo Schema(string sqlType)
    {
        SqlType type;
        try
        {
            type = SqlParser.ParseType(sqlType).ToSqlType(_ => null);
        }
        catch (Exception e) when (e is SqlParseException or KeyNotFoundException or ArgumentException)
        {
            return new SchemaInfo(sqlType);
        }

        return Schema(type);
    }

    public static SchemaInfo Schema(SqlType type) => type switch
    {
        SqlArrayType a => new SchemaInfo("ARRAY", null, Schema(a.ElementType)),
        SqlMapType m => new SchemaInfo("MAP", null, Schema(m.ValueType)),
        SqlStructType s => new SchemaInfo("STRUCT", [.. s.Fields.Select(f => new FieldInfo(f.Name, Schema(f.Type)))]),
        SqlDecimalType d => new SchemaInfo("DECIMAL")
        {
            Parameters = new Dictionary<string, int> { ["precision"] = d.Precision, ["scale"] = d.Scale },
        },
        _ => new SchemaInfo(type.BaseType switch
        {
            SqlBaseType.Integer => "INTEGER",
            SqlBaseType.BigInt => "BIGINT",
            _ => type.BaseType.ToString().ToUpperInvariant(),
        }),
    };

    private static string Scope(string property) =>
        property.StartsWith("ksql.streams.", StringComparison.Ordinal) ? "KAFKA_STREAMS"
        : property.StartsWith("ksql.", StringComparison.Ordinal) ? "KSQL"
        : "KAFKA_STREAMS";
}
