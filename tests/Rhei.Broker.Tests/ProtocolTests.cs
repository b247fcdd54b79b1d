using System.Text;
using Rhei.Broker.Tests.Support;
using Rhei.Protocol;
using Rhei.Protocol.Messages;
using Rhei.Protocol.Records;

namespace Rhei.Broker.Tests;

/// <summary>The broker's protocol behaviour seen from a bare TCP client: versions, traps real clients fall into, fetch details.</summary>
public sealed class ProtocolTests
{
    private static readonly string[] s_served =
    [
        "Produce 0-9", "Fetch 4-12", "ListOffsets 1-7", "Metadata 0-12", "OffsetCommit 2-8", "OffsetFetch 1-7", "FindCoordinator 0-3",
        "JoinGroup 0-5", "Heartbeat 0-4", "LeaveGroup 0-4", "SyncGroup 0-5", "DescribeGroups 0-5", "ListGroups 0-4", "ApiVersions 0-3",
        "CreateTopics 0-4", "DeleteTopics 0-4", "DeleteRecords 0-1", "InitProducerId 0-4", "OffsetForLeaderEpoch 2-3", "DescribeConfigs 0-2",
        "CreatePartitions 0-1", "DeleteGroups 0-1", "OffsetDelete 0-0", "DescribeCluster 0-1",
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ApiVersions_lists_exactly_the_served_apis(short version)
    {
        await using var broker = await TestBroker.StartAsync();
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        var response = await connection.RequestAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "raw", ClientSoftwareVersion = "1" }, version);
        Assert.Equal(0, response.ErrorCode);
        Assert.Equal(s_served.Order(StringComparer.Ordinal), response.ApiKeys.Select(k => $"{(ApiKey)k.ApiKey} {k.MinVersion}-{k.MaxVersion}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_too_new_ApiVersions_gets_a_v0_answer_with_UNSUPPORTED_VERSION_and_the_list()
    {
        await using var broker = await TestBroker.StartAsync();
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        await connection.SendAsync(connection.Frame(new ApiVersionsRequest(), 3, correlationId: 42) is var frame ? PatchVersion(frame, 7) : []);
        var answer = await connection.ReadFrameAsync() ?? throw new InvalidOperationException("closed");
        Assert.Equal(42, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(answer));
        var reader = new ProtocolReader(answer.AsMemory(4));
        var body = ApiVersionsResponse.Read(ref reader, 0);
        Assert.Equal((short)ErrorCode.UnsupportedVersion, body.ErrorCode);
        Assert.Equal(s_served.Length, body.ApiKeys.Count);

        // The connection stays usable.
        var again = await connection.RequestAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 3);
        Assert.Equal(0, again.ErrorCode);
    }

    [Fact]
    public async Task Pipelined_ApiVersions_and_Metadata_v0_are_answered_in_order_as_kafka_python_needs()
    {
        await using var broker = await TestBroker.StartAsync();
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        var both = connection.Frame(new ApiVersionsRequest(), 0, correlationId: 1).Concat(connection.Frame(new MetadataRequest(), 0, correlationId: 2)).ToArray();
        await connection.SendAsync(both);
        var first = await connection.ReadFrameAsync();
        var second = await connection.ReadFrameAsync();
        Assert.Equal(1, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(first));
        Assert.Equal(2, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(second));
        var metadata = RawConnection.Parse<MetadataResponse>(second!, ApiKey.Metadata, 0);
        Assert.Contains(metadata.Topics, t => t.Name == "__consumer_offsets");
        Assert.Equal(broker.Port, Assert.Single(metadata.Brokers).Port);
    }

    [Fact]
    public async Task Metadata_creates_topics_only_when_allowed_and_rejects_bad_names()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { NumPartitions = 4 });
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        MetadataRequest Ask(string name, bool allow) => new() { Topics = [new MetadataRequest.MetadataRequestTopic { Name = name }], AllowAutoTopicCreation = allow };

        var refused = await connection.RequestAsync<MetadataResponse>(Ask("not-created", allow: false), 12);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, refused.Topics[0].ErrorCode);
        Assert.Null(broker.Storage.DescribeTopic("not-created"));

        var created = await connection.RequestAsync<MetadataResponse>(Ask("created", allow: true), 12);
        Assert.Equal(0, created.Topics[0].ErrorCode);
        Assert.Equal(4, created.Topics[0].Partitions.Count);
        Assert.Equal(broker.Storage.DescribeTopic("created")!.TopicId, created.Topics[0].TopicId);
        Assert.Equal(broker.Broker.ClusterId, created.ClusterId);

        var invalid = await connection.RequestAsync<MetadataResponse>(Ask("bad/name", allow: true), 9);
        Assert.Equal((short)ErrorCode.InvalidTopicException, invalid.Topics[0].ErrorCode);

        // v1+: an empty list asks for no topics; v0: for all of them.
        Assert.Empty((await connection.RequestAsync<MetadataResponse>(new MetadataRequest(), 1)).Topics);
        Assert.Equal(2, (await connection.RequestAsync<MetadataResponse>(new MetadataRequest(), 0)).Topics.Count);
        Assert.Equal(2, (await connection.RequestAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12)).Topics.Count);
    }

    [Fact]
    public async Task Produce_v0_to_v2_is_refused_per_partition_and_v3_to_v9_appends()
    {
        await using var broker = await TestBroker.StartAsync();
        await broker.Storage.CreateTopicAsync("versions", 1);
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        for (short version = 0; version <= 9; version++)
        {
            var response = await connection.RequestAsync<ProduceResponse>(ProduceOne("versions", $"v{version}"), version);
            var partition = response.Responses[0].PartitionResponses[0];
            if (version < 3)
            {
                Assert.Equal((short)ErrorCode.UnsupportedVersion, partition.ErrorCode);
            }
            else
            {
                Assert.Equal(0, partition.ErrorCode);
                Assert.Equal(version - 3, partition.BaseOffset);
            }
        }

        Assert.Equal(7, broker.Storage.GetPartition("versions", 0)!.HighWatermark);
    }

    [Fact]
    public async Task Produce_with_acks_0_gets_no_answer_and_a_damaged_batch_gets_CORRUPT_MESSAGE()
    {
        await using var broker = await TestBroker.StartAsync();
        await broker.Storage.CreateTopicAsync("acks", 1);
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        var silent = ProduceOne("acks", "quiet");
        silent.Acks = 0;
        await connection.SendAsync(connection.Frame(silent, 9, correlationId: 100));
        var damaged = ProduceOne("acks", "damaged");
        var bytes = damaged.TopicData[0].PartitionData[0].Records!.Value.ToArray();
        bytes[^1] ^= 0xFF;
        damaged.TopicData[0].PartitionData[0].Records = bytes;
        await connection.SendAsync(connection.Frame(damaged, 9, correlationId: 101));
        var answer = await connection.ReadFrameAsync();
        Assert.Equal(101, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(answer));
        var response = RawConnection.Parse<ProduceResponse>(answer!, ApiKey.Produce, 9);
        var partition = response.Responses[0].PartitionResponses[0];
        Assert.Equal((short)ErrorCode.CorruptMessage, partition.ErrorCode);
        Assert.False(string.IsNullOrEmpty(partition.ErrorMessage));
        Assert.Equal(1, broker.Storage.GetPartition("acks", 0)!.HighWatermark);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    public async Task Fetch_answers_whole_batches_with_watermarks_at_every_version(short version)
    {
        await using var broker = await TestBroker.StartAsync();
        await broker.Storage.CreateTopicAsync("fetched", 2);
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        for (var i = 0; i < 5; i++)
        {
            await connection.RequestAsync<ProduceResponse>(ProduceOne("fetched", $"record {i}", records: 3), 9);
        }

        foreach (var isolation in new sbyte[] { 0, 1 })
        {
            var request = new FetchRequest { MaxWaitMs = 0, MinBytes = 1, IsolationLevel = isolation, MaxBytes = 1 << 20 };
            request.Topics.Add(new FetchRequest.FetchTopic
            {
                Topic = "fetched",
                Partitions =
                [
                    new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 4, PartitionMaxBytes = 1 << 20 },
                    new FetchRequest.FetchPartition { Partition = 1, FetchOffset = 0, PartitionMaxBytes = 1 << 20 },
                ],
            });
            await connection.SendAsync(connection.Frame(request, version));
            var frame = await connection.ReadFrameAsync() ?? throw new InvalidOperationException("closed");
            var response = RawConnection.Parse<FetchResponse>(frame, ApiKey.Fetch, version);

            // The hand-written encoder produces exactly what the generated one would for the same content.
            var headerLength = version >= 12 ? 5 : 4;
            Assert.Equal(frame.AsSpan(headerLength).ToArray(), response.ToArray(version));
            if (version >= 7)
            {
                Assert.Equal(0, response.SessionId);
            }

            var partition0 = response.Responses[0].Partitions[0];
            Assert.Equal(15, partition0.HighWatermark);
            Assert.Equal(15, partition0.LastStableOffset);
            if (version >= 5)
            {
                Assert.Equal(0, partition0.LogStartOffset);
            }

            Assert.Equal(isolation == 1 ? 0 : -1, partition0.AbortedTransactions?.Count ?? -1);

            // Offset 4 is inside the second batch (3..5): whole batches from there on.
            using var stored = await broker.Storage.GetPartition("fetched", 0)!.ReadAsync(3, 1 << 20);
            Assert.Equal(stored.Records.ToArray(), partition0.Records!.Value.ToArray());
            var first = new RecordBatchHeader(partition0.Records!.Value.Span);
            Assert.Equal(3, first.BaseOffset);
            Assert.Equal(0, response.Responses[0].Partitions[1].Records!.Value.Length);
            Assert.Equal(0, response.Responses[0].Partitions[1].HighWatermark);
        }
    }

    [Fact]
    public async Task Fetch_returns_one_batch_larger_than_the_limits_and_reports_out_of_range_offsets()
    {
        await using var broker = await TestBroker.StartAsync();
        await broker.Storage.CreateTopicAsync("big", 1);
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        await connection.RequestAsync<ProduceResponse>(ProduceOne("big", new string('b', 5000)), 9);
        await connection.RequestAsync<ProduceResponse>(ProduceOne("big", new string('c', 5000)), 9);

        var request = new FetchRequest { MaxWaitMs = 0, MinBytes = 1, MaxBytes = 100 };
        request.Topics.Add(new FetchRequest.FetchTopic { Topic = "big", Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 10 }] });
        var response = await connection.RequestAsync<FetchResponse>(request, 11);
        var records = response.Responses[0].Partitions[0].Records!.Value;
        Assert.Equal(new RecordBatchHeader(records.Span).TotalSize, records.Length);

        request.Topics[0].Partitions[0].FetchOffset = 50;
        var outOfRange = await connection.RequestAsync<FetchResponse>(request, 11);
        var partition = outOfRange.Responses[0].Partitions[0];
        Assert.Equal((short)ErrorCode.OffsetOutOfRange, partition.ErrorCode);
        Assert.Equal(2, partition.HighWatermark);
        Assert.Equal(0, partition.LogStartOffset);

        request.Topics[0].Topic = "missing";
        var unknown = await connection.RequestAsync<FetchResponse>(request, 11);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, unknown.Responses[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task A_long_poll_fetch_wakes_on_an_append_from_another_connection()
    {
        await using var broker = await TestBroker.StartAsync();
        await broker.Storage.CreateTopicAsync("poll", 3);
        using var consumer = await RawConnection.ConnectAsync(broker.Port);
        using var producer = await RawConnection.ConnectAsync(broker.Port);
        var request = new FetchRequest { MaxWaitMs = 120_000, MinBytes = 1, MaxBytes = 1 << 20 };
        request.Topics.Add(new FetchRequest.FetchTopic
        {
            Topic = "poll",
            Partitions = [.. Enumerable.Range(0, 3).Select(p => new FetchRequest.FetchPartition { Partition = p, FetchOffset = 0, PartitionMaxBytes = 1 << 20 })],
        });
        await consumer.SendAsync(consumer.Frame(request, 12));
        await Task.Delay(200);
        var produce = ProduceOne("poll", "wake up");
        produce.TopicData[0].PartitionData[0].Index = 2;
        await producer.RequestAsync<ProduceResponse>(produce, 9);

        // A guard far below max_wait_ms: only the append can have answered the fetch.
        var frame = await consumer.ReadFrameAsync(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException("closed");
        var response = RawConnection.Parse<FetchResponse>(frame, ApiKey.Fetch, 12);
        Assert.True(response.Responses[0].Partitions[2].Records!.Value.Length > 0);
    }

    [Fact]
    public async Task Producer_ids_never_repeat_across_restarts()
    {
        await using var broker = await TestBroker.StartAsync();
        var seen = new HashSet<long>();
        for (var round = 0; round < 3; round++)
        {
            using (var connection = await RawConnection.ConnectAsync(broker.Port))
            {
                for (var i = 0; i < 5; i++)
                {
                    var response = await connection.RequestAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60_000 }, 4);
                    Assert.Equal(0, response.ErrorCode);
                    Assert.Equal(0, response.ProducerEpoch);
                    Assert.True(seen.Add(response.ProducerId), $"Producer id {response.ProducerId} was handed out twice.");
                }

                var transactional1 = await connection.RequestAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 60_000 }, 4);
                var transactional2 = await connection.RequestAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 60_000 }, 4);
                Assert.Equal(transactional1.ProducerId, transactional2.ProducerId);
                Assert.Equal(transactional1.ProducerEpoch + 1, transactional2.ProducerEpoch);
            }

            await broker.RestartAsync();
        }
    }

    [Fact]
    public async Task OffsetForLeaderEpoch_ends_epoch_0_at_the_high_watermark()
    {
        await using var broker = await TestBroker.StartAsync();
        await broker.Storage.CreateTopicAsync("epochs", 1);
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        await connection.RequestAsync<ProduceResponse>(ProduceOne("epochs", "e", records: 4), 9);
        var request = new OffsetForLeaderEpochRequest();
        request.Topics.Add(new OffsetForLeaderEpochRequest.OffsetForLeaderTopic
        {
            Topic = "epochs",
            Partitions =
            [
                new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 0, LeaderEpoch = 0, CurrentLeaderEpoch = 0 },
                new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 1, LeaderEpoch = 0 },
            ],
        });
        var response = await connection.RequestAsync<OffsetForLeaderEpochResponse>(request, 2);
        Assert.Equal((0, 0, 4L), (response.Topics[0].Partitions[0].ErrorCode, response.Topics[0].Partitions[0].LeaderEpoch, response.Topics[0].Partitions[0].EndOffset));
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, response.Topics[0].Partitions[1].ErrorCode);
    }

    internal static ProduceRequest ProduceOne(string topic, string value, int records = 1)
    {
        using var builder = new RecordBatchBuilder();
        for (var i = 0; i < records; i++)
        {
            builder.Add(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Encoding.UTF8.GetBytes($"key{i}"), Encoding.UTF8.GetBytes(value));
        }

        var request = new ProduceRequest { Acks = -1, TimeoutMs = 30_000 };
        request.TopicData.Add(new ProduceRequest.TopicProduceData
        {
            Name = topic,
            PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = builder.Build() }],
        });
        return request;
    }

    /// <summary>Rewrites the api version in a request frame (bytes 6-7: after the size prefix and the api key).</summary>
    internal static byte[] PatchVersion(byte[] frame, short version)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), version);
        return frame;
    }
}
