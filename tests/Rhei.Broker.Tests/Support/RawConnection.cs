using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Rhei.Protocol;
using Rhei.Protocol.Framing;
using Rhei.Protocol.Messages;

namespace Rhei.Broker.Tests.Support;

/// <summary>A bare TCP connection to the broker that sends frames (well-formed or not) and reads response frames.</summary>
internal sealed class RawConnection : IDisposable
{
    private readonly Socket _socket;
    private int _correlationId;

    private RawConnection(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<RawConnection> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawConnection(socket);
    }

    /// <summary>A whole request frame (size prefix, header, body) as a client would send it.</summary>
    public byte[] Frame(IRequestMessage body, short version, int? correlationId = null)
    {
        var writer = new ArrayBufferWriter<byte>();
        var header = new RequestHeader
        {
            RequestApiKey = (short)body.ApiKey,
            RequestApiVersion = version,
            CorrelationId = correlationId ?? Interlocked.Increment(ref _correlationId),
            ClientId = "raw-test",
        };
        RequestFrameWriter.Write(writer, header, body);
        return writer.WrittenSpan.ToArray();
    }

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes.AsMemory(), SocketFlags.None);

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Sends a request and reads its response body (after the correlation id and any tagged-field header).</summary>
    public async Task<T> RequestAsync<T>(IRequestMessage request, short version)
        where T : IProtocolMessage<T>
    {
        await SendAsync(Frame(request, version));
        var frame = await ReadFrameAsync() ?? throw new InvalidOperationException($"The broker closed the connection instead of answering {request.ApiKey} v{version}.");
        return Parse<T>(frame, request.ApiKey, version);
    }

    public static T Parse<T>(byte[] frame, ApiKey apiKey, short version)
        where T : IProtocolMessage<T>
    {
        var headerLength = ApiMessages.ResponseHeaderVersion(apiKey, version) == 1 ? 5 : 4;
        var reader = new ProtocolReader(frame.AsMemory(headerLength));
        var body = T.Read(ref reader, version);
        Assert.Equal(0, reader.Remaining);
        return body;
    }

    /// <summary>Reads one response frame (without its size prefix); null when the broker closed the connection.</summary>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var prefix = new byte[4];
        if (!await ReadExactlyAsync(prefix, cancel.Token))
        {
            return null;
        }

        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
        return await ReadExactlyAsync(frame, cancel.Token) ? frame : null;
    }

    /// <summary>True when the broker closes the connection within <paramref name="timeout"/> (responses before that are read and dropped).</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (await _socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
            }
            catch (SocketException)
            {
                return false;
            }

            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    public void Dispose() => _socket.Dispose();
}
