using Microsoft.Extensions.Logging;
using Rhei.Connect.Runtime;
using Rhei.Engine.Entities;
using Rhei.Engine.Execution;
using Rhei.Engine.Metastore;
using Rhei.Engine.Runtime;
using Rhei.Engine.Topics;
using Rhei.Formats.Serde;
using Rhei.Sql.Functions;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;

namespace Rhei.Engine;

/// <summary>
/// The database engine: a metastore of streams, tables, types and persistent queries, and the execution of ksqlDB
/// statements against it. Usable as a library: <see cref="ExecuteAsync"/> runs a script; persistent queries run on
/// <see cref="RheiEngineOptions.Runtime"/>. Statements execute one at a time.
/// </summary>
public sealed class RheiEngine : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StatementExecutor _executor;
    private readonly bool _ownsConnectors;

    public RheiEngine(RheiEngineOptions options)
    {
        Options = options;
        Functions = options.Functions ?? FunctionRegistry.CreateBuiltIn(options.TimeProvider);
        Formats = options.Formats ?? FormatRegistry.CreateDefault();
        var properties = new Dictionary<string, string>(options.Properties) { [KsqlConfig.ServiceId] = options.ServiceId };
        Config = new KsqlConfig(properties);
        Topics = options.Topics
            ?? (options.ClientFactory is { } factory ? new AdminTopicClient(factory.CreateAdmin(), factory) : new InMemoryTopicClient());
        Runtime = options.Runtime ?? (options.ClientFactory is { } clients ? new StreamsQueryRuntime(clients) : null);
        Logger = options.LoggerFactory.CreateLogger("Rhei.Engine");
        _ownsConnectors = options.Connectors is null && options.ClientFactory is not null;
        Connectors = options.Connectors ?? (options.ClientFactory is { } connectClients
            ? new ConnectorRuntime(connectClients, Formats, options.LoggerFactory, options.TimeProvider, options.ConnectorOptions)
            : null);
        _executor = new StatementExecutor(this);
    }

    public RheiEngineOptions Options { get; }

    public MetaStore MetaStore { get; } = new();

    public FunctionRegistry Functions { get; }

    public FormatRegistry Formats { get; }

    /// <summary>The server configuration (without per-session overrides).</summary>
    public KsqlConfig Config { get; }

    public TopicClient Topics { get; }

    public QueryRuntime? Runtime { get; }

    /// <summary>The connectors of CREATE SOURCE|SINK CONNECTOR; null when the engine has no clients to run them on.</summary>
    public ConnectorRuntime? Connectors { get; }

    internal ILogger Logger { get; }

    /// <summary>A session: statements that share SET properties and DEFINE variables.</summary>
    public RheiSession CreateSession(IReadOnlyDictionary<string, string>? properties = null, IReadOnlyDictionary<string, string>? variables = null) =>
        new(this, properties, variables);

    /// <summary>Executes a script of statements with <paramref name="properties"/> as overrides; returns one result per statement.</summary>
    public Task<IReadOnlyList<StatementResult>> ExecuteAsync(string sql, IReadOnlyDictionary<string, string>? properties = null, CancellationToken cancellationToken = default) =>
        CreateSession(properties).ExecuteAsync(sql, cancellationToken);

    /// <summary>
    /// Starts a push query (<c>SELECT ... FROM ... EMIT CHANGES</c>) and returns it: read its rows with
    /// <see cref="PushQuery.ReadAllAsync"/>, dispose it to stop. It runs on the engine's runtime like a persistent query,
    /// without a sink topic.
    /// </summary>
    /// <exception cref="KsqlStatementException">The statement is not a push query, or cannot be planned.</exception>
    public async Task<PushQuery> StartPushQueryAsync(string sql, IReadOnlyDictionary<string, string>? properties = null, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await _executor.StartPushQueryAsync(sql, Config.With(properties), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async Task<StatementResult> ExecuteStatementAsync(ParsedStatement statement, RheiSession session, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await _executor.ExecuteAsync(statement, session, cancellationToken);
        }
        catch (KsqlStatementException)
        {
            throw;
        }
        catch (SqlParseException)
        {
            throw;
        }
        catch (Exception e) when (e is KsqlException or FormatValidationException or FunctionResolutionException or InvalidOperationException or ArgumentException or NotSupportedException or FormatException or InvalidCastException or OverflowException)
        {
            throw new KsqlStatementException(e.Message, statement.Text, e);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops every running query (their state stays; a new engine over the same data restarts nothing by itself).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnectors && Connectors is { } connectors)
        {
            await connectors.DisposeAsync();
        }

        foreach (var q in MetaStore.Queries)
        {
            if (q.Handle is { } h)
            {
                await h.DisposeAsync();
            }
        }

        _gate.Dispose();
    }
}
