using Rhei.Broker.Diagnostics;
using Rhei.Broker.Network;
using Rhei.Protocol;
using Rhei.Protocol.Messages;
using Rhei.Storage;
using Rhei.Storage.Topics;

namespace Rhei.Broker.Handlers;

/// <summary>CreateTopics, DeleteTopics, CreatePartitions and DeleteRecords, with Kafka's errors and messages.</summary>
internal sealed class TopicAdminHandler(BrokerServices services)
{
    /// <summary>CreateTopics v0–4: -1 partitions or replication factor take the broker defaults; validate_only checks without creating.</summary>
    public async ValueTask<bool> CreateTopicsAsync(RequestContext context, CreateTopicsRequest request)
    {
        var response = new CreateTopicsResponse();
        var duplicates = request.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var topic in request.Topics)
        {
            var (error, message) = duplicates.Contains(topic.Name)
                ? (ErrorCode.InvalidRequest, $"Create topics request from client `{context.ClientId}` contains multiple entries for the following topics: {topic.Name}")
                : await CreateAsync(topic, request.ValidateOnly, CancellationToken.None);
            response.Topics.Add(new CreateTopicsResponse.CreatableTopicResult
            {
                Name = topic.Name,
                ErrorCode = (short)error,
                ErrorMessage = error == ErrorCode.None ? null : message,
            });
        }

        context.Respond(response);
        return true;
    }

    private async ValueTask<(ErrorCode, string?)> CreateAsync(CreateTopicsRequest.CreatableTopic topic, bool validateOnly, CancellationToken cancellationToken)
    {
        if (TopicNames.Validate(topic.Name) is { } invalid)
        {
            return (ErrorCode.InvalidTopicException, invalid);
        }

        if (services.Storage.DescribeTopic(topic.Name) is not null)
        {
            return (ErrorCode.TopicAlreadyExists, $"Topic '{topic.Name}' already exists.");
        }

        var nodeId = services.Cluster.NodeId;
        var partitions = topic.NumPartitions;
        if (topic.Assignments.Count > 0)
        {
            if (topic.NumPartitions != -1 || topic.ReplicationFactor != -1)
            {
                return (ErrorCode.InvalidRequest, "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }

            var indexes = topic.Assignments.Select(a => a.PartitionIndex).Order().ToList();
            if (!indexes.SequenceEqual(Enumerable.Range(0, indexes.Count)))
            {
                return (ErrorCode.InvalidReplicaAssignment, "Partitions in the replica assignment must be numbered 0, 1, 2, … without gaps.");
            }

            if (topic.Assignments.Any(a => a.BrokerIds.Count != 1 || a.BrokerIds[0] != nodeId))
            {
                return (ErrorCode.InvalidReplicaAssignment, $"This cluster has one broker (id {nodeId}); every partition's replica list must be [{nodeId}].");
            }

            partitions = topic.Assignments.Count;
        }
        else
        {
            var replication = topic.ReplicationFactor == -1 ? services.Options.DefaultReplicationFactor : topic.ReplicationFactor;
            if (replication <= 0)
            {
                return (ErrorCode.InvalidReplicationFactor, "Replication factor must be larger than 0, or -1 to use the default value.");
            }

            if (replication > 1)
            {
                return (ErrorCode.InvalidReplicationFactor, $"Unable to replicate the partition {replication} time(s): The target replication factor of {replication} cannot be reached because only 1 broker(s) are registered.");
            }

            if (partitions == -1)
            {
                partitions = services.Options.NumPartitions;
            }

            if (partitions <= 0)
            {
                return (ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0, or -1 to use the default value.");
            }
        }

        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var config in topic.Configs)
        {
            if (config.Value is null)
            {
                return (ErrorCode.InvalidConfig, $"Null value not supported for topic configs: {config.Name}");
            }

            if (!configs.TryAdd(config.Name, config.Value))
            {
                return (ErrorCode.InvalidRequest, $"Duplicate config {config.Name} for topic {topic.Name}.");
            }
        }

        try
        {
            TopicConfig.Create(services.Storage.Options, configs);
            if (validateOnly)
            {
                return (ErrorCode.None, null);
            }

            await services.Storage.CreateTopicAsync(topic.Name, partitions, configs, cancellationToken);
            services.Logger.TopicCreated(topic.Name, partitions, "CreateTopics");
            return (ErrorCode.None, null);
        }
        catch (StorageException e)
        {
            return ((ErrorCode)(short)e.Error, e.Message);
        }
    }

    /// <summary>DeleteTopics v0–4: deletes the topics and their data; unknown ones get UNKNOWN_TOPIC_OR_PARTITION.</summary>
    public async ValueTask<bool> DeleteTopicsAsync(RequestContext context, DeleteTopicsRequest request)
    {
        var response = new DeleteTopicsResponse();
        foreach (var name in request.TopicNames)
        {
            var error = ErrorCode.None;
            try
            {
                await services.Storage.DeleteTopicAsync(name, CancellationToken.None);
                services.Logger.TopicDeleted(name);
            }
            catch (StorageException e)
            {
                error = (ErrorCode)(short)e.Error;
            }

            response.Responses.Add(new DeleteTopicsResponse.DeletableTopicResult { Name = name, ErrorCode = (short)error });
        }

        context.Respond(response);
        return true;
    }

    /// <summary>CreatePartitions v0–1: grows topics to the new total; assignments, when given, must name this node.</summary>
    public async ValueTask<bool> CreatePartitionsAsync(RequestContext context, CreatePartitionsRequest request)
    {
        var response = new CreatePartitionsResponse();
        var duplicates = request.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var topic in request.Topics)
        {
            var (error, message) = duplicates.Contains(topic.Name)
                ? (ErrorCode.InvalidRequest, $"Duplicate topic in request: {topic.Name}")
                : await CreatePartitionsAsync(topic, request.ValidateOnly, CancellationToken.None);
            response.Results.Add(new CreatePartitionsResponse.CreatePartitionsTopicResult { Name = topic.Name, ErrorCode = (short)error, ErrorMessage = message });
        }

        context.Respond(response);
        return true;
    }

    private async ValueTask<(ErrorCode, string?)> CreatePartitionsAsync(CreatePartitionsRequest.CreatePartitionsTopic topic, bool validateOnly, CancellationToken cancellationToken)
    {
        var info = services.Storage.DescribeTopic(topic.Name);
        if (info is null)
        {
            return (ErrorCode.UnknownTopicOrPartition, $"The topic '{topic.Name}' does not exist.");
        }

        if (topic.Count < info.PartitionCount)
        {
            return (ErrorCode.InvalidPartitions, $"Topic currently has {info.PartitionCount} partitions, which is higher than the requested {topic.Count}.");
        }

        if (topic.Count == info.PartitionCount)
        {
            return (ErrorCode.InvalidPartitions, $"Topic already has {info.PartitionCount} partitions.");
        }

        if (topic.Assignments is { } assignments)
        {
            var nodeId = services.Cluster.NodeId;
            if (assignments.Count != topic.Count - info.PartitionCount)
            {
                return (ErrorCode.InvalidReplicaAssignment, $"Increasing the number of partitions by {topic.Count - info.PartitionCount} but {assignments.Count} assignments provided.");
            }

            if (assignments.Any(a => a.BrokerIds.Count != 1 || a.BrokerIds[0] != nodeId))
            {
                return (ErrorCode.InvalidReplicaAssignment, $"This cluster has one broker (id {nodeId}); every new partition's replica list must be [{nodeId}].");
            }
        }

        if (validateOnly)
        {
            return (ErrorCode.None, null);
        }

        try
        {
            await services.Storage.CreatePartitionsAsync(topic.Name, topic.Count, cancellationToken);
            return (ErrorCode.None, null);
        }
        catch (StorageException e)
        {
            return ((ErrorCode)(short)e.Error, e.Message);
        }
    }

    /// <summary>DeleteRecords v0–1: moves each partition's log start offset (-1: to the high watermark) and answers the new low watermark.</summary>
    public async ValueTask<bool> DeleteRecordsAsync(RequestContext context, DeleteRecordsRequest request)
    {
        var response = new DeleteRecordsResponse();
        foreach (var topic in request.Topics)
        {
            var topicResult = new DeleteRecordsResponse.DeleteRecordsTopicResult { Name = topic.Name };
            response.Topics.Add(topicResult);
            foreach (var partition in topic.Partitions)
            {
                var result = new DeleteRecordsResponse.DeleteRecordsPartitionResult { PartitionIndex = partition.PartitionIndex, LowWatermark = -1 };
                var log = services.Storage.GetPartition(topic.Name, partition.PartitionIndex);
                if (log is null)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                }
                else
                {
                    try
                    {
                        result.LowWatermark = await log.DeleteRecordsAsync(partition.Offset, CancellationToken.None);
                    }
                    catch (StorageException e)
                    {
                        result.ErrorCode = (short)e.Error;
                    }
                }

                topicResult.Partitions.Add(result);
            }
        }

        context.Respond(response);
        return true;
    }
}
