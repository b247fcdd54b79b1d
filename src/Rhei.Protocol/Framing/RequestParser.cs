using Rhei.Protocol.Messages;

namespace Rhei.Protocol.Framing;

/// <summary>Parses a request frame's payload (the bytes after the size prefix): header, then body.</summary>
public static class RequestParser
{
    /// <summary>Bytes every request header starts with: api key, api version, correlation id.</summary>
    public const int FixedHeaderLength = 8;

    /// <summary>
    /// Reads the request header. The header version follows from the api key and version (2 for flexible
    /// versions, else 1). For an api key no Kafka spec defines, only the api key, version and correlation id
    /// are read and <paramref name="headerVersion"/> is -1: the body cannot be located, so the broker should
    /// answer what it can and close the connection.
    /// </summary>
    /// <exception cref="InvalidDataException">Fewer than 8 bytes, or a malformed client id or tagged fields.</exception>
    public static RequestHeader ReadHeader(ref ProtocolReader reader, out short headerVersion)
    {
        if (reader.Remaining < FixedHeaderLength)
        {
            throw new InvalidDataException(
                $"Request of {reader.Remaining} bytes is too short for a request header (api key, api version, correlation id).");
        }
        var peek = reader;
        var apiKey = (ApiKey)peek.ReadInt16();
        var apiVersion = peek.ReadInt16();
        headerVersion = ApiMessages.RequestHeaderVersion(apiKey, apiVersion);
        return RequestHeader.Read(ref reader, headerVersion < 0 ? (short)0 : headerVersion);
    }

    /// <summary>
    /// Reads the header and, when Rhei serves the request's api key at its version, the body; otherwise
    /// <paramref name="body"/> is null and the broker answers UNSUPPORTED_VERSION (or closes, for an unknown
    /// api key). <c>records</c> fields in the body are slices of <paramref name="payload"/>.
    /// </summary>
    /// <returns>True when the body was read.</returns>
    public static bool TryRead(ReadOnlyMemory<byte> payload, out RequestHeader header, out short headerVersion, out IRequestMessage? body)
    {
        var reader = new ProtocolReader(payload);
        header = ReadHeader(ref reader, out headerVersion);
        var apiKey = (ApiKey)header.RequestApiKey;
        if (headerVersion < 0 || !ApiVersionsTable.IsSupported(apiKey, header.RequestApiVersion))
        {
            body = null;
            return false;
        }
        body = ApiMessages.ReadRequest(apiKey, header.RequestApiVersion, ref reader);
        return true;
    }
}
