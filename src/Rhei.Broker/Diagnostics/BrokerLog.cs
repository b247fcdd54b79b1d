using Microsoft.Extensions.Logging;

namespace Rhei.Broker.Diagnostics;

/// <summary>The broker's log messages (source-generated), with stable event ids. Quiet by default: per-connection events are Debug.</summary>
internal static partial class BrokerLog
{
    [LoggerMessage(2001, LogLevel.Information, "Kafka listener {Listener} accepting connections on {Endpoint}.")]
    public static partial void Listening(this ILogger logger, string listener, string endpoint);

    [LoggerMessage(2002, LogLevel.Debug, "Connection from {Connection} opened.")]
    public static partial void ConnectionOpened(this ILogger logger, string connection);

    [LoggerMessage(2003, LogLevel.Debug, "Connection from {Connection} closed.")]
    public static partial void ConnectionClosed(this ILogger logger, string connection);

    [LoggerMessage(2004, LogLevel.Warning, "Closing the connection from {Connection}: {Problem}")]
    public static partial void BadFrame(this ILogger logger, string connection, string problem);

    [LoggerMessage(2005, LogLevel.Warning, "Closing the connection from {Connection}: unreadable request header ({Problem}).")]
    public static partial void BadRequestHeader(this ILogger logger, string connection, string problem);

    [LoggerMessage(2006, LogLevel.Warning, "Closing the connection from {Connection}: api key {ApiKey} (client {ClientId}) is not a Kafka API.")]
    public static partial void UnknownApiKey(this ILogger logger, string connection, short apiKey, string? clientId);

    [LoggerMessage(2007, LogLevel.Warning, "Closing the connection from {Connection}: {Api} version {Version} (client {ClientId}) is not served; ApiVersions lists the versions this broker serves.")]
    public static partial void UnsupportedVersion(this ILogger logger, string connection, string api, short version, string? clientId);

    [LoggerMessage(2008, LogLevel.Warning, "Closing the connection from {Connection}: malformed {Api} v{Version} request ({Problem}).")]
    public static partial void BadRequestBody(this ILogger logger, string connection, string api, short version, string problem);

    [LoggerMessage(2009, LogLevel.Error, "Closing the connection from {Connection} after an unexpected error.")]
    public static partial void ConnectionFailed(this ILogger logger, Exception exception, string connection);

    [LoggerMessage(2010, LogLevel.Error, "Accepting connections on listener {Listener} failed.")]
    public static partial void AcceptFailed(this ILogger logger, Exception exception, string listener);

    [LoggerMessage(2011, LogLevel.Information, "Broker stopping: {Connections} connections open.")]
    public static partial void Stopping(this ILogger logger, int connections);

    [LoggerMessage(2012, LogLevel.Debug, "Client {ClientId} at {Connection} is {Software} {SoftwareVersion}.")]
    public static partial void ClientSoftware(this ILogger logger, string? clientId, string connection, string software, string softwareVersion);

    [LoggerMessage(2013, LogLevel.Information, "Created topic {Topic} with {Partitions} partitions ({Reason}).")]
    public static partial void TopicCreated(this ILogger logger, string topic, int partitions, string reason);

    [LoggerMessage(2014, LogLevel.Information, "Deleted topic {Topic}.")]
    public static partial void TopicDeleted(this ILogger logger, string topic);

    [LoggerMessage(2015, LogLevel.Debug, "Produce to {Topic}-{Partition} failed: {Error} {Message}")]
    public static partial void ProduceFailed(this ILogger logger, string topic, int partition, string error, string? message);

    [LoggerMessage(2016, LogLevel.Information, "Group {GroupId} generation {Generation}: {Members} members, protocol {Protocol}, leader {Leader}.")]
    public static partial void GroupRebalanced(this ILogger logger, string groupId, int generation, int members, string? protocol, string? leader);

    [LoggerMessage(2017, LogLevel.Information, "Group {GroupId}: member {MemberId} removed ({Reason}).")]
    public static partial void MemberRemoved(this ILogger logger, string groupId, string memberId, string reason);

    [LoggerMessage(2018, LogLevel.Debug, "Group {GroupId} is rebalancing: {Reason}.")]
    public static partial void PreparingRebalance(this ILogger logger, string groupId, string reason);

    [LoggerMessage(2019, LogLevel.Warning, "Storing the metadata of group {GroupId} failed.")]
    public static partial void GroupStoreFailed(this ILogger logger, Exception exception, string groupId);

    [LoggerMessage(2020, LogLevel.Error, "The group coordinator's timer failed.")]
    public static partial void CoordinatorTickFailed(this ILogger logger, Exception exception);

    [LoggerMessage(2021, LogLevel.Information, "Loaded {Groups} consumer groups from __consumer_offsets.")]
    public static partial void GroupsLoaded(this ILogger logger, int groups);

    [LoggerMessage(2023, LogLevel.Trace, "{Connection}: {Api} v{Version} from client {ClientId}.")]
    public static partial void Request(this ILogger logger, string connection, string api, short version, string? clientId);

    [LoggerMessage(2022, LogLevel.Debug, "Closing the connection from {Connection}: a Produce with acks=0 failed ({Error}).")]
    public static partial void AcksZeroFailed(this ILogger logger, string connection, string error);
}
