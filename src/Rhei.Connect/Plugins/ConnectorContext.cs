using Microsoft.Extensions.Logging;

namespace Rhei.Connect.Plugins;

/// <summary>What the runtime gives a connector or task: its name, logging, the clock and the record formats.</summary>
public class ConnectorContext
{
    public ConnectorContext(string connectorName, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        ConnectorName = connectorName;
        LoggerFactory = loggerFactory;
        TimeProvider = timeProvider;
    }

    public string ConnectorName { get; }

    public ILoggerFactory LoggerFactory { get; }

    public TimeProvider TimeProvider { get; }
}

/// <summary>A source task's context: adds the stored offsets of its source partitions.</summary>
public sealed class SourceTaskContext : ConnectorContext
{
    private readonly Func<IReadOnlyDictionary<string, object?>, IReadOnlyDictionary<string, object?>?> _offsetReader;

    public SourceTaskContext(string connectorName, int taskId, ILoggerFactory loggerFactory, TimeProvider timeProvider, Func<IReadOnlyDictionary<string, object?>, IReadOnlyDictionary<string, object?>?> offsetReader)
        : base(connectorName, loggerFactory, timeProvider)
    {
        TaskId = taskId;
        _offsetReader = offsetReader;
    }

    public int TaskId { get; }

    /// <summary>The last committed offset of a source partition (e.g. <c>{"table": "users"}</c>), or null when none.</summary>
    public IReadOnlyDictionary<string, object?>? Offset(IReadOnlyDictionary<string, object?> sourcePartition) => _offsetReader(sourcePartition);
}

/// <summary>A sink task's context.</summary>
public sealed class SinkTaskContext : ConnectorContext
{
    public SinkTaskContext(string connectorName, int taskId, ILoggerFactory loggerFactory, TimeProvider timeProvider)
        : base(connectorName, loggerFactory, timeProvider)
    {
        TaskId = taskId;
    }

    public int TaskId { get; }
}
