using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>
/// Conversions between strings and bytes (ENCODE, TO_BYTES, FROM_BYTES), MD5 and the numeric
/// *_FROM_BYTES functions. Encodings: <c>hex</c>, <c>utf8</c>, <c>ascii</c>, <c>base64</c>.
/// Bytes that are not ASCII decode to U+FFFD; characters that are not ASCII encode to '?'.
/// </summary>
public static class BytesFunctions
{
    private static readonly Encoding Ascii = Encoding.GetEncoding(
        "us-ascii", new EncoderReplacementFallback("?"), new DecoderReplacementFallback("\uFFFD"));

    private static readonly Encoding Utf8 = new UTF8Encoding(false, false);

    /// <summary>ENCODE: re-encodes text from one encoding to another.</summary>
    public static string? Encode(string? input, string? inputEncoding, string? outputEncoding)
    {
        if (input is null || inputEncoding is null || outputEncoding is null)
        {
            return null;
        }

        var bytes = Decode(input, inputEncoding, lenientHex: true);
        return bytes is null ? null : Encode(bytes, outputEncoding, upperHex: false);
    }

    /// <summary>TO_BYTES: the bytes a string represents in an encoding.</summary>
    public static byte[]? ToBytes(string? input, string? encoding) =>
        input is null || encoding is null ? null : Decode(input, encoding, lenientHex: true)
            ?? throw new SqlFunctionException($"'{input}' is not valid {encoding}.");

    /// <summary>FROM_BYTES: bytes as a string in an encoding (hex is upper-case).</summary>
    public static string? FromBytes(byte[]? input, string? encoding) =>
        input is null || encoding is null ? null : Encode(input, encoding, upperHex: true);

    /// <summary>MD5 of the string's UTF-8 bytes, as 32 lower-case hex digits.</summary>
    public static string? Md5(string? input)
    {
        if (input is null)
        {
            return null;
        }

#pragma warning disable CA5351 // MD5 is the function's contract (a checksum), not a security measure.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(input));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    public static int? IntFromBytes(byte[]? bytes) => IntFromBytes(bytes, "BIG_ENDIAN");

    /// <summary>A 4-byte value as an INT in BIG_ENDIAN or LITTLE_ENDIAN order.</summary>
    public static int? IntFromBytes(byte[]? bytes, string? byteOrder)
    {
        if (bytes is null || byteOrder is null)
        {
            return null;
        }

        var big = BigEndian(byteOrder);
        CheckLength(bytes, 4, "INT_FROM_BYTES");
        return big ? BinaryPrimitives.ReadInt32BigEndian(bytes) : BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    public static long? BigintFromBytes(byte[]? bytes) => BigintFromBytes(bytes, "BIG_ENDIAN");

    public static long? BigintFromBytes(byte[]? bytes, string? byteOrder)
    {
        if (bytes is null || byteOrder is null)
        {
            return null;
        }

        var big = BigEndian(byteOrder);
        CheckLength(bytes, 8, "BIGINT_FROM_BYTES");
        return big ? BinaryPrimitives.ReadInt64BigEndian(bytes) : BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    public static double? DoubleFromBytes(byte[]? bytes) => DoubleFromBytes(bytes, "BIG_ENDIAN");

    public static double? DoubleFromBytes(byte[]? bytes, string? byteOrder)
    {
        if (bytes is null || byteOrder is null)
        {
            return null;
        }

        var big = BigEndian(byteOrder);
        CheckLength(bytes, 8, "DOUBLE_FROM_BYTES");
        return big ? BinaryPrimitives.ReadDoubleBigEndian(bytes) : BinaryPrimitives.ReadDoubleLittleEndian(bytes);
    }

    private static bool BigEndian(string order) => order.ToUpperInvariant() switch
    {
        "BIG_ENDIAN" => true,
        "LITTLE_ENDIAN" => false,
        _ => throw new SqlFunctionException($"Byte order must be BIG_ENDIAN or LITTLE_ENDIAN, got '{order}'."),
    };

    private static void CheckLength(byte[] bytes, int expected, string function)
    {
        if (bytes.Length != expected)
        {
            throw new SqlFunctionException($"{function} needs {expected} bytes, got {bytes.Length}.");
        }
    }

    /// <summary>Text in an encoding → bytes; null for text that is not valid in it (hex, base64).</summary>
    internal static byte[]? Decode(string input, string encoding, bool lenientHex) => Normalize(encoding) switch
    {
        "hex" => ParseHex(input, lenientHex),
        "utf8" => Utf8.GetBytes(input),
        "ascii" => Ascii.GetBytes(input),
        "base64" => TryBase64(input),
        _ => throw UnknownEncoding(encoding),
    };

    internal static string Encode(byte[] bytes, string encoding, bool upperHex) => Normalize(encoding) switch
    {
        "hex" => upperHex ? Convert.ToHexString(bytes) : Convert.ToHexStringLower(bytes),
        "utf8" => Utf8.GetString(bytes),
        "ascii" => Ascii.GetString(bytes),
        "base64" => Convert.ToBase64String(bytes),
        _ => throw UnknownEncoding(encoding),
    };

    private static string Normalize(string encoding) => encoding.Trim().ToLowerInvariant() switch
    {
        "utf-8" => "utf8",
        "us-ascii" => "ascii",
        var e => e,
    };

    private static SqlFunctionException UnknownEncoding(string encoding) =>
        new($"Supported encodings are: hex, utf8, ascii and base64; got '{encoding}'.");

    private static byte[]? TryBase64(string input)
    {
        try
        {
            return Convert.FromBase64String(input);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Hex text: plain digits (even count), <c>0x</c>-prefixed (an odd count gets a leading zero) or
    /// <c>X'..'</c>/<c>x'..'</c> quoted (even count). Null when malformed.
    /// </summary>
    private static byte[]? ParseHex(string input, bool lenient)
    {
        var digits = input;
        if (lenient && (input.StartsWith("0x", StringComparison.Ordinal) || input.StartsWith("0X", StringComparison.Ordinal)))
        {
            digits = input[2..];
            if (digits.Length % 2 == 1)
            {
                digits = "0" + digits;
            }
        }
        else if (lenient && input.Length >= 2 && input[0] is 'x' or 'X' && input[1] == '\'')
        {
            if (input.Length < 3 || input[^1] != '\'')
            {
                return null;
            }

            digits = input[2..^1];
        }

        if (digits.Length % 2 == 1)
        {
            return null;
        }

        var result = new byte[digits.Length / 2];
        for (var i = 0; i < result.Length; i++)
        {
            if (!byte.TryParse(digits.AsSpan(i * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out result[i]))
            {
                return null;
            }
        }

        return result;
    }
}
