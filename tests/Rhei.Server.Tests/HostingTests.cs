using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Rhei.Server.Hosting;

namespace Rhei.Server.Tests;

/// <summary>HTTP/1.1 and HTTP/2 cleartext with prior knowledge on one port, and stopping.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task Http11_and_h2c_are_served_on_the_same_port()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Single(server.Server.Addresses);
        foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20, HttpVersion.Version11, HttpVersion.Version20 })
        {
            var client = server.Client(version);
            for (var i = 0; i < 3; i++)
            {
                using var response = await client.GetAsync("/info");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(version, response.Version);
            }
        }
    }

    [Fact]
    public async Task Many_concurrent_h2c_streams_share_one_connection()
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client(HttpVersion.Version20);
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.GetAsync("/healthcheck")));
        Assert.All(responses, r =>
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(HttpVersion.Version20, r.Version);
            r.Dispose();
        });
    }

    [Fact]
    public async Task A_preface_that_arrives_one_byte_at_a_time_is_still_http2()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
        var preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
        foreach (var b in preface)
        {
            await socket.SendAsync(new[] { b });
            await Task.Delay(2);
        }

        // An empty SETTINGS frame: length 0, type 4, flags 0, stream 0. The server answers with its own SETTINGS frame.
        await socket.SendAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
        var header = new byte[9];
        await ReceiveExactlyAsync(socket, header);
        Assert.Equal(4, header[3]);
    }

    [Fact]
    public async Task A_request_line_split_into_pieces_is_http11()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
        await socket.SendAsync("P"u8.ToArray());
        await Task.Delay(20);
        await socket.SendAsync("RI"u8.ToArray()); // still a prefix of the preface
        await Task.Delay(20);
        await socket.SendAsync(Encoding.ASCII.GetBytes("NT /info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        // "PRINT" is no method /info answers to, but the request was parsed as HTTP/1.1.
        Assert.StartsWith("HTTP/1.1 405", Encoding.ASCII.GetString(received.ToArray()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("P", null)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r", null)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", true)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04", true)]
    [InlineData("POST /ksql HTTP/1.1\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\n", false)]
    [InlineData("PRX", false)]
    public void The_preface_is_recognised_whatever_the_segmentation(string input, bool? expected)
    {
        var bytes = Encoding.Latin1.GetBytes(input);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var first = new Segment(bytes.AsMemory(0, cut));
            var last = first.Append(bytes.AsMemory(cut));
            var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
            Assert.Equal(expected, CleartextProtocolSelector.Classify(sequence));
        }
    }

    [Fact]
    public async Task Stopping_refuses_new_connections_and_answers_unhealthy_meanwhile()
    {
        var server = await TestServer.StartAsync();
        var port = server.BaseAddress.Port;
        var client = server.Client(HttpVersion.Version11);
        using (var ok = await client.GetAsync("/healthcheck"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        await server.DisposeAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task A_port_in_use_is_reported_as_an_IOException()
    {
        await using var first = await TestServer.StartAsync();
        var port = first.BaseAddress.Port;
        var error = await Assert.ThrowsAsync<IOException>(() => TestServer.StartAsync(configure: o => o with
        {
            Listeners = [new Configuration.ListenerEndpoint("HTTP", Configuration.ListenerProtocol.Http, "127.0.0.1", port)],
        }));
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read));
            Assert.True(n > 0, "The server closed the connection.");
            read += n;
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
