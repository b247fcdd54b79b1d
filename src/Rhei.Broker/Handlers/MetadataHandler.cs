using Microsoft.Extensions.Logging;
using Rhei.Broker.Diagnostics;
using Rhei.Broker.Network;
using Rhei.Protocol;
using Rhei.Protocol.Messages;
using Rhei.Storage;
using Rhei.Storage.Topics;

namespace Rhei.Broker.Handlers;

/// <summary>Metadata (with automatic topic creation), DescribeCluster and FindCoordinator: who the cluster is and where things live.</summary>
internal sealed class MetadataHandler(BrokerServices services)
{
    /// <summary>Kafka's bit field of the topic operations a client may perform (all of them: no ACLs yet).</summary>
    private const int AllTopicOperations = (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10);

    /// <summary>Kafka's bit field of the cluster operations a client may perform.</summary>
    private const int AllClusterOperations = (1 << 4) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12) | (1 << 13);

    public async ValueTask<bool> HandleAsync(RequestContext context, MetadataRequest request)
    {
        var version = context.ApiVersion;
        var node = services.Cluster.Advertised(context.Connection.ListenerName);
        var response = new MetadataResponse
        {
            ClusterId = services.Cluster.ClusterId,
            ControllerId = services.Cluster.NodeId,
        };
        response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = services.Cluster.NodeId, Host = node.Host, Port = node.Port });
        if (version is >= 8 and <= 10 && request.IncludeClusterAuthorizedOperations)
        {
            response.ClusterAuthorizedOperations = AllClusterOperations;
        }

        var includeTopicOperations = version >= 8 && request.IncludeTopicAuthorizedOperations;
        var allTopics = request.Topics is null || (version == 0 && request.Topics.Count == 0);
        if (allTopics)
        {
            foreach (var name in services.Storage.ListTopics(includeInternal: true))
            {
                if (services.Storage.DescribeTopic(name) is { } info)
                {
                    response.Topics.Add(Describe(info, includeTopicOperations));
                }
            }
        }
        else
        {
            var allowAutoCreate = services.Options.AutoCreateTopicsEnable && (version < 4 || request.AllowAutoTopicCreation);
            foreach (var requested in request.Topics!)
            {
                response.Topics.Add(await DescribeOrCreateAsync(requested, allowAutoCreate, includeTopicOperations, CancellationToken.None));
            }
        }

        context.Respond(response);
        return true;
    }

    private async ValueTask<MetadataResponse.MetadataResponseTopic> DescribeOrCreateAsync(
        MetadataRequest.MetadataRequestTopic requested, bool allowAutoCreate, bool includeTopicOperations, CancellationToken cancellationToken)
    {
        var name = requested.Name;
        if (name is null)
        {
            // Lookup by topic id (v10+).
            foreach (var candidate in services.Storage.ListTopics(includeInternal: true))
            {
                if (services.Storage.DescribeTopic(candidate) is { } byId && byId.TopicId == requested.TopicId)
                {
                    return Describe(byId, includeTopicOperations);
                }
            }

            return new MetadataResponse.MetadataResponseTopic { ErrorCode = (short)ErrorCode.UnknownTopicId, Name = null, TopicId = requested.TopicId };
        }

        if (services.Storage.DescribeTopic(name) is { } info)
        {
            return Describe(info, includeTopicOperations);
        }

        if (TopicNames.Validate(name) is not null)
        {
            return new MetadataResponse.MetadataResponseTopic { ErrorCode = (short)ErrorCode.InvalidTopicException, Name = name };
        }

        if (!allowAutoCreate || TopicNames.IsInternal(name))
        {
            return new MetadataResponse.MetadataResponseTopic { ErrorCode = (short)ErrorCode.UnknownTopicOrPartition, Name = name };
        }

        try
        {
            var created = await services.Storage.CreateTopicAsync(name, services.Options.NumPartitions, null, cancellationToken);
            services.Logger.TopicCreated(name, created.PartitionCount, "automatically, for a Metadata request");
            return Describe(created, includeTopicOperations);
        }
        catch (StorageException e) when (e.Error == StorageError.TopicAlreadyExists && services.Storage.DescribeTopic(name) is { } raced)
        {
            return Describe(raced, includeTopicOperations);
        }
        catch (StorageException e)
        {
            return new MetadataResponse.MetadataResponseTopic { ErrorCode = (short)e.Error, Name = name };
        }
    }

    private MetadataResponse.MetadataResponseTopic Describe(TopicInfo info, bool includeTopicOperations)
    {
        var nodeId = services.Cluster.NodeId;
        var topic = new MetadataResponse.MetadataResponseTopic
        {
            Name = info.Name,
            TopicId = info.TopicId,
            IsInternal = info.IsInternal,
        };
        if (includeTopicOperations)
        {
            topic.TopicAuthorizedOperations = AllTopicOperations;
        }

        for (var p = 0; p < info.PartitionCount; p++)
        {
            topic.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = p,
                LeaderId = nodeId,
                LeaderEpoch = 0,
                ReplicaNodes = [nodeId],
                IsrNodes = [nodeId],
            });
        }

        return topic;
    }

    public bool DescribeCluster(RequestContext context, DescribeClusterRequest request)
    {
        var response = new DescribeClusterResponse
        {
            ClusterId = services.Cluster.ClusterId,
            ControllerId = services.Cluster.NodeId,
            EndpointType = request.EndpointType,
        };
        if (context.ApiVersion >= 1 && request.EndpointType != 1)
        {
            response.ErrorCode = (short)ErrorCode.UnsupportedEndpointType;
            response.ErrorMessage = $"Endpoint type {request.EndpointType} is not served: this node is a broker (endpoint type 1) and has no separate controller endpoints.";
        }
        else
        {
            var node = services.Cluster.Advertised(context.Connection.ListenerName);
            response.Brokers.Add(new DescribeClusterResponse.DescribeClusterBroker { BrokerId = services.Cluster.NodeId, Host = node.Host, Port = node.Port });
            if (request.IncludeClusterAuthorizedOperations)
            {
                response.ClusterAuthorizedOperations = AllClusterOperations;
            }
        }

        context.Respond(response);
        return true;
    }

    public bool FindCoordinator(RequestContext context, FindCoordinatorRequest request)
    {
        var response = new FindCoordinatorResponse();
        if (request.KeyType is not (0 or 1))
        {
            response.ErrorCode = (short)ErrorCode.InvalidRequest;
            response.ErrorMessage = $"Coordinator key type {request.KeyType} is unknown: 0 is a group, 1 a transactional id.";
            response.NodeId = -1;
        }
        else if (string.IsNullOrEmpty(request.Key))
        {
            response.ErrorCode = (short)(request.KeyType == 0 ? ErrorCode.InvalidGroupId : ErrorCode.InvalidRequest);
            response.ErrorMessage = request.KeyType == 0 ? "The group id is empty." : "The transactional id is empty.";
            response.NodeId = -1;
        }
        else
        {
            var node = services.Cluster.Advertised(context.Connection.ListenerName);
            response.NodeId = services.Cluster.NodeId;
            response.Host = node.Host;
            response.Port = node.Port;
            response.ErrorMessage = null;
        }

        context.Respond(response);
        return true;
    }
}
