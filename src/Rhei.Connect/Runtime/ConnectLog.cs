using Microsoft.Extensions.Logging;

namespace Rhei.Connect.Runtime;

/// <summary>The runtime's log events.</summary>
internal static partial class ConnectLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Connector {Connector} ({Class}) created")]
    public static partial void Created(ILogger logger, string connector, string @class);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Connector {Connector} deleted")]
    public static partial void Deleted(ILogger logger, string connector);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Connector {Connector} failed: {Error}. Retrying in {DelayMs} ms")]
    public static partial void ConnectorFailed(ILogger logger, string connector, string error, long delayMs, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Task {Connector}-{Task} failed: {Error}. Retrying in {DelayMs} ms")]
    public static partial void TaskFailed(ILogger logger, string connector, int task, string error, long delayMs, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Task {Connector}-{Task} failed for longer than errors.retry.timeout and stays FAILED until restarted: {Error}")]
    public static partial void TaskGaveUp(ILogger logger, string connector, int task, string error);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Task {Connector}-{Task} is running")]
    public static partial void TaskRunning(ILogger logger, string connector, int task);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Connector {Connector} skipped a record (errors.tolerance=all) of topic {Topic}: {Error}")]
    public static partial void RecordSkipped(ILogger logger, string connector, string topic, string error);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Connector {Connector} failed for longer than errors.retry.timeout and stays FAILED until restarted: {Error}")]
    public static partial void ConnectorGaveUp(ILogger logger, string connector, string error);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "Read {Count} source offsets from {Topic}")]
    public static partial void OffsetsLoaded(ILogger logger, int count, string topic);
}
