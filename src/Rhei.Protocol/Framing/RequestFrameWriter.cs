using System.Buffers;
using System.Buffers.Binary;
using Rhei.Protocol.Messages;

namespace Rhei.Protocol.Framing;

/// <summary>Writes request frames (size prefix, request header, body), as a client does.</summary>
public static class RequestFrameWriter
{
    /// <summary>
    /// Writes <paramref name="header"/> (at the header version its api key and version call for) and
    /// <paramref name="body"/> at <c>header.RequestApiVersion</c>. Returns the bytes written.
    /// </summary>
    public static int Write(IBufferWriter<byte> output, RequestHeader header, IRequestMessage body)
    {
        if ((short)body.ApiKey != header.RequestApiKey)
        {
            throw new ArgumentException($"Header names api key {header.RequestApiKey} but the body is a {body.ApiKey} request.", nameof(body));
        }
        var headerVersion = ApiMessages.RequestHeaderVersion(body.ApiKey, header.RequestApiVersion);
        if (headerVersion < 0)
        {
            throw new NotSupportedException($"Unknown api key {header.RequestApiKey}.");
        }
        var headerSize = header.ComputeSize(headerVersion);
        var bodySize = body.ComputeSize(header.RequestApiVersion);
        var frameSize = FrameReader.SizePrefixLength + headerSize + bodySize;
        var span = output.GetSpan(frameSize)[..frameSize];
        BinaryPrimitives.WriteInt32BigEndian(span, headerSize + bodySize);
        var writer = new ProtocolWriter(span[FrameReader.SizePrefixLength..]);
        header.Write(ref writer, headerVersion);
        body.Write(ref writer, header.RequestApiVersion);
        ProtocolMessageExtensions.CheckSize(body, writer.Position, headerSize + bodySize);
        output.Advance(frameSize);
        return frameSize;
    }
}
