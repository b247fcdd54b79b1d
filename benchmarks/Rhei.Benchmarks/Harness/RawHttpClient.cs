using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rhei.Benchmarks.Harness;

/// <summary>
/// A minimal HTTP/1.1 keep-alive client for load generation, as wrk or h2load are: one connection, one request at a
/// time, the request written from a reused buffer and the response read into another, with no per-request
/// allocation. It understands what a load test needs to check an answer: the status code, <c>Content-Length</c> or
/// chunked bodies. Not a general client (no redirects, no compression, no trailers).
/// </summary>
internal sealed class RawHttpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _request = new byte[4096];
    private readonly byte[] _response = new byte[64 * 1024];
    private readonly int _headEnd;
    private int _end;

    private RawHttpClient(Socket socket, string path, string host, string contentType)
    {
        _socket = socket;
        var head = $"POST {path} HTTP/1.1\r\nHost: {host}\r\nAccept: {contentType}\r\nContent-Type: {contentType}\r\nContent-Length: ";
        _headEnd = Encoding.ASCII.GetBytes(head, _request);
    }

    public static async Task<RawHttpClient> ConnectAsync(Uri address, string path, string contentType, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address.Host), address.Port), cancellationToken);
        return new RawHttpClient(socket, path, $"{address.Host}:{address.Port}", contentType);
    }

    /// <summary>The body of the last response (valid until the next request).</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>Sends a POST with <paramref name="body"/> (ASCII) and reads the whole response; returns its status code.</summary>
    public async ValueTask<int> PostAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var n = _headEnd;
        Utf8Formatter.TryFormat(body.Length, _request.AsSpan(n), out var written);
        n += written;
        "\r\n\r\n"u8.CopyTo(_request.AsSpan(n));
        n += 4;
        body.Span.CopyTo(_request.AsSpan(n));
        n += body.Length;
        var sent = 0;
        while (sent < n)
        {
            sent += await _socket.SendAsync(_request.AsMemory(sent, n - sent), SocketFlags.None, cancellationToken);
        }

        return await ReadResponseAsync(cancellationToken);
    }

    private async ValueTask<int> ReadResponseAsync(CancellationToken cancellationToken)
    {
        _end = 0;
        int headersEnd;
        while ((headersEnd = _response.AsSpan(0, _end).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }

        var head = _response.AsSpan(0, headersEnd);
        if (!Utf8Parser.TryParse(head[9..12], out int status, out _))
        {
            throw new InvalidDataException("The response has no status line.");
        }

        var bodyStart = headersEnd + 4;
        var lengthAt = IndexOfHeader(head, "content-length:"u8);
        if (lengthAt >= 0)
        {
            if (!Utf8Parser.TryParse(head[lengthAt..].TrimStart(" "u8), out int length, out _))
            {
                throw new InvalidDataException("The response's Content-Length is not a number.");
            }

            while (_end < bodyStart + length)
            {
                await FillAsync(cancellationToken);
            }

            Body = _response.AsMemory(bodyStart, length);
            return status;
        }

        if (IndexOfHeader(head, "transfer-encoding:"u8) < 0)
        {
            throw new InvalidDataException("The response has neither Content-Length nor Transfer-Encoding: chunked.");
        }

        // Chunked: move each chunk's data down over the chunk headers so that the body ends up contiguous.
        var at = bodyStart;
        var bodyEnd = bodyStart;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _response.AsSpan(at, _end - at).IndexOf("\r\n"u8)) < 0)
            {
                await FillAsync(cancellationToken);
            }

            if (!Utf8Parser.TryParse(_response.AsSpan(at, lineEnd), out int size, out _, 'x'))
            {
                throw new InvalidDataException("A chunk of the response has no size.");
            }

            var dataStart = at + lineEnd + 2;
            while (_end < dataStart + size + 2)
            {
                await FillAsync(cancellationToken);
            }

            if (size == 0)
            {
                Body = _response.AsMemory(bodyStart, bodyEnd - bodyStart);
                return status;
            }

            _response.AsSpan(dataStart, size).CopyTo(_response.AsSpan(bodyEnd));
            bodyEnd += size;
            at = dataStart + size + 2;
        }
    }

    private static int IndexOfHeader(ReadOnlySpan<byte> head, ReadOnlySpan<byte> name)
    {
        Span<byte> lower = stackalloc byte[head.Length];
        for (var i = 0; i < head.Length; i++)
        {
            lower[i] = head[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(head[i] | 0x20) : head[i];
        }

        var i0 = lower.IndexOf(name);
        return i0 < 0 ? -1 : i0 + name.Length;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_end == _response.Length)
        {
            throw new InvalidDataException($"A response is larger than {_response.Length} bytes.");
        }

        var read = await _socket.ReceiveAsync(_response.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (read == 0)
        {
            throw new IOException("The server closed the connection.");
        }

        _end += read;
    }

    public void Dispose() => _socket.Dispose();
}
