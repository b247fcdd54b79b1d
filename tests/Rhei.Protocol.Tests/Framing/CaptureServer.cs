using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Rhei.Protocol.Framing;
using Rhei.Protocol.Messages;

namespace Rhei.Protocol.Tests.Framing;

/// <summary>A request a client sent, decoded with the generated code.</summary>
internal sealed record CapturedRequest(RequestHeader Header, short HeaderVersion, IRequestMessage? Body);

/// <summary>
/// A minimal Kafka-speaking TCP server for tests: it frames and decodes whatever a real client sends and
/// answers just enough (ApiVersions, Metadata naming itself as broker 0, Produce, CreateTopics) for the
/// client to get on with its work. Every request, answered or not, is recorded.
/// </summary>
internal sealed class CaptureServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private readonly ConcurrentDictionary<string, Guid> _topics = new(StringComparer.Ordinal);

    private CaptureServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Errors { get; } = new();

    public static CaptureServer Start() => new();

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(client));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var input = PipeReader.Create(stream);
        var output = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                SequencePosition consumed, examined;
                while (FrameReader.TryReadFrame(buffer, FrameReader.DefaultMaxFrameBytes, out var payload, out consumed, out examined))
                {
                    // Decode from a private copy: the pipe's memory is recycled after AdvanceTo, and the
                    // recorded bodies (records included) must outlive it.
                    Handle(payload.ToArray(), output);
                    buffer = buffer.Slice(consumed);
                }
                input.AdvanceTo(consumed, examined);
                if (output.WrittenCount > 0)
                {
                    await stream.WriteAsync(output.WrittenMemory, _stop.Token);
                    output.ResetWrittenCount();
                }
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
        }
        catch (Exception e)
        {
            Errors.Enqueue(e.ToString());
        }
        finally
        {
            await input.CompleteAsync();
        }
    }

    private void Handle(byte[] payload, ArrayBufferWriter<byte> output)
    {
        RequestParser.TryRead(payload, out var header, out var headerVersion, out var body);
        Requests.Enqueue(new CapturedRequest(header, headerVersion, body));
        var apiKey = (ApiKey)header.RequestApiKey;
        var version = header.RequestApiVersion;
        switch (body)
        {
            case null when apiKey == ApiKey.ApiVersions:
                // KIP-511: a too-new ApiVersions request gets a v0 answer with UNSUPPORTED_VERSION and the list.
                ResponseFrameWriter.Write(output, header.CorrelationId, 0, AdvertisedVersions((short)ErrorCode.UnsupportedVersion), 0);
                break;
            case ApiVersionsRequest:
                ResponseFrameWriter.Write(output, apiKey, version, header.CorrelationId, AdvertisedVersions(0));
                break;
            case MetadataRequest metadata:
                ResponseFrameWriter.Write(output, apiKey, version, header.CorrelationId, Metadata(metadata));
                break;
            case ProduceRequest produce:
                ResponseFrameWriter.Write(output, apiKey, version, header.CorrelationId, Produced(produce));
                break;
            case CreateTopicsRequest create:
                ResponseFrameWriter.Write(output, apiKey, version, header.CorrelationId, Created(create));
                break;
            default:
                // Recorded but not answered: the tests assert only on the requests above.
                break;
        }
    }

    private static ApiVersionsResponse AdvertisedVersions(short errorCode)
    {
        var response = new ApiVersionsResponse { ErrorCode = errorCode };
        foreach (var range in ApiVersionsTable.All)
        {
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)range.ApiKey, MinVersion = range.MinVersion, MaxVersion = range.MaxVersion });
        }
        return response;
    }

    private MetadataResponse Metadata(MetadataRequest request)
    {
        var response = new MetadataResponse
        {
            Brokers = [new MetadataResponse.MetadataResponseBroker { NodeId = 0, Host = "127.0.0.1", Port = Port }],
            ClusterId = "rhei-capture",
            ControllerId = 0,
        };
        var names = request.Topics is null ? _topics.Keys.Order(StringComparer.Ordinal).ToList() : request.Topics.Select(t => t.Name!).ToList();
        foreach (var name in names)
        {
            response.Topics.Add(new MetadataResponse.MetadataResponseTopic
            {
                Name = name,
                TopicId = _topics.GetOrAdd(name, _ => Guid.NewGuid()),
                Partitions =
                [
                    new MetadataResponse.MetadataResponsePartition
                    {
                        PartitionIndex = 0,
                        LeaderId = 0,
                        LeaderEpoch = 0,
                        ReplicaNodes = [0],
                        IsrNodes = [0],
                    },
                ],
            });
        }
        return response;
    }

    private static ProduceResponse Produced(ProduceRequest request)
    {
        var response = new ProduceResponse();
        foreach (var topic in request.TopicData)
        {
            var result = new ProduceResponse.TopicProduceResponse { Name = topic.Name };
            foreach (var partition in topic.PartitionData)
            {
                result.PartitionResponses.Add(new ProduceResponse.PartitionProduceResponse { Index = partition.Index, BaseOffset = 0, LogStartOffset = 0 });
            }
            response.Responses.Add(result);
        }
        return response;
    }

    private CreateTopicsResponse Created(CreateTopicsRequest request)
    {
        var response = new CreateTopicsResponse();
        foreach (var topic in request.Topics)
        {
            _topics.TryAdd(topic.Name, Guid.NewGuid());
            response.Topics.Add(new CreateTopicsResponse.CreatableTopicResult { Name = topic.Name });
        }
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
