namespace Rhei.Protocol.Messages;

/// <summary>A message that can be written at a given version (a request, a response, a header or data).</summary>
public interface IProtocolMessage
{
    /// <summary>The exact number of bytes <see cref="Write(ref ProtocolWriter, short)"/> writes at <paramref name="version"/>.</summary>
    int ComputeSize(short version);

    /// <summary>Writes the message at <paramref name="version"/> into a writer with at least <see cref="ComputeSize"/> bytes of room.</summary>
    void Write(ref ProtocolWriter writer, short version);
}

/// <summary>A message type that can also be read; lets generic code call <c>T.Read</c>.</summary>
public interface IProtocolMessage<TSelf> : IProtocolMessage
    where TSelf : IProtocolMessage<TSelf>
{
    static abstract short LowestSupportedVersion { get; }

    static abstract short HighestSupportedVersion { get; }

    static abstract TSelf Read(ref ProtocolReader reader, short version);
}

/// <summary>The body of a request or response of one Kafka API.</summary>
public interface IApiMessage : IProtocolMessage
{
    ApiKey ApiKey { get; }
}

/// <summary>A request body.</summary>
public interface IRequestMessage : IApiMessage;

/// <summary>A response body.</summary>
public interface IResponseMessage : IApiMessage;
