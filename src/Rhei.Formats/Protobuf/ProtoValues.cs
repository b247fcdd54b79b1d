using Rhei.Formats.Avro;
using Rhei.Formats.Conversion;

namespace Rhei.Formats.Protobuf;

/// <summary>Conversions between SQL values and the well-known messages (Timestamp, Date, TimeOfDay, Confluent's Decimal).</summary>
internal static class ProtoValues
{
    public static (long Seconds, int Nanos) ToTimestamp(DateTime value)
    {
        var ticks = value.Ticks - DateTime.UnixEpoch.Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rem);
        if (rem < 0)
        {
            seconds--;
            rem += TimeSpan.TicksPerSecond;
        }

        return (seconds, (int)(rem * 100));
    }

    public static DateTime FromTimestamp(long seconds, int nanos) =>
        TemporalValues.TimestampFromMillis((seconds * 1000) + (nanos / 1_000_000));

    public static DateOnly FromDate(int year, int month, int day) =>
        year == 0 && month == 0 && day == 0 ? DateOnly.FromDayNumber(0) : new DateOnly(year, month, day);

    public static TimeOnly FromTimeOfDay(int hours, int minutes, int seconds, int nanos) =>
        new(hours, minutes, seconds, nanos / 1_000_000);

    public static byte[] DecimalBytes(decimal value, int scale) => AvroDecimals.ToBytes(value, scale);

    public static decimal FromDecimalBytes(ReadOnlySpan<byte> bytes, int scale) => AvroDecimals.FromBytes(bytes, scale);

}
