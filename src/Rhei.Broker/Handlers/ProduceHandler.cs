using System.Runtime.InteropServices;
using Rhei.Broker.Diagnostics;
using Rhei.Broker.Network;
using Rhei.Protocol;
using Rhei.Protocol.Messages;
using Rhei.Protocol.Records;
using Rhei.Storage;
using Rhei.Storage.Topics;

namespace Rhei.Broker.Handlers;

/// <summary>
/// Produce v3–9: each partition's record batches are appended to storage as received (validated there; one
/// write per partition; idempotent producers deduplicated there). acks=1 and acks=-1 are the same on one node:
/// the answer comes after the append (and the fsync, when the flush policy asks for one). acks=0 gets no
/// answer; a failure then closes the connection, as Kafka does, so the client notices. Versions 0–2 carry
/// message sets older than record batch v2 and get UNSUPPORTED_VERSION for every partition.
/// </summary>
internal sealed class ProduceHandler(BrokerServices services)
{
    public async ValueTask<bool> HandleAsync(RequestContext context, ProduceRequest request)
    {
        var version = context.ApiVersion;
        var response = new ProduceResponse();
        var failed = false;
        var refusal = Refuse(request, version);
        var parallel = refusal is null && FsyncsMoreThanOnePartition(request);
        List<Task<ProduceResponse.PartitionProduceResponse>>? pending = parallel ? [] : null;
        foreach (var topic in request.TopicData)
        {
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topic.Name };
            response.Responses.Add(topicResponse);
            foreach (var partition in topic.PartitionData)
            {
                if (pending is not null)
                {
                    // Appends that fsync run side by side, so one request's fsyncs overlap instead of queueing.
                    var name = topic.Name;
                    pending.Add(Task.Run(async () => await AppendAsync(name, partition, CancellationToken.None)));
                    continue;
                }

                var result = refusal is { } r
                    ? Error(partition.Index, r.Error, r.Message)
                    : await AppendAsync(topic.Name, partition, CancellationToken.None);
                topicResponse.PartitionResponses.Add(result);
            }
        }

        if (pending is not null)
        {
            var results = await Task.WhenAll(pending);
            var i = 0;
            foreach (var topicResponse in response.Responses)
            {
                var count = request.TopicData[response.Responses.IndexOf(topicResponse)].PartitionData.Count;
                for (var p = 0; p < count; p++)
                {
                    topicResponse.PartitionResponses.Add(results[i++]);
                }
            }
        }

        foreach (var topicResponse in response.Responses)
        {
            foreach (var result in topicResponse.PartitionResponses)
            {
                if (version < 8)
                {
                    result.ErrorMessage = null;
                }

                failed |= result.ErrorCode != 0;
            }
        }

        if (request.Acks == 0)
        {
            context.NoResponse();
            if (failed)
            {
                services.Logger.AcksZeroFailed(context.Connection.ToString(), FirstError(response));
                return false;
            }

            return true;
        }

        context.Respond(response);
        return true;
    }

    /// <summary>True when at least two partitions of the request will fsync on this append (<c>flush.messages</c> reached by its records).</summary>
    private bool FsyncsMoreThanOnePartition(ProduceRequest request)
    {
        var fsyncs = 0;
        foreach (var topic in request.TopicData)
        {
            foreach (var partition in topic.PartitionData)
            {
                if (partition.Records is { Length: >= RecordBatchHeader.Size } records &&
                    services.Storage.GetPartition(topic.Name, partition.Index) is { } log &&
                    new RecordBatchHeader(records.Span).RecordsCount >= log.Config.FlushMessages &&
                    ++fsyncs > 1)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static (ErrorCode Error, string Message)? Refuse(ProduceRequest request, short version)
    {
        if (version < 3)
        {
            return (ErrorCode.UnsupportedVersion, $"Produce v{version} carries message sets older than record batch v2; Rhei serves Produce v3 and later.");
        }

        if (request.Acks is not (0 or 1 or -1))
        {
            return (ErrorCode.InvalidRequiredAcks, $"acks={request.Acks} is not valid: use 0, 1 or -1 (all).");
        }

        if (request.TransactionalId is not null)
        {
            return (ErrorCode.InvalidTxnState, $"Transactional produce (transactional id '{request.TransactionalId}') is not supported by this broker yet.");
        }

        return null;
    }

    private async ValueTask<ProduceResponse.PartitionProduceResponse> AppendAsync(string topic, ProduceRequest.PartitionProduceData partition, CancellationToken cancellationToken)
    {
        if (TopicNames.IsInternal(topic))
        {
            return Error(partition.Index, ErrorCode.InvalidTopicException, $"Cannot append to internal topic {topic}.");
        }

        var log = services.Storage.GetPartition(topic, partition.Index);
        if (log is null)
        {
            return Error(partition.Index, ErrorCode.UnknownTopicOrPartition, $"This server does not host {topic}-{partition.Index}.");
        }

        var records = partition.Records ?? ReadOnlyMemory<byte>.Empty;

        // Storage stamps base offsets in place; the request's bytes are ours (pooled frame buffer) until the response is written.
        var result = await log.AppendAsync(MemoryMarshal.AsMemory(records), cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            services.Logger.ProduceFailed(topic, partition.Index, result.Error.Name(), result.ErrorMessage);
            var error = Error(partition.Index, (ErrorCode)(short)result.Error, result.ErrorMessage);
            error.LogStartOffset = result.LogStartOffset;
            return error;
        }

        if (!result.IsDuplicate)
        {
            services.Metrics.Produced(topic, records.Length, result.LastOffset - result.BaseOffset + 1);
        }

        return new ProduceResponse.PartitionProduceResponse
        {
            Index = partition.Index,
            BaseOffset = result.BaseOffset,
            LogAppendTimeMs = result.LogAppendTime,
            LogStartOffset = result.LogStartOffset,
        };
    }

    private static ProduceResponse.PartitionProduceResponse Error(int partition, ErrorCode error, string? message) => new()
    {
        Index = partition,
        ErrorCode = (short)error,
        BaseOffset = -1,
        ErrorMessage = message,
    };

    private static string FirstError(ProduceResponse response)
    {
        foreach (var topic in response.Responses)
        {
            foreach (var partition in topic.PartitionResponses)
            {
                if (partition.ErrorCode != 0)
                {
                    return $"{topic.Name}-{partition.Index}: {((ErrorCode)partition.ErrorCode).DefaultMessage()}";
                }
            }
        }

        return "";
    }
}
