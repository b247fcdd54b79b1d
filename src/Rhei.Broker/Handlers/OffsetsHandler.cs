using Rhei.Broker.Network;
using Rhei.Protocol;
using Rhei.Protocol.Messages;
using Rhei.Storage.Partitions;

namespace Rhei.Broker.Handlers;

/// <summary>ListOffsets, OffsetForLeaderEpoch and InitProducerId: offsets by time and epoch, and producer ids.</summary>
internal sealed class OffsetsHandler(BrokerServices services)
{
    /// <summary>ListOffsets v1–7: earliest (-2), latest (-1; the last stable offset for read_committed), max timestamp (-3, v7+), or the first offset at or after a timestamp.</summary>
    public async ValueTask<bool> ListOffsetsAsync(RequestContext context, ListOffsetsRequest request)
    {
        var response = new ListOffsetsResponse();
        var readCommitted = request.IsolationLevel == 1;
        foreach (var topic in request.Topics)
        {
            var topicResponse = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (var partition in topic.Partitions)
            {
                topicResponse.Partitions.Add(await ListOffsetAsync(topic.Name, partition, readCommitted, context.ApiVersion, CancellationToken.None));
            }
        }

        context.Respond(response);
        return true;
    }

    private async ValueTask<ListOffsetsResponse.ListOffsetsPartitionResponse> ListOffsetAsync(string topic, ListOffsetsRequest.ListOffsetsPartition partition, bool readCommitted, short version, CancellationToken cancellationToken)
    {
        var answer = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = partition.PartitionIndex };
        var log = services.Storage.GetPartition(topic, partition.PartitionIndex);
        if (log is null)
        {
            answer.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            return answer;
        }

        if (partition.CurrentLeaderEpoch > log.LeaderEpoch)
        {
            answer.ErrorCode = (short)ErrorCode.UnknownLeaderEpoch;
            return answer;
        }

        switch (partition.Timestamp)
        {
            case OffsetTimestamps.Earliest:
                answer.Offset = log.LogStartOffset;
                break;
            case OffsetTimestamps.Latest:
                answer.Offset = readCommitted ? log.LastStableOffset : log.HighWatermark;
                break;
            case OffsetTimestamps.MaxTimestamp when version >= 7:
            case >= 0:
                if (await log.GetOffsetForTimestampAsync(partition.Timestamp, cancellationToken) is { } found)
                {
                    answer.Offset = found.Offset;
                    answer.Timestamp = found.Timestamp;
                }

                break;
            default:
                answer.ErrorCode = (short)ErrorCode.UnsupportedVersion;
                return answer;
        }

        if (version >= 4)
        {
            answer.LeaderEpoch = log.LeaderEpoch;
        }

        return answer;
    }

    /// <summary>
    /// OffsetForLeaderEpoch v2–3: the leader epoch is always 0 on one node, so epoch 0 ends at the high
    /// watermark; a later epoch is unknown (epoch and offset -1).
    /// </summary>
    public bool OffsetForLeaderEpoch(RequestContext context, OffsetForLeaderEpochRequest request)
    {
        var response = new OffsetForLeaderEpochResponse();
        foreach (var topic in request.Topics)
        {
            var topicResult = new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult { Topic = topic.Topic };
            response.Topics.Add(topicResult);
            foreach (var partition in topic.Partitions)
            {
                var result = new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = partition.Partition };
                var log = services.Storage.GetPartition(topic.Topic, partition.Partition);
                if (log is null)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                }
                else if (partition.CurrentLeaderEpoch > log.LeaderEpoch)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownLeaderEpoch;
                }
                else if (partition.CurrentLeaderEpoch >= 0 && partition.CurrentLeaderEpoch < log.LeaderEpoch)
                {
                    result.ErrorCode = (short)ErrorCode.FencedLeaderEpoch;
                }
                else if (partition.LeaderEpoch <= log.LeaderEpoch)
                {
                    result.LeaderEpoch = log.LeaderEpoch;
                    result.EndOffset = log.HighWatermark;
                }

                topicResult.Partitions.Add(result);
            }
        }

        context.Respond(response);
        return true;
    }

    /// <summary>
    /// InitProducerId v0–4: a new producer id for an idempotent producer; for a transactional id, its producer
    /// id with the epoch bumped. Ids are reserved on disk in blocks so they never repeat after a restart.
    /// </summary>
    public bool InitProducerId(RequestContext context, InitProducerIdRequest request)
    {
        var response = new InitProducerIdResponse();
        if (string.IsNullOrEmpty(request.TransactionalId))
        {
            response.ProducerId = services.ProducerIds.NextProducerId();
            response.ProducerEpoch = 0;
        }
        else if (request.TransactionTimeoutMs <= 0 || request.TransactionTimeoutMs > services.Options.TransactionMaxTimeoutMs)
        {
            response.ErrorCode = (short)ErrorCode.InvalidTransactionTimeout;
        }
        else
        {
            (response.ProducerId, response.ProducerEpoch) = services.ProducerIds.InitTransactional(request.TransactionalId);
        }

        context.Respond(response);
        return true;
    }
}
