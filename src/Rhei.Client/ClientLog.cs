using Microsoft.Extensions.Logging;

namespace Rhei.Client;

/// <summary>The client layer's log messages (source-generated), with stable event ids.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(2001, LogLevel.Debug, "Consumer {Member} joined group {Group} for {Topics}.")]
    public static partial void JoinedGroup(this ILogger logger, string member, string group, string topics);

    [LoggerMessage(2002, LogLevel.Debug, "Consumer {Member} left group {Group}.")]
    public static partial void LeftGroup(this ILogger logger, string member, string group);

    [LoggerMessage(2003, LogLevel.Warning, "Closing the consumer failed: {Reason}")]
    public static partial void CloseFailed(this ILogger logger, Exception exception, string reason);

    [LoggerMessage(2004, LogLevel.Debug, "Consumer {Member} of group {Group} generation {Generation} got {Partitions}.")]
    public static partial void Assigned(this ILogger logger, string member, string group, int generation, IReadOnlyList<TopicPartition> partitions);

    [LoggerMessage(2005, LogLevel.Warning, "Consumer {Member} was removed from group {Group} (session timeout {Timeout} ms); its partitions are lost and it rejoins.")]
    public static partial void MemberExpired(this ILogger logger, string member, string group, int timeout);

    [LoggerMessage(2006, LogLevel.Warning, "Auto-commit of group {Group} failed: {Reason}")]
    public static partial void AutoCommitFailed(this ILogger logger, string? group, string reason);

    [LoggerMessage(2007, LogLevel.Warning, "A record produced before the producer was closed failed: {Reason}")]
    public static partial void FailedAtClose(this ILogger logger, Exception exception, string reason);

    [LoggerMessage(2008, LogLevel.Information, "Auto-created topic {Topic} on produce.")]
    public static partial void AutoCreated(this ILogger logger, string topic);

    [LoggerMessage(2009, LogLevel.Warning, "Producing {Count} records to {Topic}-{Partition} failed: {Reason}")]
    public static partial void ProduceFailed(this ILogger logger, int count, string topic, int partition, string reason);

    [LoggerMessage(2010, LogLevel.Error, "A delivery callback threw.")]
    public static partial void CallbackThrew(this ILogger logger, Exception exception);

    [LoggerMessage(2011, LogLevel.Error, "A rebalance callback threw.")]
    public static partial void RebalanceCallbackThrew(this ILogger logger, Exception exception);

    [LoggerMessage(2012, LogLevel.Warning, "Kafka client error ({Client}): {Reason}")]
    public static partial void KafkaError(this ILogger logger, string client, string reason);

    [LoggerMessage(EventId = 2013, Message = "librdkafka {Client} {Facility}: {Text}")]
    public static partial void KafkaLog(this ILogger logger, LogLevel level, string client, string facility, string text);
}
