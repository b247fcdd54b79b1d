using Rhei.Protocol.Messages;

namespace Rhei.Protocol.Tests.Messages;

public sealed class PrimitivesTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(1, "01")]
    [InlineData(127, "7f")]
    [InlineData(128, "80 01")]
    [InlineData(300, "ac 02")]
    [InlineData(16384, "80 80 01")]
    [InlineData(int.MaxValue, "ff ff ff ff 07")]
    [InlineData(-1, "ff ff ff ff 0f")]
    public void Unsigned_varints(int value, string hex)
    {
        var expected = Hex.Parse(hex);
        Assert.Equal(expected.Length, ProtocolSize.UnsignedVarInt(value));
        var bytes = new byte[expected.Length];
        var writer = new ProtocolWriter(bytes);
        writer.WriteUnsignedVarInt(value);
        Assert.Equal(expected, bytes);
        var reader = new ProtocolReader(bytes);
        Assert.Equal(value, reader.ReadUnsignedVarInt());
    }

    [Theory]
    [InlineData(0, "00")]
    [InlineData(-1, "01")]
    [InlineData(1, "02")]
    [InlineData(-2, "03")]
    [InlineData(63, "7e")]
    [InlineData(-64, "7f")]
    [InlineData(64, "80 01")]
    [InlineData(int.MaxValue, "fe ff ff ff 0f")]
    [InlineData(int.MinValue, "ff ff ff ff 0f")]
    public void Zigzag_varints(int value, string hex)
    {
        var expected = Hex.Parse(hex);
        Assert.Equal(expected.Length, ProtocolSize.VarInt(value));
        var bytes = new byte[expected.Length];
        var writer = new ProtocolWriter(bytes);
        writer.WriteVarInt(value);
        Assert.Equal(expected, bytes);
        var reader = new ProtocolReader(bytes);
        Assert.Equal(value, reader.ReadVarInt());
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(-1L, "01")]
    [InlineData(1L, "02")]
    [InlineData(long.MaxValue, "fe ff ff ff ff ff ff ff ff 01")]
    [InlineData(long.MinValue, "ff ff ff ff ff ff ff ff ff 01")]
    public void Zigzag_varlongs(long value, string hex)
    {
        var expected = Hex.Parse(hex);
        Assert.Equal(expected.Length, ProtocolSize.VarLong(value));
        var bytes = new byte[expected.Length];
        var writer = new ProtocolWriter(bytes);
        writer.WriteVarLong(value);
        Assert.Equal(expected, bytes);
        var reader = new ProtocolReader(bytes);
        Assert.Equal(value, reader.ReadVarLong());
    }

    [Fact]
    public void Overlong_varints_are_rejected()
    {
        var reader = new ProtocolReader(Hex.Parse("ff ff ff ff ff 01"));
        try
        {
            reader.ReadUnsignedVarInt();
            Assert.Fail("Expected InvalidDataException.");
        }
        catch (InvalidDataException)
        {
        }
    }

    [Fact]
    public void Uuids_travel_most_significant_byte_first()
    {
        var bytes = Hex.Parse("12 34 56 78 9a bc de f0 0f ed cb a9 87 65 43 21");
        var reader = new ProtocolReader(bytes);
        var id = reader.ReadUuid();
        Assert.Equal("12345678-9abc-def0-0fed-cba987654321", id.ToString());
        var written = new byte[16];
        var writer = new ProtocolWriter(written);
        writer.WriteUuid(id);
        Assert.Equal(bytes, written);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("tøpic-✓-日本")]
    [InlineData("a string long enough that its UTF-8 length needs a two byte varint prefix, which is more than 126 bytes: ✓✓✓✓✓✓✓✓✓✓")]
    public void Strings_in_both_encodings_report_their_exact_size(string value)
    {
        foreach (var compact in new[] { false, true })
        {
            var size = ProtocolSize.String(value, compact);
            var bytes = new byte[size];
            var writer = new ProtocolWriter(bytes);
            writer.WriteString(value, compact, "field");
            Assert.Equal(size, writer.Position);
            var reader = new ProtocolReader(bytes);
            Assert.Equal(value, reader.ReadString(compact, "field"));
            Assert.Equal(0, reader.Remaining);
        }
    }

    [Fact]
    public void Null_strings_bytes_and_arrays_use_the_null_markers()
    {
        var bytes = new byte[2 + 1 + 4 + 1 + 4 + 1];
        var writer = new ProtocolWriter(bytes);
        writer.WriteNullableString(null, compact: false);
        writer.WriteNullableString(null, compact: true);
        writer.WriteNullableBytes(null, compact: false);
        writer.WriteNullableBytes(null, compact: true);
        writer.WriteArrayLength(-1, compact: false);
        writer.WriteArrayLength(-1, compact: true);
        Assert.Equal("ffff00ffffffff00ffffffff00", Hex.Format(bytes));
    }

    [Fact]
    public void Float64_is_big_endian_ieee754()
    {
        var bytes = new byte[8];
        var writer = new ProtocolWriter(bytes);
        writer.WriteFloat64(1.5);
        Assert.Equal("3ff8000000000000", Hex.Format(bytes));
    }
}
