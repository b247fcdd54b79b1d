namespace Rhei.Configuration;

/// <summary>What a listener speaks. The listener's name in <c>listeners</c> is the protocol's name.</summary>
public enum ListenerProtocol
{
    /// <summary>The Kafka protocol without authentication or encryption (<c>PLAINTEXT://</c>).</summary>
    Plaintext,

    /// <summary>The Kafka protocol with SASL authentication, unencrypted (<c>SASL_PLAINTEXT://</c>).</summary>
    SaslPlaintext,

    /// <summary>HTTP: the REST API, the Schema Registry API and the web console (<c>HTTP://</c>).</summary>
    Http,
}
