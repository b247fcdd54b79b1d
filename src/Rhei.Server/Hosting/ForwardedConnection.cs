using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Rhei.Server.Hosting;

/// <summary>
/// A connection accepted by one Kestrel endpoint, as seen by another: the same transport pipes, endpoints and close
/// token, but its own feature collection layered over the original's (so the second pipeline's bookkeeping does not
/// overwrite the first's). Disposing it only tells the original endpoint that the second pipeline is finished.
/// </summary>
internal sealed class ForwardedConnection : ConnectionContext
{
    private readonly ConnectionContext _inner;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ForwardedConnection(ConnectionContext inner)
    {
        _inner = inner;
        Features = new FeatureCollection(inner.Features);
        ConnectionClosed = inner.ConnectionClosed;
    }

    /// <summary>Completes when the pipeline that accepted this connection has disposed of it.</summary>
    public Task Completion => _completion.Task;

    public override IDuplexPipe Transport
    {
        get => _inner.Transport;
        set => _inner.Transport = value;
    }

    public override string ConnectionId
    {
        get => _inner.ConnectionId;
        set => _inner.ConnectionId = value;
    }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items
    {
        get => _inner.Items;
        set => _inner.Items = value;
    }

    public override EndPoint? LocalEndPoint
    {
        get => _inner.LocalEndPoint;
        set => _inner.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => _inner.RemoteEndPoint;
        set => _inner.RemoteEndPoint = value;
    }

    public override void Abort(ConnectionAbortedException abortReason) => _inner.Abort(abortReason);

    public override ValueTask DisposeAsync()
    {
        _completion.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
