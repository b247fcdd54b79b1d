using System.Buffers;
using System.Buffers.Binary;
using Rhei.Protocol.Messages;

namespace Rhei.Protocol.Framing;

/// <summary>Writes response frames: size prefix, response header (v0: correlation id; v1: plus empty tagged fields), body.</summary>
public static class ResponseFrameWriter
{
    /// <summary>
    /// Writes the response to a request of <paramref name="apiKey"/> at <paramref name="apiVersion"/>, with
    /// the header version Kafka uses for it (always v0 for ApiVersions). Returns the bytes written.
    /// </summary>
    public static int Write(IBufferWriter<byte> output, ApiKey apiKey, short apiVersion, int correlationId, IResponseMessage body) =>
        Write(output, correlationId, ApiMessages.ResponseHeaderVersion(apiKey, apiVersion), body, apiVersion);

    /// <summary>Writes a response frame with an explicit header version and body version. Returns the bytes written.</summary>
    public static int Write(IBufferWriter<byte> output, int correlationId, short headerVersion, IProtocolMessage body, short bodyVersion)
    {
        if (headerVersion is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(headerVersion), headerVersion, "Response header version must be 0 or 1.");
        }
        var headerSize = headerVersion == 0 ? 4 : 5;
        var bodySize = body.ComputeSize(bodyVersion);
        var frameSize = FrameReader.SizePrefixLength + headerSize + bodySize;
        var span = output.GetSpan(frameSize)[..frameSize];
        BinaryPrimitives.WriteInt32BigEndian(span, headerSize + bodySize);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], correlationId);
        if (headerVersion == 1)
        {
            span[8] = 0; // no tagged fields
        }
        var writer = new ProtocolWriter(span[(FrameReader.SizePrefixLength + headerSize)..]);
        body.Write(ref writer, bodyVersion);
        ProtocolMessageExtensions.CheckSize(body, writer.Position, bodySize);
        output.Advance(frameSize);
        return frameSize;
    }
}
