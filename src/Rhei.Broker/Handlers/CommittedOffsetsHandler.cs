using Rhei.Broker.Network;
using Rhei.Protocol;
using Rhei.Protocol.Messages;
using Rhei.Storage;
using Rhei.Storage.Groups;

namespace Rhei.Broker.Handlers;

/// <summary>OffsetCommit, OffsetFetch and OffsetDelete: committed offsets, kept by storage in <c>__consumer_offsets</c>.</summary>
internal sealed class CommittedOffsetsHandler(BrokerServices services)
{
    /// <summary>
    /// OffsetCommit v2–8: members of a group commit with their generation; a simple consumer (generation -1)
    /// commits to a group without members. The commit is durable (appended) before the answer.
    /// </summary>
    public async ValueTask<bool> OffsetCommitAsync(RequestContext context, OffsetCommitRequest request)
    {
        var response = new OffsetCommitResponse();
        var groupError = services.Groups.ValidateCommit(
            request.GroupId, request.GenerationIdOrMemberEpoch, request.MemberId, context.ApiVersion >= 7 ? request.GroupInstanceId : null);
        var commits = new List<OffsetCommit>();
        var results = new List<(OffsetCommitResponse.OffsetCommitResponsePartition Result, bool Pending)>();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (var partition in topic.Partitions)
            {
                var result = new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = partition.PartitionIndex };
                topicResponse.Partitions.Add(result);
                if (groupError != ErrorCode.None)
                {
                    result.ErrorCode = (short)groupError;
                }
                else if (services.Storage.GetPartition(topic.Name, partition.PartitionIndex) is null)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                }
                else
                {
                    commits.Add(new OffsetCommit(topic.Name, partition.PartitionIndex, partition.CommittedOffset, partition.CommittedLeaderEpoch, partition.CommittedMetadata));
                    results.Add((result, true));
                }
            }
        }

        if (commits.Count > 0)
        {
            var error = ErrorCode.None;
            try
            {
                await services.Storage.GroupOffsets.CommitOffsetsAsync(request.GroupId, commits, CancellationToken.None);
            }
            catch (StorageException e)
            {
                error = (ErrorCode)(short)e.Error;
            }
            catch (OperationCanceledException)
            {
                error = ErrorCode.CoordinatorNotAvailable;
            }

            foreach (var (result, _) in results)
            {
                result.ErrorCode = (short)error;
            }
        }

        context.Respond(response);
        return true;
    }

    /// <summary>OffsetFetch v1–7: the committed offset of each partition asked for (all the group has, when topics is null), -1 when none.</summary>
    public bool OffsetFetch(RequestContext context, OffsetFetchRequest request)
    {
        var response = new OffsetFetchResponse();
        var store = services.Storage.GroupOffsets;
        if (request.Topics is null)
        {
            foreach (var topic in store.FetchOffsets(request.GroupId).GroupBy(o => o.Topic).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var topicResponse = new OffsetFetchResponse.OffsetFetchResponseTopic { Name = topic.Key };
                foreach (var committed in topic.OrderBy(o => o.Partition))
                {
                    topicResponse.Partitions.Add(Describe(committed.Partition, committed));
                }

                response.Topics.Add(topicResponse);
            }
        }
        else
        {
            foreach (var topic in request.Topics)
            {
                var topicResponse = new OffsetFetchResponse.OffsetFetchResponseTopic { Name = topic.Name };
                foreach (var partition in topic.PartitionIndexes)
                {
                    topicResponse.Partitions.Add(Describe(partition, store.FetchOffset(request.GroupId, topic.Name, partition)));
                }

                response.Topics.Add(topicResponse);
            }
        }

        context.Respond(response);
        return true;
    }

    private static OffsetFetchResponse.OffsetFetchResponsePartition Describe(int partition, CommittedOffset? committed) => new()
    {
        PartitionIndex = partition,
        CommittedOffset = committed?.Offset ?? -1,
        CommittedLeaderEpoch = committed?.LeaderEpoch ?? -1,
        Metadata = committed is null ? "" : committed.Metadata ?? "",
    };

    /// <summary>OffsetDelete v0: removes committed offsets, except those of topics the group's active members subscribe to.</summary>
    public async ValueTask<bool> OffsetDeleteAsync(RequestContext context, OffsetDeleteRequest request)
    {
        var response = new OffsetDeleteResponse();
        if (!services.Groups.Exists(request.GroupId))
        {
            response.ErrorCode = (short)ErrorCode.GroupIdNotFound;
            context.Respond(response);
            return true;
        }

        var subscribed = services.Groups.SubscribedTopics(request.GroupId);
        var doomed = new List<(string, int)>();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new OffsetDeleteResponse.OffsetDeleteResponseTopic { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (var partition in topic.Partitions)
            {
                var result = new OffsetDeleteResponse.OffsetDeleteResponsePartition { PartitionIndex = partition.PartitionIndex };
                if (subscribed is not null && subscribed.Contains(topic.Name))
                {
                    result.ErrorCode = (short)ErrorCode.GroupSubscribedToTopic;
                }
                else if (services.Storage.GetPartition(topic.Name, partition.PartitionIndex) is null)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                }
                else
                {
                    doomed.Add((topic.Name, partition.PartitionIndex));
                }

                topicResponse.Partitions.Add(result);
            }
        }

        await services.Storage.GroupOffsets.DeleteOffsetsAsync(request.GroupId, doomed, CancellationToken.None);
        context.Respond(response);
        return true;
    }
}
