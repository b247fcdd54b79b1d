using System.Runtime.InteropServices;
using Rhei.Protocol.Messages;

namespace Rhei.Protocol.Tests.Messages;

/// <summary>
/// Byte vectors written by hand from the specs and the protocol guide, so that a bug made the same way in
/// reading and writing (which a round trip cannot see) still fails.
/// </summary>
public sealed class KnownBytesTests
{
    private static readonly Guid TopicId = Guid.Parse("00010203-0405-0607-0809-0a0b0c0d0e0f");

    [Fact]
    public void ApiVersions_request_v0_has_an_empty_body() =>
        AssertBytes(new ApiVersionsRequest(), 0, "");

    [Fact]
    public void ApiVersions_request_v3_uses_compact_strings_and_a_tagged_section() =>
        AssertBytes(
            new ApiVersionsRequest { ClientSoftwareName = "rhei", ClientSoftwareVersion = "1.0" },
            3,
            "05 72 68 65 69 | 04 31 2e 30 | 00");

    [Fact]
    public void ApiVersions_request_v0_drops_the_ignorable_client_software_fields() =>
        AssertBytes(new ApiVersionsRequest { ClientSoftwareName = "rhei", ClientSoftwareVersion = "1.0" }, 0, "", roundTrips: false);

    [Fact]
    public void ApiVersions_response_v0() =>
        AssertBytes(
            new ApiVersionsResponse
            {
                ErrorCode = 0,
                ApiKeys =
                [
                    new ApiVersionsResponse.ApiVersion { ApiKey = 0, MinVersion = 0, MaxVersion = 9 },
                    new ApiVersionsResponse.ApiVersion { ApiKey = 18, MinVersion = 0, MaxVersion = 3 },
                ],
            },
            0,
            "00 00 | 00 00 00 02 | 00 00 00 00 00 09 | 00 12 00 00 00 03");

    [Fact]
    public void ApiVersions_response_v3_with_a_tagged_field() =>
        AssertBytes(
            new ApiVersionsResponse
            {
                ApiKeys =
                [
                    new ApiVersionsResponse.ApiVersion { ApiKey = 0, MinVersion = 0, MaxVersion = 9 },
                    new ApiVersionsResponse.ApiVersion { ApiKey = 18, MinVersion = 0, MaxVersion = 3 },
                ],
                ThrottleTimeMs = 0,
                FinalizedFeaturesEpoch = 5,
            },
            3,
            "00 00 | 03 | 00 00 00 00 00 09 00 | 00 12 00 00 00 03 00 | 00 00 00 00 | 01 01 08 00 00 00 00 00 00 00 05");

    [Fact]
    public void ApiVersions_response_defaults_leave_tagged_fields_out() =>
        AssertBytes(new ApiVersionsResponse { ErrorCode = 35 }, 3, "00 23 | 01 | 00 00 00 00 | 00");

    [Fact]
    public void Metadata_request_v0() =>
        AssertBytes(
            new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = "orders" }] },
            0,
            "00 00 00 01 | 00 06 6f 72 64 65 72 73");

    [Fact]
    public void Metadata_request_v1_null_topics_means_all_topics() =>
        AssertBytes(new MetadataRequest { Topics = null }, 1, "ff ff ff ff");

    [Fact]
    public void Metadata_request_v12_with_a_big_endian_topic_id() =>
        AssertBytes(
            new MetadataRequest
            {
                Topics = [new MetadataRequest.MetadataRequestTopic { TopicId = TopicId, Name = "orders" }],
                AllowAutoTopicCreation = true,
            },
            12,
            "02 | 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f | 07 6f 72 64 65 72 73 | 00 | 01 | 00 | 00");

    [Fact]
    public void Metadata_request_v12_null_topics() =>
        AssertBytes(new MetadataRequest { Topics = null, AllowAutoTopicCreation = false }, 12, "00 | 00 | 00 | 00");

    [Fact]
    public void Metadata_response_v0() =>
        AssertBytes(
            new MetadataResponse
            {
                Brokers = [new MetadataResponse.MetadataResponseBroker { NodeId = 0, Host = "h", Port = 9092 }],
                Topics =
                [
                    new MetadataResponse.MetadataResponseTopic
                    {
                        Name = "t",
                        Partitions =
                        [
                            new MetadataResponse.MetadataResponsePartition { PartitionIndex = 0, LeaderId = 0, ReplicaNodes = [0], IsrNodes = [0] },
                        ],
                    },
                ],
            },
            0,
            "00 00 00 01 | 00 00 00 00 00 01 68 00 00 23 84 | 00 00 00 01 | 00 00 00 01 74 | 00 00 00 01 | 00 00 00 00 00 00 00 00 00 00 | 00 00 00 01 00 00 00 00 | 00 00 00 01 00 00 00 00");

    [Fact]
    public void Produce_request_v3_carries_records_as_opaque_bytes()
    {
        var bytes = Hex.Parse("ff ff | ff ff | 00 00 03 e8 | 00 00 00 01 | 00 01 74 | 00 00 00 01 | 00 00 00 00 | 00 00 00 03 aa bb cc");
        var reader = new ProtocolReader(bytes);
        var request = ProduceRequest.Read(ref reader, 3);
        Assert.Null(request.TransactionalId);
        Assert.Equal(-1, request.Acks);
        Assert.Equal(1000, request.TimeoutMs);
        var partition = Assert.Single(Assert.Single(request.TopicData).PartitionData);
        Assert.Equal("t", request.TopicData[0].Name);
        var records = partition.Records!.Value;
        Assert.Equal(Hex.Parse("aa bb cc"), records.ToArray());
        // Zero copy: the records are a slice of the request buffer.
        Assert.True(MemoryMarshal.TryGetArray(records, out var segment));
        Assert.Same(bytes, segment.Array);
        Assert.Equal(bytes.Length - 3, segment.Offset);
        Assert.Equal(bytes, request.ToArray(3));
    }

    [Fact]
    public void Produce_request_v9_flexible_with_a_transactional_id() =>
        AssertBytes(
            new ProduceRequest
            {
                TransactionalId = "tx",
                Acks = 1,
                TimeoutMs = 30000,
                TopicData =
                [
                    new ProduceRequest.TopicProduceData
                    {
                        Name = "t",
                        PartitionData = [new ProduceRequest.PartitionProduceData { Index = 2, Records = Hex.Parse("01 02") }],
                    },
                ],
            },
            9,
            "03 74 78 | 00 01 | 00 00 75 30 | 02 | 02 74 | 02 | 00 00 00 02 | 03 01 02 | 00 | 00 | 00");

    [Fact]
    public void Request_header_v1_and_v2_keep_the_client_id_as_a_classic_string()
    {
        var header = new RequestHeader { RequestApiKey = 18, RequestApiVersion = 3, CorrelationId = 7, ClientId = "rhei" };
        AssertBytes(header, 1, "00 12 00 03 00 00 00 07 00 04 72 68 65 69");
        AssertBytes(header, 2, "00 12 00 03 00 00 00 07 00 04 72 68 65 69 00");
        AssertBytes(new RequestHeader { RequestApiKey = 3, RequestApiVersion = 0, CorrelationId = 1, ClientId = null }, 1, "00 03 00 00 00 00 00 01 ff ff");
    }

    [Fact]
    public void Response_headers_v0_and_v1()
    {
        AssertBytes(new ResponseHeader { CorrelationId = 258 }, 0, "00 00 01 02");
        AssertBytes(new ResponseHeader { CorrelationId = 258 }, 1, "00 00 01 02 00");
    }

    [Fact]
    public void Consumer_protocol_subscription_v0_and_v3()
    {
        var subscription = new ConsumerProtocolSubscription { Topics = ["a", "bc"], UserData = null };
        AssertBytes(subscription, 0, "00 00 00 02 00 01 61 00 02 62 63 | ff ff ff ff");
        subscription.OwnedPartitions = [new ConsumerProtocolSubscription.TopicPartition { Topic = "a", Partitions = [1] }];
        subscription.GenerationId = 4;
        subscription.RackId = "r";
        AssertBytes(subscription, 3, "00 00 00 02 00 01 61 00 02 62 63 | ff ff ff ff | 00 00 00 01 00 01 61 00 00 00 01 00 00 00 01 | 00 00 00 04 | 00 01 72");
    }

    private static void AssertBytes<T>(T message, short version, string expectedHex, bool roundTrips = true)
        where T : class, IProtocolMessage<T>
    {
        var expected = Hex.Parse(expectedHex);
        var written = message.ToArray(version);
        Assert.Equal(Hex.Format(expected), Hex.Format(written));
        var reader = new ProtocolReader(expected);
        var read = T.Read(ref reader, version);
        Assert.Equal(0, reader.Remaining);
        if (roundTrips)
        {
            Assert.Equal(message, read);
        }
        Assert.Equal(Hex.Format(expected), Hex.Format(read.ToArray(version)));
    }
}
