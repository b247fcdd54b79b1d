using System.Buffers.Binary;
using System.Text;
using Rhei.Protocol.Compression;
using Rhei.Protocol.Records;

namespace Rhei.Protocol.Tests.Records;

public class RecordBatchCodecTests
{
    public static TheoryData<CompressionType> Codecs => new()
    {
        CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd,
    };

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Round_trips_records_with_headers_and_nulls(CompressionType codec)
    {
        using var builder = new RecordBatchBuilder(codec)
        {
            ProducerId = 42,
            ProducerEpoch = 3,
            BaseSequence = 7,
            PartitionLeaderEpoch = 5,
        };
        const int N = 3000; // large enough to span several snappy (32 KiB) and lz4 (64 KiB) blocks
        var t0 = 1_700_000_000_000L;
        for (var i = 0; i < N; i++)
        {
            ReadOnlyMemory<byte>? key = i % 5 == 0 ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(Bytes($"key-{i}"));
            ReadOnlyMemory<byte>? value = i % 7 == 0 ? (ReadOnlyMemory<byte>?)null : new ReadOnlyMemory<byte>(Bytes($"value-{i}-" + new string('x', i % 50)));
            RecordHeader[] headers = i % 3 == 0
                ? [new RecordHeader("h1", Bytes($"v{i}")), new RecordHeader("nullable", null)]
                : [];
            builder.Add(t0 + (i % 11) - 5, key, value, headers);
        }

        var batch = builder.Build();
        Assert.Equal(RecordBatchError.None, RecordBatchHeader.Validate(batch, out var size));
        Assert.Equal(batch.Length, size);
        var header = new RecordBatchHeader(batch);
        Assert.Equal(codec, header.Compression);
        Assert.Equal(N, header.RecordsCount);
        Assert.Equal(N - 1, header.LastOffsetDelta);
        Assert.Equal(42, header.ProducerId);
        Assert.Equal((short)3, header.ProducerEpoch);
        Assert.Equal(7, header.BaseSequence);
        Assert.Equal(7 + N - 1, header.LastSequence);
        Assert.Equal(5, header.PartitionLeaderEpoch);
        Assert.Equal(t0 - 5, header.BaseTimestamp);
        Assert.Equal(t0 + 5, header.MaxTimestamp);

        RecordBatchHeader.SetBaseOffset(batch, 1000);
        using var reader = RecordBatchReader.Open(batch);
        var i2 = 0;
        foreach (var record in reader)
        {
            Assert.Equal(1000 + i2, record.Offset);
            Assert.Equal(t0 + (i2 % 11) - 5, record.Timestamp);
            if (i2 % 5 == 0)
            {
                Assert.Null(record.Key);
            }
            else
            {
                Assert.Equal($"key-{i2}", Encoding.UTF8.GetString(record.Key!.Value.Span));
            }

            if (i2 % 7 == 0)
            {
                Assert.Null(record.Value);
            }
            else
            {
                Assert.Equal($"value-{i2}-" + new string('x', i2 % 50), Encoding.UTF8.GetString(record.Value!.Value.Span));
            }

            var headers = record.Headers.ToList();
            if (i2 % 3 == 0)
            {
                Assert.Equal(2, headers.Count);
                Assert.Equal("h1", headers[0].KeyString);
                Assert.Equal($"v{i2}", Encoding.UTF8.GetString(headers[0].Value!.Value.Span));
                Assert.Equal("nullable", headers[1].KeyString);
                Assert.Null(headers[1].Value);
            }
            else
            {
                Assert.Empty(headers);
            }

            i2++;
        }

        Assert.Equal(N, i2);
    }

    [Fact]
    public void Hand_built_batch_is_read_field_by_field()
    {
        // One record: key "k", value "vv", one header ("h" -> null), timestamp delta 3, at offset delta 0.
        byte[] record =
        [
            0x00, // attributes
            0x06, // timestampDelta 3 (zig-zag)
            0x00, // offsetDelta 0
            0x02, (byte)'k', // key length 1
            0x04, (byte)'v', (byte)'v', // value length 2
            0x02, // 1 header
            0x02, (byte)'h', 0x01, // key "h", value null (-1)
        ];
        var batch = new byte[61 + 1 + record.Length];
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(0), 77);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(8), batch.Length - 12);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(12), 9);
        batch[16] = 2;
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(21), 0x10); // transactional
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(23), 0);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(27), 1000);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(35), 1003);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(43), 12345);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(51), 2);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(53), 10);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(57), 1);
        batch[61] = (byte)(record.Length * 2); // record length varint
        record.CopyTo(batch.AsSpan(62));
        RecordBatchHeader.UpdateCrc(batch);

        Assert.Equal(RecordBatchError.None, RecordBatchHeader.Validate(batch, out _));
        var h = new RecordBatchHeader(batch);
        Assert.Equal(77, h.BaseOffset);
        Assert.Equal(batch.Length, h.TotalSize);
        Assert.Equal(9, h.PartitionLeaderEpoch);
        Assert.Equal(2, h.Magic);
        Assert.True(h.IsTransactional);
        Assert.False(h.IsControl);
        Assert.Equal(CompressionType.None, h.Compression);
        Assert.Equal(TimestampType.CreateTime, h.TimestampType);
        Assert.Equal(77, h.LastOffset);
        Assert.Equal(1000, h.BaseTimestamp);
        Assert.Equal(1003, h.MaxTimestamp);
        Assert.Equal(12345, h.ProducerId);
        Assert.Equal((short)2, h.ProducerEpoch);
        Assert.Equal(10, h.BaseSequence);
        Assert.Equal(1, h.RecordsCount);

        using var reader = RecordBatchReader.Open(batch);
        Assert.True(reader.TryReadNext(out var r));
        Assert.Equal(77, r.Offset);
        Assert.Equal(1003, r.Timestamp);
        Assert.Equal("k", Encoding.UTF8.GetString(r.Key!.Value.Span));
        Assert.Equal("vv", Encoding.UTF8.GetString(r.Value!.Value.Span));
        var header = Assert.Single(r.Headers);
        Assert.Equal("h", header.KeyString);
        Assert.Null(header.Value);
        Assert.False(reader.TryReadNext(out _));

        // The builder writes exactly these bytes for the same content.
        using var builder = new RecordBatchBuilder
        {
            BaseOffset = 77,
            PartitionLeaderEpoch = 9,
            IsTransactional = true,
            ProducerId = 12345,
            ProducerEpoch = 2,
            BaseSequence = 10,
            BaseTimestamp = 1000,
        };
        builder.Add(1003, Bytes("k"), Bytes("vv"), [new RecordHeader("h", null)]);
        Assert.Equal(batch, builder.Build());
    }

    [Fact]
    public void Crc_mismatch_truncation_and_bad_magic_are_detected()
    {
        using var builder = new RecordBatchBuilder();
        builder.Add(1, Bytes("a"), Bytes("b"));
        builder.Add(2, Bytes("c"), Bytes("d"));
        var batch = builder.Build();
        Assert.Equal(RecordBatchError.None, RecordBatchHeader.Validate(batch, out _));

        for (var i = RecordBatchHeader.AttributesOffset; i < batch.Length; i++)
        {
            var copy = (byte[])batch.Clone();
            copy[i] ^= 0x40;
            Assert.Equal(RecordBatchError.CrcMismatch, RecordBatchHeader.Validate(copy, out _));
        }

        // Fields outside the CRC can change freely.
        var moved = (byte[])batch.Clone();
        RecordBatchHeader.SetBaseOffset(moved, 1234);
        RecordBatchHeader.SetPartitionLeaderEpoch(moved, 8);
        Assert.Equal(RecordBatchError.None, RecordBatchHeader.Validate(moved, out _));

        for (var cut = 0; cut < batch.Length; cut++)
        {
            var error = RecordBatchHeader.Validate(batch.AsSpan(0, cut), out _);
            Assert.True(error is RecordBatchError.Truncated or RecordBatchError.HeaderTooShort, $"cut at {cut}: {error}");
        }

        var badMagic = (byte[])batch.Clone();
        badMagic[RecordBatchHeader.MagicOffset] = 1;
        Assert.Equal(RecordBatchError.InvalidMagic, RecordBatchHeader.Validate(badMagic, out _));

        var badLength = (byte[])batch.Clone();
        BinaryPrimitives.WriteInt32BigEndian(badLength.AsSpan(8), 10);
        Assert.Equal(RecordBatchError.InvalidLength, RecordBatchHeader.Validate(badLength, out _));
    }

    [Fact]
    public void Log_append_time_rewrites_max_timestamp_and_crc()
    {
        using var builder = new RecordBatchBuilder(CompressionType.Lz4);
        builder.Add(100, null, Bytes("a"));
        builder.Add(200, null, Bytes("b"));
        var batch = builder.Build();
        RecordBatchHeader.SetLogAppendTime(batch, 5555);
        Assert.Equal(RecordBatchError.None, RecordBatchHeader.Validate(batch, out _));
        var header = new RecordBatchHeader(batch);
        Assert.Equal(TimestampType.LogAppendTime, header.TimestampType);
        Assert.Equal(5555, header.MaxTimestamp);
        using var reader = RecordBatchReader.Open(batch);
        Assert.All(reader.ToRecords(), r => Assert.Equal(5555, r.Timestamp));
    }

    [Fact]
    public void Batches_split_and_stop_at_a_partial_tail()
    {
        using var output = new PooledBufferWriter();
        using var builder = new RecordBatchBuilder();
        for (var b = 0; b < 3; b++)
        {
            builder.Clear();
            builder.BaseOffset = b * 10;
            builder.Add(1, null, Bytes($"batch {b}"));
            builder.WriteTo(output);
        }

        var all = output.WrittenMemory;
        var offsets = new List<long>();
        foreach (var batch in RecordBatches.Enumerate(all[..^5]))
        {
            offsets.Add(new RecordBatchHeader(batch.Span).BaseOffset);
        }

        Assert.Equal([0L, 10L], offsets);
    }

    [Fact]
    public void Malformed_records_throw_invalid_data()
    {
        using var builder = new RecordBatchBuilder();
        builder.Add(1, Bytes("key"), Bytes("value"));
        var batch = builder.Build();
        // Claim two records where there is one.
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordsCountOffset), 2);
        using var reader = RecordBatchReader.Open(batch);
        Assert.True(reader.TryReadNext(out _));
        Assert.Throws<InvalidDataException>(() => reader.TryReadNext(out _));

        // A key length past the record's end.
        var bad = builder.Build();
        bad[RecordBatchHeader.RecordsOffset + 4] = 0x7E;
        using var reader2 = RecordBatchReader.Open(bad);
        Assert.Throws<InvalidDataException>(() => reader2.TryReadNext(out _));
    }

    [Fact]
    public void Control_batches_carry_marker_records()
    {
        using var builder = new RecordBatchBuilder { IsControl = true, IsTransactional = true, ProducerId = 9, ProducerEpoch = 1 };
        builder.Add(10, ControlRecord.EncodeKey(ControlRecordType.Commit), ControlRecord.EncodeMarkerValue(4));
        var batch = builder.Build();
        var header = new RecordBatchHeader(batch);
        Assert.True(header.IsControl);
        using var reader = RecordBatchReader.Open(batch);
        Assert.True(reader.TryReadNext(out var r));
        Assert.True(ControlRecord.TryReadType(r.Key!.Value.Span, out var type));
        Assert.Equal(ControlRecordType.Commit, type);
    }
}

internal static class ReaderExtensions
{
    public static List<Rhei.Protocol.Records.Record> ToRecords(this RecordBatchReader reader)
    {
        var list = new List<Rhei.Protocol.Records.Record>();
        while (reader.TryReadNext(out var r))
        {
            list.Add(r);
        }

        return list;
    }
}
