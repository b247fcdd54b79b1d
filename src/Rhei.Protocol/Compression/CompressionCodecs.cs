using System.Buffers;
using Rhei.Protocol.Records;

namespace Rhei.Protocol.Compression;

/// <summary>
/// Compresses and decompresses the records section of a record batch with Kafka's codecs: gzip, snappy
/// (raw, and the xerial framing Java clients write), LZ4 frame and zstd.
/// </summary>
/// <remarks>
/// Decompression is capped: output larger than the given limit throws <see cref="InvalidDataException"/>
/// before more memory is taken, so a small "bomb" cannot blow up the process. Malformed input also throws
/// <see cref="InvalidDataException"/>, whatever the codec library threw.
/// </remarks>
public static class CompressionCodecs
{
    /// <summary>The default cap on the decompressed size of one batch's records (256 MiB).</summary>
    public const int DefaultMaxDecompressedBytes = 256 * 1024 * 1024;

    /// <summary>Compresses <paramref name="input"/> with <paramref name="codec"/> and appends it to <paramref name="output"/>.</summary>
    public static void Compress(CompressionType codec, ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        switch (codec)
        {
            case CompressionType.None:
                output.Write(input);
                break;
            case CompressionType.Gzip:
                GzipCodec.Compress(input, output);
                break;
            case CompressionType.Snappy:
                SnappyCodec.CompressXerial(input, output);
                break;
            case CompressionType.Lz4:
                Lz4Codec.Compress(input, output);
                break;
            case CompressionType.Zstd:
                ZstdCodec.Compress(input, output);
                break;
            default:
                throw new NotSupportedException($"Compression codec {(int)codec} is not one of Kafka's codecs (0-4).");
        }
    }

    /// <summary>
    /// Decompresses <paramref name="input"/> into <paramref name="output"/>, failing with
    /// <see cref="InvalidDataException"/> when the data is corrupt or would exceed <paramref name="maxBytes"/>.
    /// </summary>
    public static void Decompress(CompressionType codec, ReadOnlyMemory<byte> input, PooledBufferWriter output, int maxBytes = DefaultMaxDecompressedBytes)
    {
        var previousMax = output.MaxLength;
        output.MaxLength = (int)Math.Min(int.MaxValue, (long)output.WrittenCount + maxBytes);
        try
        {
            switch (codec)
            {
                case CompressionType.None:
                    output.Write(input.Span);
                    break;
                case CompressionType.Gzip:
                    GzipCodec.Decompress(input, output);
                    break;
                case CompressionType.Snappy:
                    SnappyCodec.Decompress(input.Span, output);
                    break;
                case CompressionType.Lz4:
                    Lz4Codec.Decompress(input, output);
                    break;
                case CompressionType.Zstd:
                    ZstdCodec.Decompress(input, output);
                    break;
                default:
                    throw new InvalidDataException($"Compression codec {(int)codec} is not one of Kafka's codecs (0-4).");
            }
        }
        catch (InvalidDataException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"The {codec} data is corrupt: {e.Message}", e);
        }
        finally
        {
            output.MaxLength = previousMax;
        }
    }

    /// <summary>Reads <paramref name="source"/> to its end into <paramref name="output"/>, within the output's cap.</summary>
    internal static void CopyCapped(Stream source, PooledBufferWriter output)
    {
        const int Chunk = 64 * 1024;
        while (true)
        {
            var room = output.MaxLength - output.WrittenCount;
            if (room <= 0)
            {
                Span<byte> probe = stackalloc byte[1];
                if (source.Read(probe) > 0)
                {
                    throw new InvalidDataException($"The decompressed data is larger than the limit of {output.MaxLength} bytes.");
                }

                return;
            }

            var span = output.GetSpan(Math.Min(Chunk, room));
            if (span.Length > room)
            {
                span = span[..room];
            }

            var n = source.Read(span);
            if (n == 0)
            {
                return;
            }

            output.Advance(n);
        }
    }
}
