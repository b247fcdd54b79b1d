using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rhei.Client.Embedded;

/// <summary>Settings of the in-process clients that are the broker's rather than a client's.</summary>
public sealed record EmbeddedClientOptions
{
    /// <summary>auto.create.topics.enable: producing to a missing topic creates it (Kafka's default: on).</summary>
    public bool AutoCreateTopics { get; init; } = true;

    /// <summary>Partitions of an auto-created topic; -1 takes the storage's <c>num.partitions</c>.</summary>
    public int DefaultPartitions { get; init; } = -1;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The clock for timestamps, linger, session timeouts and auto-commit.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
