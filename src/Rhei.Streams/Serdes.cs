using System.Buffers.Binary;
using System.Text;

namespace Rhei.Streams;

/// <summary>
/// Built-in serdes with Kafka's wire layouts: big-endian integers (as Kafka's IntegerSerializer and
/// LongSerializer), UTF-8 strings, raw bytes. Null maps to a null record field in both directions.
/// </summary>
public static class Serdes
{
    /// <summary>UTF-8 strings. Typed non-null so it can key stores; a null on the wire still reads as null.</summary>
    public static Serde<string> String { get; } = new(
        static (v, _) => v is null ? null : Encoding.UTF8.GetBytes(v),
        static (d, isNull, _) => isNull ? null! : Encoding.UTF8.GetString(d));

    public static Serde<int> Int32 { get; } = new(
        static (v, _) => { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v); return b; },
        static (d, isNull, _) => isNull ? 0 : ReadFixed32(d));

    public static Serde<int?> NullableInt32 { get; } = new(
        static (v, _) => { if (v is null) { return null; } var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v.Value); return b; },
        static (d, isNull, _) => isNull ? null : ReadFixed32(d));

    public static Serde<long> Int64 { get; } = new(
        static (v, _) => { var b = new byte[8]; BinaryPrimitives.WriteInt64BigEndian(b, v); return b; },
        static (d, isNull, _) => isNull ? 0L : ReadFixed64(d));

    public static Serde<long?> NullableInt64 { get; } = new(
        static (v, _) => { if (v is null) { return null; } var b = new byte[8]; BinaryPrimitives.WriteInt64BigEndian(b, v.Value); return b; },
        static (d, isNull, _) => isNull ? null : ReadFixed64(d));

    public static Serde<double> Double { get; } = new(
        static (v, _) => { var b = new byte[8]; BinaryPrimitives.WriteDoubleBigEndian(b, v); return b; },
        static (d, isNull, _) => isNull ? 0d : d.Length == 8 ? BinaryPrimitives.ReadDoubleBigEndian(d) : throw new FormatException($"A DOUBLE needs 8 bytes, the data has {d.Length}."));

    public static Serde<byte[]> ByteArray { get; } = new(
        static (v, _) => v,
        static (d, isNull, _) => isNull ? null! : d.ToArray());

    private static int ReadFixed32(ReadOnlySpan<byte> d) =>
        d.Length == 4 ? BinaryPrimitives.ReadInt32BigEndian(d) : throw new FormatException($"An INT needs 4 bytes, the data has {d.Length}.");

    private static long ReadFixed64(ReadOnlySpan<byte> d) =>
        d.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(d) : throw new FormatException($"A BIGINT needs 8 bytes, the data has {d.Length}.");
}
