using System.Net;

namespace Rhei.Server.Hosting;

/// <summary>
/// The address of Kestrel's internal HTTP/2-only endpoint. It is never bound to a socket: connections reach it only by
/// being handed over from a public listener (<see cref="CleartextProtocolSelector"/>) through <see cref="HandoffTransport"/>.
/// </summary>
internal sealed class HandoffEndPoint(string name) : EndPoint
{
    public string Name { get; } = name;

    public override string ToString() => $"handoff:{Name}";
}
