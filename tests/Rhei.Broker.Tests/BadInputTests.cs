using System.Buffers.Binary;
using Confluent.Kafka;
using Rhei.Broker.Tests.Support;
using Rhei.Protocol.Messages;

namespace Rhei.Broker.Tests;

/// <summary>
/// Hostile or broken input on some connections: each gets an error answer or a closed connection, while a
/// Confluent.Kafka producer and consumer on other connections keep working throughout.
/// </summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task Bad_requests_close_their_own_connection_and_nobody_else_notices()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { SocketRequestMaxBytes = 1024 * 1024 });
        var clients = new Clients(broker.BootstrapServers);
        await clients.CreateTopicAsync("steady", 2);
        using var stop = new CancellationTokenSource();
        var produced = 0;
        var produceErrors = 0;
        var producing = Task.Run(async () =>
        {
            using var producer = clients.Producer<Null, int>(c => c.LingerMs = 1);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await producer.ProduceAsync("steady", new Message<Null, int> { Value = produced });
                    produced++;
                }
                catch (ProduceException<Null, int>)
                {
                    produceErrors++;
                }
            }
        });

        var port = broker.Port;

        // Random bytes behind a plausible size prefix.
        var random = new Random(1234);
        for (var i = 0; i < 100; i++)
        {
            var size = random.Next(8, 300);
            var frame = new byte[4 + size];
            BinaryPrimitives.WriteInt32BigEndian(frame, size);
            random.NextBytes(frame.AsSpan(4));
            await ExpectCloseOrAnswerAsync(port, frame);
        }

        // Raw garbage, including a size prefix far above socket.request.max.bytes.
        await ExpectClosedAsync(port, [0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3]);
        await ExpectClosedAsync(port, [0x00, 0x20, 0x00, 0x00]);

        // Negative length.
        await ExpectClosedAsync(port, [0xFF, 0xFF, 0xFF, 0xFE, 0, 0, 0, 0]);

        // A truncated frame: the client goes away half-way.
        using (var connection = await RawConnection.ConnectAsync(port))
        {
            var frame = connection.Frame(new MetadataRequest(), 9);
            await connection.SendAsync(frame[..(frame.Length / 2)]);
            connection.ShutdownSend();
            Assert.True(await connection.WaitForCloseAsync(Clients.Guard));
        }

        // A frame shorter than a request header.
        await ExpectClosedAsync(port, [0, 0, 0, 3, 0, 3, 0]);

        // An api key Kafka does not define, and one it defines but this broker does not serve.
        await ExpectClosedAsync(port, PatchApiKey(Frame(port, new ApiVersionsRequest(), 0), 999));
        await ExpectClosedAsync(port, PatchApiKey(Frame(port, new ApiVersionsRequest(), 0), (short)Protocol.ApiKey.AlterConfigs));

        // Unsupported versions of served APIs: Metadata v13, Fetch v3, and a transaction API that is not advertised.
        await ExpectClosedAsync(port, ProtocolTests.PatchVersion(Frame(port, new MetadataRequest(), 12), 13));
        await ExpectClosedAsync(port, ProtocolTests.PatchVersion(Frame(port, new FetchRequest(), 4), 3));
        await ExpectClosedAsync(port, Frame(port, new EndTxnRequest { TransactionalId = "t" }, 0));

        // Lying lengths inside requests: a topic array longer than the request, a string running past the end,
        // a records field claiming more bytes than there are.
        var metadata = Frame(port, new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = "x" }] }, 1);
        await ExpectClosedAsync(port, Patch(metadata, HeaderLength(metadata), 0x00, 0x10, 0x00, 0x00));
        await ExpectClosedAsync(port, Patch(metadata, HeaderLength(metadata) + 4, 0x7F, 0x00));
        var produce = Frame(port, ProtocolTests.ProduceOne("steady", "lie"), 3);
        var recordsLength = produce.Length - (ProtocolTests.ProduceOne("steady", "lie").TopicData[0].PartitionData[0].Records!.Value.Length + 4);
        await ExpectClosedAsync(port, Patch(produce, recordsLength, 0x00, 0x10, 0x00, 0x00));

        // A record batch whose own length field lies is refused with an error; the connection stays open.
        using (var connection = await RawConnection.ConnectAsync(port))
        {
            var request = ProtocolTests.ProduceOne("steady", "batch lies");
            var batch = request.TopicData[0].PartitionData[0].Records!.Value.ToArray();
            BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(8), batch.Length * 3);
            request.TopicData[0].PartitionData[0].Records = batch;
            var response = await connection.RequestAsync<ProduceResponse>(request, 9);
            Assert.Equal((short)Protocol.ErrorCode.CorruptMessage, response.Responses[0].PartitionResponses[0].ErrorCode);
            var again = await connection.RequestAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 3);
            Assert.Equal(0, again.ErrorCode);
        }

        var before = produced;
        var deadline = DateTime.UtcNow + Clients.Guard;
        while (produced < before + 50 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await producing;
        Assert.Equal(0, produceErrors);
        Assert.True(produced >= before + 50, $"The producer stalled.\n{clients.LogText}");

        using var consumer = clients.Consumer<Null, int>();
        consumer.Assign([new TopicPartitionOffset("steady", 0, Offset.Beginning), new TopicPartitionOffset("steady", 1, Offset.Beginning)]);
        var records = clients.ConsumeAssigned(consumer, produced);
        Assert.Equal(Enumerable.Range(0, produced), records.Select(r => r.Message.Value).Order());
    }

    private static byte[] Frame(int port, IRequestMessage request, short version)
    {
        _ = port;
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        Protocol.Framing.RequestFrameWriter.Write(writer, new RequestHeader { RequestApiKey = (short)request.ApiKey, RequestApiVersion = version, CorrelationId = 9, ClientId = "bad" }, request);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Size prefix, api key, version, correlation id, client id (non-flexible header v1).</summary>
    private static int HeaderLength(byte[] frame) => 4 + 8 + 2 + BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(12));

    private static byte[] Patch(byte[] frame, int position, params byte[] bytes)
    {
        var copy = frame.ToArray();
        bytes.CopyTo(copy, position);
        return copy;
    }

    private static byte[] PatchApiKey(byte[] frame, short apiKey)
    {
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), apiKey);
        return frame;
    }

    private static async Task ExpectClosedAsync(int port, byte[] bytes)
    {
        using var connection = await RawConnection.ConnectAsync(port);
        await connection.SendAsync(bytes);
        Assert.True(await connection.WaitForCloseAsync(Clients.Guard), $"The broker kept the connection open after {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 32)))}.");
    }

    /// <summary>Random input may happen to be a request the broker can answer; anything else must close the connection.</summary>
    private static async Task ExpectCloseOrAnswerAsync(int port, byte[] bytes)
    {
        using var connection = await RawConnection.ConnectAsync(port);
        await connection.SendAsync(bytes);
        connection.ShutdownSend();
        Assert.True(await connection.WaitForCloseAsync(Clients.Guard), $"The broker neither answered nor closed after {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 32)))}.");
    }
}
