using System.Buffers;
using Rhei.Protocol.Records;
using ZstdSharp;

namespace Rhei.Protocol.Compression;

/// <summary>zstd frames (level 3, Kafka's default); frames without a content size are streamed.</summary>
internal static class ZstdCodec
{
    private const int Level = 3;

    [ThreadStatic]
    private static Compressor? t_compressor;

    public static void Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var compressor = t_compressor ??= new Compressor(Level);
        var span = output.GetSpan(Compressor.GetCompressBound(input.Length));
        output.Advance(compressor.Wrap(input, span));
    }

    public static void Decompress(ReadOnlyMemory<byte> input, PooledBufferWriter output)
    {
        using var source = new ReadOnlyMemoryStream(input);
        using var zstd = new DecompressionStream(source);
        CompressionCodecs.CopyCapped(zstd, output);
    }
}
