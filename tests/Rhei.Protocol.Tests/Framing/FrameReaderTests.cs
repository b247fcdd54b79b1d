using System.Buffers;
using Rhei.Protocol.Framing;
using Rhei.Protocol.Messages;
using Rhei.Protocol.Tests.Messages;

namespace Rhei.Protocol.Tests.Framing;

public sealed class FrameReaderTests
{
    private const int Max = FrameReader.DefaultMaxFrameBytes;

    /// <summary>Two frames back to back: a Produce v9 and a Metadata v12 request.</summary>
    private static byte[] TwoFrames()
    {
        var output = new ArrayBufferWriter<byte>();
        RequestFrameWriter.Write(output,
            new RequestHeader { RequestApiKey = (short)ApiKey.Produce, RequestApiVersion = 9, CorrelationId = 1, ClientId = "client-✓" },
            new ProduceRequest
            {
                Acks = -1,
                TimeoutMs = 1000,
                TopicData = [new ProduceRequest.TopicProduceData { Name = "orders", PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = new byte[] { 1, 2, 3, 4, 5 } }] }],
            });
        RequestFrameWriter.Write(output,
            new RequestHeader { RequestApiKey = (short)ApiKey.Metadata, RequestApiVersion = 12, CorrelationId = 2, ClientId = null },
            new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = "orders" }] });
        return output.WrittenSpan.ToArray();
    }

    private static List<string> ReadAll(ReadOnlySequence<byte> buffer)
    {
        var frames = new List<string>();
        while (FrameReader.TryReadFrame(buffer, Max, out var payload, out var consumed, out var examined))
        {
            Assert.Equal(consumed, examined);
            using var contiguous = FramePayload.Create(payload);
            Assert.True(RequestParser.TryRead(contiguous.Memory, out var header, out _, out var body));
            frames.Add($"{header.CorrelationId}:{header.ClientId}:{Hex.Format(body!.ToArray(header.RequestApiVersion))}");
            buffer = buffer.Slice(consumed);
        }
        Assert.Equal(0, buffer.Length);
        return frames;
    }

    [Fact]
    public void Two_frames_in_one_segment_parse()
    {
        var frames = ReadAll(new ReadOnlySequence<byte>(TwoFrames()));
        Assert.Equal(2, frames.Count);
        Assert.StartsWith("1:client-✓:", frames[0], StringComparison.Ordinal);
        Assert.StartsWith("2::", frames[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Splitting_into_two_segments_at_every_offset_parses_the_same()
    {
        var bytes = TwoFrames();
        var expected = ReadAll(new ReadOnlySequence<byte>(bytes));
        for (var i = 1; i < bytes.Length; i++)
        {
            Assert.Equal(expected, ReadAll(Segments.Split(bytes, i)));
        }
    }

    [Fact]
    public void Splitting_into_three_segments_at_every_pair_of_offsets_parses_the_same()
    {
        var bytes = TwoFrames();
        var expected = ReadAll(new ReadOnlySequence<byte>(bytes));
        for (var i = 1; i < bytes.Length; i++)
        {
            for (var j = i + 1; j < bytes.Length; j++)
            {
                Assert.Equal(expected, ReadAll(Segments.Split(bytes, i, j)));
            }
        }
    }

    [Fact]
    public void Bytes_arriving_one_at_a_time_report_consumed_and_examined_like_a_pipe_expects()
    {
        var bytes = TwoFrames();
        var expected = ReadAll(new ReadOnlySequence<byte>(bytes));
        var frames = new List<string>();
        var start = 0;
        for (var end = 1; end <= bytes.Length; end++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, start, end - start);
            if (FrameReader.TryReadFrame(buffer, Max, out var payload, out var consumed, out var examined))
            {
                var reader = new ProtocolReader(payload.ToArray());
                var header = RequestParser.ReadHeader(ref reader, out _);
                frames.Add(header.CorrelationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                start += (int)buffer.Slice(0, consumed).Length;
            }
            else
            {
                // Nothing consumed, everything examined: the pipe must wait for more bytes.
                Assert.Equal(buffer.Start, consumed);
                Assert.Equal(buffer.End, examined);
            }
        }
        Assert.Equal(["1", "2"], frames);
        Assert.Equal(bytes.Length, start);
        Assert.Equal(2, expected.Count);
    }

    [Theory]
    [InlineData("7f ff ff ff")]
    [InlineData("06 40 00 01")] // 100 MiB + 1
    [InlineData("ff ff ff ff")] // -1
    [InlineData("80 00 00 00")] // int.MinValue
    public void Bad_size_prefixes_are_rejected_from_the_four_prefix_bytes_alone(string prefix)
    {
        // Only the prefix has arrived: the reader must refuse now, not wait to buffer the frame.
        var buffer = new ReadOnlySequence<byte>(Hex.Parse(prefix));
        var error = Assert.Throws<InvalidDataException>(() => FrameReader.TryReadFrame(buffer, Max, out _, out _, out _));
        Assert.True(error.Message.Contains("socket.request.max.bytes", StringComparison.Ordinal) || error.Message.Contains("Invalid frame size", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void The_size_limit_is_inclusive_and_checked_when_the_prefix_is_split()
    {
        var atLimit = Segments.Split(Hex.Parse("00 00 00 10").Concat(new byte[16]).ToArray(), 1, 3);
        Assert.True(FrameReader.TryReadFrame(atLimit, 16, out var payload, out _, out _));
        Assert.Equal(16, payload.Length);
        var overLimit = Segments.Split(Hex.Parse("00 00 00 11"), 2);
        Assert.Throws<InvalidDataException>(() => FrameReader.TryReadFrame(overLimit, 16, out _, out _, out _));
    }

    [Fact]
    public void Payloads_spanning_segments_are_copied_into_a_pooled_buffer_and_single_segments_are_not()
    {
        var bytes = TwoFrames();
        Assert.True(FrameReader.TryReadFrame(new ReadOnlySequence<byte>(bytes), Max, out var single, out _, out _));
        using (var payload = FramePayload.Create(single))
        {
            Assert.False(payload.IsCopy);
        }
        Assert.True(FrameReader.TryReadFrame(Segments.Split(bytes, 10), Max, out var split, out _, out _));
        using (var payload = FramePayload.Create(split))
        {
            Assert.True(payload.IsCopy);
            Assert.Equal(split.ToArray(), payload.Memory.ToArray());
        }
    }
}
