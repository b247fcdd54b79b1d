using System.Numerics;
using Rhei.Formats.Conversion;

namespace Rhei.Formats.Avro;

/// <summary>DECIMAL values as Avro's decimal logical type: the unscaled value as big-endian two's complement.</summary>
internal static class AvroDecimals
{
    public static byte[] ToBytes(decimal value, int scale)
    {
        var scaled = DecimalValues.SetScale(value, scale);
        return Unscaled(scaled).ToByteArray(isUnsigned: false, isBigEndian: true);
    }

    /// <summary>Pads (sign-extends) to a fixed size.</summary>
    public static byte[] ToFixed(decimal value, int scale, int size)
    {
        var bytes = ToBytes(value, scale);
        if (bytes.Length > size)
        {
            throw new InvalidCastException($"The decimal {value} does not fit in {size} bytes");
        }

        if (bytes.Length == size)
        {
            return bytes;
        }

        var padded = new byte[size];
        var fill = (bytes[0] & 0x80) != 0 ? (byte)0xFF : (byte)0;
        padded.AsSpan(0, size - bytes.Length).Fill(fill);
        bytes.CopyTo(padded, size - bytes.Length);
        return padded;
    }

    public static decimal FromBytes(ReadOnlySpan<byte> bytes, int scale)
    {
        if (bytes.IsEmpty)
        {
            return 0m;
        }

        var unscaled = new BigInteger(bytes, isUnsigned: false, isBigEndian: true);
        var negative = unscaled.Sign < 0;
        var magnitude = BigInteger.Abs(unscaled);
        if (magnitude.GetBitLength() > 96 || scale is < 0 or > 28)
        {
            throw new FormatException($"The decimal (unscaled {unscaled}, scale {scale}) does not fit a DECIMAL of at most 28 digits");
        }

        var lo = (int)(uint)(magnitude & uint.MaxValue);
        var mid = (int)(uint)((magnitude >> 32) & uint.MaxValue);
        var hi = (int)(uint)((magnitude >> 64) & uint.MaxValue);
        return new decimal(lo, mid, hi, negative, (byte)scale);
    }

    private static BigInteger Unscaled(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        return (bits[3] & int.MinValue) != 0 ? -magnitude : magnitude;
    }
}
