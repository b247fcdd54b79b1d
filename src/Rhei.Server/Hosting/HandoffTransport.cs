using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Rhei.Server.Hosting;

/// <summary>
/// An in-process transport for Kestrel: the listener bound to a <see cref="HandoffEndPoint"/> accepts connections that
/// another endpoint's connection middleware hands over with <see cref="HandOverAsync"/>. The connection keeps its
/// socket and pipes; only the HTTP pipeline that serves it changes. Socket endpoints go to the wrapped transport.
/// </summary>
internal sealed class HandoffTransport(IConnectionListenerFactory sockets) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly Channel<ConnectionContext> _pending = Channel.CreateUnbounded<ConnectionContext>(
        new UnboundedChannelOptions { SingleReader = true });

    public bool CanBind(EndPoint endpoint) => true;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint is HandoffEndPoint
            ? ValueTask.FromResult<IConnectionListener>(new Listener(this, endpoint))
            : sockets.BindAsync(endpoint, cancellationToken);

    /// <summary>
    /// Queues <paramref name="connection"/> for the handoff endpoint and waits until that endpoint's pipeline is done
    /// with it (the caller's pipeline must not end, or Kestrel would close the socket underneath).
    /// </summary>
    public async Task HandOverAsync(ConnectionContext connection)
    {
        var forwarded = new ForwardedConnection(connection);
        if (!_pending.Writer.TryWrite(forwarded))
        {
            return;
        }

        await forwarded.Completion;
    }

    private sealed class Listener(HandoffTransport transport, EndPoint endpoint) : IConnectionListener
    {
        private readonly CancellationTokenSource _unbound = new();

        public EndPoint EndPoint => endpoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
            try
            {
                return await transport._pending.Reader.ReadAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (ChannelClosedException)
            {
                return null;
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            _unbound.Cancel();
            // Connections handed over but not accepted any more: release their public pipelines, which close them.
            while (transport._pending.Reader.TryRead(out var connection))
            {
                _ = connection.DisposeAsync();
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _unbound.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
