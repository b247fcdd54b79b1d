using System.Buffers;
using System.IO.Compression;
using Rhei.Protocol.Records;

namespace Rhei.Protocol.Compression;

/// <summary>gzip (RFC 1952) with System.IO.Compression; concatenated members are read as one stream.</summary>
internal static class GzipCodec
{
    public static void Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        using var target = new BufferWriterStream(output);
        using (var gzip = new GZipStream(target, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(input);
        }
    }

    public static void Decompress(ReadOnlyMemory<byte> input, PooledBufferWriter output)
    {
        using var source = new ReadOnlyMemoryStream(input);
        using var gzip = new GZipStream(source, CompressionMode.Decompress);
        CompressionCodecs.CopyCapped(gzip, output);
    }
}
