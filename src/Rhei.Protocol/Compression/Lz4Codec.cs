using System.Buffers;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using Rhei.Protocol.Records;

namespace Rhei.Protocol.Compression;

/// <summary>
/// LZ4 frame format (as Kafka's Java client writes it: 64 KiB independent blocks, no checksums).
/// </summary>
internal static class Lz4Codec
{
    private static readonly LZ4EncoderSettings Settings = new()
    {
        BlockSize = 64 * 1024,
        ChainBlocks = false,
        ContentChecksum = false,
        BlockChecksum = false,
        CompressionLevel = LZ4Level.L00_FAST,
    };

    public static void Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output) =>
        LZ4Frame.Encode(input, output, Settings);

    public static void Decompress(ReadOnlyMemory<byte> input, PooledBufferWriter output)
    {
        using var reader = LZ4Frame.Decode(input);
        using var stream = reader.AsStream();
        CompressionCodecs.CopyCapped(stream, output);
    }
}
