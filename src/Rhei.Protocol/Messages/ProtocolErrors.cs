namespace Rhei.Protocol.Messages;

/// <summary>The exceptions generated messages throw, with messages that say what is wrong and where.</summary>
public static class ProtocolErrors
{
    /// <summary>A version outside the range a message is generated for.</summary>
    public static NotSupportedException UnsupportedVersion(string message, short version, short lowest, short highest) =>
        new($"{message} version {version} is not supported; Rhei handles versions {lowest} to {highest}.");

    /// <summary>An api key Rhei does not serve.</summary>
    public static NotSupportedException UnsupportedApi(ApiKey apiKey) =>
        new($"API {apiKey} ({(short)apiKey}) is not served by Rhei.");

    /// <summary>Kafka's rule: a non-ignorable field set to a non-default value cannot be silently dropped.</summary>
    public static NotSupportedException NonDefaultField(string message, string field, short version) =>
        new($"Cannot write {message} at version {version}: field {field} holds a non-default value but does not exist in that version.");

    /// <summary>A null in a field that is not nullable at the version being written.</summary>
    public static InvalidOperationException NullField(string field) =>
        new($"Non-nullable field {field} is null; set a value before writing.");
}
