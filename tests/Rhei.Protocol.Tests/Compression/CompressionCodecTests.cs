using Rhei.Protocol.Compression;
using Rhei.Protocol.Records;
using Snappier;

namespace Rhei.Protocol.Tests.Compression;

public class CompressionCodecTests
{
    public static TheoryData<CompressionType> Compressed => new()
    {
        CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd,
    };

    private static byte[] Sample(int size)
    {
        var data = new byte[size];
        var random = new Random(7);
        for (var i = 0; i < size; i++)
        {
            data[i] = (byte)(i % 97 < 60 ? 'a' + (i % 13) : random.Next(256));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Compressed))]
    public void Round_trips(CompressionType codec)
    {
        foreach (var size in new[] { 0, 1, 1000, 200_000 })
        {
            var input = Sample(size);
            using var compressed = new PooledBufferWriter();
            CompressionCodecs.Compress(codec, input, compressed);
            using var output = new PooledBufferWriter();
            CompressionCodecs.Decompress(codec, compressed.WrittenMemory, output);
            Assert.Equal(input, output.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Compressed))]
    public void Bombs_are_capped(CompressionType codec)
    {
        var zeros = new byte[8 * 1024 * 1024];
        using var compressed = new PooledBufferWriter();
        CompressionCodecs.Compress(codec, zeros, compressed);
        Assert.True(compressed.WrittenCount < zeros.Length / 20);
        using var output = new PooledBufferWriter();
        Assert.Throws<InvalidDataException>(() => CompressionCodecs.Decompress(codec, compressed.WrittenMemory, output, maxBytes: 1024 * 1024));
        Assert.True(output.WrittenCount <= 1024 * 1024);
    }

    [Theory]
    [MemberData(nameof(Compressed))]
    public void Garbage_is_invalid_data(CompressionType codec)
    {
        var input = Sample(50_000);
        using var compressed = new PooledBufferWriter();
        CompressionCodecs.Compress(codec, input, compressed);
        var damaged = compressed.ToArray();
        // Cut in half: every codec notices a missing end or a broken block.
        using var output = new PooledBufferWriter();
        var error = Xunit.Record.Exception(() => CompressionCodecs.Decompress(codec, damaged.AsMemory(0, damaged.Length / 2), output));
        if (error is null)
        {
            Assert.NotEqual(input, output.ToArray());
        }
        else
        {
            Assert.IsType<InvalidDataException>(error);
        }
    }

    [Fact]
    public void Snappy_writes_xerial_framing_and_reads_raw_too()
    {
        var input = Sample(100_000);
        using var xerial = new PooledBufferWriter();
        CompressionCodecs.Compress(CompressionType.Snappy, input, xerial);
        Assert.Equal(new byte[] { 0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1 }, xerial.WrittenSpan[..16].ToArray());

        var raw = Snappy.CompressToArray(input);
        using var output = new PooledBufferWriter();
        CompressionCodecs.Decompress(CompressionType.Snappy, raw, output);
        Assert.Equal(input, output.ToArray());
    }

    [Fact]
    public void Lz4_writes_the_standard_frame_magic()
    {
        using var output = new PooledBufferWriter();
        CompressionCodecs.Compress(CompressionType.Lz4, Sample(10), output);
        Assert.Equal(new byte[] { 0x04, 0x22, 0x4D, 0x18 }, output.WrittenSpan[..4].ToArray());
    }

    [Fact]
    public void Gzip_reads_concatenated_members()
    {
        using var two = new PooledBufferWriter();
        CompressionCodecs.Compress(CompressionType.Gzip, "hello "u8, two);
        CompressionCodecs.Compress(CompressionType.Gzip, "world"u8, two);
        using var output = new PooledBufferWriter();
        CompressionCodecs.Decompress(CompressionType.Gzip, two.WrittenMemory, output);
        Assert.Equal("hello world"u8.ToArray(), output.ToArray());
    }
}
