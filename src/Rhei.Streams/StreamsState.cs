namespace Rhei.Streams;

/// <summary>The states of a <see cref="StreamsApp"/>, as Kafka Streams names them.</summary>
public enum StreamsState
{
    Created,
    Rebalancing,
    Running,
    PendingShutdown,
    NotRunning,
    Error,
}

/// <summary>A state change of a <see cref="StreamsApp"/>.</summary>
public sealed record StreamsStateChange(StreamsState NewState, StreamsState OldState, Exception? Error);
