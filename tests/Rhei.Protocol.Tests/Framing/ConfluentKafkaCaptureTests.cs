using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Numerics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Rhei.Protocol.Messages;
using Xunit.Abstractions;

namespace Rhei.Protocol.Tests.Framing;

/// <summary>
/// Requests sent by an unmodified Confluent.Kafka 2.16 (librdkafka) client over TCP decode with the
/// generated code, and the generated responses are understood well enough for it to finish its work.
/// </summary>
public sealed class ConfluentKafkaCaptureTests(ITestOutputHelper output)
{
    // A guard against a hung client, not a timing assertion.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Producer_requests_decode_and_the_produce_carries_a_record_batch_v2()
    {
        await using var server = CaptureServer.Start();
        var logs = new ConcurrentQueue<string>();
        var config = new ProducerConfig
        {
            BootstrapServers = $"127.0.0.1:{server.Port}",
            ClientId = "rhei-capture-test",
            MessageTimeoutMs = 30_000,
            LingerMs = 0,
            Acks = Acks.All,
        };
        using var producer = new ProducerBuilder<string, string>(config)
            .SetLogHandler((_, message) => logs.Enqueue($"{message.Level} {message.Facility} {message.Message}"))
            .Build();

        using var timeout = new CancellationTokenSource(Guard);
        DeliveryResult<string, string> delivery;
        try
        {
            delivery = await producer.ProduceAsync("orders", new Message<string, string> { Key = "k1", Value = "hello rhei" }, timeout.Token);
        }
        catch (Exception e) when (e is ProduceException<string, string> or OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"Produce failed: {e.Message}\nServer errors: {string.Join('\n', server.Errors)}\nRequests: {Describe(server)}\nClient log:\n{string.Join('\n', logs)}");
        }
        output.WriteLine($"Requests: {Describe(server)}");
        Assert.Equal(PersistenceStatus.Persisted, delivery.Status);
        Assert.Empty(server.Errors);

        var requests = server.Requests.ToList();
        var apiVersions = requests.First(r => r.Header.RequestApiKey == (short)ApiKey.ApiVersions);
        Assert.Equal(3, apiVersions.Header.RequestApiVersion);
        Assert.Equal(2, apiVersions.HeaderVersion);
        Assert.Equal("rhei-capture-test", apiVersions.Header.ClientId);
        var apiVersionsBody = Assert.IsType<ApiVersionsRequest>(apiVersions.Body);
        Assert.False(string.IsNullOrEmpty(apiVersionsBody.ClientSoftwareName));

        var metadata = requests.First(r => r.Header.RequestApiKey == (short)ApiKey.Metadata);
        Assert.Equal(12, metadata.Header.RequestApiVersion);
        Assert.IsType<MetadataRequest>(metadata.Body);

        var produce = requests.Single(r => r.Header.RequestApiKey == (short)ApiKey.Produce);
        Assert.Equal(9, produce.Header.RequestApiVersion);
        var body = Assert.IsType<ProduceRequest>(produce.Body);
        Assert.Equal(-1, body.Acks);
        var topic = Assert.Single(body.TopicData);
        Assert.Equal("orders", topic.Name);
        var partition = Assert.Single(topic.PartitionData);
        Assert.Equal(0, partition.Index);
        AssertRecordBatchV2(partition.Records!.Value.Span, expectedRecords: 1);
    }

    [Fact]
    public async Task Admin_create_topics_request_decodes()
    {
        await using var server = CaptureServer.Start();
        var logs = new ConcurrentQueue<string>();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = $"127.0.0.1:{server.Port}", ClientId = "rhei-admin-test" })
            .SetLogHandler((_, message) => logs.Enqueue($"{message.Level} {message.Facility} {message.Message}"))
            .Build();
        var create = admin.CreateTopicsAsync(
            [new TopicSpecification { Name = "created", NumPartitions = 3, ReplicationFactor = 1, Configs = new() { ["cleanup.policy"] = "compact" } }],
            new CreateTopicsOptions { RequestTimeout = Guard, OperationTimeout = TimeSpan.FromSeconds(5) });
        if (await Task.WhenAny(create, Task.Delay(Guard)) != create)
        {
            throw new Xunit.Sdk.XunitException($"CreateTopics did not complete.\nRequests: {Describe(server)}\nClient log:\n{string.Join('\n', logs)}");
        }
        await create;
        output.WriteLine($"Requests: {Describe(server)}");
        Assert.Empty(server.Errors);

        var request = server.Requests.Single(r => r.Header.RequestApiKey == (short)ApiKey.CreateTopics);
        Assert.Equal(4, request.Header.RequestApiVersion);
        var body = Assert.IsType<CreateTopicsRequest>(request.Body);
        var topic = Assert.Single(body.Topics);
        Assert.Equal("created", topic.Name);
        Assert.Equal(3, topic.NumPartitions);
        Assert.Equal(1, topic.ReplicationFactor);
        var setting = Assert.Single(topic.Configs);
        Assert.Equal(("cleanup.policy", "compact"), (setting.Name, setting.Value));
        Assert.False(body.ValidateOnly);
    }

    /// <summary>Checks the v2 batch header (magic, length, CRC-32C, record count) without decoding records.</summary>
    private static void AssertRecordBatchV2(ReadOnlySpan<byte> batch, int expectedRecords)
    {
        Assert.True(batch.Length >= 61, $"A record batch v2 has a 61-byte header; got {batch.Length} bytes.");
        Assert.Equal(2, batch[16]); // magic
        var batchLength = BinaryPrimitives.ReadInt32BigEndian(batch[8..]);
        Assert.Equal(batch.Length - 12, batchLength);
        var crc = BinaryPrimitives.ReadUInt32BigEndian(batch[17..]);
        Assert.Equal(crc, Crc32C(batch[21..]));
        Assert.Equal(expectedRecords, BinaryPrimitives.ReadInt32BigEndian(batch[57..]));
    }

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return ~crc;
    }

    private static string Describe(CaptureServer server) =>
        string.Join(", ", server.Requests.Select(r => $"{(ApiKey)r.Header.RequestApiKey} v{r.Header.RequestApiVersion}{(r.Body is null ? " (not decoded)" : "")}"));
}
