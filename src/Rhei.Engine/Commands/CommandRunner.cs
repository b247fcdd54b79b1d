using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rhei.Engine.Entities;
using Rhei.Engine.Execution;
using Rhei.Engine.Metastore;
using Rhei.Sql.Parsing;

namespace Rhei.Engine.Commands;

/// <summary>
/// Runs metastore commands through the command store: a statement that changes the metastore is appended first (its
/// offset is its sequence number), then run; a marker follows it — completed, or failed so that replays skip it. At
/// start it replays the store; then a <see cref="CommandFollower"/> runs, in log order, the commands other nodes
/// sharing the topic append, each once its writer has marked it completed (failed ones are skipped). Called under the
/// engine's statement gate only.
/// </summary>
internal sealed partial class CommandRunner(RheiEngine engine, StatementExecutor executor, CommandStore store, SemaphoreSlim gate, ILogger logger) : IAsyncDisposable
{
    /// <summary>ksqlDB's setting for the replication factor of internal topics (the command topic among them).</summary>
    public const string InternalTopicReplicas = "ksql.internal.topic.replicas";

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    /// <summary>How often the log is re-read while a command waits for its writer's outcome.</summary>
    private static readonly TimeSpan OutcomePollInterval = TimeSpan.FromMilliseconds(50);

    private readonly HashSet<long> _failed = [];
    private readonly Dictionary<long, string> _failedErrors = [];
    private readonly HashSet<long> _completed = [];

    /// <summary>Commands of other nodes read from the log and not run yet (waiting for their outcome), in offset order.</summary>
    private readonly List<StoredCommand> _pending = [];
    private long _readTo;
    private long _waitingFor = -1;
    private long _waitingSince;
    private CommandFollower? _follower;
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
        if (IsDurable && engine.Options.CommandFollowInterval > TimeSpan.Zero)
        {
            _follower = new CommandFollower(gate, FollowAsync, engine.Options.CommandFollowInterval, logger);
            _follower.Start();
        }
    }

    /// <summary>Makes the follower read the log now (a request waits for a command it has not run yet).</summary>
    public void WakeFollower() => _follower?.Wake();

    /// <summary>Stops the follower (before the engine shuts down); a command it is running finishes first.</summary>
    public async ValueTask StopFollowingAsync()
    {
        if (_follower is { } follower)
        {
            _follower = null;
            await follower.DisposeAsync();
        }
    }

    /// <summary>One round of the follower, under the gate: runs what other nodes appended, as far as their outcome is known.</summary>
    private async Task FollowAsync(CancellationToken ct) => await TryCatchUpAsync(long.MaxValue, ct);

    /// <summary>Runs one statement; a metastore command is written to the store first.</summary>
    public async Task<StatementResult> ExecuteAsync(ParsedStatement statement, RheiSession session, CancellationToken ct)
    {
        if (!StatementExecutor.IsCommand(statement.Statement))
        {
            return await executor.ExecuteAsync(statement, session, ct);
        }

        // Commands other nodes sharing the topic wrote since the last one run here come first.
        await CatchUpAsync(await store.EndOffsetAsync(ct), ct);

        // A CREATE without columns is recorded with the columns inferred from the registry now, so that a replay (on
        // another node, or after the subject evolved) gets the same ones.
        var asWritten = statement;
        statement = await SchemaRegistration.WithInferredColumnsAsync(statement, engine.Config.With(session.Properties), engine.Formats, ct);
        var queryId = executor.NextQueryId(statement.Statement);
        var record = CommandRecord.ForStatement(statement.Text, new Dictionary<string, string>(session.Properties, StringComparer.Ordinal), queryId);
        var offset = await store.AppendAsync(record, ct);
        await CatchUpAsync(offset, CancellationToken.None);

        // Once written, the command runs to the end: the request that sent it going away does not stop it half way.
        executor.Command = new CommandContext(offset, queryId, Replaying: false);
        StatementResult result;
        try
        {
            result = await executor.ExecuteAsync(statement, session, CancellationToken.None);
        }
        catch (Exception e)
        {
            _failed.Add(offset);
            engine.ReportCommand(new CommandStatusEntity(statement.Text, CommandIds.For(statement.Text, offset), CommandStatus.Error, e.Message, offset));
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

        if (result is CommandStatusEntity status)
        {
            engine.ReportCommand(status);

            // The response shows the statement as the user wrote it (the recorded one may have inferred columns).
            result = status with { StatementText = asWritten.Text };
        }

        if (IsDurable)
        {
            // Other nodes run the command once they know it completed here.
            try
            {
                await store.AppendAsync(CommandRecord.ForCompletion(offset), CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCompletionMarkerFailed(e, offset, store.Name, e.Message, engine.Options.CommandOutcomeTimeout.TotalSeconds);
            }
        }

        return result;
    }

    /// <summary>
    /// Runs the commands other nodes appended before <paramref name="endExclusive"/>, as they ran there, waiting for
    /// the outcome of those their writer is still running (up to <see cref="RheiEngineOptions.CommandOutcomeTimeout"/>).
    /// </summary>
    private async Task CatchUpAsync(long endExclusive, CancellationToken ct)
    {
        while (!await TryCatchUpAsync(endExclusive, ct))
        {
            await Task.Delay(OutcomePollInterval, ct);
        }
    }

    /// <summary>
    /// Reads the log to its end and runs, in order, the commands of other nodes before <paramref name="applyBefore"/>
    /// whose outcome is known: completed ones run, failed ones are skipped (as a replay skips them). Stops at the first
    /// command whose writer has not marked it yet and returns false; true when none is left before
    /// <paramref name="applyBefore"/>. A command without a marker after the outcome timeout runs anyway (its writer
    /// probably stopped while running it, and a replay would run it too).
    /// </summary>
    private async Task<bool> TryCatchUpAsync(long applyBefore, CancellationToken ct)
    {
        var end = await store.EndOffsetAsync(ct);
        if (end > _readTo)
        {
            foreach (var command in await store.ReadAsync(end, ct))
            {
                switch (command.Record)
                {
                    case { IsFailureMarker: true } failed:
                        _failed.Add(failed.FailedOffset!.Value);
                        _failedErrors[failed.FailedOffset!.Value] = failed.Error ?? "";
                        break;
                    case { IsCompletionMarker: true } completed:
                        _completed.Add(completed.CompletedOffset!.Value);
                        break;
                    default:
                        _pending.Add(command);
                        break;
                }
            }

            _readTo = end;
        }

        while (_pending.Count > 0 && _pending[0].Offset < applyBefore)
        {
            var command = _pending[0];
            if (_failed.Contains(command.Offset))
            {
                ReportSkipped(command);
                executor.LastSequence = Math.Max(executor.LastSequence, command.Offset);
            }
            else if (command.Record is null || command.Record.Version > CommandRecord.CurrentVersion || _completed.Contains(command.Offset) || OutcomeOverdue(command.Offset))
            {
                await ApplyAsync(command, replaying: false, CancellationToken.None, remote: true);
            }
            else
            {
                return false;
            }

            _pending.RemoveAt(0);
            _completed.Remove(command.Offset);
            _failedErrors.Remove(command.Offset);
        }

        if (_pending.Count == 0)
        {
            executor.LastSequence = Math.Max(executor.LastSequence, Math.Min(applyBefore, _readTo) - 1);
        }

        return true;
    }

    /// <summary>True once the command at <paramref name="offset"/> has waited the outcome timeout for its marker.</summary>
    private bool OutcomeOverdue(long offset)
    {
        if (_waitingFor != offset)
        {
            _waitingFor = offset;
            _waitingSince = Stopwatch.GetTimestamp();
            return false;
        }

        var waited = Stopwatch.GetElapsedTime(_waitingSince);
        if (waited < engine.Options.CommandOutcomeTimeout)
        {
            return false;
        }

        LogOutcomeOverdue(offset, store.Name, (long)waited.TotalSeconds);
        return true;
    }

    private void ReportSkipped(StoredCommand command)
    {
        if (command.Record?.Statement is { } text)
        {
            var error = _failedErrors.GetValueOrDefault(command.Offset, "");
            engine.ReportCommand(new CommandStatusEntity(text, CommandIds.For(text, command.Offset), CommandStatus.Error,
                $"The command failed on the node that ran it first: {error}", command.Offset));
        }
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
                _failedErrors[marker.FailedOffset!.Value] = marker.Error ?? "";
            }
        }

        _readTo = end;
        var statements = commands.Where(c => c.Record is not { IsMarker: true }).ToList();
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
                ReportSkipped(command);
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
        _failedErrors.Clear();
        var started = await StartQueriesAsync(ct);
        Replay = new CommandReplaySummary(store.Name, end, replayed, skipped, failed, started, clock.Elapsed);
        LogReplayDone(statements.Count, statements.Count, store.Name, replayed, skipped, failed, started, (long)clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// Runs a command read from the store (replayed at start, or written by another node when <paramref name="remote"/>);
    /// false (and logged) when it fails. Its status goes to <see cref="RheiEngine.CommandStatuses"/>.
    /// </summary>
    private async Task<bool> ApplyAsync(StoredCommand command, bool replaying, CancellationToken ct, bool remote = false)
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

        if (record.IsCompletionMarker)
        {
            return true;
        }

        if (record.Version > CommandRecord.CurrentVersion)
        {
            LogNewerVersion(command.Offset, store.Name, record.Version, CommandRecord.CurrentVersion);
            return false;
        }

        executor.Command = new CommandContext(command.Offset, record.QueryId, replaying, remote);
        try
        {
            var parsed = SqlParser.ParseScript(record.Statement!, new SqlParserOptions());
            var session = engine.CreateSession(record.Properties);
            foreach (var statement in parsed)
            {
                if (await executor.ExecuteAsync(statement with { Text = statement.Text.Trim() }, session, ct) is CommandStatusEntity status)
                {
                    engine.ReportCommand(status);
                }
            }

            return true;
        }
        catch (Exception e) when (e is SqlParseException || RheiEngine.IsStatementError(e) || e is IOException
            || (remote && e is not OperationCanceledException))
        {
            // For the follower, any failure skips the command (logged): retrying it would stop the node from following.
            LogCommandFailed(e, command.Offset, store.Name, e.Message, record.Statement!);
            engine.ReportCommand(new CommandStatusEntity(record.Statement!, CommandIds.For(record.Statement!, command.Offset), CommandStatus.Error, e.Message, command.Offset));
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

    public async ValueTask DisposeAsync()
    {
        await StopFollowingAsync();
        await store.DisposeAsync();
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark command {Offset} of {Topic} as completed ({Error}); other nodes following the topic run it after waiting {TimeoutSeconds} s for the marker")]
    private partial void LogCompletionMarkerFailed(Exception e, long offset, string topic, string error, double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Offset} of {Topic} has had no completed or failed marker for {WaitedSeconds} s; the node that wrote it probably stopped while running it. Running it here (a replay would run it too).")]
    private partial void LogOutcomeOverdue(long offset, string topic, long waitedSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Persistent query {QueryId} did not start after the replay: {Error}. It is listed with state ERROR; fix the cause (a missing source topic, for example), then TERMINATE it and create it again.")]
    private partial void LogQueryStartFailed(Exception e, string queryId, string error);
}
