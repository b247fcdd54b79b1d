using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rhei.Engine.Entities;
using Rhei.Engine.Execution;
using Rhei.Engine.Metastore;
using Rhei.Sql.Parsing;

namespace Rhei.Engine.Commands;

/// <summary>
/// Runs metastore commands through the command store: a statement that changes the metastore is appended first (its
/// offset is its sequence number), then run; when it fails, a failure marker follows it so replays skip it. At start it
/// replays the store. Called under the engine's statement gate only.
/// </summary>
internal sealed partial class CommandRunner(RheiEngine engine, StatementExecutor executor, CommandStore store, ILogger logger) : IAsyncDisposable
{
    /// <summary>ksqlDB's setting for the replication factor of internal topics (the command topic among them).</summary>
    public const string InternalTopicReplicas = "ksql.internal.topic.replicas";

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    private readonly HashSet<long> _failed = [];
    private bool _started;

    public static string TopicName(string serviceId) => $"_rhei_{serviceId}_command_topic";

    public bool IsDurable => store is TopicCommandStore;

    public CommandReplaySummary? Replay { get; private set; }

    public async Task EnsureStartedAsync(CancellationToken ct)
    {
        if (_started)
        {
            return;
        }

        await store.StartAsync(ct);
        _started = true;
        await ReplayAsync(ct);
    }

    /// <summary>Runs one statement; a metastore command is written to the store first.</summary>
    public async Task<StatementResult> ExecuteAsync(ParsedStatement statement, RheiSession session, CancellationToken ct)
    {
        if (!StatementExecutor.IsCommand(statement.Statement))
        {
            return await executor.ExecuteAsync(statement, session, ct);
        }

        // Commands other nodes sharing the topic wrote since the last one run here come first.
        await CatchUpAsync(await store.EndOffsetAsync(ct), ct);
        var queryId = executor.NextQueryId(statement.Statement);
        var record = CommandRecord.ForStatement(statement.Text, new Dictionary<string, string>(session.Properties, StringComparer.Ordinal), queryId);
        var offset = await store.AppendAsync(record, ct);
        await CatchUpAsync(offset, CancellationToken.None);

        // Once written, the command runs to the end: the request that sent it going away does not stop it half way.
        executor.Command = new CommandContext(offset, queryId, Replaying: false);
        try
        {
            return await executor.ExecuteAsync(statement, session, CancellationToken.None);
        }
        catch (Exception e)
        {
            _failed.Add(offset);
            try
            {
                await store.AppendAsync(CommandRecord.ForFailure(offset, e.Message), CancellationToken.None);
            }
            catch (Exception markerError) when (markerError is not OperationCanceledException)
            {
                LogMarkerFailed(markerError, offset, store.Name, markerError.Message);
            }

            throw;
        }
        finally
        {
            executor.Command = null;
            executor.LastSequence = offset;
        }
    }

    /// <summary>Runs the commands other nodes appended before <paramref name="endExclusive"/>, as they ran there.</summary>
    private async Task CatchUpAsync(long endExclusive, CancellationToken ct)
    {
        if (endExclusive <= executor.LastSequence + 1)
        {
            return;
        }

        foreach (var command in await store.ReadAsync(endExclusive, ct))
        {
            await ApplyAsync(command, replaying: false, ct);
        }

        executor.LastSequence = Math.Max(executor.LastSequence, endExclusive - 1);
    }

    private async Task ReplayAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var end = await store.EndOffsetAsync(ct);
        if (end == 0)
        {
            Replay = new CommandReplaySummary(store.Name, 0, 0, 0, 0, 0, clock.Elapsed);
            return;
        }

        LogReplayStart(store.Name, end);
        var commands = await store.ReadAsync(end, ct);
        foreach (var c in commands)
        {
            if (c.Record is { IsFailureMarker: true } marker)
            {
                _failed.Add(marker.FailedOffset!.Value);
            }
        }

        var statements = commands.Where(c => c.Record is not { IsFailureMarker: true }).ToList();
        int replayed = 0, skipped = 0, failed = 0;
        var lastProgress = clock.Elapsed;
        for (var i = 0; i < statements.Count; i++)
        {
            if (clock.Elapsed - lastProgress >= ProgressInterval)
            {
                lastProgress = clock.Elapsed;
                LogReplayProgress(i, statements.Count);
            }

            var command = statements[i];
            if (_failed.Contains(command.Offset))
            {
                skipped++;
                continue;
            }

            if (await ApplyAsync(command, replaying: true, ct))
            {
                replayed++;
            }
            else
            {
                failed++;
            }
        }

        executor.LastSequence = end - 1;
        var started = await StartQueriesAsync(ct);
        Replay = new CommandReplaySummary(store.Name, end, replayed, skipped, failed, started, clock.Elapsed);
        LogReplayDone(statements.Count, statements.Count, store.Name, replayed, skipped, failed, started, (long)clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Runs a command read from the store; false (and logged) when it fails.</summary>
    private async Task<bool> ApplyAsync(StoredCommand command, bool replaying, CancellationToken ct)
    {
        if (command.Record is not { } record)
        {
            LogUnreadable(command.Offset, store.Name, command.ReadError ?? "unknown");
            return false;
        }

        if (record.IsFailureMarker)
        {
            _failed.Add(record.FailedOffset!.Value);
            return true;
        }

        if (record.Version > CommandRecord.CurrentVersion)
        {
            LogNewerVersion(command.Offset, store.Name, record.Version, CommandRecord.CurrentVersion);
            return false;
        }

        executor.Command = new CommandContext(command.Offset, record.QueryId, replaying);
        try
        {
            var parsed = SqlParser.ParseScript(record.Statement!, new SqlParserOptions());
            var session = engine.CreateSession(record.Properties);
            foreach (var statement in parsed)
            {
                await executor.ExecuteAsync(statement with { Text = statement.Text.Trim() }, session, ct);
            }

            return true;
        }
        catch (Exception e) when (e is SqlParseException || RheiEngine.IsStatementError(e) || e is IOException)
        {
            LogCommandFailed(e, command.Offset, store.Name, e.Message, record.Statement!);
            return false;
        }
        finally
        {
            executor.Command = null;
            executor.LastSequence = command.Offset;
        }
    }

    /// <summary>Starts the replayed queries that are still running (paused ones start on RESUME).</summary>
    private async Task<int> StartQueriesAsync(CancellationToken ct)
    {
        var started = 0;
        foreach (var query in engine.MetaStore.Queries)
        {
            if (query.State != QueryState.Running || query.DeferredStart is null)
            {
                continue;
            }

            try
            {
                await executor.StartDeferredAsync(query, ct);
                started++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                query.State = QueryState.Error;
                query.Error = e;
                LogQueryStartFailed(e, query.Id, e.Message);
            }
        }

        return started;
    }

    public ValueTask DisposeAsync() => store.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaying command topic {Topic}: {Records} records")]
    private partial void LogReplayStart(string topic, long records);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaying command topic: {Done} of {Total}")]
    private partial void LogReplayProgress(int done, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaying command topic: {Done} of {Total} done ({Topic}: {Replayed} replayed, {Skipped} skipped as failed originally, {Failed} failed on replay; {Started} persistent queries started) in {ElapsedMs} ms")]
    private partial void LogReplayDone(int done, int total, string topic, int replayed, int skipped, int failed, int started, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {Offset} of {Topic} failed and was skipped: {Error}. Statement: {Statement} — What it created is missing, and later commands that depend on it fail too. Fix the cause (for example recreate a topic that was deleted) and restart to replay again, or run the statement again.")]
    private partial void LogCommandFailed(Exception e, long offset, string topic, string error, string statement);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {Offset} of {Topic} cannot be read and was skipped: {Error}. Something other than Rhei wrote to the command topic; remove that writer. The statement it held (if any) must be run again.")]
    private partial void LogUnreadable(long offset, string topic, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {Offset} of {Topic} has format version {Version}, newer than this build reads ({Current}); it was skipped. Upgrade this node to the version of the nodes that wrote it.")]
    private partial void LogNewerVersion(long offset, string topic, int version, int current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark command {Offset} of {Topic} as failed ({Error}); a replay runs it again and logs its failure then")]
    private partial void LogMarkerFailed(Exception e, long offset, string topic, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Persistent query {QueryId} did not start after the replay: {Error}. It is listed with state ERROR; fix the cause (a missing source topic, for example), then TERMINATE it and create it again.")]
    private partial void LogQueryStartFailed(Exception e, string queryId, string error);
}
