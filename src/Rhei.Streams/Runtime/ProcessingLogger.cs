using Microsoft.Extensions.Logging;

namespace Rhei.Streams.Runtime;

/// <summary>Writes processing-log entries to the host's sink and, when configured, as JSON to the processing-log topic.</summary>
internal sealed class ProcessingLogger(StreamsOptions options, ILogger logger)
{
    public void Log(ProcessingError error, RecordCollector? collector)
    {
        var now = options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var entry = new ProcessingLogEntry(options.ProcessingLoggerName, "ERROR", now, error);
        logger.LogWarning(error.Exception, "Processing log ({Type}) in task {TaskId}: {Message}", error.Type, error.TaskId, error.Message);
        options.ProcessingLog?.Invoke(entry);
        if (options.ProcessingLogTopic is { } topic && collector is not null)
        {
            collector.Send(topic, -1, null, entry.ToJson(), now, null);
        }
    }
}
