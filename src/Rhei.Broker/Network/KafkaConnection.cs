using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Rhei.Broker.Diagnostics;
using Rhei.Broker.Handlers;
using Rhei.Protocol;
using Rhei.Protocol.Framing;
using Rhei.Protocol.Messages;

namespace Rhei.Broker.Network;

/// <summary>
/// One client connection. A receive loop fills a pipe with 64 KiB reads; the request loop takes whole frames
/// from it (the size prefix is checked against <c>socket.request.max.bytes</c> before the frame is buffered),
/// handles them one at a time in order, and sends the responses of everything that arrived together with one
/// gather write. A request that cannot be parsed, an unknown api key or an unsupported version (other than
/// ApiVersions') closes this connection only, as Kafka's broker does.
/// </summary>
internal sealed class KafkaConnection
{
    private const int ReceiveSize = 64 * 1024;
    private const long SendThreshold = 1024 * 1024;

    private readonly Socket _socket;
    private readonly RequestDispatcher _dispatcher;
    private readonly BrokerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _maxFrameBytes;
    private readonly Pipe _pipe;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _requestLoopStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inRequest;

    public KafkaConnection(Socket socket, ConnectionInfo info, RequestDispatcher dispatcher, BrokerMetrics metrics, ILogger logger, int maxFrameBytes, CancellationToken shutdown)
    {
        _socket = socket;
        Info = info;
        _dispatcher = dispatcher;
        _metrics = metrics;
        _logger = logger;
        _maxFrameBytes = maxFrameBytes;
        Shutdown = shutdown;
        var pause = Math.Max((long)maxFrameBytes + FrameReader.SizePrefixLength + ReceiveSize, 1024 * 1024);
        _pipe = new Pipe(new PipeOptions(
            pool: MemoryPool<byte>.Shared,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: pause,
            resumeWriterThreshold: pause / 2,
            minimumSegmentSize: ReceiveSize,
            useSynchronizationContext: false));
    }

    public ConnectionInfo Info { get; }

    /// <summary>The broker's shutdown signal (handlers answer long waits at once when it fires).</summary>
    public CancellationToken Shutdown { get; }

    /// <summary>True while a request is being handled.</summary>
    public bool IsBusy => Volatile.Read(ref _inRequest) != 0;

    /// <summary>Completes when the connection's request loop has ended.</summary>
    public Task Stopped => _requestLoopStopped.Task;

    /// <summary>Runs the connection until the client closes it, it breaks the protocol, or <see cref="Close"/>.</summary>
    public async Task RunAsync()
    {
        _metrics.ConnectionOpened();
        _logger.ConnectionOpened(Info.ToString());
        var receive = ReceiveLoopAsync();
        try
        {
            await RequestLoopAsync();
        }
        finally
        {
            _requestLoopStopped.TrySetResult();
            await _closing.CancelAsync();
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }

            _socket.Dispose();
            await receive;
            _metrics.ConnectionClosed();
            _logger.ConnectionClosed(Info.ToString());
            _closing.Dispose();
        }
    }

    /// <summary>Stops reading new requests; the request in progress finishes and its response is sent.</summary>
    public void StopReading() => _pipe.Reader.CancelPendingRead();

    /// <summary>Closes the socket now (after the grace period of a shutdown).</summary>
    public void Abort()
    {
        try
        {
            _socket.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }

        _pipe.Reader.CancelPendingRead();
    }

    private async Task ReceiveLoopAsync()
    {
        var writer = _pipe.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(ReceiveSize);
                var read = await _socket.ReceiveAsync(memory, SocketFlags.None, _closing.Token);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                var flush = await writer.FlushAsync(_closing.Token);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the connection is closing.
        }
        catch (Exception e)
        {
            error = e;
        }

        await writer.CompleteAsync(error);
    }

    private async Task RequestLoopAsync()
    {
        var reader = _pipe.Reader;
        using var output = new ResponseBuffer();
        var context = new RequestContext(Info, output, Shutdown);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                var examined = buffer.End;
                var open = true;
                try
                {
                    while (open && !result.IsCanceled)
                    {
                        bool complete;
                        ReadOnlySequence<byte> payload;
                        SequencePosition consumed;
                        try
                        {
                            complete = FrameReader.TryReadFrame(buffer, _maxFrameBytes, out payload, out consumed, out examined);
                        }
                        catch (InvalidDataException e)
                        {
                            _logger.BadFrame(Info.ToString(), e.Message);
                            return;
                        }

                        if (!complete)
                        {
                            break;
                        }

                        Volatile.Write(ref _inRequest, 1);
                        try
                        {
                            open = await HandleFrameAsync(payload, context);
                        }
                        finally
                        {
                            Volatile.Write(ref _inRequest, 0);
                        }

                        buffer = buffer.Slice(consumed);
                        if (output.Length >= SendThreshold)
                        {
                            await SendAsync(output);
                        }
                    }

                    if (output.Length > 0)
                    {
                        await SendAsync(output);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, examined);
                }

                if (!open || result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client went away while we were answering.
        }
        catch (Exception e)
        {
            _logger.ConnectionFailed(e, Info.ToString());
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async ValueTask SendAsync(ResponseBuffer output)
    {
        try
        {
            var segments = output.Segments;
            if (segments.Count == 1)
            {
                var segment = segments[0];
                await _socket.SendAsync(segment.AsMemory(), SocketFlags.None, _closing.Token);
            }
            else
            {
                await _socket.SendAsync(segments, SocketFlags.None);
            }

            _metrics.BytesSent(output.Length);
        }
        finally
        {
            output.Reset();
        }
    }

    /// <summary>Parses and handles one request frame. False closes the connection.</summary>
    private async ValueTask<bool> HandleFrameAsync(ReadOnlySequence<byte> payload, RequestContext context)
    {
        using var frame = FramePayload.Create(payload);
        RequestHeader header;
        short headerVersion;
        var reader = new ProtocolReader(frame.Memory);
        try
        {
            header = RequestParser.ReadHeader(ref reader, out headerVersion);
        }
        catch (InvalidDataException e)
        {
            _logger.BadRequestHeader(Info.ToString(), e.Message);
            return false;
        }

        var apiKey = (ApiKey)header.RequestApiKey;
        var version = header.RequestApiVersion;
        context.Begin(apiKey, version, header.CorrelationId, header.ClientId);
        if (headerVersion < 0)
        {
            _logger.UnknownApiKey(Info.ToString(), header.RequestApiKey, header.ClientId);
            return false;
        }

        if (!BrokerApis.IsServed(apiKey, version))
        {
            if (apiKey == ApiKey.ApiVersions)
            {
                // KIP-511: a client asking for a newer ApiVersions than served gets a v0 body with
                // UNSUPPORTED_VERSION and the list, so it can retry with a version both know.
                context.Respond(BrokerApis.CreateApiVersionsResponse(ErrorCode.UnsupportedVersion), headerVersion: 0, bodyVersion: 0);
                return true;
            }

            _logger.UnsupportedVersion(Info.ToString(), apiKey.ToString(), version, header.ClientId);
            return false;
        }

        IRequestMessage body;
        try
        {
            body = ApiMessages.ReadRequest(apiKey, version, ref reader);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or OverflowException)
        {
            _logger.BadRequestBody(Info.ToString(), apiKey.ToString(), version, e.Message);
            return false;
        }

        if (_logger.IsEnabled(LogLevel.Trace))
        {
            _logger.Request(Info.ToString(), apiKey.ToString(), version, header.ClientId);
        }

        if (context.Output.Length > 0 && RequestDispatcher.MayWait(apiKey))
        {
            // A request that may wait (long-poll fetch, join, sync): send what is already answered first.
            await SendAsync(context.Output);
        }

        var started = Stopwatch.GetTimestamp();
        var keepOpen = await _dispatcher.HandleAsync(context, body);
        _metrics.RequestHandled(apiKey, Stopwatch.GetElapsedTime(started));
        if (!context.Responded)
        {
            throw new InvalidOperationException($"The {apiKey} v{version} handler wrote no response.");
        }

        return keepOpen;
    }
}
