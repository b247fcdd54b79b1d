using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Rhei.Broker.Diagnostics;
using Rhei.Broker.Handlers;

namespace Rhei.Broker.Network;

/// <summary>One Kafka-protocol listener: a bound socket and the loop that accepts connections on it.</summary>
internal sealed class KafkaListener
{
    private static long s_nextConnectionId;

    private readonly Socket _socket;
    private readonly string _name;
    private readonly RequestDispatcher _dispatcher;
    private readonly BrokerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _maxFrameBytes;
    private readonly ConcurrentDictionary<long, (KafkaConnection Connection, Task Run)> _connections;
    private readonly CancellationToken _shutdown;
    private bool _stopping;
    private Task _acceptLoop = Task.CompletedTask;

    private KafkaListener(Socket socket, string name, RequestDispatcher dispatcher, BrokerMetrics metrics, ILogger logger, int maxFrameBytes, ConcurrentDictionary<long, (KafkaConnection, Task)> connections, CancellationToken shutdown)
    {
        _socket = socket;
        _name = name;
        _dispatcher = dispatcher;
        _metrics = metrics;
        _logger = logger;
        _maxFrameBytes = maxFrameBytes;
        _connections = connections;
        _shutdown = shutdown;
    }

    /// <summary>The address and port the socket is bound to (the real port when 0 was asked for).</summary>
    public IPEndPoint BoundEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public string Name => _name;

    /// <summary>Binds <paramref name="listener"/>'s address; throws <see cref="SocketException"/> when it cannot.</summary>
    public static KafkaListener Bind(BrokerListener listener, RequestDispatcher dispatcher, BrokerMetrics metrics, ILogger logger, int maxFrameBytes, ConcurrentDictionary<long, (KafkaConnection, Task)> connections, CancellationToken shutdown)
    {
        var address = Resolve(listener.Host);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(address, listener.Port));
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new KafkaListener(socket, listener.Name, dispatcher, metrics, logger, maxFrameBytes, connections, shutdown);
    }

    private static IPAddress Resolve(string host)
    {
        if (host is "" or "0.0.0.0")
        {
            return IPAddress.Any;
        }

        if (host == "::")
        {
            return IPAddress.IPv6Any;
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        var addresses = Dns.GetHostAddresses(host);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
    }

    public void Start()
    {
        _logger.Listening(_name, BoundEndPoint.ToString());
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Stops accepting; connections already open are left to the broker.</summary>
    public async Task StopAsync()
    {
        Volatile.Write(ref _stopping, true);
        _socket.Dispose();
        await _acceptLoop;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_shutdown.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_shutdown);
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException || _shutdown.IsCancellationRequested
                || Volatile.Read(ref _stopping))
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.TooManyOpenSockets)
            {
                _logger.AcceptFailed(e, _name);
                await Task.Delay(TimeSpan.FromMilliseconds(50));
                continue;
            }
            catch (Exception e)
            {
                _logger.AcceptFailed(e, _name);
                return;
            }

            client.NoDelay = true;
            var remote = client.RemoteEndPoint as IPEndPoint;
            var id = Interlocked.Increment(ref s_nextConnectionId);
            var info = new ConnectionInfo(id, _name, remote?.Address.ToString() ?? "unknown", remote?.Port ?? 0);
            var connection = new KafkaConnection(client, info, _dispatcher, _metrics, _logger, _maxFrameBytes, _shutdown);
            var run = RunAsync(connection);
            _connections[id] = (connection, run);
            if (run.IsCompleted)
            {
                _connections.TryRemove(id, out _);
            }
        }
    }

    private async Task RunAsync(KafkaConnection connection)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            _connections.TryRemove(connection.Info.Id, out _);
        }
    }
}
