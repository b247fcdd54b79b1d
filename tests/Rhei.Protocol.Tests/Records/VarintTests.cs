using Rhei.Protocol.Records;

namespace Rhei.Protocol.Tests.Records;

public class VarintTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(-1, new byte[] { 0x01 })]
    [InlineData(1, new byte[] { 0x02 })]
    [InlineData(63, new byte[] { 0x7E })]
    [InlineData(-64, new byte[] { 0x7F })]
    [InlineData(64, new byte[] { 0x80, 0x01 })]
    [InlineData(300, new byte[] { 0xD8, 0x04 })]
    [InlineData(int.MaxValue, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(int.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void VarInt_encodes_as_zigzag(int value, byte[] expected)
    {
        var buffer = new byte[Varint.MaxVarIntLength];
        var n = Varint.WriteVarInt(buffer, value);
        Assert.Equal(expected, buffer[..n]);
        Assert.Equal(expected.Length, Varint.SizeOfVarInt(value));
        var p = 0;
        Assert.Equal(value, Varint.ReadVarInt(expected, ref p));
        Assert.Equal(expected.Length, p);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(int.MaxValue + 1L)]
    [InlineData(-1_700_000_000_000L)]
    public void VarLong_round_trips(long value)
    {
        var buffer = new byte[Varint.MaxVarLongLength];
        var n = Varint.WriteVarLong(buffer, value);
        Assert.Equal(n, Varint.SizeOfVarLong(value));
        var p = 0;
        Assert.Equal(value, Varint.ReadVarLong(buffer, ref p));
        Assert.Equal(n, p);
    }

    [Fact]
    public void Long_extremes_take_ten_bytes()
    {
        Assert.Equal(10, Varint.SizeOfVarLong(long.MinValue));
        Assert.Equal(10, Varint.SizeOfVarLong(long.MaxValue));
        Assert.Equal(1, Varint.SizeOfVarLong(-64));
    }

    [Fact]
    public void Truncated_and_overlong_varints_throw()
    {
        Assert.Throws<InvalidDataException>(() => { var p = 0; Varint.ReadVarInt(new byte[] { 0x80, 0x80 }, ref p); });
        Assert.Throws<InvalidDataException>(() => { var p = 0; Varint.ReadVarInt(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, ref p); });
        Assert.Throws<InvalidDataException>(() => { var p = 0; Varint.ReadVarInt(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F }, ref p); });
        Assert.Throws<InvalidDataException>(() => { var p = 0; Varint.ReadVarLong(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 }, ref p); });
        Assert.Throws<InvalidDataException>(() => { var p = 0; Varint.ReadVarLong(Array.Empty<byte>(), ref p); });
    }
}
