using System.Buffers;
using System.Buffers.Binary;
using Rhei.Protocol.Records;
using Snappier;

namespace Rhei.Protocol.Compression;

/// <summary>
/// Snappy, raw or in the xerial framing (snappy-java's <c>SnappyOutputStream</c>, which Java clients
/// use): an 8-byte magic <c>\x82SNAPPY\0</c>, two big-endian int32 (version, compatible version), then
/// blocks of a big-endian int32 length followed by a raw snappy block. Reading detects the magic.
/// </summary>
internal static class SnappyCodec
{
    private const int XerialHeaderLength = 16;
    private const int XerialBlockSize = 32 * 1024;

    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    public static void CompressRaw(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(Snappy.GetMaxCompressedLength(input.Length));
        output.Advance(Snappy.Compress(input, span));
    }

    public static void CompressXerial(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var header = output.GetSpan(XerialHeaderLength);
        XerialMagic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], 1);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], 1);
        output.Advance(XerialHeaderLength);
        while (!input.IsEmpty)
        {
            var block = input[..Math.Min(XerialBlockSize, input.Length)];
            input = input[block.Length..];
            var span = output.GetSpan(4 + Snappy.GetMaxCompressedLength(block.Length));
            var n = Snappy.Compress(block, span[4..]);
            BinaryPrimitives.WriteInt32BigEndian(span, n);
            output.Advance(4 + n);
        }
    }

    public static void Decompress(ReadOnlySpan<byte> input, PooledBufferWriter output)
    {
        if (input.Length >= XerialHeaderLength && input[..8].SequenceEqual(XerialMagic))
        {
            input = input[XerialHeaderLength..];
            while (!input.IsEmpty)
            {
                if (input.Length < 4)
                {
                    throw new InvalidDataException("The xerial snappy data is cut short in a block length.");
                }

                var length = BinaryPrimitives.ReadInt32BigEndian(input);
                if (length < 0 || length > input.Length - 4)
                {
                    throw new InvalidDataException($"The xerial snappy block length {length} runs past the data.");
                }

                DecompressBlock(input.Slice(4, length), output);
                input = input[(4 + length)..];
            }

            return;
        }

        DecompressBlock(input, output);
    }

    private static void DecompressBlock(ReadOnlySpan<byte> block, PooledBufferWriter output)
    {
        var length = Snappy.GetUncompressedLength(block);
        if (length < 0 || (long)output.WrittenCount + length > output.MaxLength)
        {
            throw new InvalidDataException($"The decompressed data is larger than the limit of {output.MaxLength} bytes.");
        }

        var span = output.GetSpan(length);
        output.Advance(Snappy.Decompress(block, span[..length]));
    }
}
