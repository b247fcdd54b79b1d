using Microsoft.Extensions.Logging;
using Rhei.Connect.Runtime;
using Rhei.Engine.Commands;
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
/// <para>
/// With a <see cref="RheiEngineOptions.ClientFactory"/>, the metastore is durable: every statement that changes it is
/// written to the command topic (<see cref="CommandTopicName"/>) before it runs, and <see cref="StartAsync"/> (or the
/// first statement) replays that topic, bringing back streams, tables, types and persistent queries. After the replay
/// a background follower runs the commands other engines with the same service id append to the topic (several nodes
/// on one Kafka cluster share one metastore and split the work of each persistent query).
/// </para>
/// </summary>
public sealed class RheiEngine : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StatementExecutor _executor;
    private readonly CommandRunner _commands;
    private readonly bool _ownsConnectors;
    private readonly Dictionary<string, CommandStatusEntity> _statuses = new(StringComparer.Ordinal);
    private bool _disposed;

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
        CommandTopicName = CommandRunner.TopicName(options.ServiceId);
        CommandStore store = options.ClientFactory is { } commandClients && options.UseCommandTopic
            ? new TopicCommandStore(commandClients, CommandTopicName, (short)(Config.GetInt(CommandRunner.InternalTopicReplicas) ?? -1))
            : new InMemoryCommandStore();
        _commands = new CommandRunner(this, _executor, store, _gate, options.LoggerFactory.CreateLogger("Rhei.Engine.CommandTopic"));
    }

    /// <summary>
    /// The command topic: <c>_rhei_&lt;service id&gt;_command_topic</c>. It exists when the engine has a client factory
    /// (and <see cref="RheiEngineOptions.UseCommandTopic"/>); otherwise commands are only numbered in memory.
    /// </summary>
    public string CommandTopicName { get; }

    /// <summary>True when commands go to <see cref="CommandTopicName"/> (a client factory is set and the topic is on).</summary>
    public bool IsDurable => _commands.IsDurable;

    /// <summary>The sequence number (command topic offset) of the last command run or replayed; -1 before any.</summary>
    public long CommandSequenceNumber => _executor.LastSequence;

    /// <summary>What the replay at start did (null until the engine has started).</summary>
    public CommandReplaySummary? Replay => _commands.Replay;

    /// <summary>
    /// The status of every command this engine ran — its own, replayed at start, or written by another node and run by
    /// the follower — by command id (<c>stream/PAGEVIEWS/create</c>); the latest one per id. For <c>/status</c>.
    /// </summary>
    public IReadOnlyDictionary<string, CommandStatusEntity> CommandStatuses
    {
        get
        {
            lock (_statuses)
            {
                return new Dictionary<string, CommandStatusEntity>(_statuses, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Raised after a command ran (or failed) here, with its status; on the thread that ran it.</summary>
    public event Action<CommandStatusEntity>? CommandRan;

    internal void ReportCommand(CommandStatusEntity status)
    {
        lock (_statuses)
        {
            _statuses[status.CommandId] = status;
        }

        CommandRan?.Invoke(status);
    }

    /// <summary>
    /// Waits until this engine has run (or skipped as failed) every command up to <paramref name="sequenceNumber"/>,
    /// including those other nodes wrote (ksqlDB's <c>commandSequenceNumber</c>); false when
    /// <paramref name="timeout"/> passes first.
    /// </summary>
    public async Task<bool> WaitForCommandAsync(long sequenceNumber, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (CommandSequenceNumber >= sequenceNumber)
        {
            return true;
        }

        using var timer = new CancellationTokenSource(timeout, Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await StartAsync(linked.Token);
            while (CommandSequenceNumber < sequenceNumber)
            {
                _commands.WakeFollower();
                await Task.Delay(TimeSpan.FromMilliseconds(20), linked.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Opens the command topic (creating it on first start) and replays it: streams, tables and types come back, and
    /// the persistent queries still running start again from their committed offsets, their tables restoring from
    /// their changelogs. Call before serving; the first statement does it otherwise. Idempotent.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _commands.EnsureStartedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
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
            await _commands.EnsureStartedAsync(cancellationToken);
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
            ObjectDisposedException.ThrowIf(_disposed, this);
            await _commands.EnsureStartedAsync(cancellationToken);
            return await _commands.ExecuteAsync(statement, session, cancellationToken);
        }
        catch (KsqlStatementException)
        {
            throw;
        }
        catch (SqlParseException)
        {
            throw;
        }
        catch (Exception e) when (IsStatementError(e))
        {
            throw new KsqlStatementException(e.Message, statement.Text, e);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The errors a statement can fail with (reported to the user as a statement error).</summary>
    internal static bool IsStatementError(Exception e) =>
        e is KsqlException or FormatValidationException or FunctionResolutionException or InvalidOperationException or ArgumentException
            or NotSupportedException or FormatException or InvalidCastException or OverflowException;

    /// <summary>
    /// Stops every running query — each commits its offsets and flushes its stores — and closes the command topic's
    /// clients. The metastore stays in the command topic: a new engine over the same data replays it. Waits for a
    /// statement in progress to finish (up to 30 s).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        // The follower stops first: it takes the gate for each round.
        await _commands.StopFollowingAsync();
        var entered = await _gate.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            _disposed = true;
            if (_ownsConnectors && Connectors is { } connectors)
            {
                await connectors.DisposeAsync();
            }

            foreach (var q in MetaStore.Queries)
            {
                if (q.Handle is { } h)
                {
                    try
                    {
                        await h.DisposeAsync();
                    }
                    catch (Exception e)
                    {
                        Logger.LogWarning(e, "Query {QueryId} did not stop cleanly: {Message}", q.Id, e.Message);
                    }
                }
            }

            await _commands.DisposeAsync();
        }
        finally
        {
            if (entered)
            {
                _gate.Release();
            }
        }
    }
}
