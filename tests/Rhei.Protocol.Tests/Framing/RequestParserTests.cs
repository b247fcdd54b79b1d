using System.Buffers;
using System.Buffers.Binary;
using Rhei.Protocol.Framing;
using Rhei.Protocol.Messages;
using Rhei.Protocol.Tests.Messages;

namespace Rhei.Protocol.Tests.Framing;

public sealed class RequestParserTests
{
    [Fact]
    public void An_unknown_api_key_still_yields_key_version_and_correlation_id()
    {
        var payload = Hex.Parse("03 e7 | 00 03 | 00 00 00 2a | de ad be ef");
        Assert.False(RequestParser.TryRead(payload, out var header, out var headerVersion, out var body));
        Assert.Equal(999, header.RequestApiKey);
        Assert.Equal(3, header.RequestApiVersion);
        Assert.Equal(42, header.CorrelationId);
        Assert.Equal(-1, headerVersion);
        Assert.Null(body);
    }

    [Fact]
    public void A_newer_api_versions_request_parses_its_v2_header_and_leaves_the_body_to_the_broker()
    {
        // ApiVersions v4 (not served): header v2 with client id and tagged fields, then a body Rhei does not read.
        var payload = Hex.Parse("00 12 | 00 04 | 00 00 00 05 | 00 03 6b 61 66 | 00 | 05 72 68 65 69 01 00");
        Assert.False(RequestParser.TryRead(payload, out var header, out var headerVersion, out var body));
        Assert.Equal((short)ApiKey.ApiVersions, header.RequestApiKey);
        Assert.Equal(4, header.RequestApiVersion);
        Assert.Equal(5, header.CorrelationId);
        Assert.Equal("kaf", header.ClientId);
        Assert.Equal(2, headerVersion);
        Assert.Null(body);
    }

    [Fact]
    public void Old_produce_versions_parse_so_the_broker_can_answer_unsupported_version()
    {
        var output = new ArrayBufferWriter<byte>();
        var request = new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 5,
            TopicData = [new ProduceRequest.TopicProduceData { Name = "t", PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = new byte[] { 9 } }] }],
        };
        RequestFrameWriter.Write(output, new RequestHeader { RequestApiKey = 0, RequestApiVersion = 2, CorrelationId = 11, ClientId = "old" }, request);
        var payload = output.WrittenMemory[FrameReader.SizePrefixLength..];
        Assert.True(RequestParser.TryRead(payload, out var header, out var headerVersion, out var body));
        Assert.Equal(1, headerVersion);
        Assert.Equal("old", header.ClientId);
        Assert.Equal(request, body);
    }

    [Fact]
    public void A_request_too_short_for_a_header_is_rejected()
    {
        Assert.Throws<InvalidDataException>(() => RequestParser.TryRead(Hex.Parse("00 12 00 03 00 00 00"), out _, out _, out _));
    }

    [Fact]
    public void Response_frames_use_header_v0_for_api_versions_and_v1_for_flexible_apis()
    {
        var apiVersions = new ArrayBufferWriter<byte>();
        ResponseFrameWriter.Write(apiVersions, ApiKey.ApiVersions, 3, 77, new ApiVersionsResponse { ErrorCode = 0 });
        // size | correlation id | body (no tagged byte in the header even though v3 is flexible)
        Assert.Equal("0000000c | 0000004d | 0000 01 00000000 00".Replace(" ", "", StringComparison.Ordinal).Replace("|", "", StringComparison.Ordinal), Hex.Format(apiVersions.WrittenSpan));

        var metadata = new ArrayBufferWriter<byte>();
        var body = new MetadataResponse { ClusterId = "c" };
        ResponseFrameWriter.Write(metadata, ApiKey.Metadata, 12, 78, body);
        var frame = metadata.WrittenSpan;
        Assert.Equal(frame.Length - 4, BinaryPrimitives.ReadInt32BigEndian(frame));
        Assert.Equal(Hex.Format(new ResponseHeader { CorrelationId = 78 }.ToArray(1)), Hex.Format(frame.Slice(4, 5)));
        var reader = new ProtocolReader(frame[9..].ToArray());
        Assert.Equal(body, MetadataResponse.Read(ref reader, 12));

        var old = new ArrayBufferWriter<byte>();
        ResponseFrameWriter.Write(old, ApiKey.Metadata, 8, 79, new MetadataResponse());
        Assert.Equal(Hex.Format(new ResponseHeader { CorrelationId = 79 }.ToArray(0)), Hex.Format(old.WrittenSpan.Slice(4, 4)));
    }

    [Fact]
    public void A_request_frame_round_trips_through_frame_reader_and_parser()
    {
        var output = new ArrayBufferWriter<byte>();
        var request = new FetchRequest
        {
            MaxWaitMs = 500,
            MinBytes = 1,
            IsolationLevel = 1,
            Topics = [new FetchRequest.FetchTopic { Topic = "t", Partitions = [new FetchRequest.FetchPartition { Partition = 3, FetchOffset = 42, PartitionMaxBytes = 1 << 20 }] }],
            RackId = "r1",
        };
        RequestFrameWriter.Write(output, new RequestHeader { RequestApiKey = 1, RequestApiVersion = 12, CorrelationId = 9, ClientId = "c" }, request);
        Assert.True(FrameReader.TryReadFrame(new ReadOnlySequence<byte>(output.WrittenMemory), 1 << 20, out var payload, out _, out _));
        Assert.True(RequestParser.TryRead(payload.First, out var header, out var headerVersion, out var body));
        Assert.Equal(2, headerVersion);
        Assert.Equal(9, header.CorrelationId);
        Assert.Equal(request, body);
    }
}
