using System.Buffers.Binary;
using Rhei.Connect.Data;
using Rhei.Formats.Types;

namespace Rhei.Connect.Converters;

/// <summary>
/// Kafka Connect's number converters (<c>org.apache.kafka.connect.converters.IntegerConverter</c>, <c>LongConverter</c>,
/// <c>DoubleConverter</c>, <c>FloatConverter</c>, <c>ShortConverter</c>): big-endian fixed-width numbers, the same bytes
/// as ksqlDB's KAFKA format for INT, BIGINT and DOUBLE keys.
/// </summary>
public sealed class NumberConverter : Converter
{
    private readonly NumberWidth _width;

    public NumberConverter(NumberWidth width)
    {
        _width = width;
    }

    public override byte[]? FromConnectData(string topic, SqlType? schema, object? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            switch (_width)
            {
                case NumberWidth.Int16:
                    var s = new byte[2];
                    BinaryPrimitives.WriteInt16BigEndian(s, Convert.ToInt16(value, System.Globalization.CultureInfo.InvariantCulture));
                    return s;
                case NumberWidth.Int32:
                    var i = new byte[4];
                    BinaryPrimitives.WriteInt32BigEndian(i, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                    return i;
                case NumberWidth.Int64:
                    var l = new byte[8];
                    BinaryPrimitives.WriteInt64BigEndian(l, value is DateTime dt ? Formats.Conversion.TemporalValues.ToEpochMillis(dt) : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    return l;
                case NumberWidth.Float32:
                    var f = new byte[4];
                    BinaryPrimitives.WriteSingleBigEndian(f, Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture));
                    return f;
                default:
                    var d = new byte[8];
                    BinaryPrimitives.WriteDoubleBigEndian(d, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                    return d;
            }
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new ConnectDataException($"{_width} converter cannot write a value of type {value.GetType().Name} ({value}) for topic {topic}.", e);
        }
    }

    public override ConnectValue ToConnectData(string topic, ReadOnlySpan<byte> data)
    {
        var expected = _width switch
        {
            NumberWidth.Int16 => 2,
            NumberWidth.Int32 or NumberWidth.Float32 => 4,
            _ => 8,
        };
        if (data.Length != expected)
        {
            throw new ConnectDataException($"Size of data received by the {_width} converter is not {expected} bytes (got {data.Length}) in topic {topic}.");
        }

        return _width switch
        {
            NumberWidth.Int16 => new ConnectValue(SqlTypes.Integer, (int)BinaryPrimitives.ReadInt16BigEndian(data)),
            NumberWidth.Int32 => new ConnectValue(SqlTypes.Integer, BinaryPrimitives.ReadInt32BigEndian(data)),
            NumberWidth.Int64 => new ConnectValue(SqlTypes.BigInt, BinaryPrimitives.ReadInt64BigEndian(data)),
            NumberWidth.Float32 => new ConnectValue(SqlTypes.Double, (double)BinaryPrimitives.ReadSingleBigEndian(data)),
            _ => new ConnectValue(SqlTypes.Double, BinaryPrimitives.ReadDoubleBigEndian(data)),
        };
    }
}

/// <summary>The width of a <see cref="NumberConverter"/>.</summary>
public enum NumberWidth
{
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
}
