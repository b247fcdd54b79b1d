using Rhei.Broker.Diagnostics;
using Rhei.Broker.Network;
using Rhei.Protocol;
using Rhei.Protocol.Messages;

namespace Rhei.Broker.Handlers;

/// <summary>Routes a parsed request to its handler. Every API in <see cref="BrokerApis"/> has a case here.</summary>
internal sealed class RequestDispatcher(BrokerServices services)
{
    private readonly MetadataHandler _metadata = new(services);
    private readonly ProduceHandler _produce = new(services);
    private readonly FetchHandler _fetch = new(services);
    private readonly OffsetsHandler _offsets = new(services);
    private readonly TopicAdminHandler _topics = new(services);
    private readonly ConfigsHandler _configs = new(services);
    private readonly GroupHandler _groups = new(services);
    private readonly CommittedOffsetsHandler _committed = new(services);

    /// <summary>True for requests that may wait a long time (the connection sends earlier answers first).</summary>
    public static bool MayWait(ApiKey apiKey) => apiKey is ApiKey.Fetch or ApiKey.JoinGroup or ApiKey.SyncGroup;

    /// <summary>Handles the request and writes its response into the context. False closes the connection.</summary>
    public ValueTask<bool> HandleAsync(RequestContext context, IRequestMessage body)
    {
        switch (body)
        {
            case ProduceRequest r:
                return _produce.HandleAsync(context, r);
            case FetchRequest r:
                return _fetch.HandleAsync(context, r);
            case ApiVersionsRequest r:
                if (context.ApiVersion >= 3)
                {
                    services.Logger.ClientSoftware(context.ClientId, context.Connection.ToString(), r.ClientSoftwareName, r.ClientSoftwareVersion);
                }

                context.Respond(BrokerApis.CreateApiVersionsResponse());
                return Done;
            case MetadataRequest r:
                return _metadata.HandleAsync(context, r);
            case ListOffsetsRequest r:
                return _offsets.ListOffsetsAsync(context, r);
            case OffsetForLeaderEpochRequest r:
                return Sync(_offsets.OffsetForLeaderEpoch(context, r));
            case InitProducerIdRequest r:
                return Sync(_offsets.InitProducerId(context, r));
            case DescribeClusterRequest r:
                return Sync(_metadata.DescribeCluster(context, r));
            case FindCoordinatorRequest r:
                return Sync(_metadata.FindCoordinator(context, r));
            case CreateTopicsRequest r:
                return _topics.CreateTopicsAsync(context, r);
            case DeleteTopicsRequest r:
                return _topics.DeleteTopicsAsync(context, r);
            case CreatePartitionsRequest r:
                return _topics.CreatePartitionsAsync(context, r);
            case DeleteRecordsRequest r:
                return _topics.DeleteRecordsAsync(context, r);
            case DescribeConfigsRequest r:
                return Sync(_configs.DescribeConfigs(context, r));
            case JoinGroupRequest r:
                return _groups.JoinGroupAsync(context, r);
            case SyncGroupRequest r:
                return _groups.SyncGroupAsync(context, r);
            case HeartbeatRequest r:
                return Sync(_groups.Heartbeat(context, r));
            case LeaveGroupRequest r:
                return Sync(_groups.LeaveGroup(context, r));
            case DescribeGroupsRequest r:
                return Sync(_groups.DescribeGroups(context, r));
            case ListGroupsRequest r:
                return Sync(_groups.ListGroups(context, r));
            case DeleteGroupsRequest r:
                return _groups.DeleteGroupsAsync(context, r);
            case OffsetCommitRequest r:
                return _committed.OffsetCommitAsync(context, r);
            case OffsetFetchRequest r:
                return Sync(_committed.OffsetFetch(context, r));
            case OffsetDeleteRequest r:
                return _committed.OffsetDeleteAsync(context, r);
            default:
                throw new InvalidOperationException($"{context.ApiKey} is advertised but has no handler.");
        }
    }

    private static ValueTask<bool> Done => ValueTask.FromResult(true);

    private static ValueTask<bool> Sync(bool keepOpen) => ValueTask.FromResult(keepOpen);
}
