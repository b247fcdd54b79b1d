namespace Rhei.Configuration;

/// <summary>
/// One entry of <c>listeners</c> or <c>advertised.listeners</c>: <c>NAME://host:port</c>.
/// <see cref="Host"/> is empty for "every interface" (as in Kafka) and has no brackets for IPv6;
/// <see cref="Port"/> 0 asks the operating system for a free port.
/// </summary>
public sealed record ListenerEndpoint(string Name, ListenerProtocol Protocol, string Host, int Port)
{
    /// <summary>True for the Kafka-protocol listeners (served by the broker).</summary>
    public bool IsKafka => Protocol is ListenerProtocol.Plaintext or ListenerProtocol.SaslPlaintext;

    /// <summary>True when the host is empty or a wildcard address (0.0.0.0, ::): not usable as an advertised address.</summary>
    public bool IsWildcardHost => Host is "" or "0.0.0.0" or "::";

    public override string ToString() =>
        Host.Contains(':') ? $"{Name}://[{Host}]:{Port}" : $"{Name}://{Host}:{Port}";
}
