namespace Rhei.Engine.Commands;

/// <summary>
/// What replaying the command topic did at start: how many records it read, how many statements ran, how many it
/// skipped because they had failed when first run, and how many failed on replay (each logged with what to do).
/// </summary>
public sealed record CommandReplaySummary(string Topic, long Records, int Replayed, int SkippedFailed, int FailedOnReplay, int QueriesStarted, TimeSpan Elapsed);
