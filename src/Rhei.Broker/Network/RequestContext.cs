using System.Buffers.Binary;
using Rhei.Protocol;
using Rhei.Protocol.Framing;
using Rhei.Protocol.Messages;

namespace Rhei.Broker.Network;

/// <summary>
/// The request being handled on a connection: its header, where the connection came in, and the buffer its
/// response goes to. One per connection, refilled for each request (a connection handles one request at a
/// time, in order, as Kafka's broker does). A handler answers exactly once with <see cref="Respond"/> or
/// writes a frame itself (Fetch); a Produce with acks=0 answers nothing.
/// </summary>
internal sealed class RequestContext
{
    public RequestContext(ConnectionInfo connection, ResponseBuffer output, CancellationToken shutdown)
    {
        Connection = connection;
        Output = output;
        Shutdown = shutdown;
    }

    public ConnectionInfo Connection { get; }

    public ResponseBuffer Output { get; }

    /// <summary>
    /// Cancelled when the broker shuts down: long waits (fetch, join, sync) answer at once. Only waits take it;
    /// work already started (an append, a commit) finishes so the request in progress is answered.
    /// </summary>
    public CancellationToken Shutdown { get; }

    public ApiKey ApiKey { get; private set; }

    public short ApiVersion { get; private set; }

    public int CorrelationId { get; private set; }

    public string? ClientId { get; private set; }

    /// <summary>True once the handler wrote its response.</summary>
    public bool Responded { get; private set; }

    public void Begin(ApiKey apiKey, short apiVersion, int correlationId, string? clientId)
    {
        ApiKey = apiKey;
        ApiVersion = apiVersion;
        CorrelationId = correlationId;
        ClientId = clientId;
        Responded = false;
    }

    /// <summary>Writes the response frame at the request's version.</summary>
    public void Respond(IResponseMessage response)
    {
        ResponseFrameWriter.Write(Output, ApiKey, ApiVersion, CorrelationId, response);
        Responded = true;
    }

    /// <summary>Writes a response frame with an explicit header and body version (ApiVersions' v0 fallback).</summary>
    public void Respond(IResponseMessage response, short headerVersion, short bodyVersion)
    {
        ResponseFrameWriter.Write(Output, CorrelationId, headerVersion, response, bodyVersion);
        Responded = true;
    }

    /// <summary>Opens a response frame the handler writes itself: size prefix reserved, header written.</summary>
    public void BeginFrame()
    {
        Output.BeginFrame();
        var headerVersion = ApiMessages.ResponseHeaderVersion(ApiKey, ApiVersion);
        var span = Output.GetSpan(5);
        BinaryPrimitives.WriteInt32BigEndian(span, CorrelationId);
        if (headerVersion == 1)
        {
            span[4] = 0;
            Output.Advance(5);
        }
        else
        {
            Output.Advance(4);
        }
    }

    public void EndFrame()
    {
        Output.EndFrame();
        Responded = true;
    }

    /// <summary>Marks a request that gets no response (Produce with acks=0).</summary>
    public void NoResponse() => Responded = true;
}

/// <summary>Who is on the other end of a connection and which listener it came through.</summary>
internal sealed record ConnectionInfo(long Id, string ListenerName, string ClientHost, int ClientPort)
{
    public override string ToString() => $"{ClientHost}:{ClientPort} (connection {Id} on {ListenerName})";
}
